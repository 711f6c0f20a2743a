"""Attendance lists and letterhead addresses are never quoted as the answer to a content question (answer/furniture.py)."""

from assistant.answer import Answerer
from assistant.answer.furniture import is_address, is_roster, quotable
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


def test_a_letterhead_address_is_quoted_only_when_an_address_is_asked():
    for unit in ("Retouradres:Postbus 12600, 2500 DJ Den Haag", "Spui 70 2500 DJ Den Haag dienst: afdeling-website Den Haag"):
        assert is_address(unit) and not quotable(unit, "tot wanneer loopt het welzijnsbeleid van Den Haag?")
        assert quotable(unit, "Wat is het adres van de gemeente Den Haag?")
        assert quotable(unit, "Waar zit het stadhuis van Den Haag?")
        for question in ("Waarom stopt Den Haag met de subsidie?", "Waarvoor is het geld van Den Haag bedoeld?"):
            assert not quotable(unit, question)
    # A statement that happens to hold a postcode is long: it stays quotable.
    statement = (
        "Het nieuwe jongerenloket aan het Spui 70, 2511 BT Den Haag opent in september 2025 en is elke werkdag open "
        "voor jongeren tot 23 jaar die hulp zoeken bij wonen, werk of schulden."
    )
    assert not is_address(statement) and quotable(statement, "wanneer opent het jongerenloket?")
    assert not is_address("De raad besloot in 2024 tot 12 nieuwe plekken.")  # no postcode: "2024 tot" is none


def test_the_closest_sentence_of_a_partial_answer_is_no_address():
    letterhead = _p(1, "Retouradres:Postbus 12600, 2500 DJ Den Haag", 0.9)
    plan = _p(2, "Het welzijnsbeleid van Den Haag wordt herzien na gesprekken met het werkveld.", 0.6)
    filler = [_p(10 + k, f"In {2000 + k} stelde de raad de begroting voor de bibliotheek vast.", 0.1) for k in range(4)]
    question = "tot wanneer loopt het welzijnsbeleid van Den Haag?"
    ranked = [letterhead, plan, *filler]
    r = Answerer(ranked).compose(question, question, ranked)
    assert "Postbus" not in r.answer and "welzijnsbeleid van Den Haag wordt herzien" in r.answer, r.answer
