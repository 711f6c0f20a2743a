"""The subject a partial answer names, on hand-made passages (answer/subject.py)."""

from assistant.answer.question import analyse
from assistant.answer.subject import NAMELESS, subject_name


def _idf(word: str) -> float:
    return {"bijvoorbeeld": 9.0, "opvallend": 9.0, "jeugdhulpaanbieders": 8.0, "gezinnen": 3.0, "wijken": 4.0, "helder": 6.0}.get(
        word, 2.0
    )


def _name(question: str, text: str) -> str:
    q = analyse(question)
    return subject_name(q.entities, q.subject, text, _idf)


def test_an_adverb_of_the_question_is_never_its_subject():
    text = "Soms is hulp uit het eigen netwerk bijvoorbeeld van familie voldoende. Gezinnen krijgen één plan."
    assert _name("Welk deel van de gezinnen krijgt tegelijk hulp, bijvoorbeeld van familie?", text) == "Gezinnen"
    text = "Opvallend is dat er meer stapeling van hulp is in sommige wijken."
    assert _name("In welke wijken gaan opvallend veel stellen uit elkaar?", text) == "wijken"


def test_a_first_part_of_the_asked_compound_does_not_name_it():
    text = "Jeugd is een beleidsterrein met grote tekorten."
    assert _name("met hoeveel jeugdhulpaanbieders werkte de gemeente vroeger?", text) != "Jeugd"
    # A longer compound of the asked word does name it, as the documents write it.
    assert _name("met hoeveel jeugdhulpaanbieders werkte de gemeente?", "De jeugdhulpaanbieders-overleggen") != NAMELESS


def test_a_rare_required_name_is_named_as_written():
    text = "In Den Helder stemde de raad over de GGD; de wijken kregen een plan."
    assert _name("Wat besloot Den Helder over de wijken?", text) == "Den Helder"


def test_a_modal_verb_is_never_the_subject():
    text = "Het jeugdhulpgebruik is hoger dan op basis van de factoren mag worden verwacht."
    assert _name("mag ik zonder vergunning een boom in mijn voortuin kappen?", text) == NAMELESS


def test_an_adjective_is_named_with_the_noun_it_goes_with():
    text = "Minister Modi noemde een mogelijke virtuele G20 top van regeringsleiders. Deze top komt er."
    assert _name("wat kwam er uit de virtuele G20-top van november?", text) == "virtuele G20 top"
    text = "Kansrijke Start is in 2019 gestart in drie wijken."
    assert _name("Hoeveel kost Kansrijke Start per jaar?", text) == "Kansrijke Start"


def test_a_place_name_keeps_its_den():
    text = "De gemeente Den Haag is één van de dichtstbevolkte gemeenten in Nederland."
    assert _name("sinds wanneer geldt de milieuzone in den haag?", text) == "Den Haag"
