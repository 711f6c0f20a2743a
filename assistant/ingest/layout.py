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

import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


def page_text(page, mode: str = "plain") -> str:
    """The page's text in `mode` ("plain", "layout" or "positions"); plain text when that raises."""
    if mode != "plain":
        try:
            return (positioned_text(page) if mode == "positions" else page.extract_text(extraction_mode="layout")) or ""
        except Exception as exc:  # noqa: BLE001 - pypdf's layout code fails on odd fonts: never lose the page
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


# ---------------------------------------------------------------- page furniture

# Page numbers that need no repetition to be recognised (a one-page letter has them too).
_PAGE_NUMBER = re.compile(
    r"^(?:(?:pagina|page|blad|blz\.?)\s*\d{1,4}(?:\s*(?:van|of|/)\s*\d{1,4})?|\d{1,4}\s*/\s*\d{1,4}|[-–]\s*\d{1,4}\s*[-–])$",
    re.IGNORECASE,
)
_DOC_NUMBER = re.compile(r"\b(?:nr|no|nummer)\.?\s*\d[\d.]*\d\b|\b[A-Z]{2,}[/-]?\d{5,}\b|\b\d{5,}/\d+\b", re.IGNORECASE)
ZONE = 3  # lines looked at per round, from the top and from the bottom of each page
ROUNDS = 5  # a running header is at most a few lines deep
SCAN = 10  # a known furniture line is also removed within this many lines of a page edge (letterheads)


@dataclass
class Furniture:
    pages: list[str]  # page texts without their furniture lines
    removed: list[str] = field(default_factory=list)  # one example of every removed line form
    number: str = ""  # a document number found in the furniture, e.g. "OCW/10829082" or "nr. 1234"


def form(line: str) -> str:
    """A line's identity modulo digits and spacing: "Pagina 2 van 4" and "Pagina 3 van 4" are one form."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line.strip().lower()))


def strip_furniture(pages: list[str]) -> Furniture:
    """Remove running headers, footers and page numbers: lines of the same form that recur at the top
    or bottom of at least half of the pages (at least two), plus page-number lines on any page."""
    lines = [p.split("\n") for p in pages]
    forms: dict[str, str] = {}  # form() of each line, computed once: a one-line 20 MB text asks 6 times

    def form_of(line: str) -> str:
        if line not in forms:
            forms[line] = form(line)
        return forms[line]

    drop: list[set[int]] = [set() for _ in pages]
    threshold = max(2, (len(pages) + 1) // 2)
    known: set[str] = set()
    for from_top in (True, False):
        for _ in range(ROUNDS):
            zones = [_zone(ls, d, from_top) for ls, d in zip(lines, drop)]
            counts = Counter(f for ls, z in zip(lines, zones) for f in {form_of(ls[i]) for i in z if _furniture_like(ls[i])})
            frequent = {f for f, c in counts.items() if c >= threshold}
            hit = False
            for ls, d, zone in zip(lines, drop, zones):
                for i in zone:
                    if form_of(ls[i]) in frequent or _PAGE_NUMBER.match(ls[i].strip()):
                        d.add(i)
                        hit = True
            known |= frequent
            if not hit:
                break
    # Letterheads repeat the running header lower on the first page; a footer may carry a prefix.
    wordy = {f for f in known if re.search(r"[a-zà-ÿ]{2,}", f)}
    for ls, d in zip(lines, drop):
        live = [i for i, ln in enumerate(ls) if ln.strip() and i not in d]
        for i in live[:SCAN] + live[-SCAN:]:
            f = form_of(ls[i])
            if f in wordy or any(len(k) >= 15 and (f.endswith(k) or f.startswith(k)) for k in wordy):
                d.add(i)
    removed: dict[str, str] = {}
    for ls, d in zip(lines, drop):
        for i in sorted(d):
            removed.setdefault(form_of(ls[i]), ls[i].strip())
    number = next((m.group() for r in removed.values() for m in [_DOC_NUMBER.search(r)] if m), "")
    if number:  # a letterhead line that repeats the document number ("Nr. 1234 BLAD …") is furniture too
        for ls, d in zip(lines, drop):
            live = [i for i, ln in enumerate(ls) if ln.strip() and i not in d]
            for i in live[:SCAN] + live[-SCAN:]:
                if number.lower() in ls[i].lower() and len(ls[i].split()) <= 8:
                    d.add(i)
                    removed.setdefault(form_of(ls[i]), ls[i].strip())
    out = ["\n".join(ln for i, ln in enumerate(ls) if i not in d) for ls, d in zip(lines, drop)]
    return Furniture(out, list(removed.values()), number)


def _zone(lines: list[str], dropped: set[int], from_top: bool) -> list[int]:
    live = [i for i, ln in enumerate(lines) if ln.strip() and i not in dropped]
    return live[:ZONE] if from_top else live[-ZONE:]


def _furniture_like(line: str) -> bool:
    # Running headers and footers are short and do not start mid-sentence; a repeated long sentence
    # (two copies of one letter in a file) is text, not furniture.
    words = line.split(None, 21)  # (at most 22 parts: a whole one-line book need not be split)
    return 0 < len(words) <= 20 and not (line.strip()[:1].islower() and len(words) >= 6)


# ---------------------------------------------------------------- table of contents

# A TOC line ends in a page number after a leader or a space. Read from the end of the line without
# backtracking regular expressions: `^(.*[A-Za-z].*?)[\s.…_]+(\d{1,3})$` took 12 s for one 20 kB line
# (and hours for a one-line 20 MB text file); these functions give the same results in linear time.
_LEADER_END = re.compile(r"(?:\.\s?){4}$|…{2}$|_{4}$")  # the last 4 dots, 2 ellipses or 4 underscores
_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")
_TOC_SEPARATORS = ".…_"
_TOC_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.|(?:bijlage|hoofdstuk)\s+\w+\.?)\s+", re.IGNORECASE)
MIN_TOC_ENTRIES = 4


@dataclass
class Contents:
    pages: list[str]  # page texts without table-of-contents lines
    entries: list[str] = field(default_factory=list)  # entry titles, e.g. "1.1 Inleiding"


def strip_toc(pages: list[str]) -> Contents:
    """Leave out table-of-contents lines: dotted leaders anywhere, and pages that are mostly
    "title … page" lines with non-decreasing page numbers (the entries are returned)."""
    out: list[str] = []
    entries: list[str] = []
    for page in pages:
        lines = page.split("\n")
        toc, span = _toc_lines(lines)
        entries += _entries(lines[span[0] : span[1]])
        out.append("\n".join(ln for i, ln in enumerate(lines) if i not in toc))
    return Contents(out, entries)


def _toc_lines(lines: list[str]) -> tuple[set[int], tuple[int, int]]:
    """The table-of-contents lines of a page, and the span of its entries."""
    leaders = {i for i, ln in enumerate(lines) if _leader(ln.strip())}
    ends = [(i, m[1]) for i, ln in enumerate(lines) if (m := toc_entry(ln.strip()))]
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    toc = set(leaders) if len(leaders) >= 2 else set()
    if len(ends) >= MIN_TOC_ENTRIES and len(ends) >= 0.5 * len(nonblank):
        rising = sum(b[1] >= a[1] for a, b in itertools.pairwise(ends))
        if rising >= 0.8 * (len(ends) - 1):
            first, last = ends[0][0], ends[-1][0]
            toc |= {i for i in range(first, last + 1) if lines[i].strip()}
    if not toc:
        return toc, (0, 0)
    span = (min(toc), max(toc) + 1)
    # The page's "Inhoud" title just above the entries goes with them.
    above = [i for i in nonblank if i < span[0]]
    if above and len(lines[above[-1]].split()) <= 2 and not toc_entry(lines[above[-1]].strip()):
        toc.add(above[-1])
    return toc, span


def _page_number_end(line: str) -> int:
    """Where the final page number (1 to 3 digits, not part of a longer number) of `line` starts, or -1."""
    i = len(line)
    while i > 0 and line[i - 1].isdecimal():  # what `\d` matches
        i -= 1
    return i if 1 <= len(line) - i <= 3 else -1


def _leader(line: str) -> bool:
    """A dotted (or "……", "____") leader before a final page number: "Inleiding ........ 3"."""
    i = _page_number_end(line)
    return i > 0 and bool(_LEADER_END.search(line[:i].rstrip()[-8:]))


def toc_entry(line: str) -> tuple[str, int] | None:
    """(title, page) of a stripped "title … page" line: a title with a letter, then spaces, dots,
    ellipses or underscores, then a page number of 1 to 3 digits. None for any other line."""
    i = _page_number_end(line)
    j = i
    while j > 0 and (line[j - 1].isspace() or line[j - 1] in _TOC_SEPARATORS):
        j -= 1
    if i <= 0 or j == i or not _LETTER.search(line, 0, j):
        return None
    return line[:j], int(line[i:])


def _entries(lines: list[str]) -> list[str]:
    """Entry titles; an entry wrapped over several lines ends at the line with its page number."""
    titles: list[str] = []
    pending = ""
    for ln in (x.strip() for x in lines):
        if not ln:
            continue
        m = toc_entry(ln)
        if m:
            titles.append(re.sub(r"\s+", " ", f"{pending} {m[0]}").strip(" .…_"))
            pending = ""
        else:
            pending = f"{pending} {ln}".strip()
    return [t for t in titles if _TOC_NUMBER.match(t) or len(t.split()) <= 12]


# ---------------------------------------------------------------- table rows

_ROW_KEY = re.compile(r"^(\d{4,}|[A-Z]{1,2}\.\d{1,2})\s")  # "321618 Motie K.1 …", "K.1 Voorstel …"
MIN_ROWS = 3


def row_shape(line: str) -> str:
    m = _ROW_KEY.match(line.strip())
    return re.sub(r"\d", "#", m.group(1)) if m else ""  # "321618" -> "######" (a year "2026" differs)


def row_shapes(lines: list[str]) -> set[str]:
    """Shapes that start at least MIN_ROWS consecutive lines: the row identifiers of a table."""
    shapes = [row_shape(ln) for ln in lines]
    found: set[str] = set()
    run = 1
    for a, b in zip(shapes, shapes[1:] + [""]):
        if a and a == b:
            run += 1
            continue
        if a and run >= MIN_ROWS:
            found.add(a)
        run = 1
    return found
