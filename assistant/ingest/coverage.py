"""How much of a document's text reaches its passages: word 4-gram coverage.

Reference: the cleaned page text, block by block (page furniture and table-of-contents lines are
already out of it). A 4-gram is covered when it occurs in the passage text of its page, read as one
stream where consecutive passages touch, so a gram that straddles a passage cut still counts. Short
headings (at most MAX_TITLE_WORDS words) count as covered: they live on in `section_title`; longer
ones must be in the passage text too (text that survives only in a section title can be neither
found nor quoted: the numbered-item bug of issue 10).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Passage
from ..text import normalize
from .chunk import MAX_TITLE_WORDS, Page

N = 4
LOW = 0.95  # below this an ingest names the document in its summary


@dataclass
class Coverage:
    coverage: float  # share of the reference 4-grams found in passage text (1.0 when there is no text)
    grams: int  # reference 4-grams
    missing: list[str] = field(default_factory=list)  # a few uncovered stretches, for debugging

    def to_dict(self) -> dict:
        return {"coverage": round(self.coverage, 4), "grams": self.grams, "missing": self.missing[:5]}


def coverage(pages: Sequence[Page], passages: Iterable[Passage]) -> Coverage:
    by_page: dict[int | None, list[Passage]] = {}
    for p in passages:
        by_page.setdefault(p.page, []).append(p)
    total = found = 0
    missing: list[str] = []
    for page in pages:
        have = _passage_grams(page.cleaned.text, by_page.get(page.number, []))
        for block in page.cleaned.blocks:
            words = _words(block.text)
            grams = _grams(words)
            total += len(grams)
            if block.kind == "heading" and len(block.text.split()) <= MAX_TITLE_WORDS:
                found += len(grams)
                continue
            hits = [g in have for g in grams]
            found += sum(hits)
            if not all(hits) and len(missing) < 20:
                first = hits.index(False)
                missing.append(" ".join(words[first : first + N + 8]))
    return Coverage(found / total if total else 1.0, total, missing)


def _words(text: str) -> list[str]:
    # Hyphens and punctuation do not make a word different ("Wlz-indicatie" ~ "Wlzindicatie").
    return [w for w in ("".join(ch for ch in t if ch.isalnum()) for t in normalize(text).split()) if w]


def _grams(words: list[str]) -> list[tuple[str, ...]]:
    if not words:
        return []
    if len(words) < N:
        return [tuple(words)]
    return [tuple(words[i : i + N]) for i in range(len(words) - N + 1)]


def _passage_grams(page_text: str, passages: list[Passage]) -> set[tuple[str, ...]]:
    """All n-grams (n <= N) of the page's passages, consecutive passages joined where they touch."""
    streams: list[list[str]] = []
    end = None
    for p in sorted(passages, key=lambda p: p.start):
        words = _words(p.text)
        if streams and end is not None and not page_text[end : p.start].strip():
            streams[-1] += words
        else:
            streams.append(words)
        end = p.end
    have: set[tuple[str, ...]] = set()
    for ws in streams:
        for n in range(1, N + 1):
            have.update(tuple(ws[i : i + n]) for i in range(len(ws) - n + 1))
    return have


def document_report(pages: Sequence[Page], passages: Iterable[Passage], removed: list[str], number: str) -> dict:
    """What `assistant ingest --json` shows per document: coverage and the furniture left out."""
    return {**coverage(pages, passages).to_dict(), "removed": removed, "number": number}


def low_coverage(documents: dict[str, dict]) -> list[str]:
    """Documents (by id) whose text coverage is below LOW, from their manifest entries."""
    return sorted(d for d, meta in documents.items() if meta.get("layout", {}).get("coverage", 1.0) < LOW)
