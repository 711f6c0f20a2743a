"""Evaluation metrics, each a short pipeline of small steps with explicit inputs.

Every per-question metric returns a float in [0, 1] or None when it does not apply to the question
(RAGAS style): retrieval and answer metrics are undefined for unanswerable questions, refusal
accuracy is undefined for answerable ones, faithfulness is undefined for a refusal, citation metrics
are undefined for a system that does not cite. Aggregates (`mean_defined`) average over the questions
where the metric is defined and report how many those are; an aggregate over no question is None,
never 0.

Matching rules (`assistant.evals.matching`, shared with `evals/check_questions.py`):

* gold span in passage: ``normalize(span)`` (NFKC, lower case, letters and digits only) is a
  substring of ``normalize(passage text)``;
* fact in answer: some ``|``-separated variant occurs case-insensitively in the whitespace-normalised
  answer; citation markers ("[1]", "[1, 3]") are removed from the answer first, as they are not part
  of its text.

This module is pure (no assistant import): the faithfulness checker is passed in as functions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..text import MARKER
from .matching import fact_matches, normalize

K_VALUES = (1, 5, 10)
CITATION_MARKER = re.compile(rf"\s*{MARKER}")  # the one marker grammar: [1], [1, 3], [1;3], [1-3]


# ---- retrieval against gold spans ---------------------------------------------------------------


def gold_spans(gold: Iterable[dict]) -> list[str]:
    """Step 1: the normalised, non-empty gold spans of a question."""
    out = []
    for g in gold or []:
        span = normalize(str(g.get("span", ""))) if isinstance(g, dict) else ""
        if span and span not in out:
            out.append(span)
    return out


def is_hit(passage_text: str, spans: Sequence[str]) -> bool:
    """A passage is relevant when it contains any normalised gold span (`spans` already normalised)."""
    text = normalize(passage_text or "")
    return any(s in text for s in spans)


def relevance(ranked_texts: Sequence[str], spans: Sequence[str]) -> list[bool]:
    """Step 2: binary relevance of each retrieved passage, in rank order."""
    return [is_hit(t, spans) for t in ranked_texts]


def count_relevant(pool_normalized: Iterable[str], spans: Sequence[str]) -> int:
    """Step 3: how many distinct passages of the whole collection are relevant (texts pre-normalised)."""
    return sum(1 for t in pool_normalized if any(s in t for s in spans))


def recall_at_k(rels: Sequence[bool], k: int, n_relevant: int) -> float | None:
    """1.0 when a relevant passage is among the first k, else 0.0 (one relevant passage suffices:
    gold items of one question are mostly alternative evidence for the same fact).
    None when no passage of the collection contains a gold span (nothing can be found)."""
    if n_relevant <= 0:
        return None
    return 1.0 if any(rels[:k]) else 0.0


def mrr_at_k(rels: Sequence[bool], n_relevant: int, k: int = 10) -> float | None:
    """Reciprocal rank of the first relevant passage within the first k (0.0 if none)."""
    if n_relevant <= 0:
        return None
    for i, r in enumerate(rels[:k]):
        if r:
            return 1.0 / (i + 1)
    return 0.0


def dcg(rels: Sequence[bool], k: int) -> float:
    return sum(1.0 / math.log2(i + 2) for i, r in enumerate(rels[:k]) if r)


def ndcg_at_k(rels: Sequence[bool], n_relevant: int, k: int = 10) -> float | None:
    """Binary nDCG@k; the ideal ranking puts min(n_relevant, k) relevant passages on top."""
    if n_relevant <= 0:
        return None
    ideal = dcg([True] * min(n_relevant, k), k)
    return dcg(rels, k) / ideal


def gold_coverage_at_k(ranked_texts: Sequence[str], spans: Sequence[str], k: int = 10) -> float | None:
    """Share of the question's gold spans found in the first k passages (informative for multi and
    timeline questions, whose gold items are all needed)."""
    if not spans:
        return None
    top = [normalize(t) for t in ranked_texts[:k]]
    return sum(any(s in t for t in top) for s in spans) / len(spans)


def retrieval_metrics(
    answerable: bool, gold: Iterable[dict], ranked_texts: Sequence[str], pool_normalized: Sequence[str]
) -> dict[str, float | None]:
    """recall@1/5/10, mrr@10, ndcg@10 and gold_coverage@10 of one question; all None when the
    question is unanswerable or its gold spans occur in no passage of the system's collection."""
    names = [f"recall@{k}" for k in K_VALUES] + ["mrr@10", "ndcg@10", "gold_coverage@10"]
    if not answerable:
        return dict.fromkeys(names)
    spans = gold_spans(gold)
    n_rel = count_relevant(pool_normalized, spans) if spans else 0
    if n_rel == 0:
        return dict.fromkeys(names)
    rels = relevance(ranked_texts, spans)
    out: dict[str, float | None] = {f"recall@{k}": recall_at_k(rels, k, n_rel) for k in K_VALUES}
    out["mrr@10"] = mrr_at_k(rels, n_rel, 10)
    out["ndcg@10"] = ndcg_at_k(rels, n_rel, 10)
    out["gold_coverage@10"] = gold_coverage_at_k(ranked_texts, spans, 10)
    return out


# ---- answers ------------------------------------------------------------------------------------


def strip_markers(answer: str) -> str:
    """The answer text without citation markers."""
    return CITATION_MARKER.sub("", answer or "")


def fact_found(fact: str, answer: str) -> bool:
    """Some `|` variant of `fact` occurs (case-insensitive, whitespace-normalised) in the answer."""
    return fact_matches(fact, strip_markers(answer))


def missing_facts(facts: Sequence[str], answer: str) -> list[str]:
    return [f for f in facts if not fact_found(f, answer)]


def fact_accuracy(answerable: bool, answered: bool, facts: Sequence[str], answer: str) -> float | None:
    """1.0 when the question was answered and every fact matched; None for unanswerable questions
    (and for an answerable question without facts, which the question checker forbids)."""
    if not answerable or not facts:
        return None
    return 1.0 if answered and not missing_facts(facts, answer) else 0.0


def answered_rate(answerable: bool, answered: bool) -> float | None:
    return float(bool(answered)) if answerable else None


def refusal_accuracy(answerable: bool, answered: bool) -> float | None:
    """1.0 when an unanswerable question is refused; None for answerable questions."""
    return None if answerable else float(not answered)


# ---- the kind of response (answer / partial / not_found) ----------------------------------------

KINDS = ("answer", "partial", "not_found")
FIRST_MARKER = re.compile(MARKER)


def expected_kind(q: dict) -> str | None:
    """The question's `expected_kind`; answerable questions expect "answer"; None when an unanswerable
    question is not labelled (kind metrics are then undefined for it)."""
    kind = q.get("expected_kind")
    if kind in KINDS:
        return kind
    return "answer" if q.get("answerable") else None


def output_kind(kind: str, answered: bool) -> str:
    """The kind a system gave; a system without kinds answers or refuses (refusal = not_found)."""
    return kind if kind in KINDS else ("answer" if answered else "not_found")


def kind_accuracy(expected: str | None, predicted: str) -> float | None:
    return None if expected is None else float(expected == predicted)


def kind_recall(kind: str, expected: str | None, predicted: str) -> float | None:
    """For questions expecting `kind`: 1.0 when that kind was given (e.g. not-found correct)."""
    return None if expected != kind else float(predicted == kind)


def kind_precision(kind: str, expected: str | None, predicted: str) -> float | None:
    """For questions that were given `kind`: 1.0 when that kind was expected. For `not_found` this is the
    share of "Hierover staat niets in de documenten" that is true; a question the documents answer, told
    they say nothing about it, scores 0 here while kind accuracy already counted its `partial` as wrong."""
    return None if predicted != kind or expected is None else float(expected == kind)


def first_claim(answer: str, allow: Callable[[str], bool]) -> str:
    """The first cited sentence of an answer: the first line that is not framing, up to its first marker."""
    for line in (answer or "").splitlines():
        if not line.strip() or allow(line):
            continue
        m = FIRST_MARKER.search(line)
        return line[: m.start()] if m else line
    return ""


def first_sentence_fact(
    answerable: bool, answered: bool, facts: Sequence[str], answer: str, allow: Callable[[str], bool]
) -> float | None:
    """1.0 when the first sentence shown holds a fact of the question (answered answerable questions)."""
    if not answerable or not answered or not facts:
        return None
    first = first_claim(answer, allow)
    return float(any(fact_found(f, first) for f in facts))


def kind_confusion(pairs: Iterable[tuple[str | None, str]]) -> dict[str, dict[str, int]]:
    """{expected: {predicted: count}} over the questions with an expected kind."""
    table = {e: dict.fromkeys(KINDS, 0) for e in KINDS}
    for expected, predicted in pairs:
        if expected in table and predicted in table[expected]:
            table[expected][predicted] += 1
    return table


# ---- citations and faithfulness ----------------------------------------------------------------


def gold_cited(answerable: bool, answered: bool, cited_texts: Sequence[str] | None, gold: Iterable[dict]) -> float | None:
    """1.0 when some cited passage contains a gold span. None when the question is unanswerable, was
    refused, or the system does not cite (`cited_texts is None`); an answer without any citation
    scores 0.0."""
    if not answerable or not answered or cited_texts is None:
        return None
    spans = gold_spans(gold)
    if not spans:
        return None
    return 1.0 if any(is_hit(t, spans) for t in cited_texts) else 0.0


def sentences_per_citation(checks: Sequence[Any]) -> dict[int, list[str]]:
    """Step 1 of citation precision: the claim sentences that carry each marker n."""
    out: dict[int, list[str]] = {}
    for c in checks:
        if not getattr(c, "is_claim", True):
            continue
        for n in c.citations:
            out.setdefault(n, []).append(c.sentence)
    return out


def citation_precision(passages: dict[int, str], checks: Sequence[Any], support: Callable[[str, str], Any]) -> float | None:
    """Share of the answer's citations whose cited sentences are all supported by that passage
    (`support(sentence, passage).supported`, i.e. `assistant.verify.check`). A listed citation that no
    sentence refers to counts as imprecise. None when the answer has no citations."""
    if not passages:
        return None
    by_n = sentences_per_citation(checks)
    precise = 0
    for n, text in passages.items():
        sentences = by_n.get(n, [])
        if sentences and all(bool(support(s, text).supported) for s in sentences):
            precise += 1
    return precise / len(passages)


def faithfulness(answered: bool, checks: Sequence[Any] | None, score: Callable[[Sequence[Any]], float | None]):
    """Share of claim sentences supported by the passages they cite (`score` = verify.faithfulness);
    None for a refusal, for a system without citations (`checks is None`) and for an answer without
    claim sentences."""
    if not answered or checks is None:
        return None
    return score(checks)


def allow_volgens_prefix(text: str) -> bool:
    """The answerer's connecting lines "Volgens <titel> (<datum>):" carry no citation."""
    t = (text or "").strip()
    return t.startswith("Volgens ") and t.endswith(":")


# ---- aggregation --------------------------------------------------------------------------------


def mean_defined(values: Iterable[float | None]) -> tuple[float | None, int]:
    """(mean over the defined values, how many were defined); (None, 0) when none is defined."""
    vals = [float(v) for v in values if v is not None]
    return (sum(vals) / len(vals) if vals else None), len(vals)


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear interpolation between order statistics (numpy's default);
    None for no values."""
    vals = sorted(float(v) for v in values if v is not None)
    if not vals:
        return None
    if len(vals) == 1:
        return vals[0]
    pos = (len(vals) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def ratio(value: float | None, reference: float | None) -> float | None:
    """value / reference, None when either is undefined or the reference is 0."""
    if value is None or reference is None or reference == 0:
        return None
    return value / reference
