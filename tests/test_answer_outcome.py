"""Outcome questions ("Wat kwam er uit …?") on hand-made passages (answer/outcome.py)."""

from assistant.answer import Answerer
from assistant.answer.question import asked_type
from assistant.model import Passage


def _p(i: int, text: str, score: float) -> Passage:
    return Passage(f"brief#{i}", "brief", "Kamerbrief draagmoederschap", "2011-03", "brief", None, "", "", text, score=score)


ANNOUNCED = _p(1, "Ik ben voornemens om in april een expertmeeting over draagmoederschap te organiseren.", 0.9)
REPORTED = _p(2, "Uit de expertmeeting over draagmoederschap bleek dat een wettelijke regeling gewenst is.", 0.8)
FILLER = [_p(10 + k, f"Over draagmoederschap is in {2000 + k} een onderzoek gedaan naar de omvang.", 0.1) for k in range(4)]


def _ask(question: str, ranked: list[Passage]):
    return Answerer(ranked + FILLER).compose(question, question, ranked + FILLER)


def test_outcome_questions_are_recognised():
    for q in (
        "wat kwam er uit de expertmeeting over draagmoederschap?",
        "Wat heeft de evaluatie van het plan opgeleverd?",
        "wat levert de verkoop van de grond op?",
        "Wat was de uitkomst van het onderzoek?",
        "wat is er uitgekomen van het plan van aanpak?",  # the participle as Dutch writes it, one word
        "wat is eruit gekomen?",
    ):
        assert asked_type(q) == "uitkomst", q
    assert asked_type("Wat kost de expertmeeting?") == "bedrag"


def test_an_announcement_is_not_the_outcome_but_a_reported_result_is():
    announced = _ask("wat kwam er uit de expertmeeting over draagmoederschap?", [ANNOUNCED])
    assert announced.kind == "partial"
    assert announced.answer.startswith("De documenten noemen ") and ", maar geen uitkomst." in announced.answer
    reported = _ask("wat kwam er uit de expertmeeting over draagmoederschap?", [ANNOUNCED, REPORTED])
    assert reported.kind == "answer"
    assert reported.answer.split("\n")[1].startswith("Uit de expertmeeting over draagmoederschap bleek")


def test_the_question_s_own_result_word_is_no_result_and_not_the_subject():
    plan = _p(3, "Op basis van de uitkomst van de expertmeeting over draagmoederschap zal het kabinet bijsturen.", 0.9)
    r = _ask("wat was de uitkomst van de expertmeeting over draagmoederschap?", [plan])
    assert r.kind == "partial"
    assert r.answer.split("\n")[0] in {
        "De documenten noemen expertmeeting, maar geen uitkomst.",
        "De documenten noemen draagmoederschap, maar geen uitkomst.",
    }


def test_a_result_noun_that_is_only_referred_to_reports_nothing():
    """A result noun after a preposition ("geïnformeerd over de uitkomsten") points at results it does not give."""
    from assistant.answer.outcome import reports_result

    question = "wat kwam er uit de expertmeeting?"
    assert not reports_result("De Kamer wordt geïnformeerd over de uitkomsten van de expertmeeting.", question)
    assert not reports_result("Het onderzoek naar de effecten van de expertmeeting loopt nog.", question)
    assert reports_result("De uitkomsten van de expertmeeting zijn positief.", question)
    assert reports_result("De expertmeeting heeft geleid tot een wetsvoorstel.", question)
    informed = _p(4, "De Kamer wordt geïnformeerd over de uitkomsten van de expertmeeting over draagmoederschap.", 0.9)
    assert _ask(question.replace("?", " over draagmoederschap?"), [informed]).kind == "partial"
    assert _ask(question.replace("?", " over draagmoederschap?"), [informed, REPORTED]).kind == "answer"


def test_a_change_reached_is_a_result_a_change_intended_is_not():
    from assistant.answer.outcome import reports_result

    question = "wat heeft de ggz-expertise op scholen opgeleverd?"
    assert reports_result("Daarnaast werd de expertise van het schoolmaatschappelijk werk vergroot.", question)
    assert reports_result("Het doel van de pilot is grotendeels bereikt.", question)
    assert reports_result("De wachttijden zijn in 2023 gedaald.", question)
    assert not reports_result("De verwachting is dat hun bestaanszekerheid wordt verbeterd.", question)
    assert not reports_result("De expertise moet worden vergroot.", question)


def test_the_outcome_frame_word_is_not_the_subject():
    """ "wat heeft X opgeleverd?" is about X: the frame word is no subject word a passage must hold (it held
    the coverage of a passage reporting what X brought under the bar: partial)."""
    from assistant.answer.question import analyse

    for q in ("wat heeft de ggz-expertise op scholen opgeleverd?", "wat was het resultaat van de pilot op scholen?"):
        subject = analyse(q, q).subject
        assert "scholen" in subject and not {"opgeleverd", "resultaat"} & set(subject), subject
    grown = _p(5, "Met de ggz-expertise op scholen werd de expertise van het schoolmaatschappelijk werk vergroot.", 0.9)
    r = _ask("wat heeft de ggz-expertise op scholen opgeleverd?", [grown])
    assert r.kind == "answer" and "vergroot. [1]" in r.answer


def test_a_verb_of_the_question_is_not_named_as_its_subject():
    """ "wat kwam er uit …": a partial answer names what the question is about, not "kwam" (the rarest word)."""
    met = _p(6, "De evaluatie van draagmoederschap kwam in april ter sprake; de evaluatie loopt nog.", 0.9)
    later = _p(7, "Een evaluatie van draagmoederschap staat gepland.", 0.5)
    r = _ask("wat kwam er uit de evaluatie van draagmoederschap?", [met, later])
    assert r.kind == "partial"
    assert r.answer.startswith("De documenten noemen evaluatie"), r.answer.split("\n")[0]
