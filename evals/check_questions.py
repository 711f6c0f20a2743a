#!/usr/bin/env python3
"""Validate the evaluation question set for the Raadsassistent Jeugd.

Stand-alone, stdlib only.

    python evals/check_questions.py [path/to/questions.jsonl]

prints the number of questions per type and split, lists every problem found
and exits with status 1 if there is at least one problem.

Span matching: a gold ``span`` must occur in its document after
``normalize`` (NFKC, lowercase, drop every character that is not a letter or
digit), so whitespace, line breaks, hyphens and punctuation are ignored.

Fact matching (used by the evaluation, mirrored here as a sanity check):
each fact is a ``|``-separated list of variants; a variant matches an answer
case-insensitively as a substring after whitespace normalisation.  Because the
answerer is extractive, at least one variant of every fact must occur in the
(whitespace-normalised) text of one of the question's gold documents.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # `python evals/check_questions.py` from a checkout
    sys.path.insert(0, str(HERE.parent))

from assistant.evals.matching import (
    fact_matches,
    fact_variants,
    normalize,
    normalize_ws,
)

DEFAULT_QUESTIONS = HERE / "questions.jsonl"
DEFAULT_CORPUS = HERE.parent / "corpus"

TYPES = (
    "fact",
    "paraphrase",
    "motion",
    "measure",
    "timeline",
    "multi",
    "ocr",
    "unanswerable",
)
SPLITS = ("dev", "test")

MIN_COUNTS = {
    "fact": 14,
    "paraphrase": 12,
    "motion": 10,
    "measure": 10,
    "timeline": 8,
    "multi": 6,
    "ocr": 10,
    "unanswerable": 14,
}
MIN_TOTAL = 90
# minimum number of (answerable) questions with gold evidence in a document
MIN_PER_DOC = {
    "webpagina-jeugdhulp": 3,
    "informatieblad-raadslid": 5,
    "actieplan-2019": 1,
    "raadsbesluit-2024-086688": 1,
    "update-actieplan-2022": 1,
}
MAX_SPAN_WORDS = 30
REQUIRED_FIELDS = ("id", "question", "type", "split", "gold", "facts", "answerable")


def _load_jsonl(path: Path, problems: list[str]) -> list[dict]:
    items: list[dict] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        problems.append(f"cannot read {path}: {exc}")
        return items
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {lineno}: invalid JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"line {lineno}: not a JSON object")
            continue
        obj["_line"] = lineno
        items.append(obj)
    return items


class _Corpus:
    def __init__(self, corpus_dir: Path):
        self.dir = corpus_dir
        self._raw: dict[str, str | None] = {}

    def raw(self, doc_id: str) -> str | None:
        if doc_id not in self._raw:
            p = self.dir / f"{doc_id}.txt"
            self._raw[doc_id] = p.read_text(encoding="utf-8") if p.is_file() else None
        return self._raw[doc_id]

    def norm(self, doc_id: str) -> str | None:
        raw = self.raw(doc_id)
        return None if raw is None else normalize(raw)

    def ws(self, doc_id: str) -> str | None:
        raw = self.raw(doc_id)
        return None if raw is None else normalize_ws(raw)


def check(
    path: str | Path = DEFAULT_QUESTIONS,
    corpus_dir: str | Path | None = None,
    min_counts: dict[str, int] | None = None,
    min_total: int | None = None,
    min_per_doc: dict[str, int] | None = None,
) -> list[str]:
    """Return a list of human-readable problems (empty list = all good).

    ``min_counts``/``min_total``/``min_per_doc`` default to the coverage
    requirements of the real question set; pass ``{}``/``0`` to check only the
    per-question rules (useful for small test sets).
    """
    path = Path(path)
    corpus = _Corpus(Path(corpus_dir) if corpus_dir else DEFAULT_CORPUS)
    min_counts = MIN_COUNTS if min_counts is None else min_counts
    min_total = MIN_TOTAL if min_total is None else min_total
    min_per_doc = MIN_PER_DOC if min_per_doc is None else min_per_doc

    problems: list[str] = []
    items = _load_jsonl(path, problems)

    seen_ids: dict[str, int] = {}
    type_counts: Counter = Counter()
    type_split: Counter = Counter()
    doc_counts: Counter = Counter()

    for q in items:
        ln = q["_line"]
        qid = q.get("id")
        tag = f"line {ln} ({qid})"

        missing = [f for f in REQUIRED_FIELDS if f not in q]
        if missing:
            problems.append(f"{tag}: missing field(s) {', '.join(missing)}")

        if not isinstance(qid, str) or not qid:
            problems.append(f"{tag}: id missing or not a string")
        elif qid in seen_ids:
            problems.append(f"{tag}: duplicate id {qid!r} (first on line {seen_ids[qid]})")
        else:
            seen_ids[qid] = ln

        question = q.get("question")
        if not isinstance(question, str) or not question.strip():
            problems.append(f"{tag}: empty question")

        qtype = q.get("type")
        if qtype not in TYPES:
            problems.append(f"{tag}: unknown type {qtype!r}")
        split = q.get("split")
        if split not in SPLITS:
            problems.append(f"{tag}: unknown split {split!r}")
        type_counts[qtype] += 1
        type_split[(qtype, split)] += 1

        answerable = q.get("answerable")
        if not isinstance(answerable, bool):
            problems.append(f"{tag}: answerable must be true or false")
        gold = q.get("gold", [])
        facts = q.get("facts", [])
        if not isinstance(gold, list):
            problems.append(f"{tag}: gold must be a list")
            gold = []
        if not isinstance(facts, list):
            problems.append(f"{tag}: facts must be a list")
            facts = []

        if qtype == "unanswerable" and answerable is not False:
            problems.append(f"{tag}: type unanswerable but answerable is not false")
        if answerable is False and qtype != "unanswerable":
            problems.append(f"{tag}: answerable false but type is {qtype!r}")

        if answerable is False:
            if gold:
                problems.append(f"{tag}: unanswerable question has gold evidence")
            if facts:
                problems.append(f"{tag}: unanswerable question has facts")
        elif answerable is True:
            if not gold:
                problems.append(f"{tag}: answerable question without gold")
            elif len(gold) > 3:
                problems.append(f"{tag}: more than 3 gold items")
            if not facts:
                problems.append(f"{tag}: answerable question without facts")
            elif len(facts) > 3:
                problems.append(f"{tag}: more than 3 facts")

        gold_docs: list[str] = []
        for i, g in enumerate(gold):
            if not isinstance(g, dict):
                problems.append(f"{tag}: gold[{i}] is not an object")
                continue
            doc_id, span = g.get("doc_id"), g.get("span")
            if not isinstance(doc_id, str) or not doc_id:
                problems.append(f"{tag}: gold[{i}] without doc_id")
                continue
            doc_norm = corpus.norm(doc_id)
            if doc_norm is None:
                problems.append(f"{tag}: gold[{i}] document {doc_id!r} not found in {corpus.dir}")
                continue
            gold_docs.append(doc_id)
            if not isinstance(span, str) or not normalize(span):
                problems.append(f"{tag}: gold[{i}] empty span")
                continue
            if normalize(span) not in doc_norm:
                problems.append(f"{tag}: gold[{i}] span not found in {doc_id}: {span!r}")
            if len(span.split()) > MAX_SPAN_WORDS:
                problems.append(
                    f"{tag}: gold[{i}] span has {len(span.split())} words (max {MAX_SPAN_WORDS})"
                )
        for d in set(gold_docs):
            doc_counts[d] += 1

        if qtype == "timeline" and answerable is True and len(set(gold_docs)) < 2:
            problems.append(f"{tag}: timeline question needs gold in at least 2 documents")

        for j, fact in enumerate(facts):
            if not isinstance(fact, str) or not fact_variants(fact):
                problems.append(f"{tag}: facts[{j}] empty or not a string")
                continue
            if gold_docs and not any(
                fact_matches(fact, corpus.ws(d) or "") for d in set(gold_docs)
            ):
                problems.append(
                    f"{tag}: facts[{j}] {fact!r}: no variant occurs verbatim in a gold document"
                )

        hist = q.get("history")
        if hist is not None:
            if not (
                isinstance(hist, list)
                and hist
                and all(
                    isinstance(h, dict)
                    and h.get("role") in ("user", "assistant")
                    and isinstance(h.get("content"), str)
                    for h in hist
                )
            ):
                problems.append(f"{tag}: malformed history")

    total = len(items)
    if total < min_total:
        problems.append(f"only {total} questions (minimum {min_total})")
    for t, n in min_counts.items():
        if type_counts[t] < n:
            problems.append(f"type {t!r}: {type_counts[t]} questions (minimum {n})")
        if n and (type_split[(t, "dev")] == 0 or type_split[(t, "test")] == 0):
            problems.append(f"type {t!r} must have both dev and test questions")
    for d, n in min_per_doc.items():
        if doc_counts[d] < n:
            problems.append(f"document {d!r}: {doc_counts[d]} questions (minimum {n})")
    return problems


def summary(path: str | Path = DEFAULT_QUESTIONS) -> str:
    items = _load_jsonl(Path(path), [])
    types = Counter(q.get("type") for q in items)
    ts = Counter((q.get("type"), q.get("split")) for q in items)
    splits = Counter(q.get("split") for q in items)
    docs: Counter = Counter()
    for q in items:
        gold = q.get("gold") if isinstance(q.get("gold"), list) else []
        docs.update({g.get("doc_id") for g in gold if isinstance(g, dict)})
    out = [f"{'type':<14}{'total':>6}{'dev':>6}{'test':>6}"]
    for t in TYPES:
        out.append(f"{t:<14}{types[t]:>6}{ts[(t, 'dev')]:>6}{ts[(t, 'test')]:>6}")
    out.append(f"{'TOTAL':<14}{len(items):>6}{splits['dev']:>6}{splits['test']:>6}")
    out.append("questions with gold per document:")
    for d, n in sorted(docs.items()):
        out.append(f"  {d:<28}{n:>4}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_QUESTIONS
    print(summary(path))
    problems = check(path)
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("\nno problems")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
