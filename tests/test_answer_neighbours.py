"""The asked figure in the sentence after the one about the subject (`answer/neighbours.py`):
hand-made passages, no index, no embedding model."""

from __future__ import annotations

import pytest
from helpers import passage

from assistant.answer import Answerer
from assistant.answer.neighbours import typed_neighbour

FILLER = [
    passage("f1", "Het wijkteam werkt in elke wijk van de stad.", i=5, score=0.2),
    passage("f2", "De raad bespreekt het beleid voor de jeugd.", i=6, score=0.2),
    passage("f3", "Het onderwijs en de jeugd werken samen in de wijk.", i=7, score=0.2),
]


def _ask(question: str, passages):
    ranked = sorted(passages, key=lambda p: -p.score)
    return Answerer(passages + FILLER).compose(question, question, ranked)


def test_the_figure_in_the_next_sentence_answers_and_comes_first():
    figure = passage(
        "brief",
        "Het aantal cliënten van de verlengde jeugdhulp is al jaren stabiel. "
        "In dat jaar waren dit 469 cliënten met een financiële omvang van € 12,3 mln. Dit volgen we elk kwartaal.",
        score=0.9,
    )
    r = _ask("Wat kost de verlengde jeugdhulp?", [figure])
    assert r.kind == "answer"
    lines = r.answer.splitlines()
    assert "€ 12,3 mln" in lines[1] and lines[1].index("€ 12,3 mln") < lines[1].index("stabiel")


def test_a_figure_next_to_a_sentence_about_something_else_is_no_answer():
    subject = passage("a", "De verlengde jeugdhulp wordt geregeld door het wijkteam. Het wijkteam werkt in elke wijk.", score=0.9)
    other = passage("b", "Het onderwijs krijgt extra ondersteuning. Dit kost € 3 mln per jaar.", i=2, score=0.8)
    r = _ask("Wat kost de verlengde jeugdhulp?", [subject, other])
    assert r.kind == "partial"  # the amount is shown as a related sentence, never as the answer


def test_only_the_sentence_right_after_a_chosen_one_about_the_subject():
    text = "Eerst dit: 12 cliënten. De verlengde jeugdhulp is stabiel. Daarna kwam er niets bij. Later: 30 cliënten."
    spans = [(0, 23), (24, 58), (59, 84), (85, len(text))]
    assert [text[s:e] for s, e in spans][1] == "De verlengde jeugdhulp is stabiel."
    chosen = [(0.9, 0.8, 0, spans[1])]
    has_number = lambda s: any(ch.isdigit() for ch in s)  # noqa: E731
    about = lambda s: "jeugdhulp" in s  # noqa: E731
    # The next sentence has no number; the one before it, and the one after the next, are not looked at.
    assert typed_neighbour(chosen, lambda i: spans, lambda i: text, has_number, about) is None
    text2 = text.replace("Daarna kwam er niets bij.", "Daarna kwamen 5 erbij.   ")
    found = typed_neighbour(chosen, lambda i: spans, lambda i: text2, has_number, about)
    assert found is not None and found[0][3] == spans[2] and found[1] == chosen[0]
    # A chosen sentence not about the subject lends its neighbour nothing.
    assert typed_neighbour(chosen, lambda i: spans, lambda i: text2, has_number, lambda s: False) is None


def test_an_enumeration_is_a_short_list_after_a_colon():
    from assistant.answer.neighbours import ENUMERATION

    assert ENUMERATION.search("We zijn naar twee verbanden gegaan: Kracht en rondomJou.")
    assert ENUMERATION.search("Drie partners: de GGD, Stichting Jeugd Noord en het wijkteam.")
    # A colon followed by a clause is no enumeration.
    assert not ENUMERATION.search("We zetten een stap: we hebben de organisatie van de jeugd- en gezinshulp veranderd.")


# (question, one passage's text, the next sentence that must be added, a sentence that must not be quoted)
ADDED = [
    (  # "welke …": the enumeration after a colon
        "Welke organisaties doen de jeugd- en gezinshulp?",
        "In de stad hebben we de organisatie van de jeugd- en gezinshulp veranderd. "
        "Van veel aanbieders zijn we naar twee samenwerkingsverbanden gegaan: Kracht en rondomJou.",
        "Kracht en rondomJou",
        None,
    ),
    (  # "waarom …": only a sentence that gives a reason
        "waarom wordt het beleidsplan welzijnswerk niet eind 2024 geëvalueerd?",
        "Het beleidsplan welzijnswerk wordt niet eind 2024 geëvalueerd maar twee jaar later. "
        "Dit komt doordat de uitvoering pas in 2023 op gang kwam. Het college informeert de raad jaarlijks.",
        "Dit komt doordat de uitvoering pas in 2023 op gang kwam.",
        "jaarlijks",
    ),
]


@pytest.mark.parametrize(("question", "text", "added", "absent"), ADDED)
def test_the_next_sentence_with_what_is_asked_is_added(question, text, added, absent):
    r = _ask(question, [passage("doc", text, score=0.9)])
    assert r.kind == "answer" and added in r.answer
    assert absent is None or absent not in r.answer


# (question, one passage's text, the sentence that must lead the answer, a sentence that must not be quoted)
LEADS = [
    (  # "hoe lang": a period, not a clock time
        "Hoe lang duurt een VoorZorg-traject voor zwangeren?",
        "Het VoorZorg-traject voor zwangeren met veel problemen wordt in de wijk gegeven door een verpleegkundige. "
        "Zo'n traject duurt tweeënhalf jaar. De raad vergadert om 13.30 uur over het VoorZorg-traject voor zwangeren.",
        "Zo'n traject duurt tweeënhalf jaar.",
        None,
    ),
    (  # a vote, in the sentence after the decision it belongs to
        "welke partijen waren tegen de nieuwe statuten van de stichting voor het basisonderwijs?",
        "De raad besluit in meerderheid in te stemmen met de nieuwe statuten van de stichting voor het basisonderwijs. "
        "Tegen het voorstel stemden de fracties van de Vrije Socialisten en Vermooten. De vergadering wordt geschorst.",
        "Tegen het voorstel stemden de fracties van de Vrije Socialisten en Vermooten.",
        "geschorst",
    ),
    (  # "wie heeft … gedaan": the passive's agent
        "wie heeft dat onderzoek naar draagmoederschap gedaan?",
        "De minister heeft een onderzoek naar draagmoederschap aangekondigd. Het rapport over dit onderzoek naar "
        "draagmoederschap is bijgevoegd. Dit onderzoek is gedaan door het Utrecht Centre for European Research.",
        "Dit onderzoek is gedaan door het Utrecht Centre",
        None,
    ),
    (  # another "wie" question is not answered by any passive agent
        "wie neemt het voorzitterschap over?",
        "Brazilië neemt het voorzitterschap over. Nederland was uitgenodigd door India.",
        "Brazilië neemt het voorzitterschap over.",
        None,
    ),
    (  # "hoe hard stijgen": a rate
        "Hoe hard stijgen de kosten van de specialistische jeugdzorg?",
        "De kosten van de specialistische jeugdzorg in de stad stijgen al jaren en de vraag naar jeugdzorg groeit. "
        "De kosten van de jeugdzorg stijgen elk jaar met ongeveer 7%.",
        "De kosten van de jeugdzorg stijgen elk jaar met ongeveer 7%.",
        None,
    ),
]


@pytest.mark.parametrize(("question", "text", "first", "absent"), LEADS)
def test_the_sentence_with_what_is_asked_leads(question, text, first, absent):
    r = _ask(question, [passage("doc", text, score=0.9)])
    assert r.kind == "answer" and r.answer.splitlines()[1].startswith(first)
    assert absent is None or absent not in r.answer


def test_a_percentage_is_no_count():
    share = passage("brief", "Bij 19% van de kinderen met een pgb is sprake van een laag geboortegewicht.", score=0.9)
    r = _ask("hoeveel kinderen hebben een pgb?", [share])
    assert r.kind == "partial" and r.answer.startswith("De documenten noemen ") and ", maar geen aantal." in r.answer
    count = passage("brief2", "In 2021 hadden 240 kinderen een pgb.", i=2, score=0.9)
    assert _ask("hoeveel kinderen hebben een pgb?", [count]).kind == "answer"
