"""Faithful cleanup of PDF-to-text and OCR output: whitespace, hyphenation, bullets and ligatures only.

Words are never changed (OCR errors such as "Altieplares" stay: the cleaned text is what answers
cite, so it must remain checkable against the source). What changes:
- wrapped lines are joined into paragraphs (also in "double-spaced" PDF exports where every line
  is followed by an empty one);
- a line ending in a hyphen is joined to the next without a space ("Wlz-" + "indicatie");
- bullet glyphs (•, , ®, @, ﬁ, a lone "e") become "• "; ligatures (ﬁ, ﬂ) become letters;
- lines that are only a URL leave the text and are kept as metadata;
- lines without any word (OCR debris such as "==" or "\\\\\\") are dropped.
Headings are recognised here because they are a property of lines, which joining erases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\u00a0": " ", "\u00ad": ""})
_BULLET = re.compile(r"^\s*(?:[•●▪◦·®@*\uf0b7\uf0a7\uf0d8\uf076ﬁﬂ]|e|[-–](?=\s+[A-Za-zÀ-ÿ]))\s+(?=\S)")
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_WORDLIKE = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
# "1.", "2.4.3", "1a.2", "1a/b.1" followed by a title.
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}[a-z]?(?:/[a-z])?(?:\.\d{1,2})+\.?|\d{1,2}\.)\s+(?P<title>[^a-z\s].*)$")
_ENDS_SENTENCE = re.compile(r"[.!?:;]\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(\S.*?)\s*#*\s*$")


@dataclass
class Block:
    kind: str  # "heading" | "para" | "bullet"
    text: str
    start: int = 0  # offsets in Cleaned.text
    end: int = 0
    number: str = ""  # section number of a numbered heading, e.g. "2.1.1"


@dataclass
class Cleaned:
    text: str
    blocks: list[Block]
    urls: list[str] = field(default_factory=list)


def clean(raw: str) -> Cleaned:
    lines, breaks, urls = _lines(raw)
    blocks: list[Block] = []
    cur: Block | None = None
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        text = line.strip()
        flat = re.sub(r"\s+", " ", text)
        heading = _numbered_heading(line)
        bullet = _BULLET.match(line)
        markdown = _MD_HEADING.match(line)
        if markdown:  # "## 2.1 Preventie" in a .md file
            title = markdown.group(1).strip()
            cur = Block("heading", re.sub(r"\s+", " ", title), number=_numbered_heading(title))
        elif heading:
            cur = Block("heading", flat, number=heading)
        elif cur is not None and cur.kind == "heading" and cur.number and _continues_heading(cur, text):
            cur.text += " " + flat
            continue
        elif bullet:
            cur = Block("bullet", re.sub(r"\s+", " ", line[bullet.end() :].strip()))
        elif _plain_heading(text, prev_ends=_break_before(cur, breaks[i]), nxt=nxt):
            cur = Block("heading", flat)
        elif (
            cur is None
            or breaks[i]
            or cur.kind == "heading"
            # A bullet item wraps onto lines that start in lower case; a capital starts new text.
            or (cur.kind == "bullet" and text[:1].isupper())
            # A lost bullet glyph or a page start leaves a leading space (PDF exports).
            or (line.startswith(" ") and text[:1].isupper() and _ENDS_SENTENCE.search(cur.text))
        ):
            cur = Block("para", flat)
        else:
            cur.text = _join(cur.text, flat)
            continue
        blocks.append(cur)
    return _assemble(blocks, urls)


def _break_before(cur: Block | None, paragraph_break: bool) -> bool:
    """Does the text before this line end (so the line may stand alone as a heading)?"""
    return cur is None or paragraph_break or cur.kind == "heading" or bool(_ENDS_SENTENCE.search(cur.text))


def _lines(raw: str) -> tuple[list[str], list[bool], list[str]]:
    """Non-empty lines, whether a paragraph break precedes each, and the URL-only lines."""
    # Some whitespace-only lines are paragraph marks (" ") in double-spaced exports; keep them distinct.
    raw_lines = [
        ln if ln.strip() else ("" if ln == "" or not ln.startswith(" ") else " ")
        for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    nonblank = [i for i, ln in enumerate(raw_lines) if ln.strip()]
    gaps = sum(1 for a, b in zip(nonblank, nonblank[1:]) if b - a == 2 and raw_lines[a + 1] == "")
    double_spaced = len(nonblank) > 4 and gaps > 0.5 * len(nonblank)
    lines: list[str] = []
    breaks: list[bool] = []
    urls: list[str] = []
    gap: list[str] = []
    for ln in raw_lines:
        if not ln.strip():
            gap.append(ln)
            continue
        if _URL_LINE.match(ln):
            urls.append(ln.strip())
            continue
        if not _WORDLIKE.search(ln):
            continue  # OCR debris: no word in it (checked before "ﬂ" becomes "fl")
        # An OCR'd bullet icon often comes out as a lone ligature glyph: keep it a bullet, not "fi".
        ln = re.sub(r"^(\s*)[ﬁﬂ](?=\s)", r"\1•", ln).translate(LIGATURES)
        if double_spaced:
            brk = any(g == " " for g in gap) or len(gap) >= 3
        else:
            brk = bool(gap)
        lines.append(ln.rstrip())
        breaks.append(brk or not lines[:-1])
        gap = []
    return lines, breaks, urls


def _numbered_heading(line: str) -> str:
    m = _NUMBERED.match(line.strip())
    if not m:
        return ""
    num, title = m.group("num"), m.group("title").strip()
    words = title.split()
    if not _WORDLIKE.search(title) or title[-1] in ".,;" or len(words) > 16:
        return ""
    if "." not in num.rstrip(".") and len(words) > 10:
        return ""  # "1. Naar aanleiding van het project … het college opdracht": a list item, not a chapter
    return num.rstrip(".")


def _continues_heading(heading: Block, text: str) -> bool:
    """A long numbered heading wrapped onto a second line that starts in lower case."""
    return (
        text[:1].islower()
        and not _ENDS_SENTENCE.search(heading.text)
        and not text.endswith(":")
        and len(heading.text.split()) + len(text.split()) <= 26
    )


def _plain_heading(text: str, prev_ends: bool, nxt: str | None) -> bool:
    """An unnumbered heading: a short capitalised line standing alone between sentences."""
    words = text.split()
    if not (1 <= len(words) <= 8 and len(text) <= 70 and text[:1].isupper()):
        return False
    if text[-1] in ".,;" or "," in text or not prev_ends:
        return False
    if text.endswith(":") and len(words) > 4:
        return False  # "Er is een aantal aandachtspunten bij dit Actieplan:" introduces a list
    if nxt is not None:
        nxt = nxt.strip()
        if not (nxt[:1].isupper() or nxt[:1].isdigit() or _BULLET.match(nxt) or nxt[:1] in "‘'\"("):
            return False
    return True


def _join(left: str, right: str) -> str:
    if left.endswith("-") and left[-2:-1].isalpha() and right[:1].isalpha():
        # "op-" + "en afschalen" keeps its space; "Wlz-" + "indicatie" is one word.
        if re.match(r"(en|of)\b", right):
            return left + " " + right
        return left + right
    return left + " " + right


def _assemble(blocks: list[Block], urls: list[str]) -> Cleaned:
    parts: list[str] = []
    pos = 0
    for b in blocks:
        shown = ("• " + b.text) if b.kind == "bullet" else b.text
        b.start = pos + (2 if b.kind == "bullet" else 0)
        b.end = pos + len(shown)
        parts.append(shown)
        pos += len(shown) + 1
    return Cleaned("\n".join(parts), blocks, urls)
