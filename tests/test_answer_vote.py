""" "Welke partijen stemden tegen …?": the vote is quoted even when the decision list records it some
lines or a passage after the decision (answer/extractive.py `_vote_after`); without a vote, `partial`."""

from dataclasses import replace

from helpers import passage

from assistant.answer import Answerer

DECISION = replace(
    passage(
        "lijst",
        "15. Onderzoeksvoorstel inzake de zwembaden van de gemeente. De raad besluit het onderzoek te laten uitvoeren "
        "door de rekenkamer. Het onderzoek start in september.",
        i=1,
        score=0.9,
    ),
    start=0,
)
LATER = replace(
    passage(
        "lijst",
        "De kosten worden gedekt uit de reserve. Tegen het voorstel stemden de fracties van Lokaal Belang en de VVD. "
        "16. Vaststelling van de notulen.",
        i=2,
        score=0.2,
    ),
    start=400,
)
OTHER = [passage("x", f"In {2000 + k} stelde de raad de begroting voor de bibliotheek vast.", i=k, score=0.1) for k in range(3)]
QUESTION = "welke partijen stemden tegen het onderzoeksvoorstel over de zwembaden?"


def test_the_vote_in_the_next_passage_is_quoted():
    corpus = [DECISION, LATER, *OTHER]
    r = Answerer(corpus).compose(QUESTION, QUESTION, [DECISION, *OTHER])  # the vote's passage was not retrieved
    assert r.kind == "answer"
    assert "Tegen het voorstel stemden de fracties van Lokaal Belang en de VVD." in r.answer


def test_no_vote_recorded_is_partial():
    corpus = [DECISION, *OTHER]
    r = Answerer(corpus).compose(QUESTION, QUESTION, [DECISION, *OTHER])
    assert r.kind == "partial", r.answer
