"""The answerer and the question analysis on a few hand-made passages: no index, no embedding model."""

from __future__ import annotations

import re

from assistant.answer import NO_ANSWER, Answerer, is_timeline, resolve_followup
from assistant.model import Passage


def _passage(i: int, doc: str, date: str, title: str, text: str, score: float) -> Passage:
    return Passage(id=f"{doc}#{i}", doc_id=doc, title=title, date=date, kind="actieplan", page=None,
                   section="", section_title="", text=text, score=score)


BUDGET = _passage(1, "brief", "2023-06", "Raadsinformatiebrief Hervormingsagenda",
                  "De Hervormingsagenda Jeugd moet de jeugdhulp betaalbaar houden. Voor Zoetermeer betekent dit "
                  "vanaf 2027 ongeveer € 6,8 mln. minder budget. De gemeente zoekt de besparing vooral in de "
                  "specialistische jeugdhulp.", 0.9)
START_2019 = _passage(2, "actieplan", "2019-04", "Actieplan jeugdhulp",
                      "Kansrijke Start richt zich op de eerste 1000 dagen van een kind. Zwangeren in een kwetsbare "
                      "situatie krijgen extra steun van een verloskundige.", 0.5)
START_2022 = _passage(3, "update", "2022-05", "Update actieplan",
                      "Kansrijke Start is in 2022 uitgebreid naar alle wijken. Het netwerk telt nu twaalf partners.", 0.6)
PILLARS = _passage(4, "actieplan", "2019-04", "Actieplan jeugdhulp",
                   "De gemeente werkt met drie pijlers:\n• preventie in de wijk\n• snelle toegang tot hulp\n"
                   "• betaalbare specialistische zorg", 0.4)
DECISION = _passage(5, "besluit", "2024-10", "Raadsbesluit",
                    "De raad stemt in met het voorstel. Het college voert het besluit uit.", 0.3)
PASSAGES = [BUDGET, START_2019, START_2022, PILLARS, DECISION]


def _ask(question: str, first: list[Passage]):
    ranked = first + [p for p in PASSAGES if p not in first]
    return Answerer(PASSAGES).compose(question, question, ranked)


def _quoted(answer: str) -> list[str]:
    """The cited units of an answer, markers removed."""
    return [m.group(1).strip("• ").strip() for m in re.finditer(r"([^\n\]]+?) \[\d+\]", answer)]


def test_money_question_is_answered_from_the_sentence_with_the_amount():
    r = _ask("Hoeveel minder budget heeft Zoetermeer vanaf 2027?", [BUDGET])
    assert r.answered
    assert "€ 6,8 mln." in r.answer and r.citations[0].doc_id == "brief"
    # Every quoted unit is verbatim in the passage its citation points at.
    assert all(s in BUDGET.text for s in _quoted(r.answer))


def test_near_miss_is_refused_when_the_asked_amount_is_absent():
    r = _ask("Wat kost Kansrijke Start?", [START_2019, START_2022])
    assert not r.answered and r.answer == NO_ANSWER and not r.citations
    assert [p.id for p in r.related][:2] == [START_2019.id, START_2022.id]


def test_a_list_brings_its_items():
    r = _ask("Welke pijlers heeft de gemeente?", [PILLARS])
    assert r.answered
    items = [line for line in r.answer.splitlines() if line.startswith("• ")]
    assert [i.removesuffix(" [1]") for i in items] == [
        "• preventie in de wijk", "• snelle toegang tot hulp", "• betaalbare specialistische zorg"]


def test_timeline_is_ordered_by_document_date_not_by_rank():
    question = "Hoe stond het met Kansrijke Start van 2019 tot 2022?"
    assert is_timeline(question)
    r = _ask(question, [START_2022, START_2019])  # the newer document ranks first
    assert r.answered
    assert [c.doc_id for c in r.citations] == ["actieplan", "update"]
    assert r.answer.index("1000 dagen") < r.answer.index("uitgebreid naar alle wijken")


def test_followup_carries_subject_and_motion_number():
    history = [{"role": "user", "content": "Wat is de status van motie Burgervoogd?"},
               {"role": "assistant", "content": "Motie Burgervoogd (2106-18): afgedaan [1]"}]
    resolved = resolve_followup("En wanneer is die afgedaan?", history)
    assert "burgervoogd" in resolved and "2106-18" in resolved
    # A question that stands on its own is left alone, with or without history.
    assert resolve_followup("Wat is Kansrijke Start?", history) == "Wat is Kansrijke Start?"
    # Gradio-style (user, assistant) pairs work too.
    assert "burgervoogd" in resolve_followup("En wanneer?", [("Motie Burgervoogd?", "… [1]")])
