"""Retrieval variants measured on both corpora (seed `corpus/` and realdocs `../shared/realdocs`).

    python evals/retrieval_variants.py --seed-index /tmp/x-seed --realdocs-index /tmp/x-rd --split dev \
        [--variants base,thesaurus,compounds,org,fusion] [--json out.json]

For every variant: recall@5 and MRR@10 of the ranking (top 10 of `Retriever.search`, the ranking the
answer is composed from) on the answerable questions of each corpus, with the suite's matching rules
(`assistant.evals.metrics.retrieval_metrics`). Query embeddings are computed once per question and
reused by every variant. Results and what was kept: evals/README.md, "Retrieval variants".
Tune on dev; test only confirms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class CachedEmbedder:
    """The bot's embedder with query vectors remembered (every variant asks the same questions)."""

    def __init__(self, embedder):
        self.embedder, self.cache = embedder, {}

    def embed_query(self, text):
        if text not in self.cache:
            self.cache[text] = self.embedder.embed_query(text)
        return self.cache[text]


@dataclass
class Corpus:
    name: str
    bot: object
    questions: list[dict]
    pool: list[str]


def cached_bot(index_dir: str):
    """The assistant of an index, its query vectors remembered (every variant or value asks the same questions)."""
    from assistant import Assistant
    from assistant.settings import Settings

    bot = Assistant.load(Settings.load(index_dir=index_dir))
    bot.retriever.embedder = CachedEmbedder(bot.embedder)
    return bot


def load_corpus(name: str, index_dir: str, split: str) -> Corpus:
    from assistant.evals.matching import normalize
    from assistant.evals.pipeline import load_questions

    bot = cached_bot(index_dir)
    questions = [q for q in load_questions(split=split, corpus=name) if q.get("answerable")]
    return Corpus(name, bot, questions, [normalize(p.text) for p in bot.index.passages.values()])


def measure(corpus: Corpus, retriever) -> dict:
    """Mean recall@5 / MRR@10 over the answerable questions whose gold is in the index."""
    from assistant.answer import resolve_followup
    from assistant.evals import metrics as M

    r5, mrr, ids = [], [], {}
    for q in corpus.questions:
        query = resolve_followup(q["question"].strip(), q.get("history"))
        ranked = retriever.search(query, k=10)
        m = M.retrieval_metrics(True, q.get("gold") or [], [p.text for p in ranked], corpus.pool)
        if m["recall@5"] is None:
            continue
        r5.append(m["recall@5"])
        mrr.append(m["mrr@10"])
        ids[q["id"]] = round(m["mrr@10"], 3)
    n = len(r5)
    return {
        "n": n,
        "recall@5": round(sum(r5) / n, 3) if n else None,
        "mrr@10": round(sum(mrr) / n, 3) if n else None,
        "per_question": ids,
    }


# ---- variants: name -> function(bot's retriever) -> retriever ------------------------------------


def base_variants(r):
    return {
        "full": r,
        "bm25 only": r.with_config(dense=False, records=False, organisation_boost=0.0, ngram_weight=0.0),
        "bm25 + 5-gram field only": r.with_config(dense=False, records=False, organisation_boost=0.0, ngram_weight=0.5),
        "dense only": r.with_config(sparse=False, records=False, organisation_boost=0.0),
        "full, no thesaurus": r.with_config(thesaurus=False),
        "bm25 only, no thesaurus": r.with_config(
            dense=False, records=False, thesaurus=False, organisation_boost=0.0, ngram_weight=0.0
        ),
        "full + 5-gram field 0.5": r.with_config(ngram_weight=0.5),
        "full, no organisation boost": r.with_config(organisation_boost=0.0),
        "full, no record lookup": r.with_config(records=False),
    }


def thesaurus_variants(r):
    """Leave one entry out (only entries that fire on some question of either corpus differ from full)."""
    from assistant.thesaurus import DEFAULT

    out = {}
    for i, (pattern, _) in enumerate(DEFAULT.entries):
        out[f"thesaurus without #{i} /{pattern[:40]}/"] = r.with_config(entries=DEFAULT.without(i))
        out[f"bm25 only, thesaurus without #{i}"] = r.with_config(entries=DEFAULT.without(i), dense=False, records=False)
    return out


def fusion_variants(r):
    out = {}
    for w in (0.3, 0.4, 0.6, 0.7):
        out[f"dense_weight {w}"] = r.with_config(dense_weight=w)
    for c in (20, 50, 100):
        out[f"candidates {c}"] = r.with_config(candidates=c)
    out["mode reciprocal_rerank"] = r.with_config(mode="reciprocal_rerank")
    out["mode dist_based_score"] = r.with_config(mode="dist_based_score")
    out["mode relative_score"] = r.with_config(mode="relative_score")
    out["mode z_score"] = r.with_config(mode="z_score")
    for c in (50, 100):
        out[f"z_score + candidates {c}"] = r.with_config(mode="z_score", candidates=c)
    for w in (0.4, 0.6):
        out[f"z_score + dense_weight {w}"] = r.with_config(mode="z_score", dense_weight=w)
    return out


def org_variants(r):
    out = {f"organisation_boost {b}": r.with_config(organisation_boost=b) for b in (0.05, 0.1, 0.2, 0.3, 0.5)}
    out["bm25 only, organisation_boost 0.2"] = r.with_config(dense=False, records=False, organisation_boost=0.2)
    return out


class NgramBM25:
    """BM25 over words plus a second BM25 over the words' character n-grams, scores added after
    scaling each to its maximum (weight `w` for the n-gram field): Dutch compounds
    ("jeugdhulpaanbieders") share n-grams with their parts ("aanbieders"). The product's field is
    5-grams of every word (`ngram_weight`, off by default); this class measures the other choices."""

    def __init__(self, index, n: int, w: float, min_len: int = 0):
        import bm25s

        from assistant.index import bm25_tokens

        self.words, self.n, self.w, self.min_len = index.bm25, n, w, min_len
        self.grams = bm25s.BM25()
        self.grams.index([self.ngrams(bm25_tokens(p)) for p in index.passages.values()], show_progress=False)

    def ngrams(self, tokens):
        from assistant.text import char_ngrams

        # short words are whole words to the word field already
        return char_ngrams([t for t in tokens if len(t) >= self.min_len], self.n)

    def get_scores(self, tokens):
        a = self.words.get_scores(tokens)
        grams = self.ngrams(tokens)
        if not grams:
            return a / (a.max() or 1.0)
        b = self.grams.get_scores(grams)
        return a / (a.max() or 1.0) + self.w * b / (b.max() or 1.0)


class SplitBM25:
    """BM25 where a token that is two known words (the index vocabulary, parts of 4+ letters, an
    optional linking s/e) also counts as its parts, in passages and questions alike."""

    def __init__(self, index):
        import bm25s

        from assistant.index import bm25_tokens

        tokens = [bm25_tokens(p) for p in index.passages.values()]
        self.vocab = {t for ts in tokens for t in ts if len(t) >= 4}
        self.bm25 = bm25s.BM25()
        self.bm25.index([self.split(ts) for ts in tokens], show_progress=False)

    def split(self, tokens):
        out = list(tokens)
        for t in tokens:
            for i in range(4, len(t) - 3):
                head, tail = t[:i], t[i:]
                if head.endswith(("s", "e")) and head[:-1] in self.vocab and tail in self.vocab:
                    head = head[:-1]
                if head in self.vocab and tail in self.vocab:
                    out += [head, tail]
                    break
        return out

    def get_scores(self, tokens):
        return self.bm25.get_scores(self.split(tokens))


def compound_variants(r):
    import copy

    out = {f"full, 5-gram field weight {w}": r.with_config(ngram_weight=w) for w in (0.3, 0.5, 0.7)}
    r = r.with_config(ngram_weight=0.0)  # the variants below bring their own field
    for name, make in [
        ("char 4-grams w0.5", lambda i: NgramBM25(i, 4, 0.5)),
        ("char 5-grams w0.5", lambda i: NgramBM25(i, 5, 0.5)),
        ("char 4-grams w0.25", lambda i: NgramBM25(i, 4, 0.25)),
        ("decompound (vocabulary split)", SplitBM25),
        ("char 5-grams w0.3", lambda i: NgramBM25(i, 5, 0.3)),
        ("char 5-grams of words >= 10 letters w0.5", lambda i: NgramBM25(i, 5, 0.5, 10)),
        ("char 5-grams of words >= 10 letters w0.3", lambda i: NgramBM25(i, 5, 0.3, 10)),
    ]:
        index = copy.copy(r.index)
        index.bm25 = make(r.index)
        variant = copy.copy(r)
        variant.index = index
        out[f"full, {name}"] = variant
        out[f"bm25 only, {name}"] = variant.with_config(dense=False, records=False)
    return out


VARIANT_GROUPS = {
    "base": base_variants,
    "thesaurus": thesaurus_variants,
    "fusion": fusion_variants,
    "org": org_variants,
    "compounds": compound_variants,
}


def fires(corpora: list[Corpus]) -> dict[int, list[str]]:
    """Thesaurus entry number -> ids of the questions it fires on."""
    from assistant.thesaurus import DEFAULT, Thesaurus

    out: dict[int, list[str]] = {}
    for c in corpora:
        for q in c.questions:
            for i, entry in enumerate(DEFAULT.entries):
                if Thesaurus([entry]).expansions(q["question"]):
                    out.setdefault(i, []).append(q["id"])
    return out


def corpus_parser(description: str) -> argparse.ArgumentParser:
    """The flags of every measurement on both corpora: the two indexes, the split, a JSON file for the figures."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--seed-index", required=True)
    p.add_argument("--realdocs-index", required=True)
    p.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    p.add_argument("--json", dest="json_out")
    return p


def main(argv=None) -> int:
    p = corpus_parser(__doc__.splitlines()[0])
    p.add_argument("--variants", default="base", help="comma-separated groups: " + ",".join(VARIANT_GROUPS))
    args = p.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    corpora = [load_corpus("seed", args.seed_index, args.split), load_corpus("realdocs", args.realdocs_index, args.split)]
    rows = {}
    groups = args.variants.split(",")
    if "thesaurus" in groups:
        print("entries firing:", {i: len(v) for i, v in fires(corpora).items()}, file=sys.stderr)
    for group in groups:
        for c in corpora:
            for name, retriever in VARIANT_GROUPS[group](c.bot.retriever).items():
                t0 = time.perf_counter()
                rows.setdefault(name, {})[c.name] = measure(c, retriever)
                rows[name][c.name]["seconds"] = round(time.perf_counter() - t0, 2)
    print(f"| variant ({args.split}) | seed R@5 | seed MRR@10 | realdocs R@5 | realdocs MRR@10 |")
    print("|---|---|---|---|---|")
    for name, by in rows.items():
        s, r = by["seed"], by["realdocs"]
        print(f"| {name} | {s['recall@5']} | {s['mrr@10']} | {r['recall@5']} | {r['mrr@10']} |")
    print(
        f"(n: seed {rows['full']['seed']['n'] if 'full' in rows else '?'}, "
        f"realdocs {rows['full']['realdocs']['n'] if 'full' in rows else '?'})"
    )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
