"""What a chosen sentence brings along (`answer/lists.py`): a list's items, also from the next passage
of the same section, and the rest of a bullet cut by a line break. Hand-made passages only."""

from __future__ import annotations

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.lists import continuations, list_items, wrapped_rest
from assistant.text import split_sentences


def _units(text: str):
    return [(s + 2, e) if text.startswith("• ", s) else (s, e) for s, e in split_sentences(text)]


def _texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_items_run_to_the_next_sub_heading_and_keep_their_second_sentence():
    text = "De gemeente kiest drie pijlers:\n• Preventie. Dat is het begin.\n• Toegang\n• Zorg\nPlannen:\n• Later"
    units = _units(text)
    items, runs_on = list_items(text, units[1:])
    assert _texts(text, items) == ["Preventie.", "Dat is het begin.", "Toegang", "Zorg"]
    assert not runs_on
    # A lead that runs on in prose introduces no list.
    prose = "Er zijn twee routes: de ene is kort. De andere is lang."
    assert list_items(prose, _units(prose)[1:]) == ([], False)


def test_a_list_runs_on_into_the_next_passage_of_the_same_section():
    first = passage(
        "plan", "Deze organisaties doen mee:\n• Stichting Eén\n• Stichting Twee", i=1, section_title="Partners", score=0.9
    )
    second = passage("plan", "• Stichting Drie\n• Stichting Vier\nDaarna volgt de evaluatie.", i=2, section_title="Partners")
    other = passage("plan", "• Stichting Vijf", i=3, section_title="Bijlage")
    lead = _units(first.text)[0]
    nxt = {first.id: second, second.id: other}
    pool, out = continuations([first], [(1.0, 1.0, 0, lead)], _units_of, lambda p: nxt.get(p.id))
    assert [p.id for p in pool] == [first.id, second.id]
    quoted = [pool[c[2]].text[c[3][0] : c[3][1]] for c in out]
    assert quoted == ["Deze organisaties doen mee:", "Stichting Eén", "Stichting Twee", "Stichting Drie", "Stichting Vier"]
    # The next passage of another section is not the same list.
    second_other = passage("plan", "• Stichting Drie", i=2, section_title="Bijlage")
    pool, out = continuations([first], [(1.0, 1.0, 0, lead)], _units_of, lambda p: second_other)
    assert len(pool) == 1 and len(out) == 3


def _units_of(p):
    return _units(p.text)


def _brought(text: str, k: int) -> list[str]:
    """The texts shown when the k-th unit of a passage holding `text` is chosen, in the passage's order."""
    _, out = continuations([passage("p", text)], [(1.0, 1.0, 0, _units(text)[k])], _units_of, lambda q: None)
    return _texts(text, sorted(c[3] for c in out))


def test_a_heading_without_colon_leads_its_bullets():
    text = "4. Zorg in een medisch centrum\n• Ziekenhuis Noord\n• Ziekenhuis Zuid\n5. Andere zorg\n• Kliniek West"
    p = passage("lijst", text, section_title="Aanbieders")
    units = _units(text)
    _, out = continuations([p], [(1.0, 1.0, 0, units[0])], _units_of, lambda q: None)
    assert [text[s:e] for *_, (s, e) in out] == ["4. Zorg in een medisch centrum", "Ziekenhuis Noord", "Ziekenhuis Zuid"]


def test_a_bullet_cut_by_the_page_width_brings_its_rest_a_heading_does_not():
    text = (
        "• Een zwangere met veel problemen kan worden verwezen naar een speciaal\n"
        "Multidisciplinair Overleg waar twee wijkcoaches helpen.\n"
        "1a.4 Stevige lokale teams dragen bij aan het voorkomen van verwijzing naar zorg\n"
        "Het is belangrijk dat ouders dichtbij hulp krijgen."
    )
    units = _units(text)
    assert _texts(text, wrapped_rest(text, units[0], units[1:])) == ["Multidisciplinair Overleg waar twee wijkcoaches helpen."]
    assert wrapped_rest(text, units[2], units[3:]) == []
    # A short bullet (a name) followed by a numbered line is a list, not a cut sentence.
    names = "• Gelre ziekenhuizen\n12. Klinieken voor gezinnen"
    assert wrapped_rest(names, _units(names)[0], _units(names)[1:]) == []


def test_the_answer_quotes_the_whole_cut_bullet():
    p = passage(
        "update",
        "Kwetsbare zwangeren:\n• Er zijn 11 zorgpaden ontwikkeld voor verloskundigen.\n"
        "• Een zwangere met veel problemen kan worden verwezen naar een speciaal\n"
        "Multidisciplinair Overleg waar twee wijkcoaches helpen.",
        score=0.9,
    )
    filler = [passage(f"f{k}", f"De gemeente werkt aan beleid nummer {k}.", i=k) for k in range(3)]
    r = Answerer([p, *filler]).compose(
        "Hoe worden zwangeren met veel problemen geholpen?", "Hoe worden zwangeren met veel problemen geholpen?", [p, *filler]
    )
    assert r.kind == "answer" and "Multidisciplinair Overleg" in r.answer


def test_a_sentence_that_refers_to_that_date_brings_the_dated_sentence_before_it():
    text = (
        "1. Deze regeling heet Regeling budgetbeheer 2023. 2. Deze regeling treedt in werking per 1 december 2023. "
        "De Regeling budgetbeheer 2019 wordt per die datum ingetrokken. 4. Budgethouders zijn teammanagers."
    )
    assert _brought(text, 2) == [
        "2. Deze regeling treedt in werking per 1 december 2023.",
        "De Regeling budgetbeheer 2019 wordt per die datum ingetrokken.",
    ]
    assert len(_brought(text, 3)) == 1  # a sentence without such a reference brings nothing from before it


def test_a_chosen_sentence_cut_by_the_page_width_is_quoted_whole():
    text = (
        "De raad geeft het college opdracht om de toegang tot de jeugdhulp in te richten met stevige\n"
        "lokale teams in alle wijken van de stad.\n"
        "Aldus vastgesteld in de openbare vergadering van de raad op 7 oktober 2024\n"
        "de griffier, de voorzitter,"
    )
    p = passage("besluit", text, score=0.9)
    pool, out = continuations([p], [(1.0, 1.0, 0, _units(text)[0])], lambda x: _units(x.text), lambda x: None)
    assert _texts(text, [c[3] for c in out]) == [text[: text.index(" stad.") + 6]]  # one unit, both lines
    # a signature line is no rest of the line before it
    last = [u for u in _units(text) if text[u[0] :].startswith("Aldus")]
    pool, out = continuations([p], [(1.0, 1.0, 0, last[0])], lambda x: _units(x.text), lambda x: None)
    assert _texts(text, [c[3] for c in out]) == ["Aldus vastgesteld in de openbare vergadering van de raad op 7 oktober 2024"]


def test_a_sentence_that_leans_on_the_chosen_one_comes_along():
    text = (
        "Soms spelen in een gezin ook schulden of werkloosheid. In zulke gevallen wordt het gezin aangemeld voor "
        "gezinsgericht werken. De coronacrisis raakte kinderen in de jeugdhulp. Aanbieders konden immers niet altijd "
        "hulp bieden. Het aantal meldingen steeg."
    )
    assert [t[:17] for t in _brought(text, 0)] == ["Soms spelen in ee", "In zulke gevallen"]
    assert [t[:24] for t in _brought(text, 2)] == ["De coronacrisis raakte k", "Aanbieders konden immers"]
    assert len(_brought(text, 3)) == 1  # "Het aantal meldingen steeg." leans on nothing: not brought along


def test_a_therefore_sentence_brings_the_reason_before_it():
    text = (
        "Verlaging van het tarief. Het budget is echter niet bedoeld als inkomen voor familieleden. "
        "Daarom wordt voorgesteld het tarief te verlagen naar het minimumloon."
    )
    assert [t[:20] for t in _brought(text, 2)] == ["Het budget is echter", "Daarom wordt voorges"]
    assert len(_brought(text, 1)) == 1  # the reason itself brings nothing
    short = "Zoetermeerse toegang. Daarom is eind 2021 gestart met een evaluatie van de toegang tot jeugdhulp."
    assert len(_brought(short, 1)) == 1  # a fragment left by the layout is no reason
