"""Answers that depend on the evidence, not on the order of near-equal passages (issue 11, round 4):
hand-made passages, no index, no embedding model."""

from __future__ import annotations

from dataclasses import replace

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.lead import best_first

FILLER = [
    passage("f1", "Het wijkteam werkt in elke wijk van de stad.", i=5, score=0.2),
    passage("f2", "De raad bespreekt het beleid voor de jeugd.", i=6, score=0.2),
    passage("f3", "Het onderwijs en de jeugd werken samen in de wijk.", i=7, score=0.2),
    passage("f4", "De gemeente maakt afspraken met aanbieders over de zorg.", i=8, score=0.2),
]


def _ask(question: str, ranked):
    return Answerer(list(ranked) + FILLER).compose(question, question, list(ranked))


def _first_quote(answer: str) -> str:
    return next(line for line in answer.splitlines() if line and not line.startswith(("Volgens ", "De documenten")))


def test_a_development_is_judged_on_all_its_passages_in_either_order():
    # Each passage covers two of the question's seven words, together four: the development is in the
    # documents. Before, only the first passage of each document was read for the evidence test.
    start = passage("plan", "De pilot met jeugdconsulenten startte in het voorjaar.", i=1, date="2021", score=0.61)
    later = passage("plan", "Het verzuim van leerlingen daalde daarna duidelijk.", i=2, date="2021", score=0.60)
    question = "Hoe is het verzuim van leerlingen op middelbare scholen sinds de pilot met jeugdconsulenten veranderd?"
    kinds = {_ask(question, order).kind for order in ([start, later], [replace(later, score=0.61), replace(start, score=0.60)])}
    assert kinds == {"answer"}


def test_an_amount_from_a_passage_about_something_else_is_no_answer():
    club = passage("web", "Sportverenigingen met veel jeugdleden helpen kinderen in hun eigen netwerk.", i=1, score=0.9)
    money = passage("besluit", "De subsidie voor de hervorming loopt landelijk op tot € 374 mln.", i=2, score=0.85)
    r = _ask("Hoeveel subsidie krijgt een sportvereniging voor haar jeugdleden?", [club, money])
    assert r.kind == "partial"  # the amount may be shown as related, never as the answer
    # The same amount in a passage about the subject answers.
    about = passage("web", "Een sportvereniging met jeugdleden krijgt een subsidie van € 25 per jeugdlid.", i=3, score=0.9)
    assert _ask("Hoeveel subsidie krijgt een sportvereniging voor haar jeugdleden?", [about, money]).kind == "answer"


def test_the_best_covering_sentence_of_a_passage_comes_first():
    p = passage(
        "besluit",
        "Gemeenten gaan werken met stevige lokale teams. Het landelijk kader voor stevige lokale teams verscheen "
        "in maart. Kernwaarden van de stevige lokale teams zijn: dichtbij, integraal en met mandaat.",
        score=0.9,
    )
    r = _ask("Wat zijn de kernwaarden van stevige lokale teams?", [p])
    assert r.kind == "answer"
    assert _first_quote(r.answer).startswith("Kernwaarden")


def test_best_first_only_when_the_best_sentence_covers_more_than_its_passage_neighbours():
    a, b, c = (0, 10), (11, 20), (21, 30)
    assert best_first([(0.9, 0.8, 0, c), (0.7, 0.5, 0, a)]) == {0: c}
    assert best_first([(0.9, 0.5, 0, c), (0.8, 0.5, 0, a)]) is None  # a tie keeps reading order
    assert best_first([(0.9, 0.8, 0, c), (0.7, 0.5, 1, b)]) is None  # alone in its passage: already first
    assert best_first([]) is None


def test_the_date_after_a_better_sentence_leads_over_a_weaker_sentence_with_a_year():
    commission = passage(
        "agenda",
        "De deskundigencommissie van de hervormingsagenda geeft een zwaarwegend advies over de uitvoering. "
        "De commissie wordt gevraagd in januari 2025 en januari 2028 een advies te formuleren.",
        i=1,
        score=0.9,
    )
    money = passage(
        "agenda",
        "De middelen van de hervormingsagenda voor 2026 en verder volgen na het advies van de deskundigencommissie.",
        i=2,
        score=0.7,
    )
    # The year sentence scores below the first sentence of `commission`, whose next sentence has the date.
    r = _ask("Wanneer moet de deskundigencommissie van de hervormingsagenda advies geven?", [commission, money])
    assert r.kind == "answer"
    assert "januari 2025" in _first_quote(r.answer)
