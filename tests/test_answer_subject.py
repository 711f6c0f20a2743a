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


def test_the_publishers_name_is_named_only_when_nothing_else_is_there():
    # Every document of the gemeente Zoetermeer names Zoetermeer: "De documenten noemen Zoetermeer" says nothing.
    q = analyse("Wie was in 2024 wethouder jeugd in Zoetermeer?")
    rare = {"zoetermeer": 6.0, "jeugd": 3.0}
    text = "De gemeente Zoetermeer investeert in jeugd en gezin."
    named = subject_name(q.entities, q.subject, text, lambda w: rare.get(w, 2.0), frozenset({"gemeente", "zoetermeer"}))
    assert named == "jeugd"
    assert subject_name(q.entities, q.subject, text, lambda w: rare.get(w, 2.0)) == "Zoetermeer"  # without a publisher
    alone = subject_name(q.entities, q.subject, "De gemeente Zoetermeer.", lambda w: rare.get(w, 2.0), frozenset({"zoetermeer"}))
    assert alone == "Zoetermeer"  # nothing else of the question there: still named, not "dit onderwerp"
    # A publisher's word written as a common noun is no name ("een kamer" where the Tweede Kamer publishes).
    room = analyse("waarom lukt het jongeren niet om een kamer te huren?")
    shown = "Een kamer huren is te duur voor jongeren."
    assert (
        subject_name(room.entities, room.subject, shown, lambda w: {"kamer": 5.0}.get(w, 2.0), frozenset({"kamer"}))
        == "kamer huren"
    )


def test_an_ordinal_or_everyday_adjective_is_no_subject():
    q = analyse("moet de hulp in de wijk eerst in groepjes, voordat een kind eigen begeleiding krijgt?")
    text = "In de wijk krijgt een kind eerst hulp in een groep en daarna eigen begeleiding."
    rare = {"eigen": 7.0, "wijk": 4.0}  # rarer than the subject, still not what the question is about
    assert subject_name(q.entities, q.subject, text, lambda w: rare.get(w, 2.0)).startswith("wijk")


def test_a_part_of_a_hyphenated_compound_names_it_as_written():
    # The question's tokens split "poh-jeugd"; the text writes "POH-jeugd", "Wmo-berichtenverkeer" whole.
    q = analyse("hoeveel kinderen kwamen er in 2021 bij de poh-jeugd?")
    rare = {"poh": 5.0}
    assert (
        subject_name(q.entities, q.subject, "De POH-jeugd zag in 2021 veel kinderen.", lambda w: rare.get(w, 2.0)) == "POH-jeugd"
    )
    q = analyse("op welke dag zijn de regels over het berichtenverkeer vastgesteld?")
    text = "In het Jeugdwet- en Wmo-berichtenverkeer zijn regieberichten ontwikkeld."
    assert subject_name(q.entities, ["berichtenverkeer"], text, _idf) == "Wmo-berichtenverkeer"  # not "dit onderwerp"
