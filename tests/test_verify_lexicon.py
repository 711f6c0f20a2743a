"""Tests for the checker's lexicon and analysis on hand-made text: numbers with units, word classes,
word matching and key words."""

import pytest

from assistant.verify.analysis import analyse, analyse_passage
from assistant.verify.judge import check, key_words
from assistant.verify.lexicon import is_content_word, is_contrast, norm_number, number_type, shown
from assistant.verify.matching import match_positions, one_edit, strict_pair


def _numbers(text):
    return [(n.kind, n.value, n.unit) for n in analyse(text).numbers]


# ---- numbers and units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, value", [("182.000", "182000"), ("6,80", "6,8"), ("3,0", "3"), ("1.000.000", "1000000"), ("2021", "2021")]
)
def test_norm_number(raw, value):
    assert norm_number(raw) == value


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("Het ging om 19% van de jeugdigen.", [("num", "19", "%")]),
        ("Het ging om 19 procent van de jeugdigen.", [("num", "19", "%")]),
        ("Er is € 6,8 mln. minder budget.", [("num", "6,8", "mln")]),
        ("Er is 6,8 miljoen euro minder budget.", [("num", "6,8", "mln")]),
        ("Er is € 6,8 min. minder budget.", [("num", "6,8", "mln")]),  # OCR "min." after a euro sign
        ("Het Rijk geeft € 1 mld. uit.", [("num", "1", "mld")]),
        ("De motie (2106-18) is afgedaan op 15-12-2021.", [("range", "2106-18", ""), ("range", "15-12-2021", "")]),
        ("Besluitvorming in Q1 2025.", [("q", "1", ""), ("num", "2025", "")]),
        ("Samen met negen gemeenten, de tweede keer.", [("num", "9", ""), ("ord", "2", "")]),
        ("In de periode 2020-2024.", [("range", "2020-2024", "")]),
        ("Het H-10 Inkoopbureau.", []),  # a name, not a number
    ],
)
def test_numbers_with_units(text, numbers):
    assert _numbers(text) == numbers


def test_number_type_and_shown():
    year, pct, money, quarter = analyse("In 2021 was het 40% en € 3 mln. in Q2.").numbers
    assert [number_type(n) for n in (year, pct, money, quarter)] == ["year", "%", "mln", "q"]
    assert [shown(n) for n in (year, pct, money, quarter)] == ["2021", "40%", "3 mln.", "Q2"]


# ---- word classes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["jeugdhulp", "gemeente", "wachttijden", "cliënten"])
def test_content_words(word):
    assert is_content_word(word)


@pytest.mark.parametrize("word", ["de", "niet", "procent", "mln", "negen", "tweede", "q3", "2021", "eris", "erzijn", "x"])
def test_not_content_words(word):
    assert not is_content_word(word)


def test_contrast_terms_and_their_inflections():
    assert is_contrast("regionaal") and is_contrast("regionale") and is_contrast("preventieve")
    assert not is_contrast("jeugdhulp")


def test_key_words_are_long_names_months_and_contrast_terms():
    sent = analyse("De Raad besloot in maart over lokale zorg en de wachttijden bij Jeugdformaat.")
    assert key_words(sent) == {"raad", "maart", "lokale", "wachttijden", "jeugdformaat"}
    # a capital at the start of a sentence means nothing; mid-sentence it marks a name
    assert key_words(analyse("Zorg is nodig.")) == set()
    assert key_words(analyse("Dat is nodig. Ook Zorg hier.")) == {"zorg"}


def test_negations_and_content_words_of_an_analysed_sentence():
    sent = analyse("De gemeente heeft geen normenkader ingevoerd.")
    assert [sent.tokens[i].low for i in sent.negations] == ["geen"]
    assert set(sent.words) == {"gemeente", "normenkader", "ingevoerd"}


# ---- matching -------------------------------------------------------------------------------------


def test_one_edit():
    assert one_edit("jeugdhulp", "jeugdhlup")  # swap of neighbours
    assert one_edit("jeugdhulp", "jeugdhul")
    assert one_edit("jeugdhulp", "jeugdhalp")
    assert not one_edit("jeugdhulp", "jeugdhalq")


def test_strict_pair_compound_heads_but_not_negating_prefixes():
    assert strict_pair("aanbieders", "aanbieder", "jeugdhulpaanbieders", "jeugdhulpaanbieder")
    assert not strict_pair("voldoende", "voldoend", "onvoldoende", "onvoldoend")
    assert not strict_pair("regionaal", "regionaal", "bovenregionaal", "bovenregionaal")
    assert not strict_pair("resultaatgericht", "resultaatgericht", "prestatiegericht", "prestatiegericht")


def test_match_positions_by_form():
    doc = analyse_passage("Het voorstel is aan te laten sluiten bij de jeugdhulpaanbieders. Ca. 40% doet mee.")
    found = lambda word, key=False: [doc.tokens[i].low for i in match_positions(word, key, doc)]
    assert found("voorgesteld") == ["voorstel"]  # root
    assert found("aanbieders") == ["jeugdhulpaanbieders"]  # compound head
    assert found("aansluiten") == ["sluiten"]  # separable verb written apart
    assert found("ongeveer") == ["ca"]  # hedge synonym
    assert found("jeugd") == ["jeugdhulpaanbieders"]  # a non-key word: prefix match
    assert found("jeugd", key=True) == []  # a key word: strict only


# ---- the judge on hand-made pairs ---------------------------------------------------------------


PASSAGE = (
    "In 2023 kregen 120 jongeren ambulante hulp. Dat was 15% meer dan in 2022. "
    "De wachttijd is niet gedaald. Het college wil de wachttijd in 2025 halveren."
)


@pytest.mark.parametrize(
    "sentence, ok",
    [
        ("In 2023 kregen 120 jongeren ambulante hulp.", True),  # verbatim
        ("In 2023 kregen 120 jongeren hulp die ambulant was.", True),  # reordered, inflected
        ("In 2022 kregen 120 jongeren ambulante hulp.", False),  # wrong year
        ("In 2023 kregen 150 jongeren ambulante hulp.", False),  # wrong count
        ("In 2023 kregen 120 jongeren residentiële hulp.", False),  # contrast term swapped
        ("De wachttijd is gedaald.", False),  # negation dropped
        ("De raad wil de wachttijd in 2025 halveren.", False),  # college -> raad
        ("Het was 15% minder dan in 2022.", False),  # meer -> minder
    ],
)
def test_judge_on_hand_made_sentences(sentence, ok):
    assert check(sentence, PASSAGE).supported is ok, check(sentence, PASSAGE).reasons
