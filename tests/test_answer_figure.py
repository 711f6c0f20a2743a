"""A figure or date question, once answered, shows the sentence holding the asked figure (`[answer]
figure_bonus`): the bonus chooses what is shown, the kind is still decided on the plain ranking, so a
near miss (the figure only in a sentence about something else) stays `partial`."""

from __future__ import annotations

from dataclasses import replace

from helpers import passage

from assistant.answer import AnswerConfig, Answerer
from assistant.answer.question import analyse
from assistant.answer.typed import has_type, shows_figure
from assistant.model import Answer

DOCS = [
    passage("update", "Het onderzoek naar de wijkcoaches is afgerond, meldt het college.", i=1, score=1.0),
    passage("update", "Het onderzoek naar de wijkcoaches voor 40 gezinnen is afgerond.", i=2, score=0.9),
    passage("planning", "Het onderzoek naar de wijkcoaches is afgerond in oktober 2020.", i=3, score=0.05),
]


def _ask(q, docs, bonus=None):
    cfg = AnswerConfig() if bonus is None else replace(AnswerConfig(), figure_bonus=bonus)
    return Answerer(docs, cfg).compose(q, q, docs)


def test_the_sentence_with_the_asked_date_is_shown():
    q = "wanneer is het onderzoek naar de wijkcoaches afgerond?"
    plain = _ask(q, DOCS, bonus=0.0)  # its passage ranks low: below the cutoff, a number ("40") stands in
    assert plain.kind == "answer" and "oktober 2020" not in plain.answer, plain.answer
    r = _ask(q, DOCS)
    assert r.kind == "answer" and "oktober 2020" in r.answer, r.answer


def _fake_compose(kinds: dict, calls: list):
    """`Answerer._compose` answering with the kind given for its bonus (0 = the plain ranking)."""

    def fake(self, q, question, search_query, ranked, filtered, figure_bonus=0.0):
        calls.append(figure_bonus)
        kind = kinds[bool(figure_bonus)]
        return Answer(question, f"bonus {figure_bonus}", kind == "answer", [], kind=kind)

    return fake


def test_the_bonus_never_decides_the_kind(monkeypatch):
    q = "hoeveel kost het onderzoek naar de wijkcoaches?"
    calls: list = []
    monkeypatch.setattr(Answerer, "_compose", _fake_compose({False: "partial", True: "answer"}, calls))
    assert _ask(q, DOCS).kind == "partial" and calls == [0.0]  # a near miss stays partial, the bonus is not tried
    calls.clear()
    monkeypatch.setattr(Answerer, "_compose", _fake_compose({False: "answer", True: "partial"}, calls))
    r = _ask(q, DOCS)
    assert r.kind == "answer" and r.answer == "bonus 0.0" and calls == [0.0, 0.2]  # then the plain answer is shown


def test_only_figure_and_date_questions_get_the_bonus(monkeypatch):
    calls: list = []
    monkeypatch.setattr(Answerer, "_compose", _fake_compose({False: "answer", True: "answer"}, calls))
    _ask("hoe werkt het onderzoek naar de wijkcoaches?", DOCS)
    assert calls == [0.0]


def test_a_date_question_prefers_a_point_in_time_to_any_number():
    q = analyse("wanneer is het onderzoek naar de wijkcoaches afgerond?")
    for sentence in ("Het onderzoek voor 40 gezinnen is afgerond.", "Zie voetnoot 3 https://example.nl/begrippen"):
        assert has_type(q, sentence) and not shows_figure(q, sentence)  # a number: enough for the kind, not preferred
    for sentence in ("Het is afgerond in oktober.", "Afgerond op 15-12-2021.", "Dat volgt in Q3.", "Sinds 2019."):
        assert shows_figure(q, sentence), sentence
    count = analyse("hoeveel gezinnen kregen hulp?")
    assert shows_figure(count, "In 2021 kregen 6 gezinnen hulp.")  # other figures as `has_type` says


def test_the_date_leads_rather_than_a_better_ranked_number():
    q = "wanneer is het onderzoek naar de wijkcoaches afgerond?"
    docs = [
        passage("update", "Het onderzoek naar de wijkcoaches voor 40 gezinnen is afgerond.", i=1, score=1.0),
        passage("planning", "Het onderzoek naar de wijkcoaches is afgerond in oktober 2020.", i=2, score=0.5),
    ]
    assert "oktober 2020" not in _ask(q, docs, bonus=0.0).answer.split("\n")[1]
    r = _ask(q, docs)
    assert "oktober 2020" in r.answer.split("\n")[1], r.answer


def test_the_bonus_does_not_outrank_the_date_after_a_better_sentence():
    """The date in the sentence after the best one ("Dat gebeurt in januari 2025") still answers: the bonus of
    another sentence with a year does not lift it above the sentence the date belongs to (neighbours.py)."""
    q = "wanneer geeft de commissie van deskundigen advies over de hervorming?"
    docs = [
        passage(
            "agenda",
            "Het geld voor de hervorming in de jaren 2026 en verder volgt op het advies van de commissie van deskundigen.",
            i=1,
            score=1.0,
        ),
        passage(
            "agenda",
            "De commissie van deskundigen geeft advies over de uitvoering van de hervorming. "
            "Dat gebeurt in januari 2025 en januari 2028.",
            i=2,
            score=0.7,
        ),
    ]
    r = _ask(q, docs)
    assert r.kind == "answer" and r.answer.split("\n")[1].startswith("Dat gebeurt in januari 2025"), r.answer


def test_a_level_is_given_by_a_percentage_a_count_is_not():
    level = analyse("hoe hoog was het ziekteverzuim in de jeugdzorg in 2022?")
    assert has_type(level, "Het verzuimcijfer bedraagt in het derde kwartaal van 2022 6,6%.")  # no "ziekteverzuim" needed
    count = analyse("hoeveel kinderen krijgen jeugdhulp?")
    assert not has_type(count, "Van de kinderen krijgt 12% jeugdhulp.")  # a share is not how many
    assert has_type(count, "In 2023 kregen 1.200 kinderen jeugdhulp.")


def test_a_part_of_a_whole_is_given_by_a_share():
    part = analyse("hoeveel van de zorgkosten kun je voorkomen met jongerenwerk?")
    assert part.asked == "bedrag" and has_type(part, "Uit onderzoek blijkt dat 1/3 van de kosten kan worden voorkomen.")
    assert has_type(analyse("hoeveel van het geld gaat naar organiseren?"), "Daaraan wordt 29% van de middelen besteed.")
    whole = analyse("hoeveel kost de zorg met jongerenwerk?")
    assert not has_type(whole, "Uit onderzoek blijkt dat 1/3 van de kosten kan worden voorkomen.")  # an amount is asked


def test_a_count_with_no_counted_noun_is_given_by_any_figure():
    # "met hoeveel loopt dat op?": the word after "hoeveel" is a verb, so no thing counted must be named.
    rise = analyse("met hoeveel loopt de taakstelling elk jaar op?")
    assert rise.asked == "getal" and has_type(rise, "Daarna jaarlijks oplopend met 1 miljoen.")
    assert not has_type(rise, "De taakstelling loopt daarna jaarlijks op.")  # no figure at all
    count = analyse("hoeveel gezinnen lopen vast?")  # a noun after "hoeveel" is still the thing counted
    assert not has_type(count, "Daarna loopt het jaarlijks op met 12.")
    assert has_type(count, "Er lopen 12 gezinnen vast.")


def test_a_figure_of_the_asked_year_is_preferred():
    q = analyse("hoeveel bezuinigt de gemeente vanaf 2027 op jeugdhulp?")
    assert shows_figure(q, "Vanaf 2027 is er ongeveer € 6,8 mln. minder budget voor jeugdhulp.")
    assert not shows_figure(q, "De taakstelling is € 3 mln. in 2025 en € 7 mln. in 2026.")  # figures of other years
    assert not shows_figure(q, "In 20270 gevallen is € 1 mln. bespaard.")  # a year is a whole number
    undated = analyse("hoeveel bezuinigt de gemeente op jeugdhulp?")
    assert shows_figure(undated, "De taakstelling is € 3 mln. in 2025 en € 7 mln. in 2026.")
    docs = [
        passage("besluit", "De gemeente bezuinigt op jeugdhulp € 3 mln. in 2025 en € 7 mln. in 2026.", i=1, score=1.0),
        passage("besluit", "Vanaf 2027 bezuinigt de gemeente ongeveer € 6,8 mln. per jaar.", i=2, score=0.8),
    ]
    r = _ask(q.text, docs)  # the other years' figures no longer ride along with the bonus
    assert r.kind == "answer" and "€ 6,8 mln" in r.answer and "€ 3 mln" not in r.answer, r.answer


def test_a_count_stands_by_the_thing_it_counts():
    q = analyse("met hoeveel onderaannemers werken de twee samenwerkingsverbanden?")
    far = "We gingen van 185 aanbieders naar twee samenwerkingsverbanden met een beperkt aantal onderaannemers; 10."
    assert not has_type(q, far)  # "185", "twee" count other things; "; 10." is a footnote marker
    assert has_type(q, "De samenwerkingsverbanden werken met 14 onderaannemers.")
    assert has_type(q, "Het aantal onderaannemers is nu 14.")  # after the noun, near it
    assert not has_type(q, "2 Volgens onderzoek werken de verbanden met onderaannemers in de regio.")  # a footnote's number


def test_a_footnote_marker_is_no_count_without_a_counted_noun_either():
    q = analyse("met hoeveel loopt dat op?")  # a verb follows "hoeveel": no noun counted, any number answers
    assert has_type(q, "Het tekort loopt op met 12 miljoen.")
    assert not has_type(q, "Het tekort loopt verder op; 10.")  # only a footnote's marker
    assert not has_type(q, "3 Volgens de begroting loopt het tekort verder op.")


def test_a_footnote_marker_is_no_date():
    q = analyse("sinds wanneer proberen ze in de wijk het factorenmodel uit?")
    footnote = "2 In het project wordt momenteel in de wijk ervaring opgedaan met het factorenmodel."
    assert not has_type(q, footnote)  # "2" numbers the footnote; "momenteel" gives no start
    assert has_type(q, "Sinds 2023 wordt in de wijk ervaring opgedaan met het factorenmodel.")
    assert has_type(q, "In 2 wijken is in maart het factorenmodel gestart.")  # a month dates it


def test_a_count_of_children_is_given_in_the_documents_words():
    q = analyse("hoeveel kinderen per jaar hoefden niet doorverwezen te worden?")
    assert has_type(q, "Jaarlijks kon voor gemiddeld 540 jeugdigen het traject bij de huisarts worden afgerond.")
    assert not has_type(q, "Jaarlijks werden 540 verwijzingen afgegeven.")  # a count of something else


def test_after_a_year_is_answered_by_the_year_after_it():
    docs = [
        passage("inkoop", "Regionaal wordt onderzocht hoe de inkoop van jeugdhulp vanaf 2027 moet plaatsvinden.", i=1, score=1.0),
        passage("inkoop", "De raad krijgt in 2025 een voorstel over de nieuwe inkoop van jeugdhulp.", i=2, score=0.9),
    ]
    r = _ask("wanneer krijgt de raad een voorstel over hoe de inkoop van jeugdhulp na 2026 moet?", docs)
    assert r.kind == "answer" and "in 2025" in r.answer, r.answer  # "na 2026": the documents say "vanaf 2027"
    r = _ask("wanneer krijgt de raad een voorstel over de inkoop van jeugdhulp na 2030?", docs)
    assert r.kind == "partial", r.answer  # no year after 2030 in the documents: that year is not answered


def test_a_rate_asked_with_hoeveel_is_given_as_a_percentage():
    q = analyse("hoeveel rente rekent de bank na het eerste jaar?")
    assert has_type(q, "Na het eerste jaar rekent de bank een rente van 5,75%.")
    count = analyse("hoeveel jongeren krijgen een krediet?")
    assert not has_type(count, "Het krediet van de jongeren stijgt met 5,75%.")  # a count is no percentage
