"""Faithfulness checker: is an answer sentence supported by the passage(s) it cites?

Rule-based and deterministic (no model): an embedding judge was measured at AUC 0.77 and scores a
wrong year, an added "niet" or a swapped policy term like a supported claim, so this module compares
numbers, negations and content words explicitly. Used before an LLM sentence is shown and by the
evaluation suite (faithfulness, citation precision).

Definition of "supported"
-------------------------
Citation markers ("[1]", "[1][3]", "[1, 3]", "[1-3]") and HTML tags are removed first. A sentence
is SUPPORTED by a passage when A or B holds.

A. Verbatim: its word sequence (lower-cased; accents, punctuation and whitespace ignored) occurs in
   the passage as a whole sentence or clause (starting and ending at a sentence or punctuation
   boundary) with no negation in the three passage words before it that the sentence lacks.
   Score 1.0.

B. Checked: all of 1-5 hold against the *aligned window*, a run of at most MAX_WINDOW (3)
   consecutive passage sentences (`assistant.text.split_sentences`). The window is the single
   passage sentence that contains most of the sentence's content words and numbers; a window one
   sentence longer replaces it only if it contains MIN_GAIN (2) more of them, or one more word
   that is not a contrast term and no number (a referent: "… Dit geldt ook voor de gemeente
   Zoetermeer."). A fact is not supported by words or numbers that belong to another part of the
   passage.
   1. Numbers. Every number of the sentence - amounts, percentages, counts, years, dates
      (15-12-2021), motion numbers (2106-18), ranges (2020-2024), quarters (Q1), number words
      ("negen") and ordinals ("tweede") - occurs in the window: compounds as a whole, with the same
      unit when the sentence gives one ("19%" = "19 procent", "€ 6,8 mln." = "6,8 miljoen"; the
      scale mln/mld must agree on both sides). Furthermore
      - two numbers next to each other in the sentence (only stopwords, units or a month between:
        "€ 3 mln. in 2025") have at most one content word between them in the window, in the same
        order when they share a unit ("van 85% naar 75%");
      - a number stands in the window within 3 content words of one of the found words or numbers
        that are within 2 of it in the sentence ("(2106-18) … afgedaan" needs "afgedaan" by 2106-18);
      - a passage sentence of the window that lends words to the claim but not the number holds
        no other number of the same kind ("40%" in the claim, "33%" in that passage sentence).
   2. Negation. The sentence contains a negation (`assistant.text.NEGATIONS`: niet, geen, nooit,
      niets, zonder, onvoldoende, …) exactly when the matched stretch of the window does: from the
      first to the last matched word, plus 3 words before (up to 6, back to the start of the
      clause: "Het is niet zo dat …") and 2 after.
   3. Coverage. At least MIN_COVERAGE (0.80) of the sentence's content words (`text.STOPWORDS`
      and unit words excluded) and numbers are found in the window. A word is found when it occurs
      exactly (accents ignored); with the same light Dutch stem or root ("regionale" = "regionaal",
      "ondersteund" = "ondersteunt", "voorgesteld" = "voorstel", "verwacht" = "verwachting"); as the
      last part of a compound ("aanbieders" in "jeugdhulpaanbieders"); glued to a short function
      word by OCR ("ingang" in "Metingang"; "Eris" counts as "Er is"); as a separable verb written
      apart ("aansluiten" in "aan te laten sluiten"); as a hedge synonym ("ongeveer" = "ca."); or,
      for words of ≥ 9 letters, with one OCR character error. A non-key word of ≥ 5 letters is
      also found in a word it is a prefix of, or that is a prefix of it.
   4. Key words. No key word is missing. Key words are content words of ≥ KEY_LENGTH (8) letters,
      words capitalised mid-sentence (names, acronyms), months, and CONTRAST_TERMS
      (prestatiegericht/resultaatgericht, lokaal/regionaal/landelijk, preventief/specialistisch,
      structureel/incidenteel, verhoogd/verlaagd, raad/college/rijk, …). They only match strictly:
      no prefix match ("resultaat" ≠ "resultaatgericht") and no compound whose first part negates
      or contrasts ("voldoende" ≠ "onvoldoende", "regionaal" ≠ "bovenregionaal").
   5. No swap. A missing word whose place in the window - between the same found neighbours -
      holds another content word is a swapped term ("primair onderwijs" for "voortgezet
      onderwijs"); and no "meer" in the sentence where the window says "minder".
   A sentence without a content word or number is not supported ("geen controleerbare inhoud").

`Support.score` is the share of the sentence's content words and numbers found in the aligned window
(1.0 on the verbatim path). Validation: `python evals/validate_checker.py` on
`evals/support_pairs.jsonl` (hand-labelled pairs from the corpus).

`check_answer` splits an answer into sentences, reads each sentence's markers and checks it against
the union of the passages it cites (a sentence citing several passages is also supported when one
of them supports it, or when each of its clauses - split at ";", "en", "maar" - is supported by
the union). A sentence without a marker, or with a marker of an unknown passage, is not supported.
Connecting phrases ("Volgens <titel> (<datum>):") and heading
lines are allowed without a citation when `allow_prefix` accepts them; they are returned with
`is_claim=False` and do not count for `faithfulness`.
"""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .text import NEGATIONS, STOPWORDS, normalize, numbers, split_sentences

MIN_COVERAGE = 0.80  # share of content words + numbers found in the aligned window (validated)
MAX_WINDOW = 3  # passage sentences an answer sentence may draw on
KEY_LENGTH = 8  # content words of at least this many letters must match strictly
LOOSE_MIN = 5  # shortest word part that counts for a prefix/compound match
FUZZY_MIN = 9  # shortest word that may match with one OCR character error
NEG_BEFORE, NEG_AFTER = 3, 2  # words around the matched stretch searched for a negation
NEG_CLAUSE = 6  # ... before it: up to this many words back to the start of the clause ("niet zo dat …")
PAIR_SENTENCE, PAIR_PASSAGE = 1, 2  # adjacency of two numbers (content words apart, units/months not counted)
MIN_GAIN = 2  # a window one passage sentence longer must cover this many more words/numbers

MONTHS = tuple("januari februari maart april mei juni juli augustus september oktober november december".split())

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
# Opposites of which one side is a stopword and so not a content word.
_OPPOSITE_STOPWORDS = {"meer": "minder"}
# A compound whose first part is one of these does not contain the meaning of its last part.
_BLOCKING_PREFIXES = frozenset("on non niet boven hoog laag anti in a de".split()) - {"de"}
# Short function words that OCR glues to the next word ("Eris", "Metingang", "Deinzet").
_GLUE = frozenset("er de het met is en een dat die in op".split())
# Endings that make a longer word an inflection/derivation of a shorter one (strict match).
_INFLECTIONS = frozenset("s e en n er ers es t d te de ten den ing ingen heid heden".split())

_NUMBER_WORDS = {
    "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7", "acht": "8",
    "negen": "9", "tien": "10", "elf": "11", "twaalf": "12", "dertien": "13", "veertien": "14",
    "vijftien": "15", "zestien": "16", "zeventien": "17", "achttien": "18", "negentien": "19",
    "twintig": "20", "dertig": "30", "veertig": "40", "vijftig": "50", "zestig": "60", "zeventig": "70",
    "tachtig": "80", "negentig": "90", "honderd": "100", "duizend": "1000",
}
# Words that only carry a number's unit: the number check compares units ("19%" = "19 procent").
_UNIT_WORDS = frozenset("procent percent mln miljoen mld miljard euro".split())
# Hedges that say the same ("ca. €3,0 miljard" = "ongeveer €3,0 miljard").
_SYNONYMS = {w: group for group in (frozenset("ongeveer circa ca rond omstreeks".split()),) for w in group}
# Separable verb prefixes before the "ge" of a participle ("voor-ge-steld", "in-ge-voerd").
_SEPARABLE = ("", "aan", "af", "bij", "door", "in", "mee", "na", "om", "onder", "op", "over", "toe", "uit", "voor", "terug", "samen", "vast")
_ORDINALS = {
    "eerste": "1", "tweede": "2", "derde": "3", "vierde": "4", "vijfde": "5", "zesde": "6", "zevende": "7",
    "achtste": "8", "negende": "9", "tiende": "10",
}

_MARKER = r"\[\s*\d+(?:\s*[-–,;]\s*\d+)*\s*\]"  # [1], [1, 3], [1;3], [1-3]
_CITATION = re.compile(_MARKER)
_CITATIONS = re.compile(rf"\s*(?:{_MARKER})+")
_TRAILING_MARKERS = re.compile(rf"([.!?])(\s*)((?:{_MARKER}\s*)*{_MARKER})")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
# Same letter class as assistant.text.tokenize, on text that keeps its case.
_TOKEN = re.compile(r"[0-9a-zà-öø-ÿ]+", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^([^\W\d_]{4,})(\d{1,2})$")  # "gemeenten4": a footnote number glued to a word
_LETTER_NUMBER = re.compile(r"\b([A-Za-z])-(\d+)\b")  # "H-10" -> "H10"
_NUM = r"\d+(?:[.,]\d+)*"
_NUMBER_EXPR = re.compile(
    rf"(?<![\w.,])(?:[Qq]([1-4])(?![\w])|({_NUM}(?:\s?[-–/]\s?{_NUM})*)(?![^\W\d_]))"
)
_UNIT_AFTER = re.compile(r"\s*(%|procent\b|percent\b|mln\b\.?|miljoen\b|min\b\.?|mld\b\.?|miljard\b)", re.IGNORECASE)
_EURO_BEFORE = re.compile(r"(€|euro)\s*$", re.IGNORECASE)
_SENTENCE_START = set(".!?:;•®@*#>-")


# ---- public data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    supported: bool
    score: float  # 0..1, share of the sentence's content words and numbers the passage covers
    reasons: tuple[str, ...] = ()  # short reasons when not supported


@dataclass(frozen=True)
class SentenceCheck:
    sentence: str  # as written in the answer, markers included
    citations: list[int]
    support: Support
    start: int  # offsets of `sentence` in the answer
    end: int
    is_claim: bool = True  # False for an allowed connecting phrase or heading (not counted)


# ---- public functions --------------------------------------------------------------------------


def strip_citations(sentence: str) -> tuple[str, list[int]]:
    """"Tekst [1][3]." -> ("Tekst.", [1, 3]); also "[1, 3]". Numbers in order of first mention."""
    cited: list[int] = []
    for m in _CITATION.finditer(sentence):
        for a, b in re.findall(r"(\d+)(?:\s*[-–]\s*(\d+))?", m.group()):
            first, last = int(a), int(b) if b else int(a)
            for n in range(first, min(last, first + 50) + 1) if last >= first else (first,):
                if n not in cited:
                    cited.append(n)
    text = _CITATIONS.sub("", sentence)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip(), cited


def check(sentence: str, passage: str) -> Support:
    """Is `sentence` (citation markers ignored) supported by `passage`? See the module docstring."""
    sentence, _ = strip_citations(_clean(sentence))
    sent = _analyse(sentence)
    if not sent.tokens:
        return Support(False, 0.0, ("lege zin",))
    items = len(sent.words) + len(sent.numbers)
    if not items:
        return Support(False, 0.0, ("geen controleerbare inhoud",))
    doc = _analyse_passage(_clean(passage))
    if not doc.tokens:
        return Support(False, 0.0, ("lege passage",))
    if _verbatim(sent, doc):
        return Support(True, 1.0, ())
    return _judge(sent, doc)


def check_answer(
    answer: str,
    passages: dict[int, str],
    allow_prefix: Callable[[str], bool] | None = None,
) -> list[SentenceCheck]:
    """Check every sentence of `answer` against the union of the passages it cites.

    A sentence without a marker is unsupported ("geen bronvermelding"); a marker n not in `passages`
    makes it unsupported ("bron [n] bestaat niet"). A connecting phrase ending in ':' at the start of
    a line, or a whole line without markers, is allowed without a citation when `allow_prefix`
    accepts it (default: `default_allow_prefix`); it is returned with `is_claim=False`.
    """
    allow = allow_prefix or default_allow_prefix
    checks: list[SentenceCheck] = []
    answer = answer or ""
    for line_start, line_end in _lines(answer):
        line = answer[line_start:line_end]
        cut = _allowed_prefix_end(line, allow)
        if cut is None and not _CITATION.search(line) and _safe_allow(allow, line.strip()):
            cut = len(line)
        if cut:
            checks.append(
                SentenceCheck(line[:cut].strip(), [], Support(True, 1.0, ()), line_start, line_start + len(line[:cut].rstrip()), False)
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


def attribution_filter(titles: Iterable[str]) -> Callable[[str], bool]:
    """A strict `allow_prefix`: a connecting phrase or heading that names one of `titles` exactly.

    Pass the titles as the answer shows them, with their date if it shows one, e.g. "Actieplan
    Bouwen aan toekomstbestendige jeugdhulp (april 2019)": "Volgens <title>:" is then allowed, a
    different date or any added word is not.
    """
    sequences = {_title_tokens(t) for t in titles} - {()}
    sequences |= {_title_tokens(_split_date(t)[0]) for t in titles} - {()}

    def allow(text: str) -> bool:
        body = _strip_heading_marks(text)
        if not body:
            return False
        body = _CONNECTOR_START.sub("", body)
        rest, date = _split_date(body)
        if date is None:
            return _title_tokens(body) in sequences
        return _title_tokens(body) in sequences or (
            _title_tokens(rest) in sequences and _title_tokens(rest + " " + date) in sequences
        )

    return allow


def default_allow_prefix(text: str) -> bool:
    """Allowed without citation: "Volgens <titel> (<datum>):"-style phrases and heading lines that say
    nothing beyond a document title and date.

    Either a document title of the corpus manifest with connecting words and a date, or a phrase that
    ends in ':' / is marked up as a heading / starts with a connecting word ("Volgens", "Bron", …),
    whose other words are capitalised (title words), document nouns or function words - no negation
    and no number outside a date in parentheses ("(april 2019)", "(7 oktober 2024)", "(2022)").
    A bare "Ja." or "Dat klopt." is not a heading: it stays a claim that needs a source.
    """
    raw = (text or "").strip()
    body = _strip_heading_marks(raw)
    if body is None:
        return False
    if not body:
        return True
    if _known_titles_filter()(raw):
        return True
    m = re.fullmatch(r"(?:(volgens|uit|bron|bronnen|zie|in|antwoord|samenvatting)\b:?\s*)?(.*?)\s*(?:\(([^()]*)\))?", body, re.IGNORECASE | re.S)
    if not m:
        return False
    connector, title, date = m.group(1), m.group(2), m.group(3)
    marked = raw.endswith(":") or raw[:1] in "*#_" or bool(connector)
    if not marked or (date is not None and not _is_date(date)):
        return False
    if not title:
        return True
    if re.search(r"\d", title) or len(title.split()) > 12:
        return False
    titled = False
    for tok in _TOKEN.finditer(title):
        word = tok.group()
        low = _fold(word.lower())
        if low in NEGATIONS:
            return False
        if low in _DOC_NOUNS or (word[0].isupper() and low not in STOPWORDS):
            titled = True
        elif not (low in STOPWORDS or low in _CONNECTORS or low in MONTHS):
            return False
    return titled or date is not None


# ---- analysis ----------------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """HTML-looking input: tags dropped, entities decoded."""
    text = str(text or "")
    if "<" in text or "&" in text:
        text = html.unescape(_HTML_TAG.sub(" ", text))
    return text


@dataclass
class _Token:
    raw: str  # as written (case kept)
    low: str  # lower case
    fold: str  # lower case, accents removed
    stem: str
    base: str
    start: int  # character offset in the analysed text
    unit: int = 0  # passage sentence index
    cpos: int = -1  # index among the non-stopword tokens


@dataclass
class _Number:
    kind: str  # "num", "range" (compound such as 15-12-2021 or 2106-18), "q" (quarter), "ord"
    value: str  # normalised: "6,8", "182000", "2020-2024", "1"
    unit: str  # "", "%", "mln", "mld"
    pos: int  # token index
    cpos: int
    text: str  # as written, for reasons
    parts: tuple[str, ...] = ()


@dataclass
class _Text:
    text: str
    tokens: list[_Token]
    words: dict[str, list[int]]  # content word (fold) -> token indices
    key: set[str]  # content words (fold) that are key words
    numbers: list[_Number]
    negations: list[int]  # token indices of negation words
    joined: str = ""  # " tok tok … " for the verbatim test
    units: int = 1
    vocab: dict[str, list[int]] = field(default_factory=dict)  # fold -> token indices (all tokens)
    by_stem: dict[str, list[str]] = field(default_factory=dict)
    by_base: dict[str, list[str]] = field(default_factory=dict)
    by_prefix: dict[str, list[str]] = field(default_factory=dict)  # first 4 letters -> folds
    by_suffix: dict[str, list[str]] = field(default_factory=dict)  # last 4 letters (fold and stem) -> folds


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def _stem(fold: str) -> str:
    """A light Dutch stemmer: enough to equate inflections (regionale/regionaal, gemeenten/gemeente,
    tarieven/tarief, budgetten/budget, ondersteund/ondersteunt)."""
    w = fold
    if len(w) <= 4 or not w.isalpha():
        return w
    if w.endswith("heden"):
        w = w[:-5] + "heid"
    elif w.endswith("en") and len(w) > 5:
        w = w[:-2]
    elif w.endswith("e") and len(w) > 4:
        w = w[:-1]
    elif w.endswith("s") and len(w) > 5 and w[-2] not in "aeiouysj'":
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]
    if w.endswith("d"):
        w = w[:-1] + "t"
    if len(w) > 3 and w[-1] not in "aeiou" and w[-2] == w[-3] and w[-2] in "aeou" and w[-4] not in "aeiou":
        w = w[:-3] + w[-2] + w[-1]
    if w.endswith("v"):
        w = w[:-1] + "f"
    elif w.endswith("z"):
        w = w[:-1] + "s"
    return w


@lru_cache(maxsize=1 << 16)
def _base(fold: str) -> str:
    """Verb and noun forms of one root: participle "ge" removed, "-ing" and a final t/d dropped
    ("voorgesteld"/"voorstel", "ingevoerd"/"invoering", "verwacht"/"verwachting")."""
    w = fold
    if len(w) >= 8 and w[-1] in "dt":
        for pre in _SEPARABLE:
            if w.startswith(pre + "ge") and len(w) - len(pre) - 2 >= 5:
                w = pre + w[len(pre) + 2 :]
                break
    for suf in ("ingen", "ing"):
        if w.endswith(suf) and len(w) - len(suf) >= 5:
            w = w[: -len(suf)]
            break
    w = _stem(w)
    if w.endswith("t") and len(w) >= 5:
        w = w[:-1]
    return w


def _start_positions(text: str) -> set[int]:
    """Character offsets of tokens that start a sentence (so their capital means nothing)."""
    starts: set[int] = set()
    # a token starts a sentence if only spaces/quotes/brackets stand between it and the text start
    # or a sentence-ending mark
    last_end = 0
    first = True
    for m in _TOKEN.finditer(text):
        between = text[last_end : m.start()]
        marks = between.strip(" \t\n\"'‘’“”()[]")
        if first or (marks and marks[-1] in _SENTENCE_START) or "\n" in between:
            starts.add(m.start())
        first = False
        last_end = m.end()
    return starts


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw[-1].isdigit() and not raw[0].isdigit():
            f = _FOOTNOTE.match(raw)
            if f:
                raw = f.group(1)
        low = raw.lower()
        fold, stem, base = _word_forms(low)
        out.append(_Token(raw, low, fold, stem, base, m.start()))
    return out


@lru_cache(maxsize=1 << 16)
def _word_forms(low: str) -> tuple[str, str, str]:
    fold = _fold(low)
    return fold, _stem(fold), _base(fold)


def _is_content(tok: _Token) -> bool:
    return _is_content_word(tok.low)


@lru_cache(maxsize=1 << 16)
def _is_content_word(low: str) -> bool:
    fold = _fold(low)
    if low in STOPWORDS or fold in STOPWORDS or len(fold) < 2 or fold in _UNIT_WORDS:
        return False
    if fold.isdigit() or low in _NUMBER_WORDS or fold in _ORDINALS or re.fullmatch(r"q[1-4]", fold):
        return False
    if not any(c.isalpha() for c in fold):
        return False
    return not _is_glued_stopwords(fold)


@lru_cache(maxsize=1 << 16)
def _is_glued_stopwords(fold: str) -> bool:
    """OCR glue of two function words: "eris" (er is), "erzijn" (er zijn)."""
    if fold in STOPWORDS:
        return True
    return any(fold[:i] in _GLUE and fold[i:] in STOPWORDS for i in range(2, len(fold) - 1))


def _norm_number(raw: str) -> str:
    found = numbers(raw)
    value = next(iter(found)) if found else raw
    if "," in value:
        whole, _, frac = value.partition(",")
        frac = frac.rstrip("0")
        value = f"{whole},{frac}" if frac else whole
    return value


def _numbers_in(text: str, tokens: list[_Token]) -> list[_Number]:
    starts = [t.start for t in tokens]
    out: list[_Number] = []

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
            out.append(_Number("q", m.group(1), "", pos, -1, m.group()))
            continue
        raw = m.group(2)
        parts = tuple(_norm_number(p) for p in re.split(r"\s?[-–/]\s?", raw))
        unit = ""
        after = _UNIT_AFTER.match(text, m.end())
        if after:
            u = after.group(1).lower().rstrip(".")
            if u in ("%", "procent", "percent"):
                unit = "%"
            elif u in ("mln", "miljoen") or (u == "min" and _EURO_BEFORE.search(text[max(0, m.start() - 3) : m.start()])):
                unit = "mln"
            elif u in ("mld", "miljard"):
                unit = "mld"
        if len(parts) > 1:
            out.append(_Number("range", "-".join(parts), unit, pos, -1, raw, parts))
        else:
            out.append(_Number("num", parts[0], unit, pos, -1, raw, parts))
    for i, tok in enumerate(tokens):
        if tok.low in _NUMBER_WORDS:
            unit = ""
            after = _UNIT_AFTER.match(text, tok.start + len(tok.raw))
            if after and after.group(1).lower() in ("%", "procent", "percent"):
                unit = "%"
            out.append(_Number("num", _NUMBER_WORDS[tok.low], unit, i, -1, tok.raw))
        elif tok.fold in _ORDINALS:
            out.append(_Number("ord", _ORDINALS[tok.fold], "", i, -1, tok.raw))
    out.sort(key=lambda n: n.pos)
    return out


def _analyse(text: str, units: list[tuple[int, int]] | None = None) -> _Text:
    text = _LETTER_NUMBER.sub(r"\1\2", unicodedata.normalize("NFKC", text))
    tokens = _tokens(text)
    if units:
        u = 0
        for tok in tokens:
            while u + 1 < len(units) and tok.start >= units[u + 1][0]:
                u += 1
            tok.unit = u
    cpos = 0
    for tok in tokens:
        if tok.fold in STOPWORDS or tok.low in STOPWORDS or tok.fold in _UNIT_WORDS or tok.fold in MONTHS:
            tok.cpos = cpos - 1 if cpos else 0  # belongs with the word before ("3 mln", "13 januari")
        else:
            tok.cpos = cpos
            cpos += 1
    starts = _start_positions(text)
    words: dict[str, list[int]] = {}
    key: set[str] = set()
    negations: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.low in NEGATIONS or tok.fold in NEGATIONS:
            negations.append(i)
        if not _is_content(tok):
            continue
        words.setdefault(tok.fold, []).append(i)
        if (
            len(tok.fold) >= KEY_LENGTH
            or tok.fold in CONTRAST_TERMS
            or tok.stem in _CONTRAST_STEMS
            or tok.fold in MONTHS
            or (tok.raw[0].isupper() and tok.start not in starts)
            or (len(tok.raw) >= 2 and tok.raw.isupper() and tok.raw.isalpha())
        ):
            key.add(tok.fold)
    nums = _numbers_in(text, tokens)
    for n in nums:
        n.cpos = tokens[n.pos].cpos if tokens else -1
    return _Text(text, tokens, words, key, nums, negations, " " + " ".join(t.fold for t in tokens) + " ", len(units or [1]))


@lru_cache(maxsize=256)
def _analyse_passage(passage: str) -> _Text:
    # Offsets must refer to the analysed (NFKC, "H-10" -> "H10") text: split that text.
    norm = _LETTER_NUMBER.sub(r"\1\2", unicodedata.normalize("NFKC", passage))
    units = split_sentences(norm) or [(0, len(norm))]
    doc = _analyse(norm, units)
    for i, tok in enumerate(doc.tokens):
        doc.vocab.setdefault(tok.fold, []).append(i)
    for fold, idx in doc.vocab.items():
        stem = doc.tokens[idx[0]].stem
        doc.by_stem.setdefault(stem, []).append(fold)
        doc.by_base.setdefault(doc.tokens[idx[0]].base, []).append(fold)
        doc.by_prefix.setdefault(fold[:4], []).append(fold)
        doc.by_suffix.setdefault(fold[-4:], []).append(fold)
        if stem[-4:] != fold[-4:]:
            doc.by_suffix.setdefault(stem[-4:], []).append(fold)
    return doc


_CONTRAST_STEMS = frozenset(_stem(_fold(w)) for w in CONTRAST_TERMS)
_CONNECTORS = frozenset(
    "volgens uit in bron bronnen zie aldus antwoord samenvatting samengevat conform blijkens het de een van op d.d dd d".split()
)
_DOC_NOUNS = frozenset(
    """actieplan raadsbesluit raadsvoorstel raadsinformatiebrief informatieblad webpagina website pagina update document
    notitie brief memo rapport rapportage toelichting bijlage besluit motie verordening beleidsplan gemeente zoetermeer""".split()
)


# ---- matching ----------------------------------------------------------------------------------


def _strict_pair(s: str, s_stem: str, p: str, p_stem: str) -> bool:
    """Same word up to inflection, a compound whose last part is the word, or one OCR error."""
    if s == p or s_stem == p_stem:
        return True
    short, long_ = (s, p) if len(s) <= len(p) else (p, s)
    if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _INFLECTIONS:
        return True
    # compound head: the passage word ends in the sentence word ("aanbieders" in "jeugdhulpaanbieders")
    for word in (s, s_stem):
        if len(word) >= LOOSE_MIN:
            for cand in (p, p_stem):
                if len(cand) > len(word) and cand.endswith(word):
                    rest = cand[: -len(word)]
                    if rest not in _BLOCKING_PREFIXES and (len(rest) >= 3 or rest in _GLUE):
                        return True
    # OCR glue in the sentence ("metingang" quoted, passage has "met ingang" or vice versa)
    if len(s) > len(p) and len(p) >= 4:
        for g in _GLUE:
            if s.startswith(g) and s[len(g) :] in (p, p_stem) and len(s) - len(g) >= 4:
                return True
    if len(short) >= FUZZY_MIN and abs(len(s) - len(p)) <= 1 and _one_edit(s, p):
        return s not in CONTRAST_TERMS and p not in CONTRAST_TERMS
    return False


def _loose_pair(s: str, p: str) -> bool:
    short, long_ = (s, p) if len(s) <= len(p) else (p, s)
    return len(short) >= LOOSE_MIN and long_.startswith(short)


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1, or one swap of neighbouring letters."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _match_positions(word: str, key: bool, doc: _Text) -> list[int]:
    """Token indices in the passage where the sentence word `word` (fold) is found."""
    stem = _stem(word)
    found: set[str] = set()
    if word in doc.vocab:
        found.add(word)
    found.update(doc.by_stem.get(stem, ()))
    if len(word) >= LOOSE_MIN:
        found.update(doc.by_base.get(_base(word), ()))
    for syn in _SYNONYMS.get(word, ()):
        if syn in doc.vocab:
            found.add(syn)
    candidates = set(doc.by_prefix.get(word[:4], ()))
    candidates.update(doc.by_suffix.get(word[-4:], ()))
    candidates.update(doc.by_suffix.get(stem[-4:], ()))
    for g in _GLUE:  # sentence word glued by OCR: look up its remainder
        if word.startswith(g) and len(word) - len(g) >= 4:
            candidates.update(doc.by_prefix.get(word[len(g) : len(g) + 4], ()))
    for cand in candidates - found:
        c_stem = doc.tokens[doc.vocab[cand][0]].stem
        if _strict_pair(word, stem, cand, c_stem) or (not key and _loose_pair(word, cand)):
            found.add(cand)
    positions = sorted(i for f in found for i in doc.vocab[f])
    if not positions:
        positions = _split_verb_positions(word, doc)
    return positions


def _split_verb_positions(word: str, doc: _Text) -> list[int]:
    """A separable verb written apart in the passage: "aansluiten" in "aan te laten sluiten",
    "toeleiden" in "toe te leiden"."""
    for pre in _SEPARABLE[1:]:
        rest = word[len(pre) :]
        if word.startswith(pre) and len(rest) >= 4 and pre in doc.vocab:
            rest_stem = _stem(rest)
            out = []
            for j in doc.vocab[pre]:
                for i in range(j + 1, min(len(doc.tokens), j + 4)):
                    t = doc.tokens[i]
                    if t.fold == rest or t.stem == rest_stem:
                        out.append(i)
            if out:
                return out
    return []


def _number_matches(n: _Number, doc: _Text) -> list[_Number]:
    out = []
    for m in doc.numbers:
        if n.kind in ("q", "ord"):
            ok = m.kind == n.kind and m.value == n.value
        elif n.kind == "range":
            ok = m.kind == "range" and m.parts == n.parts
        else:
            ok = m.kind in ("num", "range") and n.value in (m.parts or (m.value,))
            if ok and n.unit == "%" and m.unit != "%":
                ok = False
            if ok and (n.unit in ("mln", "mld") or m.unit in ("mln", "mld")) and n.unit != m.unit:
                ok = False
        if ok:
            out.append(m)
    return out


# ---- judging -----------------------------------------------------------------------------------


def _verbatim(sent: _Text, doc: _Text) -> bool:
    """The sentence's words occur in this order in the passage, as a whole sentence or clause
    (starting and ending at a sentence or punctuation boundary), with no negation just before it."""
    needle = sent.joined
    at = doc.joined.find(needle)
    while at >= 0:
        first = doc.joined.count(" ", 0, at)  # token index of the match start
        last = first + len(sent.tokens) - 1
        # Only a negation in the same passage sentence can negate the quote ("… niet doorbroken worden. Om …").
        before = [t for t in doc.tokens[max(0, first - NEG_BEFORE) : first] if t.unit == doc.tokens[first].unit]
        negated = any(t.low in NEGATIONS or t.fold in NEGATIONS for t in before) and not sent.negations
        if not negated and _at_boundary(doc, first, before=True) and _at_boundary(doc, last, before=False):
            return True
        at = doc.joined.find(needle, at + 1)
    return False


def _at_boundary(doc: _Text, i: int, before: bool) -> bool:
    tokens = doc.tokens
    j = i - 1 if before else i + 1
    if j < 0 or j >= len(tokens) or tokens[j].unit != tokens[i].unit:
        return True
    a, b = (tokens[j], tokens[i]) if before else (tokens[i], tokens[j])
    between = doc.text[a.start + len(a.raw) : b.start]
    return bool(re.search(r"[.,;:!?()•®@–\-\[\]\"'‘’“”]", between))


def _judge(sent: _Text, doc: _Text) -> Support:
    reasons: list[str] = []
    # where each content word and number is found, by passage sentence
    word_pos = {w: _match_positions(w, w in sent.key, doc) for w in sent.words}
    num_occ = [_number_matches(n, doc) for n in sent.numbers]

    # items (words, then numbers) present per passage sentence
    unit_items: list[set[int]] = [set() for _ in range(doc.units)]
    for k, w in enumerate(sent.words):
        for i in word_pos[w]:
            unit_items[doc.tokens[i].unit].add(k)
    offset = len(sent.words)
    for k, occ in enumerate(num_occ):
        for m in occ:
            unit_items[doc.tokens[m.pos].unit].add(offset + k)
    contrast = {k for k, w in enumerate(sent.words) if w in CONTRAST_TERMS or _stem(w) in _CONTRAST_STEMS}
    lo = hi = 0
    chosen: set[int] | None = None
    for size in range(1, min(MAX_WINDOW, doc.units) + 1):
        size_best: tuple[set[int], int] | None = None
        for start in range(doc.units - size + 1):
            covered = set().union(*unit_items[start : start + size])
            if size_best is None or len(covered) > len(size_best[0]):
                size_best = (covered, start)
        covered, start = size_best
        if chosen is not None:
            gain = covered - chosen
            extra = size - (hi - lo + 1)
            enough = len(covered) >= len(chosen) + MIN_GAIN * extra
            # one more sentence for one more plain word: "… Dit geldt ook voor de gemeente Zoetermeer."
            referent = extra == 1 and chosen <= covered and gain and all(k < offset and k not in contrast for k in gain)
            if not (enough or referent):
                continue
        chosen, lo, hi = covered, start, start + size - 1
    in_window = lambda i: lo <= doc.tokens[i].unit <= hi  # noqa: E731

    missing = [w for w in sent.words if not any(in_window(i) for i in word_pos[w])]
    found_numbers = 0
    chosen_numbers: list[list[_Number]] = []
    for n, occ in zip(sent.numbers, num_occ):
        local = [m for m in occ if in_window(m.pos)]
        chosen_numbers.append(local)
        if local:
            found_numbers += 1
        elif occ:
            reasons.append(f"getal {_shown(n)} staat in de passage in een ander verband")
        else:
            reasons.append(f"getal {_shown(n)} niet in passage")
    reasons += _pair_problems(sent, chosen_numbers)
    reasons += _anchor_problems(sent, doc, word_pos, chosen_numbers, in_window)
    reasons += _competing_numbers(sent, doc, word_pos, chosen_numbers, in_window)

    total = len(sent.words) + len(sent.numbers)
    score = (len(sent.words) - len(missing) + found_numbers) / total

    missing_key = [w for w in missing if w in sent.key]
    if missing_key:
        reasons.append("sleutelwoorden ontbreken: " + ", ".join(missing_key))
    reasons += _substitutions(sent, doc, word_pos, chosen_numbers, in_window, set(missing) - set(missing_key))
    if score < MIN_COVERAGE:
        reasons.append(f"inhoudswoorden ontbreken: {', '.join(missing) or '-'} (dekking {score:.2f} < {MIN_COVERAGE:.2f})")

    # the matched stretch of the window, for negations and opposites
    positions = [i for w in sent.words for i in word_pos[w] if in_window(i)]
    positions += [m.pos for local in chosen_numbers for m in local]
    if positions:
        a, b = _tightest_span(sent, word_pos, chosen_numbers, in_window)
        start = max(0, a - NEG_BEFORE)
        while start > max(0, a - NEG_CLAUSE) and not _at_boundary(doc, start, before=True):
            start -= 1
        # Never past the passage sentences that hold the match ("… niet doorbroken worden. Om …").
        while start < a and doc.tokens[start].unit != doc.tokens[a].unit:
            start += 1
        end = min(len(doc.tokens), b + NEG_AFTER + 1)
        while end - 1 > b and doc.tokens[end - 1].unit != doc.tokens[b].unit:
            end -= 1
        region = range(start, end)
        passage_neg = [doc.tokens[i].low for i in region if doc.tokens[i].low in NEGATIONS or doc.tokens[i].fold in NEGATIONS]
        if sent.negations and not passage_neg:
            reasons.append("ontkenning ontbreekt in passage: " + sent.tokens[sent.negations[0]].low)
        elif passage_neg and not sent.negations:
            reasons.append("passage bevat een ontkenning die in de zin ontbreekt: " + passage_neg[0])
        window_words = {doc.tokens[i].fold for i in region}
        sent_words = {t.fold for t in sent.tokens}
        for word, opposite in _OPPOSITE_STOPWORDS.items():
            if word in sent_words and word not in window_words and opposite in window_words and opposite not in sent_words:
                reasons.append(f"tegengestelde term: '{word}' in zin, '{opposite}' in passage")
    elif not reasons:
        reasons.append("geen overlap met de passage")

    return Support(not reasons, round(score, 3), tuple(reasons))


def _sentence_items(sent: _Text, word_pos, chosen_numbers, in_window) -> list[tuple[int, str, list[int]]]:
    """Content items of the sentence in order: (cpos, label, passage cpos of their matches in the window)."""
    items = []
    for w, idx in sent.words.items():
        where = [i for i in word_pos[w] if in_window(i)]
        for i in idx:
            items.append((sent.tokens[i].cpos, w, where))
    for n, local in zip(sent.numbers, chosen_numbers):
        items.append((n.cpos, n.text, [m.pos for m in local]))
    items.sort(key=lambda x: x[0])
    return items


def _anchor_problems(sent: _Text, doc: _Text, word_pos, chosen_numbers, in_window) -> list[str]:
    """A number must stand near (≤ PAIR_PASSAGE + 1 content words) one of the found words or numbers
    next to it in the sentence: "(2106-18) is afgedaan" needs "afgedaan" by 2106-18 in the passage."""
    problems = []
    items = _sentence_items(sent, word_pos, chosen_numbers, in_window)
    for n, local in zip(sent.numbers, chosen_numbers):
        if not local:
            continue
        neighbours = [
            where for cpos, label, where in items
            if where and label != n.text and 0 < abs(cpos - n.cpos) <= 2
        ]
        if not neighbours:
            continue
        near = any(
            abs(doc.tokens[i].cpos - m.cpos) <= PAIR_PASSAGE + 1 for m in local for where in neighbours for i in where
        )
        if not near:
            problems.append(f"getal {_shown(n)} staat in de passage bij iets anders")
    return problems


def _shown(n: _Number) -> str:
    """A number as in a reason: "33%", "6,8 mln.", "Q1", "2106-18"."""
    if n.kind == "q":
        return f"Q{n.value}"
    return n.text + {"%": "%", "mln": " mln.", "mld": " mld."}.get(n.unit, "")


def _number_type(n: _Number) -> str:
    if n.unit:
        return n.unit
    if n.kind == "num" and re.fullmatch(r"(19|20)\d\d", n.value):
        return "year"
    return n.kind


def _competing_numbers(sent: _Text, doc: _Text, word_pos, chosen_numbers, in_window) -> list[str]:
    """A window of several passage sentences: a sentence that lends words to the claim must not hold
    another number of the same kind ("33%" there, "40%" in the claim from the sentence before)."""
    problems = []
    word_units: set[int] = set()
    for w in sent.words:
        word_units |= {doc.tokens[i].unit for i in word_pos[w] if in_window(i)}
    values = {n.value for n in sent.numbers} | {p for n in sent.numbers for p in n.parts}
    for n, local in zip(sent.numbers, chosen_numbers):
        if not local:
            continue
        own = {doc.tokens[m.pos].unit for m in local}
        kind = _number_type(n)
        for m in doc.numbers:
            u = doc.tokens[m.pos].unit
            if u in own or u not in word_units or not in_window(m.pos):
                continue
            if _number_type(m) == kind and m.value not in values:
                problems.append(f"getal {_shown(n)}: de passage noemt daar {_shown(m)}")
                break
    return problems


def _substitutions(sent: _Text, doc: _Text, word_pos, chosen_numbers, in_window, missing: set[str]) -> list[str]:
    """A missing word whose place in the passage (between the same found neighbours) holds another
    content word: a swapped term ("primair onderwijs" for "voortgezet onderwijs")."""
    if not missing:
        return []
    matched = {i for w in sent.words for i in word_pos[w] if in_window(i)}
    matched |= {m.pos for local in chosen_numbers for m in local}
    by_cpos = {t.cpos: i for i, t in enumerate(doc.tokens) if t.cpos >= 0 and (i == 0 or doc.tokens[i - 1].cpos != t.cpos)}
    items = _sentence_items(sent, word_pos, chosen_numbers, in_window)
    problems = []
    for k, (cpos, label, where) in enumerate(items):
        if label not in missing or where:
            continue
        prev = next((it for it in reversed(items[:k]) if it[2]), None)
        nxt = next((it for it in items[k + 1 :] if it[2]), None)
        if not prev or not nxt or nxt[0] - prev[0] > 3:
            continue
        best = None
        for a in prev[2]:
            for b in nxt[2]:
                gap = doc.tokens[b].cpos - doc.tokens[a].cpos
                if 0 < gap <= nxt[0] - prev[0] + 1 and (best is None or gap < best[0]):
                    best = (gap, a, b)
        if best is None:
            continue
        _, a, b = best
        others = [
            doc.tokens[i].raw
            for c in range(doc.tokens[a].cpos + 1, doc.tokens[b].cpos)
            if (i := by_cpos.get(c)) is not None and i not in matched and _is_content(doc.tokens[i])
        ]
        if others:
            problems.append(f"woord vervangen: '{label}' in zin, '{' '.join(others)}' in passage")
    return problems


def _pair_problems(sent: _Text, local: list[list[_Number]]) -> list[str]:
    """Two numbers side by side in the sentence must stand side by side in the passage too."""
    problems = []
    nums = sent.numbers
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            a, b = nums[i], nums[j]
            if "ord" in (a.kind, b.kind) or b.cpos - a.cpos > PAIR_SENTENCE or a.value == b.value:
                continue
            if not local[i] or not local[j]:
                continue  # already reported
            same_unit = bool(a.unit) and a.unit == b.unit
            ok = any(
                abs(y.cpos - x.cpos) <= PAIR_PASSAGE and (not same_unit or x.cpos < y.cpos or x.pos < y.pos)
                for x in local[i]
                for y in local[j]
                if x is not y
            )
            if not ok:
                problems.append(f"getallen {_shown(a)} en {_shown(b)} horen in de passage niet bij elkaar")
    return problems


def _tightest_span(sent: _Text, word_pos, chosen_numbers, in_window) -> tuple[int, int]:
    """Smallest token span of the window that holds one match of every found word and number."""
    events: list[tuple[int, int]] = []
    groups = 0
    for w in sent.words:
        pos = [i for i in word_pos[w] if in_window(i)]
        if pos:
            events += [(i, groups) for i in pos]
            groups += 1
    for local in chosen_numbers:
        if local:
            events += [(m.pos, groups) for m in local]
            groups += 1
    events.sort()
    counts = [0] * groups
    have = 0
    best = (events[0][0], events[-1][0])
    left = 0
    for right, (pos, g) in enumerate(events):
        if counts[g] == 0:
            have += 1
        counts[g] += 1
        while have == groups:
            if pos - events[left][0] < best[1] - best[0]:
                best = (events[left][0], pos)
            lg = events[left][1]
            counts[lg] -= 1
            if counts[lg] == 0:
                have -= 1
            left += 1
    return best


# ---- answers -----------------------------------------------------------------------------------


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


_CLAUSE_SPLIT = re.compile(r"\s*(?:;|,?\s+(?:en|maar|terwijl)\s+)\s*")


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
        sub = _analyse(clause)
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
        if _CITATION.search(prefix):
            break
        if _safe_allow(allow, prefix.strip()):
            best = m.end()
    return best


def _strip_heading_marks(text: str) -> str | None:
    """The text of a heading/prefix without markdown marks and the final ':'; None if it ends a
    sentence (then it is not a heading) or is too long to be one."""
    body = (text or "").strip().strip("*_#>•-– \t").strip()
    body = body.rstrip(":").strip().strip("*_").strip()
    if len(body) > 200 or _CITATION.search(body):
        return None
    return body


def _is_date(text: str) -> bool:
    t = normalize(text).strip()
    months = "|".join(MONTHS)
    return bool(
        re.fullmatch(rf"(?:(?:\d{{1,2}}\s+)?(?:{months})\s+)?(?:19|20)\d\d", t)
        or re.fullmatch(r"(?:19|20)\d\d(?:-\d\d){0,2}", t)
        or re.fullmatch(r"\d{1,2}-\d{1,2}-(?:19|20)\d\d", t)
    )


def _title_tokens(text: str) -> tuple[str, ...]:
    return tuple(_fold(t) for t in _TOKEN.findall(normalize(text)))


def _split_date(text: str) -> tuple[str, str | None]:
    """("Actieplan", "(april 2019)") for "Actieplan (april 2019)"; (text, None) without a final date."""
    m = re.fullmatch(r"(.*?)\s*(\(([^()]*)\))", text.strip(), re.S)
    if m and _is_date(m.group(3)):
        return m.group(1), m.group(2)
    return text, None


_CONNECTOR_START = re.compile(r"^(?:(?:volgens|uit|bron|bronnen|zie|in|het|de|een|van)\b[:\s]+)+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _known_titles_filter() -> Callable[[str], bool]:
    """Titles of the corpus manifest, each with any date: "Volgens <titel> (<datum>):"."""
    titles: set[tuple[str, ...]] = set()
    try:
        manifest = Path(__file__).resolve().parent.parent / "corpus" / "manifest.toml"
        with open(manifest, "rb") as fh:
            data = tomllib.load(fh)
        titles = {_title_tokens(str(e["title"])) for e in data.values() if isinstance(e, dict) and e.get("title")}
    except (OSError, tomllib.TOMLDecodeError):
        pass
    titles.discard(())

    def allow(text: str) -> bool:
        body = _strip_heading_marks(text)
        if not body or not titles:
            return False
        rest, _ = _split_date(_CONNECTOR_START.sub("", body))
        return _title_tokens(rest) in titles

    return allow
