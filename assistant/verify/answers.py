"""Answer-level faithfulness: every sentence of an answer checked against the passages it cites.

`check_answer` splits an answer into sentences, reads each sentence's markers and checks it against
the union of the passages it cites (a sentence citing several passages is also supported when one
of them supports it, or when each of its clauses - split at ";", "en", "maar" - is supported by
the union). A sentence without a marker, or with a marker of an unknown passage, is not supported.
Connecting phrases ("Volgens <titel> (<datum>):") and heading lines are allowed without a citation
when `allow_prefix` accepts them (`assistant.verify.attribution`); they are returned with
`is_claim=False` and do not count for `faithfulness`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..text import MARKER, MARKER_RE, split_sentences, strip_citations
from .analysis import analyse
from .attribution import default_allow_prefix, titles_filter
from .judge import Support, check

_TRAILING_MARKERS = re.compile(rf"([.!?])(\s*)((?:{MARKER}\s*)*{MARKER})")
_CLAUSE_SPLIT = re.compile(r"\s*(?:;|,?\s+(?:en|maar|terwijl)\s+)\s*")


@dataclass(frozen=True)
class SentenceCheck:
    sentence: str  # as written in the answer, markers included
    citations: list[int]
    support: Support
    start: int  # offsets of `sentence` in the answer
    end: int
    is_claim: bool = True  # False for an allowed connecting phrase or heading (not counted)


def check_answer(
    answer: str, passages: dict[int, str], allow_prefix: Callable[[str], bool] | None = None, titles: Iterable[str] | None = None
) -> list[SentenceCheck]:
    """Check every sentence of `answer` against the union of the passages it cites.

    A sentence without a marker is unsupported ("geen bronvermelding"); a marker n not in `passages`
    makes it unsupported ("bron [n] bestaat niet"). A connecting phrase ending in ':' at the start of
    a line, or a whole line without markers, is allowed without a citation when `allow_prefix`
    accepts it; it is returned with `is_claim=False`. Without `allow_prefix` the default is
    `titles_filter(titles)` when document `titles` are given (e.g. `Index.documents[d]["title"]`),
    else `default_allow_prefix` (the generic "Volgens <Titel> (<datum>):" pattern only).
    """
    allow = allow_prefix or (titles_filter(titles) if titles else default_allow_prefix)
    checks: list[SentenceCheck] = []
    answer = answer or ""
    for line_start, line_end in _lines(answer):
        line = answer[line_start:line_end]
        cut = _allowed_prefix_end(line, allow)
        if cut is None and not MARKER_RE.search(line) and _safe_allow(allow, line.strip()):
            cut = len(line)
        if cut:
            checks.append(
                SentenceCheck(
                    line[:cut].strip(), [], Support(True, 1.0, ()), line_start, line_start + len(line[:cut].rstrip()), False
                )
            )
        rest_start = line_start + (cut or 0)
        rest = answer[rest_start:line_end]
        moved = _TRAILING_MARKERS.sub(lambda m: m.group(2) + m.group(3) + m.group(1), rest)
        for s, e in split_sentences(moved):
            raw = rest[s:e]
            if not raw.strip() or not re.search(r"\w", raw):
                continue
            checks.append(_check_sentence(raw, rest_start + s, rest_start + e, passages))
    return checks


def faithfulness(checks: list[SentenceCheck]) -> float | None:
    """Share of the answer's claim sentences that are supported; None when there are none."""
    claims = [c for c in checks if c.is_claim]
    if not claims:
        return None
    return sum(c.support.supported for c in claims) / len(claims)


def _check_sentence(raw: str, start: int, end: int, passages: dict[int, str]) -> SentenceCheck:
    text, cited = strip_citations(raw)
    if not cited:
        return SentenceCheck(raw, [], Support(False, 0.0, ("geen bronvermelding",)), start, end)
    known = [n for n in cited if n in passages]
    unknown = [n for n in cited if n not in passages]
    if known:
        texts = [str(passages[n] or "") for n in known]
        support = check(text, "\n".join(texts))
        if not support.supported and len(known) > 1:
            support = _check_across(text, texts) or support
    else:
        support = Support(False, 0.0, ())
    if unknown:
        support = Support(False, support.score, tuple(f"bron [{n}] bestaat niet" for n in unknown) + support.reasons)
    return SentenceCheck(raw, cited, support, start, end)


def _check_across(text: str, texts: list[str]) -> Support | None:
    """A sentence citing several passages: supported when one passage carries it, or when each of its
    clauses ("…; …", "… en …") is supported by the cited passages."""
    for passage in texts:
        single = check(text, passage)
        if single.supported:
            return single
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c.strip()]
    if len(clauses) < 2:
        return None
    union = "\n".join(texts)
    results = []
    for clause in clauses:
        sub = analyse(clause)
        if len(sub.words) + len(sub.numbers) < 2:
            return None  # "preventie en jeugdhulp": a list, not two clauses
        results.append(check(clause, union))
    if all(r.supported for r in results):
        return Support(True, round(min(r.score for r in results), 3), ())
    return None


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
        pos += len(line) + 1
    return out


def _safe_allow(allow: Callable[[str], bool], text: str) -> bool:
    try:
        return bool(allow(text))
    except Exception:  # a caller's predicate must not break checking
        return False


def _allowed_prefix_end(line: str, allow: Callable[[str], bool]) -> int | None:
    """End offset of the longest allowed connecting phrase ending in ':' at the start of `line`."""
    best = None
    for m in re.finditer(":", line[:300]):
        prefix = line[: m.end()]
        if MARKER_RE.search(prefix):
            break
        if _safe_allow(allow, prefix.strip()):
            best = m.end()
    return best
