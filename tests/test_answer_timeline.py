"""A development over time quotes what the later documents say became of it (`answer.timeline`):
hand-made passages, no index, no embedding model."""

from __future__ import annotations

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.timeline import DEVELOPMENT, later_developments


def _passage(i: int, doc: str, date: str, heading: str, text: str, score: float):
    return passage(doc, text, i=i, date=date, section_title=heading, score=score)


PLAN = _passage(
    1,
    "plan",
    "2019-04",
    "Verlengde jeugdhulp",
    "Het plan beperkt de verlengde jeugdhulp voor jongeren tot 23 jaar. De verlengde jeugdhulp wordt strenger getoetst.",
    0.9,
)
UPDATE = _passage(
    2,
    "update",
    "2022-05",
    "Verlengde jeugdhulp",
    "De maatregel verlengde jeugdhulp voor jongeren is uitgevoerd zoals gepland. Het aantal verwijzingen neemt af. "
    "De kosten dalen echter nog niet.",
    0.8,
)
OTHER = _passage(
    3, "update", "2022-05", "Schoolverzuim", "Het verzuim op scholen neemt af. De scholen melden minder verzuim.", 0.7
)
PASSAGES = [PLAN, UPDATE, OTHER]


def test_the_later_document_says_what_became_of_it():
    q = "Hoe is het met de verlengde jeugdhulp voor jongeren gegaan sinds 2019?"
    r = Answerer(PASSAGES).compose(q, q, PASSAGES)
    assert r.kind == "answer"
    # The effect sentences do not repeat the question's words, yet they are quoted, under the later
    # document's heading after the earlier one (date order).
    assert "Het aantal verwijzingen neemt af. [2]" in r.answer
    assert "nog niet" in r.answer
    assert r.answer.index("Volgens Document plan") < r.answer.index("Volgens Document update")
    # A change in a passage about something else is no part of this development.
    assert "verzuim" not in r.answer


def test_only_development_questions_get_the_later_effects():
    q = "Wat houdt de maatregel verlengde jeugdhulp voor jongeren in?"
    r = Answerer(PASSAGES).compose(q, q, PASSAGES)
    assert "neemt af" not in r.answer


def test_later_developments_needs_a_later_document_and_a_change():
    pool = [PLAN, UPDATE]
    units = [(0, PLAN.text.index(" De") + 1), (UPDATE.text.index("Het aantal"), UPDATE.text.index(" De kosten"))]
    chosen = [(1.0, 1.0, 0, units[0])]
    candidates = chosen + [(0.5, 0.0, 1, units[1])]
    assert later_developments(pool, candidates, chosen, lambda p: True) == [candidates[1]]
    assert later_developments(pool, candidates, chosen, lambda p: False) == []  # not about the question
    assert later_developments([UPDATE, PLAN], [(1.0, 1.0, 0, units[1])], [(1.0, 1.0, 0, units[1])], lambda p: True) == []
    assert DEVELOPMENT.search("De wachtlijst is gedaald.") and not DEVELOPMENT.search("De wachtlijst is lang.")


def test_the_year_the_question_starts_from_counts_as_the_earliest():
    """ "Het actieplan van 2019 …, werkte dat in 2022 nog?" with only 2022 sentences chosen: the 2022
    document is later than the question's 2019, so its change sentence is added."""
    first = (0, UPDATE.text.index(" Het aantal"))
    change = (UPDATE.text.index("Het aantal"), UPDATE.text.index(" De kosten"))
    chosen = [(1.0, 1.0, 0, first)]
    candidates = chosen + [(0.5, 0.0, 0, change)]
    assert later_developments([UPDATE], candidates, chosen, lambda p: True) == []
    assert later_developments([UPDATE], candidates, chosen, lambda p: True, since=["2019"]) == [candidates[1]]
    assert later_developments([UPDATE], candidates, chosen, lambda p: True, since=["2022"]) == []
