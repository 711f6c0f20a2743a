"""The character 5-gram BM25 field (text.char_ngrams, index.grams_index, SparseSearch ngram_weight):
a compound in the question finds the passage that writes its parts, and the reverse."""

from __future__ import annotations

import bm25s

from assistant.index import bm25_tokens, grams_index
from assistant.model import Passage
from assistant.retrieve import SparseSearch
from assistant.text import char_ngrams

PASSAGES = [
    Passage(f"d#{i}", "d", "Document", "2024", "brief", None, "", "", t)
    for i, t in enumerate(
        [
            "De gemeente sluit contracten met aanbieders van jeugdhulp.",
            "Het aantal kinderen dat uit huis is geplaatst daalt.",
            "De raad vergadert op donderdag over de begroting.",
        ]
    )
]


class Index:
    def __init__(self, with_grams=True):
        self.passages = {p.id: p for p in PASSAGES}
        self.order = list(self.passages)
        self.bm25 = bm25s.BM25()
        self.bm25.index([bm25_tokens(p) for p in PASSAGES], show_progress=False)
        if with_grams:
            self.grams = grams_index(PASSAGES)


def test_char_ngrams_mark_word_boundaries():
    assert char_ngrams(["jeugd"]) == ["#jeug", "jeugd", "eugd#"]
    assert char_ngrams(["en"]) == ["#en#"]
    assert char_ngrams(["huis", "de"], 4) == ["#hui", "huis", "uis#", "#de#"]


def test_compound_question_finds_the_parts_only_with_the_gram_field():
    question = "Hoeveel jeugdhulpaanbieders zijn er?"
    assert SparseSearch(Index(), thesaurus=False).search(question, 3) == []  # no word in common
    hits = SparseSearch(Index(), thesaurus=False, ngram_weight=0.5).search(question, 3)
    assert hits and hits[0].id == "d#0"


def test_parts_in_the_question_find_the_participle():
    hits = SparseSearch(Index(), thesaurus=False, ngram_weight=0.5).search("Hoeveel uithuisplaatsingen waren er?", 3)
    assert hits[0].id == "d#1"


def test_weight_zero_or_no_field_is_word_bm25():
    q = "begroting van de raad"
    words = [(p.id, p.score) for p in SparseSearch(Index(), thesaurus=False).search(q, 3)]
    assert [
        (p.id, p.score) for p in SparseSearch(Index(with_grams=False), thesaurus=False, ngram_weight=0.5).search(q, 3)
    ] == words
