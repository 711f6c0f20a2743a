"""Tests for the Dutch text vocabulary in assistant/text.py: months and dates, the citation-marker
grammar, and the light stemming helpers shared by the answerer and the faithfulness checker."""

import re

import pytest

from assistant.text import (
    MARKER,
    MARKER_RE,
    MONTHS,
    citation_numbers,
    compound_heads,
    counts_as,
    dutch_date,
    fold,
    found_in,
    root,
    same_stem,
    same_word,
    stem,
    strip_citations,
)

# ---- months and dates ---------------------------------------------------------------------------


def test_months_are_the_twelve_dutch_months_in_order():
    assert len(MONTHS) == 12 and MONTHS[0] == "januari" and MONTHS[4] == "mei" and MONTHS[-1] == "december"


@pytest.mark.parametrize(
    "iso, shown",
    [
        ("2024-10-07", "7 oktober 2024"),
        ("2019-04", "april 2019"),
        ("2022-12-31", "31 december 2022"),
        ("2020", "2020"),  # a year alone stays
        ("2019-13", "2019-13"),  # no such month
        ("2019-00-05", "2019-00-05"),
        ("2024-10-x", "oktober 2024"),  # a day that is not a number is left out
        ("", ""),
        ("onbekend", "onbekend"),
    ],
)
def test_dutch_date(iso, shown):
    assert dutch_date(iso) == shown


# ---- citation markers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("Tekst [1].", [1]),
        ("Tekst [1][3].", [1, 3]),
        ("Tekst [1, 3].", [1, 3]),
        ("Tekst [1;3].", [1, 3]),
        ("Tekst [ 2 ; 1 ].", [2, 1]),
        ("Tekst [1-3].", [1, 2, 3]),
        ("Tekst [2–4].", [2, 3, 4]),  # en dash
        ("Tekst [1-2, 5].", [1, 2, 5]),
        ("Tekst [2] en meer [2][1].", [2, 1]),  # first mention order, no repeats
        ("Tekst [3-1].", [3]),  # a reversed range gives its first number
        ("Geen bron.", []),
        ("Een lijst [a] of [] of [1,] is geen marker.", []),
    ],
)
def test_citation_numbers(text, numbers):
    assert citation_numbers(text) == numbers


def test_a_huge_range_is_capped():
    assert len(citation_numbers("[1-100000]")) == 51


def test_marker_pattern_matches_whole_markers_only():
    assert [m.group() for m in MARKER_RE.finditer("a [1] b [1, 3] c [1-3] d [x] e [1][2]")] == [
        "[1]",
        "[1, 3]",
        "[1-3]",
        "[1]",
        "[2]",
    ]
    assert re.fullmatch(MARKER, "[12 ; 3 - 4]")
    assert not re.fullmatch(MARKER, "[1 2]")


@pytest.mark.parametrize(
    "sentence, stripped",
    [
        ("Tekst [1][3].", ("Tekst.", [1, 3])),
        ("Tekst [1, 3].", ("Tekst.", [1, 3])),
        ("Tekst [1-3] en meer [4].", ("Tekst en meer.", [1, 2, 3, 4])),
        ("Tekst. [2]", ("Tekst.", [2])),
        ("  Geen bron.  ", ("Geen bron.", [])),
    ],
)
def test_strip_citations(sentence, stripped):
    assert strip_citations(sentence) == stripped


# ---- stemming family ----------------------------------------------------------------------------


def test_fold_removes_accents_only():
    assert fold("geïnvesteerd") == "geinvesteerd"
    assert fold("cliënten") == "clienten"
    assert fold("Zoë") == "Zoe"  # case is kept
    assert fold("jeugdhulp") == "jeugdhulp"


@pytest.mark.parametrize(
    "a, b",
    [
        ("regionale", "regionaal"),
        ("gemeenten", "gemeente"),
        ("tarieven", "tarief"),
        ("budgetten", "budget"),
        ("ondersteund", "ondersteunt"),
        ("mogelijkheden", "mogelijkheid"),
        ("aanbieders", "aanbieder"),
    ],
)
def test_stem_equates_inflections(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("a, b", [("preventief", "specialistisch"), ("lokaal", "landelijk"), ("raad", "rijk")])
def test_stem_keeps_different_words_apart(a, b):
    assert stem(a) != stem(b)


def test_stem_leaves_short_words_and_numbers():
    assert stem("raad") == "raad"
    assert stem("2021") == "2021"
    assert stem("q1abc") == "q1abc"


@pytest.mark.parametrize(
    "a, b", [("voorgesteld", "voorstel"), ("ingevoerd", "invoering"), ("verwacht", "verwachting"), ("ontwikkeld", "ontwikkeling")]
)
def test_root_joins_verb_and_noun_forms(a, b):
    assert root(a) == root(b)


def test_root_does_not_join_unrelated_words():
    assert root("voorstel") != root("voorzorg")


def test_same_stem_is_loose_same_word_is_strict():
    # compounds: loose yes, strict no
    assert same_stem("jeugdhulp", "jeugdhulpaanbieders")
    assert not same_word("jeugdhulp", "jeugdhulpaanbieders")
    # inflections: both
    assert same_stem("maatregel", "maatregelen") and same_word("maatregel", "maatregelen")
    assert same_stem("herpositionering", "herpositioneren")
    assert same_word("jongeren", "jongere") and same_word("aanbieders", "aanbieder")
    # short words never match loosely; strictly only when equal or close
    assert not same_stem("zorg", "zorgen")
    assert same_word("zorg", "zorgen")
    assert not same_word("wijk", "wijze")
    assert not same_stem("gemeente", "geneeskunde")


def test_counts_as_takes_the_head_of_a_compound():
    assert counts_as("regio", "jeugdregio")
    assert counts_as("regio", "regio's".replace("'", ""))
    assert counts_as("jongeren", "jongere")
    assert counts_as("aanbieders", "jeugdhulpaanbieder")
    assert not counts_as("regio", "regionaal")  # the head comes last in Dutch
    assert not counts_as("kinderen", "ouders")


def test_a_compound_is_found_by_itself_an_inflection_or_with_its_head():
    assert found_in("jeugdhulp", {"de", "jeugdhulpaanbieders"})  # a compound of the word is about it
    assert found_in("maatregelen", {"maatregel"})
    assert found_in("jeugdhulpbudget", {"budget", "voor", "jeugdhulp"})  # the head written apart
    assert found_in("toeristenbelasting", {"toeristen", "betalen", "belasting"})  # linking "en"
    # only the first part: a text about "milieu" is not about a "milieuzone", "school" not "schoolzwemmen"
    assert not found_in("milieuzone", {"milieu", "den", "haag"})
    assert not found_in("schoolzwemmen", {"school", "basisschool"})
    assert compound_heads("szwemmen") == {"szwemmen", "zwemmen"} and compound_heads("en") == set()
