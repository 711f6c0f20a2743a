"""A sentence the documents repeat is quoted once (issue: "an answer repeated one quoted sentence four
times because the page contained it four times"). Hand-made passages, no index."""

from __future__ import annotations

import re

import pytest

from assistant.answer import Answerer
from assistant.model import Passage
from assistant.text import sentence_key

SENTENCE = "De POH-jeugd is in 2022 in alle huisartsenpraktijken van de gemeente gestart."
OTHER = "De POH-jeugd is in de huisartsenpraktijken gestart met twintig gezinnen per week."
QUESTION = "Wanneer is de POH-jeugd in de huisartsenpraktijken gestart?"


def _passage(doc: str, i: int, text: str, score: float) -> Passage:
    return Passage(f"{doc}#{i}", doc, f"Voortgang {doc}", "2022-06-01", "voortgangsrapportage", i, "", "", text, score=score)


def _answer(passages: list[Passage]):
    return Answerer(passages).compose(QUESTION, QUESTION, passages)


def _check_citations(answer) -> list[str]:
    """Every [n] of the text belongs to a citation whose spans hold the quoted text; returns the quoted units."""
    quoted = []
    by_n = {c.n: c for c in answer.citations}
    assert sorted(by_n) == list(range(1, len(by_n) + 1))
    for line in answer.answer.splitlines():
        for unit, n in re.findall(r"\s*([^\[\]]+?) \[(\d+)\]", line):
            citation = by_n[int(n)]
            in_spans = [" ".join(citation.text[s:e].split()) for s, e in citation.spans]
            assert unit.strip("• ") in in_spans, (unit, in_spans)
            quoted.append(unit)
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)} == set(by_n)  # no citation left unused
    return quoted


@pytest.mark.parametrize(
    "passages",
    [
        pytest.param([_passage(f"doc{k}", 1, f"Inleiding {k}. {SENTENCE}", 0.9 - k / 10) for k in range(4)], id="four passages"),
        pytest.param([_passage("doc", 1, " ".join([SENTENCE] * 4), 0.9)], id="four times in one passage"),
        pytest.param(
            [
                _passage("a", 1, SENTENCE, 0.9),
                # pypdf's line-break hyphenation, as in "POH- jeugd"
                _passage(
                    "b",
                    1,
                    SENTENCE.replace("POH-jeugd", "POH- jeugd").replace("huisartsenpraktijken", "huisartsen- praktijken"),
                    0.8,
                ),
                _passage("c", 1, "  " + SENTENCE.upper().replace(" ", "  ").rstrip("."), 0.7),
                _passage("d", 1, SENTENCE.replace("is in", "is\tin").replace("POH", "POH\u00ad"), 0.6),  # soft hyphen
            ],
            id="spacing, case and hyphenation",
        ),
    ],
)
def test_a_repeated_sentence_is_quoted_once_with_a_valid_citation(passages):
    answer = _answer(passages)
    assert answer.kind == "answer"
    quoted = _check_citations(answer)
    assert [sentence_key(q) for q in quoted].count(sentence_key(SENTENCE)) == 1, answer.answer
    assert len(answer.citations) == 1 and answer.citations[0].passage_id == passages[0].id  # the best-ranked place


def test_a_repeat_does_not_take_the_place_of_another_sentence():
    passages = [_passage("doc", 1, " ".join([SENTENCE] * 4), 0.9), _passage("doc", 2, OTHER, 0.8)]
    answer = Answerer(passages).compose(QUESTION, QUESTION, passages)
    quoted = _check_citations(answer)
    assert len(quoted) == len({sentence_key(q) for q in quoted}) and OTHER in quoted


def test_sentence_key_ignores_layout_only():
    assert sentence_key("De POH- jeugd  is\ngestart.") == sentence_key("de poh-jeugd is gestart") == "depohjeugdisgestart"
    assert sentence_key("Het budget is 3,5 miljoen.") != sentence_key("Het budget is 35 miljoen.")  # not digits' commas
    # the same sentence with and without its list number (one page numbers it, an overlapping one not)
    assert sentence_key("1. Het college krijgt opdracht.") == sentence_key("Het college krijgt opdracht.")
    assert sentence_key("a) Het college krijgt opdracht.") == sentence_key("Het college krijgt opdracht.")
    assert sentence_key("2025 is het jaar.") != sentence_key("is het jaar.")


def test_a_sentence_restated_in_a_summary_is_quoted_once():
    # A summary and its section say the same figures in nearly the same words: the answer quotes one of them.
    full = "De maatregelen van de Hervormingsagenda lopen landelijk vanaf 2023 van € 374 mln. op naar bijna € 1 mld. vanaf 2027."
    short = "De maatregelen lopen vanaf 2023 van € 374 mln. op naar bijna € 1 mld. vanaf 2027."
    question = "Wat kosten de maatregelen van de Hervormingsagenda vanaf 2027?"
    passages = [_passage("besluit", 1, full, 0.9), _passage("samenvatting", 2, short, 0.8)]
    r = Answerer(passages).compose(question, question, passages)
    quoted = _check_citations(r)
    assert r.kind == "answer" and sum("€ 374 mln" in q for q in quoted) == 1, r.answer
    # Two sentences sharing many words but each with its own figure are both kept.
    other = "De maatregelen van de Hervormingsagenda lopen in Zoetermeer vanaf 2023 van € 2 mln. op naar € 6,8 mln. vanaf 2027."
    passages = [_passage("besluit", 1, full, 0.9), _passage("besluit", 3, other, 0.8)]
    r = Answerer(passages).compose(question, question, passages)
    assert "€ 374 mln" in r.answer and "€ 6,8 mln" in r.answer, r.answer


def test_an_item_is_not_a_restatement_of_a_long_list_that_names_it():
    # Minutes list every agenda item in one long unit; the decision list adds the item's outcome ("Aangenomen").
    items = " ".join(f"I.{k} Voorstel van het college inzake onderwerp {k} van de raad (RIS3210{k:02d})" for k in range(1, 8))
    item = "I.6 Voorstel van het college inzake onderwerp 6 van de raad (RIS321006) Aangenomen"
    question = "Wat is er gebeurd met het voorstel van het college over onderwerp 6 van de raad?"
    passages = [_passage("notulen", 1, items, 0.9), _passage("besluitenlijst", 2, item, 0.7)]
    r = Answerer(passages).compose(question, question, passages)
    assert "(RIS321006) Aangenomen" in r.answer, r.answer
