"""When the only evidence is the publisher's name, nothing is about the question (answer/extractive.py,
answer/evidence.py): "sinds wanneer geldt de milieuzone in den haag?" asked of a city's documents that
never mention a milieuzone is `not_found`, not "De documenten noemen Den Haag, maar …"."""

from __future__ import annotations

from dataclasses import replace

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.evidence import Evidence


def _city(i: int, text: str, score: float):
    return replace(passage("stad", text, i=i, date="2025-03", score=score), organisation="gemeente Den Haag")


CITY = [
    _city(1, "De gemeente Den Haag investeert in het milieu en in schone lucht in de wijken.", 0.9),
    _city(2, "De raad stelde de begroting voor 2025 vast na een lang debat.", 0.7),
    _city(3, "Het college wil meer groen en meer speelplekken in de stad.", 0.6),
    _city(4, "Op de basisschool krijgen kinderen les over verkeer en veiligheid.", 0.5),
]


def test_a_compound_whose_first_part_alone_occurs_is_not_mentioned():
    ev = Evidence(CITY)
    assert ev.mentions("milieu") and ev.mentions("basisscholen")
    assert not ev.mentions("milieuzone") and not ev.mentions("schoolzwemmen")
    assert ev.coverage(["milieuzone"], CITY[0].text) == 0.0
    assert ev.coverage(["basisscholen"], CITY[3].text) == 1.0


def test_only_the_publisher_named_and_the_topic_unheard_is_not_found():
    for q in ("sinds wanneer geldt de milieuzone in den haag?", "Komt het schoolzwemmen in Den Haag terug?"):
        r = Answerer(CITY).compose(q, q, CITY)
        assert r.kind == "not_found", r.answer
        assert "Den Haag" not in r.answer


def test_a_topic_the_documents_discuss_is_still_answered():
    pool = [_city(5, "De milieuzone in Den Haag geldt sinds 1 januari 2025 voor oude dieselauto's.", 0.95), *CITY]
    q = "sinds wanneer geldt de milieuzone in den haag?"
    r = Answerer(pool).compose(q, q, pool)
    assert r.kind == "answer" and "1 januari 2025" in r.answer


def test_a_lower_case_name_in_the_subject_slot_is_a_name():
    from assistant.answer.question import bare_subjects

    assert bare_subjects("wat doet gouda aan de wachtlijsten in de jeugdzorg?") == ["gouda"]
    assert bare_subjects("wat geeft eindhoven per jaar uit aan jeugdzorg?") == ["eindhoven"]
    assert bare_subjects("wat doet lijn5 voor jongeren met een beperking?") == ["lijn5"]  # a name with a digit
    assert bare_subjects("wat doet de gemeente aan de wachtlijsten?") == []  # a common noun takes an article
    assert bare_subjects("wie houdt toezicht op de jeugdhulp?") == []  # after "wie": the object
    assert bare_subjects("kan mijn peuter naar de opvang?") == []
    # "hoeveel" with a verb right after it counts no noun: the word after the verb is the subject slot.
    assert bare_subjects("hoeveel gaf rotterdam in 2023 uit aan jeugdzorg?") == ["rotterdam"]
    assert bare_subjects("hoeveel kinderen kregen jeugdhulp?") == []  # "kinderen" is what is counted
    assert bare_subjects("hoeveel?") == [] and bare_subjects("wat?") == []  # a one-word clause has no slot


WAIT = [
    passage("plan", "De wachtlijsten in de jeugdzorg worden korter door extra inzet in de wijken.", i=1, score=0.9),
    passage("plan", "De gemeente investeert in jeugdzorg en in de wijkteams.", i=2, score=0.6),
    passage("plan", "De raad stelde de begroting vast.", i=3, score=0.3),
]


def test_a_place_the_documents_never_name_is_not_found_however_it_is_typed():
    for q in ("wat doet gouda aan de wachtlijsten in de jeugdzorg?", "wat doet Gouda aan de wachtlijsten in de jeugdzorg?"):
        r = Answerer(WAIT).compose(q, q, WAIT)
        assert r.kind == "not_found", (q, r.answer)
    named = [passage("gouda", "Gouda verkort de wachtlijsten in de jeugdzorg met een extra team.", score=0.95), *WAIT]
    q = "wat doet gouda aan de wachtlijsten in de jeugdzorg?"
    assert Answerer(named).compose(q, q, named).kind == "answer"


def test_what_a_question_is_about_after_aan_tegen_over_must_occur():
    from assistant.answer.question import topic_objects

    assert topic_objects("wat doet zoetermeer aan laaggeletterdheid bij volwassenen?") == ["laaggeletterdheid"]
    assert topic_objects("welke partijen stemden tegen de toeristenbelasting?") == ["toeristenbelasting"]
    assert topic_objects("wat besloot de raad over de bibliotheek?") == ["bibliotheek"]
    q = "wat doet de gemeente aan laaggeletterdheid in de wijken?"
    assert Answerer(WAIT).compose(q, q, WAIT).kind == "not_found"
    q = "wat doet de gemeente aan de wachtlijsten in de jeugdzorg?"
    assert Answerer(WAIT).compose(q, q, WAIT).kind == "answer"


def test_an_acronym_typed_in_lower_case_is_a_name_that_must_occur():
    from assistant.answer.question import acronyms

    assert acronyms("wat doet het cjg voor ouders van pubers?") == ["cjg"]
    assert acronyms("hoeveel mln en hoeveel fte gaat er naar de wijkteams?") == []  # units are no names
    q = "wat doet het cjg aan de wachtlijsten in de jeugdzorg?"
    assert Answerer(WAIT).compose(q, q, WAIT).kind == "not_found"
    named = [passage("cjg", "Het CJG verkort de wachtlijsten in de jeugdzorg met een extra team.", score=0.95), *WAIT]
    assert Answerer(named).compose(q, q, named).kind == "answer"


def test_a_programme_named_in_lower_case_must_occur_as_named():
    """ "het programma kansrijk opgroeien" is not "Kansrijke Start" plus "opgroeien" somewhere else."""
    from assistant.answer.question import named_programmes

    assert named_programmes("wat heeft het programma kansrijk opgroeien in zoetermeer opgeleverd?") == ["kansrijk opgroeien"]
    assert named_programmes("wat kost de pilot op De Musketier?") == []  # a preposition names nothing
    for q in ("tot wanneer loopt de aanpak tegen dakloosheid?", "wat deed het project door de wijkteams?"):
        assert named_programmes(q) == [], q  # "aanpak tegen X" names what it is against, not a programme
    plan = [
        passage("plan", "Het programma Kansrijke Start helpt kwetsbare zwangeren in de wijken.", i=1, score=0.9),
        passage("plan", "Kinderen groeien veilig op; opgroeien in de wijk is het doel van het programma.", i=2, score=0.6),
    ]
    q = "wat doet het programma kansrijk opgroeien in de wijken?"
    assert Answerer(plan).compose(q, q, plan).kind == "not_found"
    q = "wat doet het programma kansrijke start in de wijken?"
    assert Answerer(plan).compose(q, q, plan).kind == "answer"
