"""Dutch text vocabulary shared by ingestion, retrieval, answering and verification: stopwords,
negations, months and dates, tokens, sentences, numbers, the citation-marker grammar and one family
of light stemming helpers.

Written here rather than taken from NLTK/llama-index because their sentence
splitters are English: Dutch abbreviations (o.a., bijv., t.a.v., d.d.) and
initials (drs. R. Blokland) end sentences there, which would cut citations
in half. The stemming helpers serve word matching (answer coverage, the faithfulness checker),
not BM25: a Snowball stemmer did not help BM25 on this corpus (see NOTES-stack).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

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

MONTHS = tuple("januari februari maart april mei juni juli augustus september oktober november december".split())

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    o.a bijv b.v art blz t.a.v d.d i.p.v m.b.t e.d enz nr nrs mln mld jl drs dhr mevr ca incl excl evt resp
    z.g zgn ir ing mr dr prof vgl t.b.v i.v.m m.u.v o.b.v p.m a.s j.l e.a c.q n.a.v m.i.v v.a
    """.split()
)

# A word token: letters (Latin-1 accented included) and digits. Case-insensitive, so it also finds
# tokens in text that keeps its case.
WORD = re.compile(r"[0-9a-zà-öø-ÿ]+", re.IGNORECASE)
_BOUNDARY = re.compile(r"[.!?]+[\"'’”)]*\s+(?=[\"'‘“(]?[A-ZÀ-Ý0-9•€])|\n+")


def normalize(text: str) -> str:
    """NFKC (undoes ligatures such as 'ﬁ') and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


# What tells two quotations of a sentence apart only on the page: spacing, line-break hyphenation
# ("POH- jeugd", "jeugd-\nhulp"), soft hyphens and final punctuation.
_LAYOUT_ONLY = re.compile(r"[\s\u00ad\-\u2010\u2011]+")


# A list enumerator before a sentence ("1. ", "a) ", "• "): the same sentence, numbered on one page and not on another.
_ENUMERATOR_START = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-h][.)]|[ivx]{1,4}[.)]|•)\s+")


def sentence_key(text: str) -> str:
    """Equal for the same sentence written with other case, spacing or hyphenation (for quoting it once)."""
    return _LAYOUT_ONLY.sub("", _ENUMERATOR_START.sub("", normalize(text))).rstrip(".!?;:")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; hyphenated compounds split into their parts."""
    return WORD.findall(normalize(text))


def char_ngrams(tokens: list[str], n: int = 5) -> list[str]:
    """Character n-grams of each token with its boundaries marked ("#jeugd#" -> "#jeug", "jeugd",
    "eugd#"): the second BM25 field, so a compound ("jeugdhulpaanbieders") and its parts
    ("aanbieders", "jeugdhulp") share terms. A token shorter than n gives itself, marked."""
    out = []
    for t in tokens:
        t = f"#{t}#"
        out += [t[i : i + n] for i in range(max(1, len(t) - n + 1))]
    return out


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
        if m.group().strip() and (_ends_in_abbreviation(text, m.start()) or text[start : m.start()].strip().isdigit()):
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


def is_year(number: str) -> bool:
    """A number as `numbers` gives it that reads as a year (1900-2099)."""
    return bool(re.fullmatch(r"(19|20)\d\d", number))


def years(text: str) -> set[str]:
    return {n for n in numbers(text) if is_year(n)}


# ---- dates -------------------------------------------------------------------------------------


def dutch_date(iso: str) -> str:
    """ "2024-10-07" -> "7 oktober 2024", "2019-04" -> "april 2019"; anything else unchanged."""
    parts = iso.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = MONTHS[int(parts[1]) - 1]
        if len(parts) == 3 and parts[2].isdigit():
            return f"{int(parts[2])} {month} {parts[0]}"
        return f"{month} {parts[0]}"
    return iso


# ---- citation markers --------------------------------------------------------------------------

# One marker: "[1]", "[1, 3]", "[1;3]", "[1-3]" (also with an en dash); "[1][3]" is two markers.
MARKER = r"\[\s*\d+(?:\s*[-–,;]\s*\d+)*\s*\]"
MARKER_RE = re.compile(MARKER)
_MARKER_RUN = re.compile(rf"\s*(?:{MARKER})+")  # a run of markers with the space before it
_MAX_RANGE = 50  # "[1-9999]" must not expand into thousands of citations


def citation_numbers(text: str) -> list[int]:
    """The passage numbers cited in `text`, in order of first mention: "a [2] b [1-3]" -> [2, 1, 3].
    A range expands ("[1-3]" -> 1, 2, 3; at most 51 numbers); a reversed one ("[3-1]") gives its first."""
    cited: list[int] = []
    for m in MARKER_RE.finditer(text):
        for a, b in re.findall(r"(\d+)(?:\s*[-–]\s*(\d+))?", m.group()):
            first, last = int(a), int(b) if b else int(a)
            for n in range(first, min(last, first + _MAX_RANGE) + 1) if last >= first else (first,):
                if n not in cited:
                    cited.append(n)
    return cited


def strip_citations(sentence: str) -> tuple[str, list[int]]:
    """ "Tekst [1][3]." -> ("Tekst.", [1, 3]): the text without markers (no space left before
    punctuation) and `citation_numbers`."""
    text = _MARKER_RUN.sub("", sentence)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip(), citation_numbers(sentence)


# ---- light stemming: one family for the answerer and the faithfulness checker --------------------
# Written here, not taken from Snowball: Snowball's Dutch stemmer did not help retrieval on this corpus
# and conflates words the checker must keep apart; these helpers only equate inflections and roots.

# Separable verb prefixes before the "ge" of a participle ("voor-ge-steld", "in-ge-voerd"); "" first.
SEPARABLE_PREFIXES = (
    "",
    "aan",
    "af",
    "bij",
    "door",
    "in",
    "mee",
    "na",
    "om",
    "onder",
    "op",
    "over",
    "toe",
    "uit",
    "voor",
    "terug",
    "samen",
    "vast",
)


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """`word` without accents ("geïnvesteerd" -> "geinvesteerd"); case unchanged."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def stem(folded: str) -> str:
    """A light Dutch stemmer for a folded lower-case word: enough to equate inflections
    (regionale/regionaal, gemeenten/gemeente, tarieven/tarief, budgetten/budget, ondersteund/ondersteunt)."""
    w = folded
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
def root(folded: str) -> str:
    """Verb and noun forms of one root: participle "ge" removed, "-ing" and a final t/d dropped
    ("voorgesteld"/"voorstel", "ingevoerd"/"invoering", "verwacht"/"verwachting")."""
    w = folded
    if len(w) >= 8 and w[-1] in "dt":
        for pre in SEPARABLE_PREFIXES:
            if w.startswith(pre + "ge") and len(w) - len(pre) - 2 >= 5:
                w = pre + w[len(pre) + 2 :]
                break
    for suf in ("ingen", "ing"):
        if w.endswith(suf) and len(w) - len(suf) >= 5:
            w = w[: -len(suf)]
            break
    w = stem(w)
    if w.endswith("t") and len(w) >= 5:
        w = w[:-1]
    return w


def same_stem(a: str, b: str) -> bool:
    """Loose: compounds and inflections of lower-case tokens ("jeugdhulp"/"jeugdhulpaanbieders",
    "herpositionering"/"herpositioneren", "maatregel"/"maatregelen"); words under 5 letters never."""
    if len(a) < 5 or len(b) < 5:
        return False
    if a.startswith(b) or b.startswith(a):
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 6 and len(a) - n <= 3 and len(b) - n <= 3


def found_in(term: str, words) -> bool:
    """`term` is among `words`: itself, an inflection, or a compound that starts with it ("jeugdhulp" in
    "jeugdhulpaanbieders"). A compound term of which only the first part is there needs its head too:
    Dutch puts the head last, so a text with "milieu" is not about a "milieuzone", while "budget voor
    jeugdhulp" is about the "jeugdhulpbudget" (`same_stem` alone counts the first part as the word)."""
    if term in words:
        return True
    for x in words:
        if not same_stem(term, x):
            continue
        if not term.startswith(x) or len(term) - len(x) <= 3:
            return True
        if any(y != x and (y.startswith(h) or y.endswith(h)) for h in compound_heads(term[len(x) :]) for y in words):
            return True
    return False


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """The dictionary form of a lower-case Dutch word ("kregen" -> "krijgen", "hoefden" -> "hoeven",
    "kinderen" -> "kind"); a separable verb keeps its particle apart ("opgeheven" -> "op_heffen"); an unknown
    word stays itself. simplemma's Dutch word list ships inside its wheel (nothing is downloaded); the prefix
    rules of `same_stem` cannot join the irregular forms questions use to the forms documents use."""
    if not word:  # simplemma raises on an empty string
        return word
    import simplemma  # loads its Dutch dictionary on first use (~0.3 s)

    return simplemma.lemmatize(word, lang="nl")


def verb_form(word: str) -> bool:
    """`word` is an inflected verb ("opgeheven", "adviseert", "kregen"): its dictionary form differs and is an
    infinitive. Such a word says what happened to the subject, not what the subject is."""
    base = lemma(word)
    return base != word and (base.endswith("en") or "_" in base)


def compound_heads(rest: str) -> set[str]:
    """What may be the head of a compound after its first part: `rest`, without a linking s, e or en
    ("toerist|en|belasting", "bedrijf|s|ruimte"); heads under 3 letters are none."""
    heads = {rest, rest[1:] if rest[:1] in ("s", "e") else rest, rest[2:] if rest.startswith("en") else rest}
    return {h for h in heads if len(h) >= 3}


def same_word(a: str, b: str) -> bool:
    """Strict: the same word up to an inflection ("jongeren"/"jongere", "aanbieders"/"aanbieder"), not a
    compound that merely starts with it ("jeugdhulpaanbieders" is not "jeugdhulp")."""
    if a == b:
        return True
    n = len(os.path.commonprefix([a, b]))
    return n >= 4 and len(a) - n <= 3 and len(b) - n <= 3


def counts_as(focus: str, word: str) -> bool:
    """`word` names the thing `focus` counts: the same word inflected, or a compound ending in it
    (Dutch puts the head last: a "jeugdregio" is a "regio")."""
    return any(same_word(focus, word[-k:]) for k in range(max(4, len(focus) - 3), min(len(word), len(focus) + 3) + 1))
