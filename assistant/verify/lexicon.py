"""Lexicon of the faithfulness checker: word classes (content words, contrast terms that must match
strictly, OCR glue) and numbers (number words, ordinals, units, and parsing them out of a text).
Folding and stemming live in `assistant.text`, shared with the answerer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..text import STOPWORDS, fold, numbers, root, stem

# Terms whose swap for one another is the typical unfaithful edit; always key words (by stem).
CONTRAST_TERMS = frozenset(
    """
    prestatiegericht resultaatgericht lokaal lokale regionaal regionale landelijk landelijke bovenregionaal
    bovenregionale gemeentelijk gemeentelijke preventief preventieve specialistisch specialistische
    structureel structurele incidenteel incidentele verhoogd verlaagd verhogen verlagen hoger lager
    minder stijging daling toename afname stijgt daalt gestegen gedaald raad college rijk kabinet
    wethouder burgemeester provincie ambulant ambulante residentieel residentiële individueel individuele
    groepsgericht vrijwillig gedwongen licht lichte zwaar zware intern interne extern externe
    """.split()
)
CONTRAST_STEMS = frozenset(stem(fold(w)) for w in CONTRAST_TERMS)
# Opposites of which one side is a stopword and so not a content word.
OPPOSITE_STOPWORDS = {"meer": "minder"}
# A compound whose first part is one of these does not contain the meaning of its last part.
BLOCKING_PREFIXES = frozenset("on non niet boven hoog laag anti in a de".split()) - {"de"}
# Short function words that OCR glues to the next word ("Eris", "Metingang", "Deinzet").
GLUE = frozenset("er de het met is en een dat die in op".split())
# Endings that make a longer word an inflection/derivation of a shorter one (strict match).
INFLECTIONS = frozenset("s e en n er ers es t d te de ten den ing ingen heid heden".split())

NUMBER_WORDS = {
    "één": "1",
    "twee": "2",
    "drie": "3",
    "vier": "4",
    "vijf": "5",
    "zes": "6",
    "zeven": "7",
    "acht": "8",
    "negen": "9",
    "tien": "10",
    "elf": "11",
    "twaalf": "12",
    "dertien": "13",
    "veertien": "14",
    "vijftien": "15",
    "zestien": "16",
    "zeventien": "17",
    "achttien": "18",
    "negentien": "19",
    "twintig": "20",
    "dertig": "30",
    "veertig": "40",
    "vijftig": "50",
    "zestig": "60",
    "zeventig": "70",
    "tachtig": "80",
    "negentig": "90",
    "honderd": "100",
    "duizend": "1000",
}
ORDINALS = {
    "eerste": "1",
    "tweede": "2",
    "derde": "3",
    "vierde": "4",
    "vijfde": "5",
    "zesde": "6",
    "zevende": "7",
    "achtste": "8",
    "negende": "9",
    "tiende": "10",
}
# Words that only carry a number's unit: the number check compares units ("19%" = "19 procent").
UNIT_WORDS = frozenset("procent percent mln miljoen mld miljard euro".split())
# Hedges that say the same ("ca. €3,0 miljard" = "ongeveer €3,0 miljard").
SYNONYMS = {w: group for group in (frozenset("ongeveer circa ca rond omstreeks".split()),) for w in group}


@lru_cache(maxsize=1 << 16)
def word_forms(low: str) -> tuple[str, str, str]:
    """(fold, stem, root) of a lower-case word."""
    f = fold(low)
    return f, stem(f), root(f)


def is_contrast(folded: str) -> bool:
    """A contrast term, or an inflection of one ("regionale" for "regionaal")."""
    return folded in CONTRAST_TERMS or stem(folded) in CONTRAST_STEMS


@lru_cache(maxsize=1 << 16)
def is_content_word(low: str) -> bool:
    """Not a stopword, unit, number word, ordinal, quarter or OCR glue of function words."""
    f = fold(low)
    if low in STOPWORDS or f in STOPWORDS or len(f) < 2 or f in UNIT_WORDS:
        return False
    if f.isdigit() or low in NUMBER_WORDS or f in ORDINALS or re.fullmatch(r"q[1-4]", f):
        return False
    if not any(c.isalpha() for c in f):
        return False
    return not is_glued_stopwords(f)


@lru_cache(maxsize=1 << 16)
def is_glued_stopwords(folded: str) -> bool:
    """OCR glue of two function words: "eris" (er is), "erzijn" (er zijn)."""
    if folded in STOPWORDS:
        return True
    return any(folded[:i] in GLUE and folded[i:] in STOPWORDS for i in range(2, len(folded) - 1))


# ---- numbers -----------------------------------------------------------------------------------

_NUM = r"\d+(?:[.,]\d+)*"
_NUMBER_EXPR = re.compile(rf"(?<![\w.,])(?:[Qq]([1-4])(?![\w])|({_NUM}(?:\s?[-–/]\s?{_NUM})*)(?![^\W\d_]))")
_UNIT_AFTER = re.compile(r"\s*(%|procent\b|percent\b|mln\b\.?|miljoen\b|min\b\.?|mld\b\.?|miljard\b)", re.IGNORECASE)
_EURO_BEFORE = re.compile(r"(€|euro)\s*$", re.IGNORECASE)


@dataclass
class Number:
    kind: str  # "num", "range" (compound such as 15-12-2021 or 2106-18), "q" (quarter), "ord"
    value: str  # normalised: "6,8", "182000", "2020-2024", "1"
    unit: str  # "", "%", "mln", "mld"
    pos: int  # token index
    cpos: int
    text: str  # as written, for reasons
    parts: tuple[str, ...] = ()


def norm_number(raw: str) -> str:
    """ "182.000" -> "182000", "6,80" -> "6,8", "3,0" -> "3"."""
    found = numbers(raw)
    value = next(iter(found)) if found else raw
    if "," in value:
        whole, _, frac = value.partition(",")
        frac = frac.rstrip("0")
        value = f"{whole},{frac}" if frac else whole
    return value


def numbers_in(text: str, tokens: Sequence) -> list[Number]:
    """Every number of `text` with its unit, in token order: digits, ranges and dates (one compound
    each), quarters (Q1), number words and ordinals. `tokens` are the analysed tokens of `text`
    (`start`, `raw`, `low`, `fold`); `Number.pos` indexes them, `cpos` is left at -1."""
    starts = [t.start for t in tokens]
    out: list[Number] = []

    def token_at(offset: int) -> int:
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        return min(lo, len(tokens) - 1)

    for m in _NUMBER_EXPR.finditer(text):
        pos = token_at(m.start())
        if m.group(1):
            out.append(Number("q", m.group(1), "", pos, -1, m.group()))
            continue
        raw = m.group(2)
        parts = tuple(norm_number(p) for p in re.split(r"\s?[-–/]\s?", raw))
        unit = ""
        after = _UNIT_AFTER.match(text, m.end())
        if after:
            u = after.group(1).lower().rstrip(".")
            if u in ("%", "procent", "percent"):
                unit = "%"
            elif u in ("mln", "miljoen") or (u == "min" and _EURO_BEFORE.search(text[max(0, m.start() - 3) : m.start()])):
                unit = "mln"  # "min." is OCR for "mln." after a euro sign
            elif u in ("mld", "miljard"):
                unit = "mld"
        if len(parts) > 1:
            out.append(Number("range", "-".join(parts), unit, pos, -1, raw, parts))
        else:
            out.append(Number("num", parts[0], unit, pos, -1, raw, parts))
    for i, tok in enumerate(tokens):
        if tok.low in NUMBER_WORDS:
            unit = ""
            after = _UNIT_AFTER.match(text, tok.start + len(tok.raw))
            if after and after.group(1).lower() in ("%", "procent", "percent"):
                unit = "%"
            out.append(Number("num", NUMBER_WORDS[tok.low], unit, i, -1, tok.raw))
        elif tok.fold in ORDINALS:
            out.append(Number("ord", ORDINALS[tok.fold], "", i, -1, tok.raw))
    out.sort(key=lambda n: n.pos)
    return out


def shown(n: Number) -> str:
    """A number as in a reason: "33%", "6,8 mln.", "Q1", "2106-18"."""
    if n.kind == "q":
        return f"Q{n.value}"
    return n.text + {"%": "%", "mln": " mln.", "mld": " mld."}.get(n.unit, "")


def number_type(n: Number) -> str:
    """What a number measures, for comparing numbers of the same kind: its unit, "year", or its kind."""
    if n.unit:
        return n.unit
    if n.kind == "num" and re.fullmatch(r"(19|20)\d\d", n.value):
        return "year"
    return n.kind
