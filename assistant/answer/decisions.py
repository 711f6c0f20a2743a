"""The decision points of a council decision ("besluit: 1. … a. … b. …"), for "Wat besloot …?".

A decision block starts at a line "besluit" / "besluiten" / "beslispunten" followed by a numbered or
lettered item, and runs to the closing formula ("Aldus vastgesteld …", "Dit besluit treedt …") or the
end of the passage; when the passage ends first, the block continues in the next passage of the
same document if that one starts with an item. The caller quotes the passage's own sentence units
inside the block, so every quoted unit is one the faithfulness checker knows.
"""

from __future__ import annotations

import re

from ..model import Passage
from .lead import best_first
from .lists import unwrap

HEADER = re.compile(
    r"(?im)(?:^|\n)[ \t]*((?:het college |de raad |de gemeenteraad )?(?:besluit|besluiten|beslispunten|besluitpunten|"
    r"heeft besloten|besluit tot)\s*:?)(?=\s+(?:\d{1,2}[.)]|[IVX]{1,4}[.)]|[a-h][.)]|[•▪-])\s)"
)
CLOSING = re.compile(
    r"(?im)^[ \t]*(?:aldus (?:vastgesteld|besloten)|dit besluit treedt|ondertekening|de griffier|"
    r"de voorzitter|gedaan (?:in|te) )"
)
# A unit that is only the header and the first enumerator ("besluit 1."): nothing to quote on its own.
BARE_HEADER = re.compile(r"^\s*(?:\w+\s+){0,2}(?:besluit|besluiten|beslispunten|besluitpunten)\s*:?\s*(?:\d{1,2}[.)])?\s*$", re.I)
STARTS_WITH_ITEM = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-h])[.)]\s")


def _block_end(text: str, start: int) -> tuple[int, bool]:
    """(end offset of the block in `text`, whether the closing formula was reached)."""
    m = CLOSING.search(text, start)
    return (m.start(), True) if m else (len(text), False)


def decision_block(passage: Passage, following: list[Passage]) -> list[tuple[Passage, tuple[int, int]]]:
    """[(passage, (start, end))] of the decision block that starts in `passage`, or [] when none does.
    `following` are the next passages of the same document, in reading order."""
    m = HEADER.search(passage.text)
    if not m:
        return []
    start = m.start(1)
    end, closed = _block_end(passage.text, start)
    out = [(passage, (start, end))]
    for nxt in following[:2]:
        if closed or not STARTS_WITH_ITEM.match(nxt.text):
            break
        end, closed = _block_end(nxt.text, 0)
        out.append((nxt, (0, end)))
    return [(p, (s, e)) for p, (s, e) in out if p.text[s:e].strip()]


def decision_units(text: str, start: int, end: int, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence units of `text` inside the block (start, end), a decision point whose line the page
    width wrapped joined again into one unit (`lists.unwrap`), without a bare header line."""
    inside = [u for u in units if u[1] > start and u[0] < end]
    return [u for u in unwrap(text, inside) if not BARE_HEADER.match(text[u[0] : u[1]])]


def point_first(passages: list[Passage], chosen: list[tuple], score) -> dict[int, tuple[int, int]] | None:
    """The decision point that `score` (text -> number) rates highest leads its passage when it beats the
    other points there (`lead.best_first`); None (reading order) without a `score` or a clear best."""
    if score is None:
        return None
    rated = [(x, x, i, u) for _, _, i, u in chosen for x in [score(passages[i].text[u[0] : u[1]])]]
    return best_first(sorted(rated, key=lambda c: -c[0]))
