#!/usr/bin/env python3
"""Validate the evaluation question set for the Raadsassistent Jeugd.

Stand-alone: stdlib only for the bundled corpus; rows on the real documents
(``"corpus": "realdocs"``) need pypdf (and ``cryptography`` for the encrypted
PDFs) to read their gold documents.

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

Rows after the original 140 (and every unanswerable or realdocs row) carry
``expected_kind``: ``answer``, ``partial`` (subject discussed, asked detail
absent) or ``not_found`` (subject absent).  Their gold spans are 4-15 words.
Realdocs gold documents are the files of the realdocs folder (``REALDOCS_DIR``,
default ``../shared/realdocs`` next to the repository), ``doc_id`` = file name
without extension.  A scanned document without a text layer cannot be checked
mechanically: its rows must say ``"ocr": true`` (spans read from the page
images by hand) and only their form is checked.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # `python evals/check_questions.py` from a checkout
    sys.path.insert(0, str(HERE.parent))

from assistant.evals.matching import fact_matches, fact_variants, normalize, normalize_ws

DEFAULT_QUESTIONS = HERE / "questions.jsonl"
DEFAULT_CORPUS = HERE.parent / "corpus"
# The realdocs folder lives outside the repository (shared by the team); look next to the
# repository and next to its parent, because worktrees sit one level deeper than main.
REALDOCS_CANDIDATES = (HERE.parent.parent / "shared" / "realdocs", HERE.parent.parent.parent / "shared" / "realdocs")

TYPES = (
    "fact",
    "paraphrase",
    "motion",
    "measure",
    "timeline",
    "multi",
    "ocr",
    "unanswerable",
    # question types added with the everyday-question rows (issue 11)
    "decision",  # wat besloot de raad
    "who",  # persoon / organisatie
    "definition",
    "how",  # werkwijze
    "reason",  # waarom
    "list",
    "comparison",
)
SPLITS = ("dev", "test")
EXPECTED_KINDS = ("answer", "partial", "not_found")
CORPORA = ("seed", "realdocs")
# rows with a higher number are "new": expected_kind required, spans 4-15 words
LAST_OLD_ID = 140
NEW_SPAN_WORDS = (4, 15)
MIN_REALDOCS = 35
# per corpus, every kind must occur in both splits; overall at least this many per kind
MIN_KIND_COUNTS = {"partial": 20, "not_found": 20}
# fewer letters/digits than this in a document's text layer = scanned, no usable text
MIN_TEXT_CHARS = 50

MIN_COUNTS = {"fact": 14, "paraphrase": 12, "motion": 10, "measure": 10, "timeline": 8, "multi": 6, "ocr": 10, "unanswerable": 14}
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


def _row_number(qid: object) -> int | None:
    m = re.fullmatch(r"q(\d+)", qid) if isinstance(qid, str) else None
    return int(m.group(1)) if m else None


_PDF_CACHE: dict[tuple[str, float], str] = {}
# extracting the 155-page minutes takes 10-20 s on a shared CPU; keep the text between runs
PDF_CACHE_DIR = Path(tempfile.gettempdir()) / "check_questions_pdftext"


def read_pdf_text(path: Path) -> str:
    """Text layer of a PDF (pages joined by newlines); encrypted files are opened with "".

    Cached in memory and on disk (key: content hash and pypdf version).
    """
    key = (str(path), path.stat().st_mtime)
    if key in _PDF_CACHE:
        return _PDF_CACHE[key]
    from pypdf import PdfReader, __version__  # lazy: only realdocs rows need it

    digest = hashlib.sha1(path.read_bytes()).hexdigest()[:16]
    disk = PDF_CACHE_DIR / f"{path.stem}-{digest}-{__version__}.txt"
    if disk.is_file():
        text = disk.read_text(encoding="utf-8")
    else:
        logging.getLogger("pypdf").setLevel(logging.ERROR)  # noisy xref warnings
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        try:
            PDF_CACHE_DIR.mkdir(exist_ok=True)
            disk.write_text(text, encoding="utf-8")
        except OSError:
            pass  # a cache that cannot be written only costs time
    _PDF_CACHE[key] = text
    return text


def default_realdocs_dir() -> Path | None:
    env = os.environ.get("REALDOCS_DIR")
    if env:
        return Path(env)
    return next((p for p in REALDOCS_CANDIDATES if p.is_dir()), None)


class _Corpus:
    """Gold documents of one corpus: ``<doc_id>.txt`` / ``.md`` read directly, ``.pdf`` via pypdf."""

    def __init__(self, corpus_dir: Path | None):
        self.dir = corpus_dir
        self._raw: dict[str, str | None] = {}
        self._norm: dict[str, str | None] = {}
        self._ws: dict[str, str | None] = {}
        self.errors: dict[str, str] = {}

    def raw(self, doc_id: str) -> str | None:
        if doc_id not in self._raw:
            self._raw[doc_id] = self._read(doc_id)
        return self._raw[doc_id]

    def _read(self, doc_id: str) -> str | None:
        if self.dir is None:
            return None
        for ext in (".txt", ".md"):
            p = self.dir / f"{doc_id}{ext}"
            if p.is_file():
                return p.read_text(encoding="utf-8")
        p = self.dir / f"{doc_id}.pdf"
        if not p.is_file():
            return None
        try:
            return read_pdf_text(p)
        except Exception as exc:  # noqa: BLE001 -- missing pypdf/cryptography or a damaged file: report which
            self.errors[doc_id] = f"{type(exc).__name__}: {exc}"
            return None

    def has_text(self, doc_id: str) -> bool:
        return len(self.norm(doc_id) or "") >= MIN_TEXT_CHARS

    def norm(self, doc_id: str) -> str | None:
        # cached: every gold item asks again, and the realdocs minutes run to 550k characters
        if doc_id not in self._norm:
            raw = self.raw(doc_id)
            self._norm[doc_id] = None if raw is None else normalize(raw)
        return self._norm[doc_id]

    def ws(self, doc_id: str) -> str | None:
        if doc_id not in self._ws:
            raw = self.raw(doc_id)
            self._ws[doc_id] = None if raw is None else normalize_ws(raw)
        return self._ws[doc_id]


def _corpus_of(q: dict) -> str:
    return q.get("corpus", "seed")


def _is_new(q: dict) -> bool:
    n = _row_number(q.get("id"))
    return n is not None and n > LAST_OLD_ID


def _check_kind(q: dict, tag: str, problems: list[str]) -> None:
    """corpus, expected_kind and ocr: values valid and consistent with ``answerable``."""
    corpus = q.get("corpus", "seed")
    if corpus not in CORPORA:
        problems.append(f"{tag}: unknown corpus {corpus!r}")
    kind = q.get("expected_kind")
    answerable = q.get("answerable")
    if kind is None:
        if answerable is False or _is_new(q) or corpus == "realdocs":
            problems.append(f"{tag}: missing expected_kind (answer, partial or not_found)")
    elif kind not in EXPECTED_KINDS:
        problems.append(f"{tag}: unknown expected_kind {kind!r}")
    elif (kind == "answer") != (answerable is True):
        problems.append(f"{tag}: expected_kind {kind!r} contradicts answerable={answerable!r}")
    ocr = q.get("ocr")
    if ocr is not None and (not isinstance(ocr, bool) or corpus != "realdocs"):
        problems.append(f"{tag}: ocr must be true/false and only on realdocs rows")


def _check_gold(q, tag, corpus: _Corpus, problems) -> list[str]:
    """Every gold item names a document of its corpus and a span that occurs in it.

    Returns the doc_ids of the gold items whose text could be checked.
    """
    gold_docs: list[str] = []
    lo, hi = NEW_SPAN_WORDS if _is_new(q) else (1, MAX_SPAN_WORDS)
    for i, g in enumerate(q.get("gold") or []):
        if not isinstance(g, dict):
            problems.append(f"{tag}: gold[{i}] is not an object")
            continue
        doc_id, span = g.get("doc_id"), g.get("span")
        if not isinstance(doc_id, str) or not doc_id:
            problems.append(f"{tag}: gold[{i}] without doc_id")
            continue
        if not isinstance(span, str) or not normalize(span):
            problems.append(f"{tag}: gold[{i}] empty span")
            continue
        n_words = len(span.split())
        if not lo <= n_words <= hi:
            problems.append(f"{tag}: gold[{i}] span has {n_words} words (allowed {lo}-{hi})")
        doc_norm = corpus.norm(doc_id)
        if doc_norm is None:
            why = corpus.errors.get(doc_id, "not found")
            problems.append(f"{tag}: gold[{i}] document {doc_id!r} {why} in {corpus.dir}")
            continue
        if not corpus.has_text(doc_id):
            # scanned page images: the span was read by hand, nothing to match it against
            if q.get("ocr") is not True:
                problems.append(f'{tag}: gold[{i}] {doc_id!r} has no text layer; mark the row "ocr": true')
            continue
        gold_docs.append(doc_id)
        if normalize(span) not in doc_norm:
            problems.append(f"{tag}: gold[{i}] span not found in {doc_id}: {span!r}")
    return gold_docs


def _check_row(q: dict, corpora: dict[str, _Corpus], problems: list[str]) -> list[str]:
    """Per-question rules; returns the gold documents (for the per-document minima)."""
    qid = q.get("id")
    tag = f"line {q['_line']} ({qid})"
    missing = [f for f in REQUIRED_FIELDS if f not in q]
    if missing:
        problems.append(f"{tag}: missing field(s) {', '.join(missing)}")
    question = q.get("question")
    if not isinstance(question, str) or not question.strip():
        problems.append(f"{tag}: empty question")
    qtype = q.get("type")
    if qtype not in TYPES:
        problems.append(f"{tag}: unknown type {qtype!r}")
    if q.get("split") not in SPLITS:
        problems.append(f"{tag}: unknown split {q.get('split')!r}")
    _check_kind(q, tag, problems)

    answerable = q.get("answerable")
    if not isinstance(answerable, bool):
        problems.append(f"{tag}: answerable must be true or false")
    gold, facts = q.get("gold", []), q.get("facts", [])
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

    corpus = corpora.get(_corpus_of(q), corpora["seed"])
    gold_docs = _check_gold(q, tag, corpus, problems)
    if qtype == "timeline" and answerable is True and len({g.get("doc_id") for g in gold if isinstance(g, dict)}) < 2:
        problems.append(f"{tag}: timeline question needs gold in at least 2 documents")

    for j, fact in enumerate(facts):
        if not isinstance(fact, str) or not fact_variants(fact):
            problems.append(f"{tag}: facts[{j}] empty or not a string")
            continue
        if gold_docs and not any(fact_matches(fact, corpus.ws(d) or "") for d in set(gold_docs)):
            problems.append(f"{tag}: facts[{j}] {fact!r}: no variant occurs verbatim in a gold document")

    hist = q.get("history")
    if hist is not None and not (
        isinstance(hist, list)
        and hist
        and all(
            isinstance(h, dict) and h.get("role") in ("user", "assistant") and isinstance(h.get("content"), str) for h in hist
        )
    ):
        problems.append(f"{tag}: malformed history")
    return gold_docs


def _check_coverage(items, doc_counts, min_counts, min_total, min_per_doc, min_realdocs, min_kinds):
    problems: list[str] = []
    type_counts = Counter(q.get("type") for q in items)
    type_split = Counter((q.get("type"), q.get("split")) for q in items)
    if len(items) < min_total:
        problems.append(f"only {len(items)} questions (minimum {min_total})")
    for t, n in min_counts.items():
        if type_counts[t] < n:
            problems.append(f"type {t!r}: {type_counts[t]} questions (minimum {n})")
        if n and (type_split[(t, "dev")] == 0 or type_split[(t, "test")] == 0):
            problems.append(f"type {t!r} must have both dev and test questions")
    for d, n in min_per_doc.items():
        if doc_counts[d] < n:
            problems.append(f"document {d!r}: {doc_counts[d]} questions (minimum {n})")
    n_real = sum(_corpus_of(q) == "realdocs" for q in items)
    if n_real < min_realdocs:
        problems.append(f"only {n_real} realdocs questions (minimum {min_realdocs})")
    kinds = Counter(q.get("expected_kind") for q in items)
    for k, n in min_kinds.items():
        if kinds[k] < n:
            problems.append(f"expected_kind {k!r}: {kinds[k]} questions (minimum {n})")
        for c in {_corpus_of(q) for q in items}:
            for s in SPLITS:
                if min_kinds and not any(
                    _corpus_of(q) == c and q.get("expected_kind") == k and q.get("split") == s for q in items
                ):
                    problems.append(f"corpus {c!r} has no {k!r} question in split {s!r}")
    return problems


def check(
    path: str | Path = DEFAULT_QUESTIONS,
    corpus_dir: str | Path | None = None,
    min_counts: dict[str, int] | None = None,
    min_total: int | None = None,
    min_per_doc: dict[str, int] | None = None,
    realdocs_dir: str | Path | None = None,
    min_realdocs: int | None = None,
    min_kinds: dict[str, int] | None = None,
) -> list[str]:
    """Return a list of human-readable problems (empty list = all good).

    The ``min_*`` arguments default to the coverage requirements of the real
    question set; pass ``{}``/``0`` to check only the per-question rules (useful
    for small test sets).
    """
    path = Path(path)
    real = Path(realdocs_dir) if realdocs_dir else default_realdocs_dir()
    corpora = {"seed": _Corpus(Path(corpus_dir) if corpus_dir else DEFAULT_CORPUS), "realdocs": _Corpus(real)}
    min_counts = MIN_COUNTS if min_counts is None else min_counts
    min_total = MIN_TOTAL if min_total is None else min_total
    min_per_doc = MIN_PER_DOC if min_per_doc is None else min_per_doc
    min_realdocs = MIN_REALDOCS if min_realdocs is None else min_realdocs
    min_kinds = MIN_KIND_COUNTS if min_kinds is None else min_kinds

    problems: list[str] = []
    items = _load_jsonl(path, problems)
    if real is None and any(_corpus_of(q) == "realdocs" for q in items):
        problems.append("realdocs rows present but no realdocs folder found (set REALDOCS_DIR)")

    seen_ids: dict[str, int] = {}
    doc_counts: Counter = Counter()
    for q in items:
        qid = q.get("id")
        if not isinstance(qid, str) or not qid:
            problems.append(f"line {q['_line']} ({qid}): id missing or not a string")
        elif qid in seen_ids:
            problems.append(f"line {q['_line']} ({qid}): duplicate id {qid!r} (first on line {seen_ids[qid]})")
        else:
            seen_ids[qid] = q["_line"]
        for d in set(_check_row(q, corpora, problems)):
            doc_counts[d] += 1
    problems += _check_coverage(items, doc_counts, min_counts, min_total, min_per_doc, min_realdocs, min_kinds)
    return problems


def summary(path: str | Path = DEFAULT_QUESTIONS) -> str:
    """Counts per type x split, per corpus x expected kind x split, and gold documents."""
    items = _load_jsonl(Path(path), [])
    ts = Counter((q.get("type"), q.get("split")) for q in items)
    out = [f"{'type':<14}{'total':>6}{'dev':>6}{'test':>6}"]
    for t in TYPES:
        out.append(f"{t:<14}{ts[(t, 'dev')] + ts[(t, 'test')]:>6}{ts[(t, 'dev')]:>6}{ts[(t, 'test')]:>6}")
    splits = Counter(q.get("split") for q in items)
    out.append(f"{'TOTAL':<14}{len(items):>6}{splits['dev']:>6}{splits['test']:>6}")
    kinds = Counter(
        (_corpus_of(q), q.get("expected_kind") or ("answer" if q.get("answerable") else "?"), q.get("split")) for q in items
    )
    out.append(f"\n{'corpus':<10}{'kind':<11}{'dev':>5}{'test':>6}")
    for c in CORPORA:
        for k in EXPECTED_KINDS:
            out.append(f"{c:<10}{k:<11}{kinds[(c, k, 'dev')]:>5}{kinds[(c, k, 'test')]:>6}")
    docs: Counter = Counter()
    for q in items:
        gold = q.get("gold") if isinstance(q.get("gold"), list) else []
        docs.update({g.get("doc_id") for g in gold if isinstance(g, dict)})
    out.append("questions with gold per document:")
    for d, n in sorted(docs.items()):
        out.append(f"  {d:<66}{n:>4}")
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
