"""The verbs of a question (`question.verb_slots`) weigh less in the evidence test when the documents
word them differently: hand-made questions and passages, no index, no embedding model."""

from __future__ import annotations

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.evidence import VERB_WEIGHT, Evidence
from assistant.answer.question import analyse, verb_slots


def test_the_finite_verb_follows_the_question_phrase():
    assert verb_slots("Welke richting koos de raad voor de toegang?") == ["koos"]
    assert verb_slots("Wat bedoelt de gemeente met populatiebekostiging?") == ["bedoelt"]
    # "hoeveel" and "welke" bring a noun phrase (with its adjectives) before the verb.
    assert verb_slots("Hoeveel jongeren kregen verlengde jeugdhulp?") == ["kregen"]
    assert verb_slots("Met hoeveel kwetsbare gezinnen werkte het wijkteam?") == ["werkte"]
    # A second question after "en" has its own verb.
    assert verb_slots("Hoeveel jongeren kregen hulp en wat kostte dat?") == ["kregen", "kostte"]


def test_hoe_with_an_adverb_belongs_to_the_question_phrase():
    assert verb_slots("Hoe lang duurt een traject?") == ["lang", "duurt"]
    assert verb_slots("Hoe hard stijgen de kosten van de zorg?") == ["hard", "stijgen"]
    assert verb_slots("Hoe werkt de toegang?") == ["werkt"]


def test_the_verbs_closing_a_clause_are_left_alone():
    # An auxiliary is no content word; the participle or infinitive after it is often the asked detail.
    assert verb_slots("Wanneer is de taskforce opgeheven?") == []
    assert verb_slots("Wanneer moet de commissie advies geven?") == []
    # A yes/no question opens with its verb.
    assert verb_slots("Speelt de agenda een rol in het beleid?") == ["speelt"]


def test_nouns_are_not_taken_for_verbs():
    assert verb_slots("Wat is het beleid?") == []  # after an article
    assert verb_slots("Wat is er voor kwetsbare jongeren?") == []  # a plural noun after its adjective
    # A preposition after the question's noun: where the noun phrase ends is unknown, so no guess.
    assert verb_slots("In welke wijken van de stad gaan veel stellen uit elkaar?") == []
    # Statements around a question are not searched for verbs.
    assert verb_slots("De update meldde een evaluatie. Wat koos de raad?") == ["koos"]
    assert analyse("Hoe lang duurt een traject?").verbs == ["lang", "duurt"]


def _passage(i: int, text: str):
    return passage(f"doc{i}", text, score=1.0 - i / 10)


# Every passage speaks of a "traject"; two of the programme "VoorZorg"; none says "lang" or "duurt".
PASSAGES = [
    _passage(0, "Een VoorZorg-traject loopt tweeënhalf jaar. Het traject begint in de zwangerschap."),
    _passage(1, "VoorZorg is een traject voor jonge moeders."),
    _passage(2, "Het traject van de wijkteams is herzien."),
    _passage(3, "Elk traject krijgt een regisseur."),
    _passage(4, "Het traject voor schoolverzuim start in maart."),
    _passage(5, "Een traject kost gemiddeld minder dan verwacht."),
]


def test_a_verb_worded_otherwise_costs_less_than_a_missing_subject_word():
    e = Evidence(PASSAGES)
    terms = ["lang", "duurt", "voorzorg", "traject"]
    text = PASSAGES[0].text
    plain = e.coverage(terms, text)
    lighter = e.coverage(terms, text, verbs=frozenset({"lang", "duurt"}))
    assert plain < 0.35 <= lighter  # the refusal threshold lies between them
    missing = e.idf("lang") ** 2 + e.idf("duurt") ** 2
    found = e.idf("voorzorg") ** 2 + e.idf("traject") ** 2
    assert abs(lighter - found / (found + VERB_WEIGHT * missing)) < 1e-9
    # A verb the text does use counts in full; a subject word missing keeps its full weight.
    assert e.coverage(["loopt", "voorzorg"], text, verbs=frozenset({"loopt"})) == 1.0
    assert e.coverage(terms, "Het traject is herzien.", verbs=frozenset({"lang", "duurt"})) < 0.35


def test_a_question_whose_verb_the_documents_word_otherwise_is_answered():
    ranked = PASSAGES
    r = Answerer(PASSAGES).compose("Hoe lang duurt een VoorZorg-traject?", "Hoe lang duurt een VoorZorg-traject?", ranked)
    assert r.kind == "answer"
    assert "tweeënhalf jaar" in r.answer.splitlines()[1]
    # The subject itself missing is still not answered, whatever the verbs.
    r = Answerer(PASSAGES).compose("Hoe lang duurt een Kansrijke Start?", "Hoe lang duurt een Kansrijke Start?", ranked)
    assert r.kind != "answer"
