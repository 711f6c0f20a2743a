"""The decision points of a council decision ("besluit: 1. … a. … b. …"), for "Wat besloot …?".

A decision block starts at a line "besluit" / "besluiten" / "beslispunten" followed by a numbered or
lettered item, and runs to the closing formula ("Aldus vastgesteld …", "Dit besluit treedt …") or the
end of the passage; when the passage ends first, the block continues in the next passage of the
same document if that one starts with an item. Each item is one cited unit.
"""

from __future__ import annotations

import re

from ..model import Passage

HEADER = re.compile(
    r"(?im)(?:^|\n)[ \t]*((?:het college |de raad |de gemeenteraad )?(?:besluit|besluiten|beslispunten|besluitpunten|"
    r"heeft besloten|besluit tot)\s*:?)(?=\s+(?:\d{1,2}[.)]|[IVX]{1,4}[.)]|[a-h][.)]|[•▪-])\s)"
)
ITEM_START = re.compile(r"(?:(?<=\s)|^)(?=(?:\d{1,2}|[IVX]{1,4}|[a-h])[.)]\s)")
CLOSING = re.compile(r"(?im)^[ \t]*(?:aldus (?:vastgesteld|besloten)|dit besluit treedt|ondertekening|de griffier|"
                     r"de voorzitter|gedaan (?:in|te) )")
STARTS_WITH_ITEM = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-h])[.)]\s")


def _item_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block text cut before every item marker; whitespace trimmed; empty pieces dropped."""
    cuts = [start] + [m.start() for m in ITEM_START.finditer(text, start, end) if m.start() > start] + [end]
    spans = []
    for s, e in zip(cuts, cuts[1:]):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def _block_end(text: str, start: int) -> tuple[int, bool]:
    """(end offset of the block in `text`, whether the closing formula was reached)."""
    m = CLOSING.search(text, start)
    return (m.start(), True) if m else (len(text), False)


def decision_units(passage: Passage, following: list[Passage]) -> list[tuple[Passage, list[tuple[int, int]]]]:
    """[(passage, unit spans)] of the decision block that starts in `passage`, or [] when none does.
    `following` are the next passages of the same document, in reading order."""
    m = HEADER.search(passage.text)
    if not m:
        return []
    start = m.start(1)
    end, closed = _block_end(passage.text, start)
    out = [(passage, _item_spans(passage.text, start, end))]
    for nxt in following[:2]:
        if closed or not STARTS_WITH_ITEM.match(nxt.text):
            break
        end, closed = _block_end(nxt.text, 0)
        out.append((nxt, _item_spans(nxt.text, 0, end)))
    return [(p, spans) for p, spans in out if spans]
