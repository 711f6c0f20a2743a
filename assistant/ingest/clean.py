"""Faithful cleanup of PDF-to-text and OCR output: whitespace, hyphenation, bullets and ligatures only.

Words are never changed (OCR errors such as "Altieplares" stay: the cleaned text is what answers
cite, so it must remain checkable against the source). What changes:
- wrapped lines are joined into paragraphs (also in "double-spaced" PDF exports where every line
  is followed by an empty one);
- a line ending in a hyphen is joined to the next without a space ("Wlz-" + "indicatie");
- bullet glyphs (•, , ®, @, ﬁ, a lone "e") become "• "; ligatures (ﬁ, ﬂ) become letters;
- lines that are only a URL leave the text and are kept as metadata;
- lines without any word (OCR debris such as "==" or "\\\\\\") are dropped;
- footnote marks glued to a word ("eerder toe.1") leave the text when the document has the
  footnote ("1 Kamerbrief over …"), and are kept as metadata;
- `clean_document` first removes page furniture and table-of-contents lines (see layout.py) and
  uses the whole document as its lexicon for line-end hyphenation ("beperk-" + "tere").
Headings are recognised here because they are a property of lines, which joining erases. A numbered
line is a heading only on evidence (short, no final punctuation, not continued by the next line, not
the next item of a list or a member of an article, listed in the table of contents when there is
one); regulation parts (Hoofdstuk, §, Artikel) carry a rank; table rows stay lines of their own.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field

from ..text import ABBREVIATIONS
from . import layout
from .layout import Contents, Furniture, row_shape, row_shapes

log = logging.getLogger(__name__)

LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\u00a0": " ", "\u00ad": ""})
_BULLET = re.compile(r"^\s*(?:[•●▪◦·®@*\uf0b7\uf0a7\uf0d8\uf076ﬁﬂ]|e|[-–](?=\s+[A-Za-zÀ-ÿ]))\s+(?=\S)")
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_WORDLIKE = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
_MARKUP_LINE = re.compile(r"^\s*<[!/]?[A-Za-z][^<>]*>\s*$")  # "<meta http-equiv=…/>" atop a converted page
# "1.", "2.4.3", "1a.2", "1a/b.1" followed by a title.
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}[a-z]?(?:/[a-z])?(?:\.\d{1,2})+\.?|\d{1,2}\.)\s+(?P<title>[^a-z\s].*)$")
_ENDS_SENTENCE = re.compile(r"[.!?:;]\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*([^#\s].*?)\s*#*\s*$")
# Parts of a regulation: "Hoofdstuk 2", "§ 1", "Afdeling 3", "Artikel 24. Klachtregeling", "ARTIKEL I".
_STRUCTURAL = re.compile(
    r"^(?P<kind>hoofdstuk|titel|afdeling|paragraaf|§|artikel)\s*(?P<num>[0-9IVXLC]+(?:\.\d+)*[a-z]?)\.?(?:\s+(?P<title>\S.*))?$",
    re.IGNORECASE,
)
RANKS = {"hoofdstuk": 1, "titel": 1, "afdeling": 2, "paragraaf": 2, "§": 2, "artikel": 3}
# A footnote mark glued to the end of a word or sentence: "toe.1", "lasten).2", "Domein1" (not "1a.1",
# "G20" or "m2": the word before it has two letters or more and no digit).
_GLUED_MARK = re.compile(r"(?<![\w.])([^\W\d_]{2,}\)?[.,;:!?]?)(\d{1,2})([.,;:]?)(?=\s|$)")
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,2})\s+(?:https?://|[A-Z(‘“'])", re.MULTILINE)
MAX_HEADING_WORDS = 10  # a single-level numbered line longer than this is a list item, unless a TOC names it


@dataclass
class Block:
    kind: str  # "heading" | "para" | "bullet" | "row" (one row of a table)
    text: str
    start: int = 0  # offsets in Cleaned.text
    end: int = 0
    number: str = ""  # section number of a numbered heading, e.g. "2.1.1"
    rank: int = 0  # part of a regulation: 1 hoofdstuk/titel, 2 afdeling/paragraaf, 3 artikel (0: other)
    minor: bool = False  # unnumbered, and the document's table of contents does not list it


@dataclass
class Cleaned:
    text: str
    blocks: list[Block]
    urls: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # footnote marks taken out of the text ("1", "2")


@dataclass
class Context:
    """What one page learns from the whole document, and what carries over to the next page."""

    vocabulary: frozenset[str] = frozenset()  # lower-case words of the document (hyphenation lexicon)
    toc: frozenset[str] = frozenset()  # normalised titles of the table-of-contents entries
    toc_numbers: dict[str, str] = field(default_factory=dict)  # section number -> title key ("2.1" -> "reikwijdte…")
    footnotes: frozenset[str] = frozenset()  # numbers that start a footnote line somewhere
    in_article: bool = False  # inside "Artikel n": numbered lines are its members, not headings
    last_item: int = 0  # number of the last numbered line that was a list item ("2." follows "1.")
    row_shapes: frozenset[str] = frozenset()  # identifier shapes of the document's table rows ("######")


@dataclass
class CleanedDocument:
    pages: list[Cleaned]
    removed: list[str] = field(default_factory=list)  # page furniture left out (one line per form)
    number: str = ""  # document number found in the furniture ("" if none)
    toc: list[str] = field(default_factory=list)  # table-of-contents entries left out of the text


def clean_document(pages: list[str]) -> CleanedDocument:
    """Clean every page of one document with what the document as a whole shows: its running
    headers and footers, its table of contents, its vocabulary and its footnotes."""
    try:
        furniture = layout.strip_furniture(pages)
        contents = layout.strip_toc(furniture.pages)
    except Exception as exc:  # noqa: BLE001 - layout analysis must never cost a document its text
        log.warning("paginaopmaak niet herkend, tekst ongewijzigd gebruikt (layout analysis failed): %s", exc)
        furniture, contents = Furniture(list(pages)), Contents(list(pages))
    whole = "\n".join(contents.pages)
    context = Context(
        vocabulary=frozenset(_vocabulary(whole)),
        toc=frozenset(_toc_key(t) for t in contents.entries),
        toc_numbers={
            m.group(1).rstrip("."): _toc_key(m.group(2))
            for t in contents.entries
            if (m := re.match(r"(\d+(?:\.\d+)*\.?)\s+(.*)", t))
        },
        footnotes=frozenset(m.group(1) for m in _FOOTNOTE_LINE.finditer(whole)),
        # A table continues on the next page, where only two rows may be left.
        row_shapes=frozenset(x for p in contents.pages for x in row_shapes(p.split("\n"))),
    )
    cleaned = [clean(p, context) for p in contents.pages]
    return CleanedDocument(cleaned, furniture.removed, furniture.number, contents.entries)


def _vocabulary(text: str) -> set[str]:
    # Words broken at a line end ("beperk-\ntere") are not evidence for themselves.
    unbroken = re.sub(r"(?<!\w)\w+-\s*\n\s*\w+", " ", text)  # (?<!\w): linear on a very long word
    return {w.lower() for w in re.findall(r"[^\W\d_]{2,}(?:-[^\W\d_]+)*", unbroken)}


def _toc_key(title: str) -> str:
    return re.sub(r"[^a-zà-ÿ0-9]+", "", title.lower())


def clean(raw: str, context: Context | None = None) -> Cleaned:
    context = context or Context()
    lines, breaks, urls = _lines(raw)
    lines, marks = _take_marks(lines, context.footnotes)
    wrap = _wrap_width(lines)
    shapes = context.row_shapes | row_shapes(lines)
    rows = {i for i, ln in enumerate(lines) if shapes and row_shape(ln) in shapes}
    blocks: list[Block] = []
    cur: Block | None = None
    # The text of `cur` while wrapped lines are joined onto it, in pieces joined once when it is complete:
    # rebuilding one string per line was quadratic (a 20 MB text without blank lines is one paragraph).
    pieces: list[str] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        end = _tail(pieces) if pieces else cur.text if cur else ""  # how `cur` ends so far
        text = line.strip()
        flat = re.sub(r"\s+", " ", text)
        markdown = _MD_HEADING.match(line)
        if markdown and len(markdown.group(1).split()) > 16:
            line = text = flat = markdown.group(1).strip()  # a long "##" line is text, not a title
            markdown = None
        structural = _STRUCTURAL.match(markdown.group(1).strip() if markdown else text)
        heading = _numbered_heading(line, nxt, cur, context, gap=breaks[i], prev_end=end)
        item = re.match(r"(\d{1,2})\.\s", text)
        if item and not heading:
            context.last_item = int(item.group(1))
        bullet = _BULLET.match(line)
        if structural and _structural_heading(structural):
            kind = structural.group("kind").lower()
            cur = Block("heading", re.sub(r"\s+", " ", structural.group(0).strip()), rank=RANKS[kind])
            context.in_article = kind == "artikel"
        elif markdown and _bare_part(cur):  # "### Hoofdstuk 1" then "####Begripsbepalingen": one title
            cur.text += " " + re.sub(r"\s+", " ", markdown.group(1).strip())
            continue
        elif markdown:  # "## 2.1 Preventie" in a .md file
            title = markdown.group(1).strip()
            cur = Block("heading", re.sub(r"\s+", " ", title), number=_numbered_heading(title, None, None, context))
            context.in_article = False
        elif heading:
            cur = Block("heading", flat, number=heading)
            context.last_item = 0
        elif cur is not None and cur.kind == "heading" and cur.number and _continues_heading(cur, text):
            cur.text += " " + flat
            continue
        elif bullet:
            cur = Block("bullet", re.sub(r"\s+", " ", line[bullet.end() :].strip()))
        elif i in rows:
            cur = Block("row", flat)
        elif len(text) < wrap and _plain_heading(text, prev_ends=_break_before(cur, breaks[i], end), nxt=nxt):
            if _bare_part(cur) and not breaks[i]:  # "Artikel 5" + "Verantwoordelijkheden" on two lines
                cur.text += " " + flat
                continue
            cur = Block("heading", flat, minor=bool(context.toc) and _toc_key(flat) not in context.toc)
            context.in_article = False
        elif (
            cur is None
            or breaks[i]
            or cur.kind == "heading"
            # A bullet item wraps onto lines that start in lower case; a capital starts new text.
            or (cur.kind == "bullet" and text[:1].isupper())
            # A table row wraps onto a line in lower case; the next agenda item is not part of it.
            or (cur.kind == "row" and not (text[:1].islower() or text[:1] in "(“‘'\""))
            # A lost bullet glyph or a page start leaves a leading space (PDF exports).
            or (line.startswith(" ") and text[:1].isupper() and _ENDS_SENTENCE.search(end))
        ):
            cur = Block("para", flat)
        else:
            pieces = pieces or [cur.text]
            drop_hyphen, space = _joint(end, flat, context.vocabulary)
            if drop_hyphen:
                pieces[-1] = pieces[-1][:-1]
            pieces += [space, flat]
            continue
        if pieces:  # the block that was growing (always the last one) is complete
            blocks[-1].text, pieces = "".join(pieces), []
        blocks.append(cur)
    if pieces:
        blocks[-1].text = "".join(pieces)
    return _assemble(blocks, urls, marks)


TAIL = 256  # characters of a growing paragraph that the joining rules look at (its last word and mark)


def _tail(pieces: list[str]) -> str:
    """The last TAIL characters of "".join(pieces), without joining them all."""
    out = ""
    for piece in reversed(pieces):
        if len(out) >= TAIL:
            break
        out = piece[-(TAIL - len(out)) :] + out
    return out


def _wrap_width(lines: list[str]) -> float:
    """Below this length a line may be a heading. In narrow designed layouts an ordinary wrapped line
    ("Deze tien opgaven staan centraal in de voorliggende") is as short as a heading elsewhere: a
    line nearly as long as the page's typical text line is text."""
    lengths = sorted(len(ln.strip()) for ln in lines if len(ln.split()) >= 5)
    if len(lengths) < 10:
        return float("inf")
    return 0.8 * lengths[len(lengths) // 2]


def _take_marks(lines: list[str], footnotes: frozenset[str]) -> tuple[list[str], list[str]]:
    """Take footnote marks glued to words out of the text when the document has those footnotes;
    a paragraph number glued to the end of a sentence ("valt onder de wet.4.") is set apart."""
    marks: list[str] = []

    def cut(m: re.Match) -> str:
        word, mark, after = m.groups()
        if word.endswith(".") and word[:-1].lower() in ABBREVIATIONS:
            return m.group(0)  # "art.4"
        if mark in footnotes:
            marks.append(mark)
            return word + ("" if word[-1] in ".,;:!?" else after)
        if word[-1] in ".;:" and after == ".":
            return f"{word} {mark}{after}"  # "wet.4." -> "wet. 4."
        return m.group(0)

    return [_GLUED_MARK.sub(cut, ln) for ln in lines], marks


def _structural_heading(m: re.Match) -> bool:
    """ "Artikel 5 Verantwoordelijkheden budgetbeheerder" is a heading; "Artikel 3j, tweede lid, …" is text."""
    title = (m.group("title") or "").strip()
    if m.group("kind")[0].islower():
        return False  # "artikel 2.6.7a, eerste lid" in running text
    return len(title.split()) <= 12 and not re.search(r"[,;]|[.:]\s*$", title)


def _bare_part(block: Block | None) -> bool:
    """A regulation part without its title yet ("Hoofdstuk 1", "§ 2", "Artikel 5")."""
    return block is not None and block.rank > 0 and bool(re.fullmatch(r"\S+\s*[0-9IVXLC.]+[a-z]?\.?", block.text))


def _break_before(cur: Block | None, paragraph_break: bool, end: str) -> bool:
    """Does the text before this line (`cur`, ending in `end`) end, so the line may stand alone as a heading?"""
    return cur is None or paragraph_break or cur.kind == "heading" or bool(_ENDS_SENTENCE.search(end))


def _lines(raw: str) -> tuple[list[str], list[bool], list[str]]:
    """Non-empty lines, whether a paragraph break precedes each, and the URL-only lines."""
    # Some whitespace-only lines are paragraph marks (" ") in double-spaced exports; keep them distinct.
    raw_lines = [
        ln if ln.strip() else ("" if ln == "" or not ln.startswith(" ") else " ")
        for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    nonblank = [i for i, ln in enumerate(raw_lines) if ln.strip()]
    gaps = sum(1 for a, b in itertools.pairwise(nonblank) if b - a == 2 and raw_lines[a + 1] == "")
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
        if not (_WORDLIKE.search(ln) or "§" in ln) or _MARKUP_LINE.match(ln):
            continue  # OCR debris: no word in it (checked before "ﬂ" becomes "fl"); a bare HTML tag
        # An OCR'd bullet icon often comes out as a lone ligature glyph: keep it a bullet, not "fi".
        ln = re.sub(r"^(\s*)[ﬁﬂ](?=\s)", r"\1•", ln).translate(LIGATURES)
        if double_spaced:
            brk = any(g == " " for g in gap) or len(gap) >= 3
        else:
            brk = bool(gap)
        lines.append(ln.rstrip())
        breaks.append(brk or len(lines) == 1)  # not `lines[:-1]`: a copy per line was quadratic
        gap = []
    return lines, breaks, urls


def _numbered_heading(
    line: str, nxt: str | None, prev: Block | None, context: Context, gap: bool = False, prev_end: str = ""
) -> str:
    """The section number when this numbered line is a heading by the evidence, else "".
    `prev_end`: how the text of `prev` ends (its last characters)."""
    m = _NUMBERED.match(line.strip())
    if not m:
        return ""
    num, title = m.group("num"), m.group("title").strip()
    words = title.split()
    if context.toc and (_toc_key(f"{num} {title}") in context.toc or _toc_key(title) in context.toc):
        return num.rstrip(".")  # the table of contents names it
    if not _WORDLIKE.search(title) or title[-1] in ".,;" or len(words) > 16:
        return ""
    depth = num.rstrip(".").count(".")
    if any(n.count(".") == depth for n in context.toc_numbers):
        listed = context.toc_numbers.get(num.rstrip("."), "")
        if listed[:6] != _toc_key(title)[:6]:
            return ""  # the table of contents lists this depth, but not this line: a numbered item
    if "." not in num.rstrip("."):
        # "1. Naar aanleiding van het project … het college opdracht": a list item, not a chapter.
        if context.last_item and int(num.rstrip(".")) == context.last_item + 1:
            return ""  # the next item of a list whose first item was text
        if len(words) > MAX_HEADING_WORDS or context.in_article:
            return ""  # too long, or a member ("lid") of an article
        if nxt is not None and nxt.strip()[:1].islower() and not _BULLET.match(nxt):
            return ""  # "1. Het landelijk tarief … in te voeren" + "met terugwerkende kracht …": one sentence
        if not gap and prev is not None and prev.kind != "heading" and prev_end.rstrip().endswith(":"):
            return ""  # the items of a list that the line just above announces
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
    if text[-1] in ".,;!" or "," in text or not prev_ends:
        return False
    if re.search(r"[a-zà-ÿ]{2}[.!?]\s+[A-Z]", text):
        return False  # "De voorzitter. Wat een broederschap!": two sentences of speech, not a title
    if text.endswith(":") and len(words) > 4:
        return False  # "Er is een aantal aandachtspunten bij dit Actieplan:" introduces a list
    if re.search(r":\s+[a-zà-ÿ]", text):
        return False  # "Q1: laatste week van april": a label and its value, not a title
    if nxt is not None:
        nxt = nxt.strip()
        if not (nxt[:1].isupper() or nxt[:1].isdigit() or _BULLET.match(nxt) or nxt[:1] in "‘'\"("):
            return False
    return True


def _joint(left: str, right: str, vocabulary: frozenset[str] = frozenset()) -> tuple[bool, str]:
    """How a line joins the text `left` (its end suffices): (drop the final hyphen of `left`, separator)."""
    if left.endswith("-") and left[-2:-1].isalpha() and right[:1].isalpha():
        # "op-" + "en afschalen" keeps its space.
        if re.match(r"(en|of)\b", right):
            return False, " "
        head = re.search(r"([^\W\d_]+)-$", left).group(1)
        tail = re.match(r"[^\W\d_]*", right).group(0)
        if _hyphenation(head, tail, vocabulary):
            return True, ""  # "beperk-" + "tere" is the word "beperktere"
        return False, ""  # "Wlz-" + "indicatie" is one hyphenated word
    return False, " "


def _hyphenation(head: str, tail: str, vocabulary: frozenset[str]) -> bool:
    """Is the hyphen at this line end only typography? Yes when the document writes the joined word
    (or a form of it) elsewhere, or when both parts are lower case, unless the document writes the
    hyphenated form or both parts are words of their own."""
    joined = (head + tail).lower()
    if f"{head}-{tail}".lower() in vocabulary:
        return False
    if _known(joined, vocabulary):
        return True
    if len(head) >= 4 and len(tail) >= 4 and head.lower() in vocabulary and tail.lower() in vocabulary:
        return False  # two words of the document joined by a hyphen: "onderwijs-jeugdhulp"
    return head.islower() and tail[:1].islower()


def _known(word: str, vocabulary: frozenset[str]) -> bool:
    if word in vocabulary:
        return True
    # Inflected forms: "beperktere" when the document has "beperkt" or "beperkte".
    stems = [word[:-k] for k in (1, 2, 3) if len(word) - k >= 5]
    return any(s in vocabulary for s in stems) or any(word + e in vocabulary for e in ("e", "en", "s", "er"))


def _assemble(blocks: list[Block], urls: list[str], marks: list[str] | None = None) -> Cleaned:
    parts: list[str] = []
    pos = 0
    for b in blocks:
        shown = ("• " + b.text) if b.kind == "bullet" else b.text
        b.start = pos + (2 if b.kind == "bullet" else 0)
        b.end = pos + len(shown)
        parts.append(shown)
        pos += len(shown) + 1
    return Cleaned("\n".join(parts), blocks, urls, marks or [])
