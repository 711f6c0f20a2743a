"""Analysis of a sentence or passage for the faithfulness checker: tokens with their folded, stemmed
and root forms, content words, numbers and negations, and (for a passage) indexes for word lookup."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import MONTHS, NEGATIONS, STOPWORDS, WORD, split_sentences
from .lexicon import UNIT_WORDS, Number, is_content_word, numbers_in, word_forms

_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_FOOTNOTE = re.compile(r"^([^\W\d_]{4,})(\d{1,2})$")  # "gemeenten4": a footnote number glued to a word
_LETTER_NUMBER = re.compile(r"\b([A-Za-z])-(\d+)\b")  # "H-10" -> "H10"
_SENTENCE_START = set(".!?:;•®@*#>-")


@dataclass
class Token:
    raw: str  # as written (case kept)
    low: str  # lower case
    fold: str  # lower case, accents removed
    stem: str
    base: str  # root (`assistant.text.root`)
    start: int  # character offset in the analysed text
    unit: int = 0  # passage sentence index
    cpos: int = -1  # index among the non-stopword tokens


@dataclass
class Text:
    text: str
    tokens: list[Token]
    words: dict[str, list[int]]  # content word (fold) -> token indices
    numbers: list[Number]
    negations: list[int]  # token indices of negation words
    starts: set[int]  # character offsets of tokens that start a sentence (their capital means nothing)
    joined: str = ""  # " tok tok … " for the verbatim test
    units: int = 1
    vocab: dict[str, list[int]] = field(default_factory=dict)  # fold -> token indices (all tokens)
    by_stem: dict[str, list[str]] = field(default_factory=dict)
    by_base: dict[str, list[str]] = field(default_factory=dict)
    by_prefix: dict[str, list[str]] = field(default_factory=dict)  # first 4 letters -> folds
    by_suffix: dict[str, list[str]] = field(default_factory=dict)  # last 4 letters (fold and stem) -> folds


def clean(text: str | None) -> str:
    """HTML-looking input: tags dropped, entities decoded."""
    text = str(text or "")
    if "<" in text or "&" in text:
        text = html.unescape(_HTML_TAG.sub(" ", text))
    return text


def is_content(tok: Token) -> bool:
    return is_content_word(tok.low)


def _start_positions(text: str) -> set[int]:
    """Character offsets of tokens that start a sentence (so their capital means nothing)."""
    starts: set[int] = set()
    # a token starts a sentence if only spaces/quotes/brackets stand between it and the text start
    # or a sentence-ending mark
    last_end = 0
    first = True
    for m in WORD.finditer(text):
        between = text[last_end : m.start()]
        marks = between.strip(" \t\n\"'‘’“”()[]")
        if first or (marks and marks[-1] in _SENTENCE_START) or "\n" in between:
            starts.add(m.start())
        first = False
        last_end = m.end()
    return starts


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for m in WORD.finditer(text):
        raw = m.group()
        if raw[-1].isdigit() and not raw[0].isdigit():
            f = _FOOTNOTE.match(raw)
            if f:
                raw = f.group(1)
        low = raw.lower()
        fold, stem, base = word_forms(low)
        out.append(Token(raw, low, fold, stem, base, m.start()))
    return out


def _normalized(text: str) -> str:
    return _LETTER_NUMBER.sub(r"\1\2", unicodedata.normalize("NFKC", text))


def analyse(text: str, units: list[tuple[int, int]] | None = None) -> Text:
    """Tokens, content words, numbers and negations of `text`; `units` are its sentence spans
    (a passage), numbered on each token."""
    text = _normalized(text)
    tokens = _tokens(text)
    if units:
        u = 0
        for tok in tokens:
            while u + 1 < len(units) and tok.start >= units[u + 1][0]:
                u += 1
            tok.unit = u
    cpos = 0
    for tok in tokens:
        if tok.fold in STOPWORDS or tok.low in STOPWORDS or tok.fold in UNIT_WORDS or tok.fold in MONTHS:
            tok.cpos = cpos - 1 if cpos else 0  # belongs with the word before ("3 mln", "13 januari")
        else:
            tok.cpos = cpos
            cpos += 1
    words: dict[str, list[int]] = {}
    negations: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.low in NEGATIONS or tok.fold in NEGATIONS:
            negations.append(i)
        if is_content(tok):
            words.setdefault(tok.fold, []).append(i)
    nums = numbers_in(text, tokens)
    for n in nums:
        n.cpos = tokens[n.pos].cpos if tokens else -1
    joined = " " + " ".join(t.fold for t in tokens) + " "
    return Text(text, tokens, words, nums, negations, _start_positions(text), joined, len(units or [1]))


@lru_cache(maxsize=256)
def analyse_passage(passage: str) -> Text:
    """`analyse` split into passage sentences, with lookup indexes by fold, stem, root, prefix, suffix."""
    # Offsets must refer to the analysed (NFKC, "H-10" -> "H10") text: split that text.
    norm = _normalized(passage)
    units = split_sentences(norm) or [(0, len(norm))]
    doc = analyse(norm, units)
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
