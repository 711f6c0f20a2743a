"""Attendance lists are never quoted as the answer to a content question (answer/furniture.py)."""

from assistant.answer import Answerer
from assistant.answer.furniture import is_roster, quotable
from assistant.model import Passage

ROSTER_TEXT = (
    "Aanwezig zijn 8 leden van de raad van Den Haag: Ahraui (PvdA), Arp (SP), Assad (D66), Bos (GL), "
    "Bom (Hart voor Den Haag), Butt (Groep de Mos), Bingöl (Hart voor Den Haag) en Van den Bos (PvdD)"
)


def _p(i: int, text: str, score: float) -> Passage:
    return Passage(f"lijst#{i}", "lijst", "Besluitenlijst Den Haag", "2025-03", "besluitenlijst", None, "", "", text, score=score)


def test_an_attendance_list_is_a_roster_a_list_of_countries_is_not():
    assert is_roster(ROSTER_TEXT)
    assert not is_roster("India had Bangladesh, Egypte, Mauritius, Nederland, Nigeria, Oman en Spanje uitgenodigd.")
    assert not quotable(ROSTER_TEXT, "Komt het zwembad in Den Haag terug?")
    assert quotable(ROSTER_TEXT, "Wie waren er aanwezig bij de raad van Den Haag?")


def test_a_content_question_is_answered_without_the_roster():
    roster = _p(1, ROSTER_TEXT, 0.9)
    decision = _p(2, "Het schoolzwemmen keert in 2026 terug op alle basisscholen van de stad.", 0.5)
    filler = [_p(10 + k, f"In {2000 + k} stelde de raad de begroting voor de bibliotheek vast.", 0.1) for k in range(4)]
    question = "Hoe staat het met het schoolzwemmen in Den Haag?"
    ranked = [roster, decision, *filler]
    r = Answerer(ranked).compose(question, question, ranked)
    assert "Het schoolzwemmen keert in 2026 terug" in r.answer
    assert "Ahraui" not in r.answer
