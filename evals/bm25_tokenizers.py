"""Which tokeniser should BM25 use? Ours (`assistant.text.tokenize`: lower case, accents kept,
hyphenated compounds split, no stopwords) against what bm25s ships for Dutch (`bm25s.tokenize` with
`stopwords="nl"`, optionally a Snowball stemmer if PyStemmer is installed), measured as BM25-only
recall@5 / MRR@10 on the questions of both corpora (issue 14: keep bm25s's own only where it
measures at least as well).

    python evals/bm25_tokenizers.py --index indexes --realdocs-index /path/to/realdocs-index [--split dev]

Reads built indexes (their passages); builds small in-memory BM25 indexes; embeds nothing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import bm25s
import numpy as np

from assistant.evals.matching import normalize
from assistant.index import Index
from assistant.settings import ROOT, Settings
from assistant.text import tokenize

Q = ROOT / "evals" / "questions.jsonl"


def ours(texts: list[str]) -> list[list[str]]:
    return [tokenize(t) for t in texts]


def bm25s_dutch(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords="nl", return_ids=False, show_progress=False)


def ours_with_dutch_stopwords(texts: list[str]) -> list[list[str]]:
    stop = set(bm25s.stopwords.STOPWORDS_DUTCH)
    return [[t for t in tokenize(x) if t not in stop] for x in texts]


TOKENIZERS = {"ours": ours, "bm25s nl": bm25s_dutch, "ours + bm25s nl stopwords": ours_with_dutch_stopwords}


def measure(index_dir: Path, questions: list[dict]) -> dict[str, tuple[float, float, int]]:
    idx = Index.open(Settings.load(index_dir=index_dir))
    passages = list(idx.passages.values())
    texts = [p.embed_text() for p in passages]
    norm = [normalize(p.text) for p in passages]
    out = {}
    for name, tok in TOKENIZERS.items():
        model = bm25s.BM25()
        model.index(tok(texts), show_progress=False)
        r5 = mrr = n = 0
        for q in questions:
            spans = [normalize(g["span"]) for g in q["gold"]]
            relevant = {i for i, t in enumerate(norm) if any(s in t for s in spans)}
            if not relevant:
                continue  # the metric is undefined here (as in the suite)
            query = tok([q["question"]])[0]
            if not query:
                n += 1
                continue
            scores = model.get_scores(query)
            order = np.argsort(-scores, kind="stable")[:10]
            ranks = [r for r, i in enumerate(order) if i in relevant]
            n += 1
            r5 += bool(ranks and ranks[0] < 5)
            mrr += 1 / (ranks[0] + 1) if ranks else 0
        out[name] = (round(r5 / max(n, 1), 3), round(mrr / max(n, 1), 3), n)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default=str(ROOT / "indexes"))
    ap.add_argument("--realdocs-index")
    ap.add_argument("--split", default="dev")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in Q.read_text().splitlines() if line.strip()]
    asked = [r for r in rows if r.get("answerable") and r["split"] == args.split]
    print(f"BM25 only, {args.split} split: recall@5 / MRR@10 (questions)")
    corpora = [("seed", args.index, [r for r in asked if r.get("corpus", "seed") == "seed"])]
    if args.realdocs_index:
        corpora.append(("realdocs", args.realdocs_index, [r for r in asked if r.get("corpus") == "realdocs"]))
    for corpus, index_dir, qs in corpora:
        for name, (r5, mrr, n) in measure(Path(index_dir), qs).items():
            print(f"  {corpus:9s} {name:28s} {r5:.3f} / {mrr:.3f}  ({n})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
