"""Dutch text utilities shared by ingestion, retrieval, answering and verification.

Written here rather than taken from NLTK/llama-index because their sentence
splitters are English: Dutch abbreviations (o.a., bijv., t.a.v., d.d.) and
initials (drs. R. Blokland) end sentences there, which would cut citations
in half. No stemming: on this corpus it did not help BM25 (see NOTES-stack).
"""

from __future__ import annotations

import re
import unicodedata

# Snowball's Dutch stop list plus question words and verbs that carry no content ("Wat gebeurt er met …").
STOPWORDS = frozenset(
    """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
    ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen
    maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen
    toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij
    zijn zo zonder zou welke welk waarom wanneer waar hoeveel waarin waarop waarmee wordt werden zullen kunt kun
    gaat gaan komt staat stond staan heeft hadden had worden geworden zoals sinds tussen binnen per via dan
    gebeurt gebeurd doet gedaan betekent houdt hield zegt precies eigenlijk graag weten vertel uitleggen
    the a an of to is are what which who when how does do and in on for
    """.split()
)

NEGATIONS = frozenset("niet geen nooit niets niemand nergens noch zonder onvoldoende".split())

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    o.a bijv b.v art blz t.a.v d.d i.p.v m.b.t e.d enz nr nrs mln mld jl drs dhr mevr ca incl excl evt resp
    z.g zgn ir ing mr dr prof vgl t.b.v i.v.m m.u.v o.b.v p.m a.s j.l e.a c.q n.a.v m.i.v v.a
    """.split()
)

_WORD = re.compile(r"[0-9a-zà-öø-ÿ]+", re.IGNORECASE)
_BOUNDARY = re.compile(r"[.!?]+[\"'’”)]*\s+(?=[\"'‘“(]?[A-ZÀ-Ý0-9•€])|\n+")


def normalize(text: str) -> str:
    """NFKC (undoes ligatures such as 'ﬁ') and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; hyphenated compounds split into their parts."""
    return _WORD.findall(normalize(text))


def content_words(text: str) -> list[str]:
    """Tokens that carry meaning: no stopwords, no one-letter tokens."""
    return [t for t in tokenize(text) if t not in STOPWORDS and len(t) > 1]


def _ends_in_abbreviation(text: str, dot: int) -> bool:
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(":
        start -= 1
    word = text[start:dot].lower().rstrip(".")
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    # An initial such as "R." in "drs. R. Blokland", or "a." in a list "a. De toegang".
    return len(word) == 1 and word.isalpha()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in `text` (line breaks also end one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group().strip() and (
            _ends_in_abbreviation(text, m.start()) or text[start : m.start()].strip().isdigit()
        ):
            continue  # "o.a." or the enumerator of a list item ("1. Naar aanleiding …")
        end = m.start() + len(m.group().rstrip())
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[str]:
    """Numbers as written, with thousands separators and trailing zeros unified.

    "€ 6,8 mln." -> {"6,8"}; "15-12-2021" -> {"15", "12", "2021"}; "182.000" -> {"182000"}.
    """
    found = set()
    for raw in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            raw = raw.replace(".", "")
        found.add(raw.replace(".", ","))
    return found


def years(text: str) -> set[str]:
    return {n for n in numbers(text) if re.fullmatch(r"(19|20)\d\d", n)}
