"""The subject a partial answer names, on hand-made passages (answer/subject.py)."""

import pytest

from assistant.answer.question import analyse
from assistant.answer.subject import NAMELESS, subject_name


def _idf(word: str) -> float:
    return {"bijvoorbeeld": 9.0, "opvallend": 9.0, "jeugdhulpaanbieders": 8.0, "gezinnen": 3.0, "wijken": 4.0, "helder": 6.0}.get(
        word, 2.0
    )


def _name(question: str, text: str) -> str:
    q = analyse(question)
    return subject_name(q.entities, q.subject, text, _idf)


@pytest.mark.parametrize(
    "question, text, named",
    [
        # an adverb of the question is never its subject
        (
            "Welk deel van de gezinnen krijgt tegelijk hulp, bijvoorbeeld van familie?",
            "Soms is hulp uit het eigen netwerk bijvoorbeeld van familie voldoende. Gezinnen krijgen één plan.",
            "Gezinnen",
        ),
        (
            "In welke wijken gaan opvallend veel stellen uit elkaar?",
            "Opvallend is dat er meer stapeling van hulp is in sommige wijken.",
            "wijken",
        ),
        # a rare required name, as written
        (
            "Wat besloot Den Helder over de wijken?",
            "In Den Helder stemde de raad over de GGD; de wijken kregen een plan.",
            "Den Helder",
        ),
        # an adjective with the noun it goes with; a name's first word with the rest of it
        (
            "wat kwam er uit de virtuele G20-top van november?",
            "Minister Modi noemde een mogelijke virtuele G20 top van regeringsleiders. Deze top komt er.",
            "virtuele G20 top",
        ),
        ("Hoeveel kost Kansrijke Start per jaar?", "Kansrijke Start is in 2019 gestart in drie wijken.", "Kansrijke Start"),
        # a place name keeps its "Den"
        (
            "sinds wanneer geldt de milieuzone in den haag?",
            "De gemeente Den Haag is één van de dichtstbevolkte gemeenten in Nederland.",
            "Den Haag",
        ),
    ],
)
def test_the_subject_is_named_as_the_documents_write_it(question, text, named):
    assert _name(question, text) == named


def test_a_first_part_of_the_asked_compound_does_not_name_it():
    text = "Jeugd is een beleidsterrein met grote tekorten."
    assert _name("met hoeveel jeugdhulpaanbieders werkte de gemeente vroeger?", text) != "Jeugd"
    # A longer compound of the asked word does name it, as the documents write it.
    assert _name("met hoeveel jeugdhulpaanbieders werkte de gemeente?", "De jeugdhulpaanbieders-overleggen") != NAMELESS


def test_a_modal_verb_is_never_the_subject():
    text = "Het jeugdhulpgebruik is hoger dan op basis van de factoren mag worden verwacht."
    assert _name("mag ik zonder vergunning een boom in mijn voortuin kappen?", text) == NAMELESS
