"""Answers: extractive and cited, refusals, follow-ups, filters, ordering."""

import re

from assistant.answer import NO_ANSWER, dutch_date, is_followup, resolve_followup

PREFIX = re.compile(r"^Volgens .+:$")


def _sentences_with_markers(answer_text):
    """(sentence, [n, ...]) for every cited sentence of an extractive answer."""
    out = []
    for line in answer_text.split("\n"):
        if not line.strip() or PREFIX.match(line):
            continue
        for m in re.finditer(r"(.+?) ((?:\[\d+\])+)(?= |$)", line):
            out.append((m.group(1).strip(), [int(n) for n in re.findall(r"\d+", m.group(2))]))
    return out


def test_motion_number_question_is_answered_from_its_row(bot):
    r = bot.ask("Wat is de status van motie 2106-18?")
    assert r.answered
    assert "31-12-2023" in r.answer and "[1]" in r.answer
    assert "2106-18" in r.citations[0].text and r.citations[0].doc_id == "update-actieplan-2022"


def test_every_answer_sentence_is_quoted_from_the_passage_it_cites(bot):
    questions = [
        "Wat is de status van motie 2106-18?",
        "Wat is Kansrijke Start?",
        "Wat besloot de raad over stevige lokale teams?",
        "Hoeveel gemeenten werken samen in de jeugdregio Haaglanden?",
        "Waarom is de Taskforce Jeugd ingesteld?",
    ]
    checked = 0
    for q in questions:
        r = bot.ask(q)
        assert r.answered, q
        by_n = {c.n: c for c in r.citations}
        for line in r.answer.split("\n"):
            assert not line.strip() or PREFIX.match(line) or re.search(r"\[\d+\]$", line), line
        for sentence, ns in _sentences_with_markers(r.answer):
            cited = " ".join(" ".join(by_n[n].text.split()) for n in ns)
            assert sentence in cited, (q, sentence)
            checked += 1
    assert checked >= len(questions)


def test_citation_spans_point_at_the_cited_sentences(bot):
    r = bot.ask("Wat is Kansrijke Start?")
    for c in r.citations:
        assert c.spans
        for s, e in c.spans:
            quoted = " ".join(c.text[s:e].split())
            assert quoted and quoted in " ".join(r.answer.split())
        assert c.title and c.date and c.kind and c.section_title


def test_no_answer_when_the_documents_hold_none(bot):
    r = bot.ask("Wie is de huidige burgemeester van Amsterdam?")  # a name the corpus never mentions
    assert r.kind == "not_found" and not r.answered
    assert r.answer == NO_ANSWER and not r.citations
    assert r.related  # the closest passages, shown as "mogelijk relevant"
    filtered = bot.ask("Wie is de huidige burgemeester van Amsterdam?", filters={"kinds": ["raadsbesluit"]})
    assert filtered.answer == "Hierover staat niets in de gekozen documenten."


def test_near_miss_is_a_partial_answer(bot):
    r = bot.ask("Wat kost de maatregel Kansrijke Start in 2030?")  # the subject is there, no amount, no 2030
    assert r.kind == "partial" and not r.answered
    first = r.answer.split("\n", 1)[0]
    assert first.startswith("De documenten noemen Kansrijke Start, maar ")
    assert r.citations and all("Kansrijke Start" in c.text for c in r.citations)


def test_follow_up_carries_the_subject_of_the_previous_turn(bot):
    first = bot.ask("Wat is de status van motie Burgervoogd?")
    assert "2011-28" in first.answer
    history = [
        {"role": "user", "content": "Wat is de status van motie Burgervoogd?"},
        {"role": "assistant", "content": first.answer},
    ]
    follow = bot.ask("En wanneer is die afgedaan?", history=history)
    assert follow.answered
    assert any("2011-28" in c.text for c in follow.citations)
    assert "burgervoogd" in follow.search_query.lower()
    # How the follow-up was read is shown ("Opgevat als: …") in the JSON, the terminal and the chat.
    from assistant.present import format_answer
    from assistant.ui.render import answer_bubble

    assert follow.to_dict()["interpreted_as"].startswith("En wanneer is die afgedaan? (over: ")
    assert "burgervoogd" in follow.interpreted_as.lower()
    assert "Opgevat als: En wanneer is die afgedaan?" in format_answer(follow)
    assert "Opgevat als: En wanneer is die afgedaan?" in answer_bubble(follow)
    assert not first.interpreted_as
    # Without the history the same words do not find the motion.
    alone = bot.ask("En wanneer is die afgedaan?")
    assert not any("2011-28" in c.text for c in alone.citations)


def test_followup_detection():
    assert is_followup("En wanneer is die afgedaan?")
    assert is_followup("Wat kost dat?")
    assert not is_followup("Wat is de status van motie 2106-18?")
    assert resolve_followup("Wat is Kansrijke Start?", [{"role": "user", "content": "x"}]) == "Wat is Kansrijke Start?"


def test_kind_filter_restricts_the_sources(bot):
    r = bot.ask("Wat gebeurt er met de toegang tot jeugdhulp?", filters={"kinds": ["raadsbesluit"]})
    assert r.answered and r.citations
    assert {c.kind for c in r.citations} == {"raadsbesluit"}
    found = bot.search("toegang tot jeugdhulp", k=5, filters={"year_from": 2019, "year_to": 2019})
    assert found and {p.doc_id for p in found} == {"actieplan-2019"}


def test_timeline_questions_are_ordered_by_document_date(bot):
    r = bot.ask("Hoe heeft Kansrijke Start zich ontwikkeld van 2019 tot 2022?")
    assert r.answered and len(r.citations) >= 2
    dates = [c.date for c in r.citations]
    assert dates == sorted(dates)
    assert {"actieplan-2019", "update-actieplan-2022"} <= {c.doc_id for c in r.citations}


def test_dutch_dates():
    assert dutch_date("2019-04") == "april 2019"
    assert dutch_date("2024-10-07") == "7 oktober 2024"
    assert dutch_date("2022") == "2022"


def test_answer_carries_the_ranking_it_was_built_from(bot):
    r = bot.ask("Wat is Kansrijke Start?")
    assert len(r.ranked) >= 10
    assert r.citations[0].passage_id in {p.id for p in r.ranked}
    assert r.ranked == bot.retriever.search(r.search_query, k=len(r.ranked))
    assert "ranked" not in r.to_dict()  # clients get citations and related passages, not the ranking
