"""The noun that names the kind of answer asked ("van welke datum", "welk bedrag", "welk aantal") frames the
question like "wanneer" or "hoeveel" (question.FRAME_WORDS): it is not part of the subject the evidence must
cover, since documents give the date or the amount without the word "datum" or "bedrag"."""

from __future__ import annotations

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.question import analyse

TEXTS = (
    "Het college stelde het voorstel over de hervorming van de jeugdhulp op 3 september 2024 vast.",
    "De raad besprak de hervorming van de jeugdhulp in oktober in een commissie.",
    "De jeugdhulp in de regio wordt ingekocht door een inkoopbureau.",
    "Gezinnen krijgen hulp van het wijkteam.",
    "Het voorstel noemt drie pijlers voor de toegang.",
    "Een voorstel van de raad over de wijkteams werd aangenomen.",
)
DOCS = [passage("besluit", text, i=i) for i, text in enumerate(TEXTS, 1)]


def test_asking_nouns_are_not_the_subject():
    for q, frame in (
        ("van welke datum is het voorstel van het college?", "datum"),
        ("welk bedrag krijgt de regio?", "bedrag"),
        ("welk aantal gezinnen krijgt hulp?", "aantal"),
    ):
        a = analyse(q)
        assert frame in a.terms and frame not in a.subject


def test_a_date_question_naming_its_noun_is_answered_with_the_date():
    q = "van welke datum is het voorstel?"
    r = Answerer(DOCS).compose(q, q, DOCS)
    assert r.kind == "answer" and "3 september 2024" in r.answer, r.answer
