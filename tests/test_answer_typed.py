"""The sentence with the asked kind of answer leads (answer/typed.py): a definition for "wat is …" and
"wat bedoelen ze met …", on hand-made passages."""

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.question import asked_type
from assistant.answer.typed import DEFINES


def test_what_do_they_mean_by_asks_a_definition():
    assert asked_type("wat bedoelen ze met matched care?") == "definitie"
    assert asked_type("Wat bedoelt de gemeente met populatiebekostiging?") == "definitie"
    assert asked_type("Wat is een stevig lokaal team?") == "definitie"
    assert asked_type("Wat bedoelen ze?") != "definitie"
    assert DEFINES.search("Passende zorg houdt in: de juiste zorg op de juiste plek.")
    assert DEFINES.search("Onder populatiebekostiging wordt verstaan: één budget per gebied.")
    assert not DEFINES.search("Matched care staat centraal in het beleid.")


def test_the_defining_sentence_leads():
    p = passage(
        "beleid",
        "Matched care staat centraal in het nieuwe beleid van de regio. "
        "Passende zorg houdt in: de juiste zorg op de juiste plek (matched care).",
        score=0.9,
    )
    filler = [
        passage("x", f"In {2000 + k} stelde de raad de begroting voor de bibliotheek vast.", i=k, score=0.1) for k in range(4)
    ]
    q = "wat bedoelen ze met matched care?"
    r = Answerer([p, *filler]).compose(q, q, [p, *filler])
    assert r.kind == "answer"
    assert r.answer.split("\n")[1].startswith("Passende zorg houdt in:"), r.answer


def test_what_something_may_or_will_cost_asks_an_amount():
    # "kosten" closing the question after a modal is the verb: an amount is asked, as for "wat kost …".
    assert asked_type("wat mocht het onderzoek naar het opstappen van de wethouder kosten?") == "bedrag"
    assert asked_type("wat gaat de nieuwe aanpak kosten?") == "bedrag"
    # "de kosten" is the noun: what happens with them is no amount.
    assert asked_type("wat moet er gebeuren met de kosten?") != "bedrag"
    assert asked_type("wat gaat er met die kosten?") != "bedrag"
