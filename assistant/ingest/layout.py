"""Text of one PDF page in reading order, with a safe fallback.

Measured on the letterhead and two-column files of the development corpus (see
`benchmarks/layout_order.py`): pypdf's plain extraction follows the content stream, which Word, XPP
and the KOOP pipeline write in reading order (body, then the letterhead column; left column, then
right column). `extraction_mode="layout"` puts side columns and the second column on the same
printed lines as the body (mixed lines) and spreads justified words apart, and a word-position
reading (`positioned_text`: fragments sorted by column, then top to bottom) cannot split what a
producer wrote as one run. So `page_text` uses plain extraction; `positioned_text` stays for the
measurement and for producers whose stream order is not the reading order.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def page_text(page, mode: str = "plain") -> str:
    """The page's text in `mode` ("plain", "layout" or "positions"); plain text when that raises."""
    if mode != "plain":
        try:
            return (positioned_text(page) if mode == "positions" else page.extract_text(extraction_mode="layout")) or ""
        except Exception as exc:  # the layout code of pypdf fails on odd fonts: never lose the page
            log.warning("layout-extractie mislukt, platte tekst gebruikt (layout extraction failed): %s", exc)
    return page.extract_text() or ""


def positioned_text(page) -> str:
    """Text fragments ordered by column (left/right half of the page), then from top to bottom."""
    frags: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # Text space to user space: the x/y of the text matrix, transformed by the current matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            frags.append((x, y, text))

    page.extract_text(visitor_text=visit)
    width = float(page.mediabox.width) or 595.0
    mid = width / 2
    # A fragment starting right of the middle belongs to the right column; lines are grouped by y.
    frags.sort(key=lambda f: (f[0] >= mid, -round(f[1] / 3), f[0]))
    lines: list[str] = []
    last_key = None
    for x, y, text in frags:
        key = (x >= mid, round(y / 3))
        piece = text.replace("\n", " ").strip()
        if key == last_key and lines:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
        last_key = key
    return "\n".join(lines)
