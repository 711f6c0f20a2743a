"""The answerer and the question analysis on a few hand-made passages: no index, no embedding model."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer import NO_ANSWER, Answerer, analyse, is_timeline, resolve_followup
from assistant.answer.question import interpretation
from assistant.model import Passage


def _passage(i: int, doc: str, date: str, title: str, text: str, score: float) -> Passage:
    return Passage(
        id=f"{doc}#{i}",
        doc_id=doc,
        title=title,
        date=date,
        kind="actieplan",
        page=None,
        section="",
        section_title="",
        text=text,
        score=score,
    )


BUDGET = _passage(
    1,
    "brief",
    "2023-06",
    "Raadsinformatiebrief Hervormingsagenda",
    "De Hervormingsagenda Jeugd moet de jeugdhulp betaalbaar houden. Voor Zoetermeer betekent dit "
    "vanaf 2027 ongeveer € 6,8 mln. minder budget. De gemeente zoekt de besparing vooral in de "
    "specialistische jeugdhulp.",
    0.9,
)
START_2019 = _passage(
    2,
    "actieplan",
    "2019-04",
    "Actieplan jeugdhulp",
    "Kansrijke Start richt zich op de eerste 1000 dagen van een kind. Zwangeren in een kwetsbare "
    "situatie krijgen extra steun van een verloskundige.",
    0.5,
)
START_2022 = _passage(
    3,
    "update",
    "2022-05",
    "Update actieplan",
    "Kansrijke Start is in 2022 uitgebreid naar alle wijken. Het netwerk telt nu twaalf partners.",
    0.6,
)
PILLARS = _passage(
    4,
    "actieplan",
    "2019-04",
    "Actieplan jeugdhulp",
    "De gemeente werkt met drie pijlers:\n• preventie in de wijk\n• snelle toegang tot hulp\n• betaalbare specialistische zorg",
    0.4,
)
DECISION = _passage(
    5, "besluit", "2024-10", "Raadsbesluit", "De raad stemt in met het voorstel. Het college voert het besluit uit.", 0.3
)
PASSAGES = [BUDGET, START_2019, START_2022, PILLARS, DECISION]


def _ask(question: str, first: list[Passage]):
    ranked = first + [p for p in PASSAGES if p not in first]
    return Answerer(PASSAGES).compose(question, question, ranked)


def _quoted(answer: str) -> list[str]:
    """The cited units of an answer, markers removed."""
    return [m.group(1).strip("• ").strip() for m in re.finditer(r"([^\n\]]+?) \[\d+\]", answer)]


def test_money_question_is_answered_from_the_sentence_with_the_amount():
    r = _ask("Hoeveel minder budget heeft Zoetermeer vanaf 2027?", [BUDGET])
    assert r.answered
    assert "€ 6,8 mln." in r.answer and r.citations[0].doc_id == "brief"
    # Every quoted unit is verbatim in the passage its citation points at.
    assert all(s in BUDGET.text for s in _quoted(r.answer))


def test_near_miss_is_partial_naming_the_subject_and_the_missing_detail():
    r = _ask("Wat kost Kansrijke Start?", [START_2019, START_2022])
    assert r.kind == "partial" and not r.answered
    first, _, rest = r.answer.partition("\n\n")
    assert first == "De documenten noemen Kansrijke Start, maar geen bedrag."
    assert r.citations and all(c.doc_id in {"actieplan", "update"} for c in r.citations)
    assert all(s in START_2019.text + START_2022.text for s in _quoted(rest))


def test_a_name_absent_from_the_corpus_is_not_found():
    r = _ask("Wie is de burgemeester van Amsterdam?", [DECISION])
    assert r.kind == "not_found" and r.answer == NO_ANSWER and not r.citations
    filtered = Answerer(PASSAGES).compose(
        "Wie is de burgemeester van Amsterdam?", "Wie is de burgemeester van Amsterdam?", PASSAGES, filtered=True
    )
    assert filtered.answer == "Hierover staat niets in de gekozen documenten."


def test_a_name_in_the_corpus_but_not_in_the_evidence_is_not_an_answer():
    # "Zoetermeer" is what the budget letter is about; the pillars passage of the action plan is not.
    passages = [
        BUDGET,
        PILLARS,
        _passage(
            6,
            "brief2",
            "2023-07",
            "Brief Zoetermeer",
            "Zoetermeer zoekt besparingen. Zoetermeer bespreekt dit met de regio. Zoetermeer rapporteert in 2024.",
            0.1,
        ),
    ]
    r = Answerer(passages).compose("Welke pijlers heeft Zoetermeer?", "Welke pijlers heeft Zoetermeer?", [PILLARS])
    assert r.kind == "partial" and "maar niets over Zoetermeer" in r.answer


def test_opinion_questions_get_the_fixed_sentence():
    r = _ask("Wat moet ik stemmen over Kansrijke Start?", [START_2019, START_2022])
    assert not r.answered
    assert r.answer.startswith("Ik geef geen advies of mening; ik laat zien wat de documenten zeggen.")


def test_the_answering_sentence_comes_first():
    r = _ask("Hoeveel bezuinigt Zoetermeer vanaf 2027 door de Hervormingsagenda?", [BUDGET])
    assert r.kind == "answer"
    first = r.answer.splitlines()[1]
    assert first.startswith("Voor Zoetermeer betekent dit vanaf 2027 ongeveer € 6,8 mln. minder budget. [1]")


def test_decision_points_answer_what_was_decided():
    first = _passage(
        7,
        "besluit",
        "2024-10-07",
        "Raadsbesluit Jeugd",
        "De raad van de gemeente Zoetermeer; Gelezen het voorstel van burgemeester en wethouders\n"
        "besluit 1. het college opdracht te geven om:\na. lokale teams in te richten;\n"
        "b. de inkoop te onderzoeken;",
        0.2,
    )
    second = _passage(
        8,
        "besluit",
        "2024-10-07",
        "Raadsbesluit Jeugd",
        "2. Toezegging 659 als afgedaan te beschouwen.\nAldus vastgesteld in de openbare vergadering "
        "van de raad op 7 oktober 2024",
        0.9,
    )
    second.start = 500
    passages = PASSAGES + [first, second]
    r = Answerer(passages).compose(
        "Wat besloot de raad op 7 oktober 2024?", "Wat besloot de raad op 7 oktober 2024?", [second, first]
    )
    assert r.kind == "answer"
    lines = r.answer.splitlines()
    # The passage's own sentence units inside the block (what the faithfulness checker knows), cited.
    assert lines[1:5] == [
        "besluit 1. het college opdracht te geven om: [1]",
        "a. lokale teams in te richten; [1]",
        "b. de inkoop te onderzoeken; [1]",
        "2. Toezegging 659 als afgedaan te beschouwen. [2]",
    ]
    assert "Aldus vastgesteld" not in r.answer
    # Asked about one subject ("over de inkoop"), the decision point about it leads; the others follow.
    q = "Wat besloot de raad op 7 oktober 2024 over de inkoop?"
    about = Answerer(passages).compose(q, q, [second, first]).answer.splitlines()
    assert about[1] == "b. de inkoop te onderzoeken; [1]"
    assert about[2:4] == ["besluit 1. het college opdracht te geven om: [1]", "a. lokale teams in te richten; [1]"]


def test_a_list_brings_its_items():
    r = _ask("Welke pijlers heeft de gemeente?", [PILLARS])
    assert r.answered
    items = [line for line in r.answer.splitlines() if line.startswith("• ")]
    assert [i.removesuffix(" [1]") for i in items] == [
        "• preventie in de wijk",
        "• snelle toegang tot hulp",
        "• betaalbare specialistische zorg",
    ]


def test_timeline_is_ordered_by_document_date_not_by_rank():
    question = "Hoe stond het met Kansrijke Start van 2019 tot 2022?"
    assert is_timeline(question)
    r = _ask(question, [START_2022, START_2019])  # the newer document ranks first
    assert r.answered
    assert [c.doc_id for c in r.citations] == ["actieplan", "update"]
    assert r.answer.index("1000 dagen") < r.answer.index("uitgebreid naar alle wijken")


def test_since_when_asks_a_date_not_a_development():
    question = "Sinds wanneer gelden er strengere regels voor het vervoer van jeugdigen?"
    assert not is_timeline(question) and is_timeline("Wat is er sinds 2019 veranderd aan het vervoer?")
    rules = _passage(
        9,
        "update",
        "2022",
        "Update Actieplan",
        "• Aanscherpen regels voor het vervoer van jeugdigen naar jeugdhulp\n"
        "• De regels voor het vervoer van jeugdigen zijn aangescherpt met ingang van 2020.",
        0.9,
    )
    r = _ask(question, [rules])
    assert r.answered and "met ingang van 2020" in r.answer.split("\n")[1]


def test_the_evidence_test_reads_the_subject_not_the_frame_words():
    """ "besloten" says a decision is asked; a decision about something else does not answer it."""
    decision = _passage(
        20,
        "besluit",
        "2024-10",
        "Raadsbesluit jeugdhulp",
        "De gemeenteraad heeft besloten de jeugdhulp anders te organiseren. "
        "Aldus vastgesteld in de openbare vergadering van de gemeenteraad op 7 oktober 2024.",
        0.9,
    )
    filler = [
        _passage(30 + k, "brief", "2023", "Brief", f"In {2000 + k} is het jeugdbeleid van de gemeente besproken met ouders.", 0.1)
        for k in range(5)
    ]
    pool = [decision, *filler]
    question = "Wat heeft de gemeenteraad van maastricht besloten over de bibliotheek?"
    assert Answerer(pool).compose(question, question, pool).kind != "answer"
    question = "Wat heeft de gemeenteraad besloten over de jeugdhulp?"
    assert Answerer(pool).compose(question, question, pool).kind == "answer"


def test_followup_carries_subject_and_motion_number():
    history = [
        {"role": "user", "content": "Wat is de status van motie Burgervoogd?"},
        {"role": "assistant", "content": "Motie Burgervoogd (2106-18): afgedaan [1]"},
    ]
    resolved = resolve_followup("En wanneer is die afgedaan?", history)
    assert "burgervoogd" in resolved and "2106-18" in resolved
    # A question that stands on its own is left alone, with or without history.
    assert resolve_followup("Wat is Kansrijke Start?", history) == "Wat is Kansrijke Start?"
    assert interpretation("En wanneer is die afgedaan?", resolved) == (
        "En wanneer is die afgedaan? (over: status motie burgervoogd 2106-18)"
    )
    assert interpretation("Wat is Kansrijke Start?", "Wat is Kansrijke Start?") == ""
    # Gradio-style (user, assistant) pairs work too.
    assert "burgervoogd" in resolve_followup("En wanneer?", [("Motie Burgervoogd?", "… [1]")])


def test_question_analysis_types_and_names():
    cases = {
        "Hoeveel bezuinigt Zoetermeer vanaf 2027?": "bedrag",
        "Hoeveel bedroeg het jeugdhulpbudget in 2019?": "bedrag",
        "Hoeveel vergoeding krijgt een pleegouder per maand?": "bedrag",  # a vergoeding is money
        "Hoeveel gemeenten werken samen?": "getal",
        "Welk percentage van de kinderen krijgt hulp?": "percentage",
        "Wanneer is de motie afgedaan?": "datum",
        "Wie is de wethouder Jeugd?": "persoon",
        "Wat besloot de raad op 7 oktober 2024?": "besluit",
        "Wat is de status van motie 2106-18?": "status",
        "Wat is het verschil tussen het actieplan en de update?": "vergelijking",
        "Hoe heeft Kansrijke Start zich ontwikkeld?": "ontwikkeling",
        "Waarom is de Taskforce ingesteld?": "reden",
        "Wat is Kansrijke Start?": "definitie",
    }
    for question, asked in cases.items():
        assert analyse(question).asked == asked, question
    q = analyse("Wie is de huidige burgemeester van Amsterdam? Werkt Den Haag mee aan motie 2106-18 uit 2019?")
    assert q.entities == ["Amsterdam", "Den Haag"] and q.motions == ["2106-18"] and q.years == ["2019"]
    assert "huidige" not in q.subject and "burgemeester" in q.subject and "huidige" in q.terms
    # a particle ("nou") or a preposition of time ("vanaf") is no part of what a question is about
    q = analyse("komt er nou een extra loket vanaf mei?")
    assert "nou" not in q.subject and "vanaf" not in q.subject and "loket" in q.subject
    assert analyse("Wat moet ik stemmen?").opinion and not analyse("Wat moet de raad besluiten?").opinion


def test_a_motion_label_must_occur_as_written():
    motion = _passage(9, "lijst", "2025-03-13", "Besluitenlijst", "Motie K.3 Jeugdhulp in de wijk: aangenomen.", 0.5)
    answerer = Answerer(PASSAGES + [motion])
    assert analyse("wat is er met motie Q.7 gebeurd?").labels == ["Q.7"]
    assert answerer.compose("wat is er met motie Q.7 gebeurd?", "wat is er met motie Q.7 gebeurd?", [motion]).kind == "not_found"
    assert answerer.compose("wat is er met motie K.3 gebeurd?", "wat is er met motie K.3 gebeurd?", [motion]).kind == "answer"


def test_another_municipality_is_not_answered_from_this_ones_document():
    haag = _passage(11, "dh", "2025-03-13", "Beleidskader Jeugd", "De tarieven voor jeugdhulp stijgen in 2025 met 3%.", 0.9)
    haag.organisation = "gemeente Den Haag"
    westland = _passage(12, "wl", "2024-01-01", "Sportnota", "Sportverenigingen krijgen een bijdrage.", 0.1)
    westland.organisation = "gemeente Westland"
    answerer = Answerer(PASSAGES + [haag, westland])
    own = answerer.compose(
        "Hoe stijgen de tarieven voor jeugdhulp in Den Haag?", "Hoe stijgen de tarieven voor jeugdhulp in Den Haag?", [haag]
    )
    assert own.kind == "answer"  # "Den Haag" is the document's organisation, not a word of the passage
    other = answerer.compose(
        "Hoe stijgen de tarieven voor jeugdhulp in Westland?", "Hoe stijgen de tarieven voor jeugdhulp in Westland?", [haag]
    )
    assert other.kind == "partial" and "maar niets over Westland." in other.answer


def test_history_cannot_get_round_the_question_limit():
    """Issue 13: a huge previous turn must not become a huge search query (it took 21 s before)."""
    from assistant.answer.question import resolve_followup

    history = [{"role": "user", "content": "jeugd " * 400_000}, {"role": "assistant", "content": "motie 2106-18 " * 10_000}]
    query = resolve_followup("En daarna?", history)
    assert len(query) < 300 and query.startswith("En daarna?") and "2106-18" in query
    assert resolve_followup("En daarna?", [{"role": "system", "content": "negeer"}, 5, None]) == "En daarna?"
    assert resolve_followup("En daarna?", "geen lijst") == "En daarna?"


def test_a_motion_named_by_its_subject_must_be_about_that_subject():
    """Issue 11: "Wat is er met de motie over de jeugdhulp in de wijk gebeurd?" was answered from a
    national motion and sentences that merely share the words. A status question about one motion
    named by its subject needs a motion (a row or a sentence saying "motie") about that subject."""
    national = _passage(
        10,
        "update",
        "2022-05",
        "Update actieplan",
        "In de Eerste Kamer werd een motie aangenomen over de hervorming van de jeugdzorg. "
        "De jeugdhulp in de wijk wordt versterkt met lokale teams in elke wijk.",
        0.9,
    )
    row = _passage(11, "update", "2022-05", "Update actieplan", "Buurtgezinnen (2106-21)\nafgedaan op 15-12-2021", 0.5)
    answerer = Answerer(PASSAGES + [national, row])
    question = "Wat is er met de motie over de jeugdhulp in de wijk gebeurd?"
    assert answerer.compose(question, question, [national, row]).kind == "not_found"
    known = "Wat is er met de motie over buurtgezinnen gebeurd?"
    r = answerer.compose(known, known, [row, national])
    assert r.kind == "answer" and "afgedaan op 15-12-2021" in r.answer
    # Not a status question: the rule does not apply ("Vóór welke datum … volgens een motie …").
    # (A sentence that does not name the motion is a partial answer to "welke motie": not "niets".)
    dated = "Welke motie over de hervorming van de jeugdzorg nam de Eerste Kamer aan?"
    assert answerer.compose(dated, dated, [national]).kind == "partial"
    named = replace(national, text=national.text.replace("een motie", "de motie Kuiken (36 100)"))
    assert answerer.compose(dated, dated, [named]).kind == "answer"


def test_a_count_of_an_adjective_and_noun_is_found_next_to_the_noun():
    """ "Hoeveel kwetsbare zwangeren …?" counts zwangeren: the sentence "Acht zwangeren zijn verwezen"
    answers it, though it does not repeat the adjective; a number next to another noun does not."""
    p = _passage(
        12,
        "update",
        "2022-05",
        "Update actieplan",
        "De wijkcoaches voor kwetsbare zwangeren zijn in 2021 gestart. Acht zwangeren zijn verwezen naar zorg.",
        0.9,
    )
    other = _passage(
        13, "update", "2022-05", "Update actieplan", "De wijkcoaches voor kwetsbare zwangeren bezochten twaalf scholen.", 0.9
    )
    answerer = Answerer(PASSAGES + [p, other])
    question = "Hoeveel kwetsbare zwangeren zijn naar zorg verwezen?"
    r = answerer.compose(question, question, [p])
    assert r.kind == "answer" and r.answer.splitlines()[1].startswith("Acht zwangeren")
    assert answerer.compose(question, question, [other]).kind == "partial"


def test_a_follow_ups_opening_conjunction_is_not_part_of_the_question_phrase():
    q = analyse("en wie int die eigen bijdrage dan?")
    assert q.asked == "persoon" and "en" not in q.verbs and "int" in q.verbs
    assert analyse("Maar waarom is dat zo gegaan?").asked == "reden"


def test_voting_questions_are_recognised_and_agreeing_is_no_vote():
    from assistant.answer.neighbours import VOTE

    assert analyse("welke partijen waren in Den Helder tegen de nieuwe statuten?").asked == "stemming"
    assert analyse("wie stemden er voor de motie?").asked == "stemming"
    assert analyse("wat doet de gemeente tegen eenzaamheid?").asked != "stemming"
    assert VOTE.search("Tegen het voorstel stemden de fracties van de SP en GL.")
    assert VOTE.search("De motie is aangenomen met 36 tegen 8 stemmen.")
    assert not VOTE.search("De raad besluit in te stemmen met het voorstel voor de begroting.")


def test_a_comparison_is_answered_from_both_documents_without_the_word_verschil():
    plan = _passage(
        20, "plan2019", "2019-04", "Actieplan jeugdhulp", "Het actieplan bevat vooral harde maatregelen om te besparen.", 0.9
    )
    update = _passage(
        21, "upd2022", "2022-05", "Update actieplan", "De update herijkt de maatregelen van het actieplan uit 2019.", 0.8
    )
    # Many passages name the documents, none says "verschil": the frame word weighs most of the question.
    others = [
        _passage(30 + k, f"n{k}", "2022-01", "Nota", f"Het actieplan uit 2019 en de update uit 2022, deel {k}.", 0.1)
        for k in range(20)
    ]
    q = "Wat is het verschil tussen het actieplan uit 2019 en de update uit 2022?"
    r = Answerer([plan, update, *others]).compose(q, q, [plan, update])
    assert r.kind == "answer"
    assert "harde maatregelen" in r.answer and "herijkt" in r.answer
    assert r.answer.index("Actieplan jeugdhulp") < r.answer.index("Update actieplan")  # in date order


def test_no_word_of_the_subject_in_the_closest_sentences_is_not_found():
    # Only the modal "mag" occurs: a partial answer would have no subject to name ("De documenten noemen mag").
    text = "Het jeugdhulpgebruik is hoger dan op basis van de factoren mag worden verwacht."
    p = _passage(40, "tf", "2019-04", "Actieplan jeugdhulp", text, 0.9)
    q = "mag ik zonder vergunning een boom in mijn voortuin kappen?"
    r = Answerer([p, *PASSAGES]).compose(q, q, [p, *PASSAGES])
    assert r.kind == "not_found" and r.answer == NO_ANSWER


def test_a_decision_point_cut_by_line_wraps_is_quoted_whole():
    block = _passage(
        9,
        "besluit2",
        "2024-10-07",
        "Raadsbesluit Jeugd",
        "De raad van de gemeente; Gelezen het voorstel van burgemeester en wethouders\n"
        "besluit 1. Naar aanleiding van het project het college opdracht\n"
        "te geven om: a. lokale teams in te richten volgens de\nbestuurlijke afspraken;\n"
        "b. de inkoop te onderzoeken;\nAldus vastgesteld in de openbare vergadering van de raad op 7 oktober 2024",
        0.9,
    )
    q = "Wat besloot de raad op 7 oktober 2024?"
    r = Answerer(PASSAGES + [block]).compose(q, q, [block])
    lines = r.answer.splitlines()
    # No bare "besluit 1." line; the wrapped lines of point 1a read as the one sentence they are.
    assert lines[1:3] == [
        "Naar aanleiding van het project het college opdracht te geven om: a. lokale teams in te richten volgens de "
        "bestuurlijke afspraken; [1]",
        "b. de inkoop te onderzoeken; [1]",
    ], r.answer


def test_unwrap_joins_only_a_line_that_runs_on_in_lower_case():
    from assistant.answer.lists import unwrap
    from assistant.text import split_sentences

    text = (
        "Het college krijgt van de raad de opdracht om in alle wijken\nlokale teams te vormen.\n"
        "De raad stemt in met het voorstel van het college over de\nMet dank aan de griffie.\nKort\nvervolg."
    )
    joined = [text[s:e] for s, e in unwrap(text, split_sentences(text))]
    assert joined == [
        "Het college krijgt van de raad de opdracht om in alle wijken\nlokale teams te vormen.",
        "De raad stemt in met het voorstel van het college over de",  # the next line starts in upper case
        "Met dank aan de griffie.",
        "Kort",  # a short line was not cut by the page width
        "vervolg.",
    ]


def test_a_list_question_needs_the_things_named():
    """ "welke jeugdregio's …?" is not answered by a sentence that only refers to them: `partial`."""
    from assistant.answer.typed import names_instances

    q = "Welke jeugdregio's zijn niet robuust genoeg?"
    assert not names_instances("We toetsen de 42 jeugdregio's op robuustheid.", q)
    assert names_instances("Niet robuust genoeg zijn de jeugdregio's Holland Rijnland en Zuid-Kennemerland.", q)
    assert names_instances("Het gaat om de regio's west, noord en oost.", q)
    vague = _passage(30, "agenda", "2023-06", "Hervormingsagenda", "We toetsen de 42 jeugdregio's op robuustheid.", 0.9)
    assert _ask(q, [vague]).kind == "partial"
    named = _passage(
        31,
        "agenda",
        "2023-06",
        "Hervormingsagenda",
        "Niet robuust genoeg zijn de jeugdregio's Holland Rijnland en Zuid-Kennemerland.",
        0.9,
    )
    assert _ask(q, [named]).kind == "answer"
