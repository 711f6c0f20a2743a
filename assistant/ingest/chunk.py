"""Cut cleaned pages into section-aware passages that fit the embedder's window.

Own code rather than llama-index's SentenceSplitter: that one counts tiktoken tokens (not the
embedder's), splits Dutch abbreviations as sentence ends, and knows nothing of numbered headings or
of table rows (a motion's name, number and status must stay in one passage).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..corpus import DocumentInfo
from ..model import Passage
from ..records import MOTION_ROW
from ..text import split_sentences
from .clean import Block, Cleaned

MIN_WORDS = 40  # a shorter tail is merged into the previous passage


@dataclass
class Page:
    number: int | None
    cleaned: Cleaned


class _Sections:
    """The heading path: numbered headings nest by depth, unnumbered ones under the deepest numbered."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, Block]] = []

    def push(self, block: Block) -> None:
        if block.number:
            level = block.number.count(".") + 1
            while self.stack and self.stack[-1][0] >= level:
                self.stack.pop()
            self.stack.append((level, block))
            return
        # An unnumbered heading that already has numbered children acts as a chapter: replace it.
        for i, (_, b) in enumerate(self.stack):
            if not b.number and any(x.number for _, x in self.stack[i + 1 :]):
                self.stack[i:] = [(self.stack[i][0], block)]
                return
        while self.stack and not self.stack[-1][1].number:
            self.stack.pop()
        level = self.stack[-1][0] + 1 if self.stack else 1
        self.stack.append((level, block))

    @property
    def number(self) -> str:
        return next((b.number for _, b in reversed(self.stack) if b.number), "")

    @property
    def path(self) -> str:
        return " > ".join(b.text for _, b in self.stack)


def chunk(
    doc: DocumentInfo,
    pages: list[Page],
    count_tokens: Callable[[str], int],
    chunk_words: int = 150,
    max_tokens: int = 480,
) -> list[Passage]:
    passages: list[Passage] = []
    sections = _Sections()
    for page in pages:
        buffer: list[Block] = []
        for block in page.cleaned.blocks:
            if block.kind == "heading":
                passages += _flush(doc, page, buffer, sections, chunk_words)
                buffer = []
                sections.push(block)
            else:
                buffer.append(block)
        passages += _flush(doc, page, buffer, sections, chunk_words)
    passages = [p for raw in passages for p in _fit(raw, count_tokens, max_tokens)]
    return _with_ids(passages)


def _flush(doc, page: Page, blocks: list[Block], sections: _Sections, chunk_words: int) -> list[Passage]:
    if not blocks:
        return []
    text = page.cleaned.text
    spans: list[tuple[int, int]] = []
    rows = [i for i, b in enumerate(blocks) if MOTION_ROW.search(b.text)]
    if len(rows) >= 2:
        # One passage per table row, so a motion's name, number and status stay together.
        if rows[0] > 0:
            spans += _pack(text, blocks[: rows[0]], chunk_words)
        for a, b in zip(rows, rows[1:] + [len(blocks)]):
            spans.append((blocks[a].start, blocks[b - 1].end))
    else:
        spans = _pack(text, blocks, chunk_words)
    return [
        Passage(
            id="",
            doc_id=doc.doc_id,
            title=doc.title,
            date=doc.date,
            kind=doc.kind,
            page=page.number,
            section=sections.number,
            section_title=sections.path,
            text=text[s:e],
            start=s,
            end=e,
        )
        for s, e in spans
        if text[s:e].strip()
    ]


def _pack(text: str, blocks: list[Block], chunk_words: int) -> list[tuple[int, int]]:
    """Greedily pack whole sentences into spans of about `chunk_words` words."""
    sentences = [(b.start + s, b.start + e) for b in blocks for s, e in split_sentences(text[b.start : b.end])]
    spans: list[tuple[int, int]] = []
    start = end = None
    words = 0
    for s, e in sentences:
        n = len(text[s:e].split())
        if start is not None and words + n > chunk_words:
            spans.append((start, end))
            start, words = None, 0
        if start is None:
            start = s
        end, words = e, words + n
    if start is not None:
        if spans and words < MIN_WORDS and _words(text, spans[-1]) + words <= chunk_words * 1.5:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _words(text: str, span: tuple[int, int]) -> int:
    return len(text[span[0] : span[1]].split())


def _fit(p: Passage, count_tokens: Callable[[str], int], max_tokens: int) -> list[Passage]:
    """Split a passage until its embedding text fits the model's window (never truncate)."""
    if count_tokens(p.embed_text()) <= max_tokens:
        return [p]
    rel = split_sentences(p.text)
    if len(rel) > 1:
        cut = rel[len(rel) // 2][0]
    else:  # one over-long sentence: cut between words
        spaces = [m.start() for m in re.finditer(r"\s+", p.text)]
        if not spaces:
            cut = len(p.text) // 2
        else:
            cut = spaces[len(spaces) // 2]
    left = _sub(p, 0, cut)
    right = _sub(p, cut, len(p.text))
    return [q for half in (left, right) if half.text for q in _fit(half, count_tokens, max_tokens)]


def _sub(p: Passage, s: int, e: int) -> Passage:
    while s < e and p.text[s].isspace():
        s += 1
    while e > s and p.text[e - 1].isspace():
        e -= 1
    return Passage(**{**p.__dict__, "text": p.text[s:e], "start": p.start + s, "end": p.start + e})


def _with_ids(passages: list[Passage]) -> list[Passage]:
    """Ids from content, so an unchanged passage keeps its id (and its embedding) across builds."""
    seen: dict[str, int] = {}
    for p in passages:
        digest = hashlib.sha1(f"{p.doc_id}\x00{p.page}\x00{p.section_title}\x00{p.text}".encode()).hexdigest()[:12]
        k = seen.get(digest, 0)
        seen[digest] = k + 1
        p.id = f"{p.doc_id}#{digest}" + (f"-{k}" if k else "")
    return passages
