"""The web app's handlers, renderers and shared text formatting on hand-made data (no index, no server)."""

from __future__ import annotations

import ast
import csv
import inspect
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest

from assistant import feedback
from assistant.filters import Filters
from assistant.model import Answer, Citation, Measure, Motion, Passage
from assistant.present import copy_text, format_answer, source_details, source_line
from assistant.ui import endpoints, filterform, handlers, render
from assistant.ui.layout import bind, build_app

UI_DIR = Path(__file__).resolve().parents[1] / "assistant" / "ui"
CITED = "De motie is nog niet afgedaan."
PASSAGE_TEXT = f"Inleiding van de tabel. {CITED} Daarna volgt meer."


def _citation(n=1, text=PASSAGE_TEXT, spans=None, title="Raadsinformatiebrief <moties>"):
    start = text.index(CITED)
    return Citation(
        n=n,
        passage_id=f"rib#{n}",
        doc_id="rib",
        title=title,
        date="2022-10-07",
        kind="raadsbrief",
        section="2",
        section_title="2 Moties > 2.1 Stand van zaken",
        page=3,
        text=text,
        score=0.9,
        spans=[(start, start + len(CITED))] if spans is None else spans,
    )


def _passage(pid="ap#1", text="Een passage over preventie.", score=0.5):
    return Passage(
        id=pid,
        doc_id="ap",
        title="Actieplan",
        date="2019-04-01",
        kind="actieplan",
        page=None,
        section="",
        section_title="",
        text=text,
        score=score,
    )


def _answer(question="Wat is de status van motie 2106-18?", citations=None, notice=""):
    citations = [_citation()] if citations is None else citations
    text = (
        f"Volgens Raadsinformatiebrief (7 oktober 2022):\n{CITED} [1]" if citations else "Hierover staat niets in de documenten."
    )
    return Answer(question, text, bool(citations), citations=citations, related=[] if citations else [_passage()], notice=notice)


MOTIONS = [
    Motion("2106-18", "Bewezen effectief", "volgt uiterlijk 31-12-2023", False, "2023-12-31", "rib", 3, "2"),
    Motion("2106-19", "Wachttijden", "afgedaan op 15-12-2021", True, "2021-12-15", "rib", 3, "2"),
    Motion("2011-28", "Burgervoogd", "volgt in 2022", False, "", "rib", None, ""),
]


class FakeAssistant:
    """The methods of `Assistant` the handlers call, on fixed data; records what it was asked."""

    def __init__(self, answer=None, fail=False, other_organisation="gemeente Test"):
        self.answer, self.fail, self.calls = answer or _answer(), fail, []
        self.other = other_organisation  # "upd"'s publisher: a second organisation in the index, or the same

    def ask(self, question, history=None, filters=None):
        self.calls.append(("ask", question, history, filters))
        if self.fail:
            raise RuntimeError("index kapot")
        return self.answer

    def search(self, query, k=10, filters=None):
        self.calls.append(("search", query, k, filters))
        return [_passage("ap#1", "wachttijden " * 200, 0.81234), _passage("ap#2", "kort", 0.5)][:k]

    def motions(self, query=""):
        self.calls.append(("motions", query))
        return [m for m in MOTIONS if not query or query.lower() in m.title.lower() or query == m.number]

    def measures(self):
        return [
            Measure(
                "2.1.1",
                "Kansrijke Start",
                "ap",
                "Actieplan",
                "2019-04-01",
                progress_doc_id="upd",
                progress_section="3.1",
                progress_title="Kansrijke Start",
                progress_summary="Loopt goed. " * 40,
            ),
            Measure("2.1.2", "Preventie", "ap", "Actieplan", "2019-04-01"),
        ]

    def documents(self):
        return [
            {"doc_id": "ap", "title": "Actieplan", "date": "2019-04-01", "kind": "actieplan", "organisation": "gemeente Test"},
            {"doc_id": "rib", "title": "Raadsinformatiebrief", "date": "2022-10-07", "kind": "raadsbrief", "organisation": ""},
            {
                "doc_id": "upd",
                "title": "Update",
                "date": "2022-06-01",
                "kind": "voortgangsrapportage",
                "organisation": self.other,
            },
        ]

    def context(self, passage_id, chars=1200):
        if passage_id != "rib#1":
            raise KeyError(passage_id)
        return {
            "before": "Tekst ervoor. ",
            "passage": PASSAGE_TEXT,
            "after": " Tekst erna.",
            "page": 3,
            "doc_id": "rib",
            "title": "Raadsinformatiebrief",
        }


@pytest.fixture
def settings(tmp_path):
    from assistant.settings import Settings

    return Settings.load(
        path="/nonexistent",
        feedback_db=tmp_path / "feedback.sqlite3",
        corpus_dir=tmp_path / "corpus",
        index_dir=tmp_path,
        name="Raadsassistent",
        organisation="gemeente Test",
        examples=["Wat is de status van motie 2106-18?"],
    )


# ---- chat --------------------------------------------------------------------------------------


def test_on_chat_shows_answer_and_marks_the_cited_sentence():
    bot = FakeAssistant()
    chat, box, turns, last, notice, sources, choices, context, copy = handlers.on_chat(
        bot, "Wat is de status van motie 2106-18?", [], ["raadsbrief"], 2020.0, None, []
    )
    assert [m["role"] for m in chat] == ["user", "assistant"] and "[1]</a>" in chat[1]["content"]
    bubble = chat[1]["content"]
    assert "\n\n**Volgens Raadsinformatiebrief" in bubble  # the connecting line is bold
    assert 'class="soort soort-answer"' in bubble  # the kind of answer, shown first
    aid = last["answer_id"]
    assert len(aid) == 12 and turns[1]["answer_id"] == aid and turns[1]["answer"] is last
    # the chip leads to its source card (inline under the answer, and in the side panel)
    assert f'<a class="chip" href="#inline-{aid}-1"' in bubble and f'id="inline-{aid}-1"' in bubble
    assert f'id="paneel-{aid}-1"' in sources
    assert f"<mark>{CITED}</mark>" in bubble  # the inline card marks the cited sentence too
    # hover text: title, date, page and the cited sentence
    assert (
        f"Raadsinformatiebrief &lt;moties&gt; · raadsbrief · 7 oktober 2022 · § 2.1 Stand van zaken · p. 3 — “{CITED}”" in bubble
    )
    assert box == "" and last["answer"] == bot.answer.answer and notice == "" and context == "" and copy == ""
    assert f"<mark>{CITED}</mark>" in sources and "&lt;moties&gt;" in sources and "<moties>" not in sources
    assert "raadsbrief · 7 oktober 2022 · § 2.1 Stand van zaken · p. 3" in sources
    assert 'href="#open=rib%231~24-54"' in sources  # "Open in document" with the cited span
    assert choices["choices"] == [
        ("[1] Raadsinformatiebrief <moties>, 7 oktober 2022, raadsbrief, § 2.1 Stand van zaken, p. 3", "rib#1")
    ]
    assert bot.calls[0][3] == {"kinds": ["raadsbrief"], "year_from": 2020}
    # the next question sends the history as plain role/content turns
    handlers.on_chat(bot, "En wanneer?", turns, [], None, None, [])
    assert bot.calls[1][2] == [
        {"role": "user", "content": "Wat is de status van motie 2106-18?"},
        {"role": "assistant", "content": bot.answer.answer},
    ]


def test_on_chat_empty_question_and_failure_give_dutch_messages():
    bot = FakeAssistant(fail=True)
    out = handlers.on_chat(bot, "   ", [], [], None, None, [])
    assert "Typ eerst een vraag" in out[4] and out[0] == gr.update() and bot.calls == []
    chat, _, turns, last, notice, sources, *_ = handlers.on_chat(bot, "<b>vraag</b>", [], [], None, None, [])
    assert (
        len(turns) == 2
        and "Hier verschijnen de bronnen" in sources
        and last is None
        and "Er ging iets mis" in notice
        and "Er ging iets mis" in chat[1]["content"]
    )
    assert chat[0]["content"] == "&lt;b&gt;vraag&lt;/b&gt;"  # the question is shown as text


def test_unanswered_question_lists_related_passages_without_marks():
    answer = _answer(citations=[], notice="Let op: dit is een test.")
    html = render.sources_html(answer)
    assert ">Mogelijk relevant</h2>" in html and "<mark>" not in html and "bron-gerelateerd" in html
    bubble = render.answer_bubble(answer)
    assert bubble.startswith('<span class="soort soort-not_found">Niet gevonden in de documenten</span>')
    assert "_Let op: dit is een test._" in bubble
    assert render.context_choices(answer) == [("Actieplan, 1 april 2019, actieplan", "ap#1")]


def test_on_context_marks_cited_sentences_inside_the_page():
    bot, answer = FakeAssistant(), _answer()
    html = handlers.on_context(bot, "rib#1", answer)
    assert f'<span class="context-passage">Inleiding van de tabel. <mark>{CITED}</mark>' in html
    assert "pagina 3" in html
    assert "<mark>" not in handlers.on_context(bot, "rib#1", None)  # not a citation: shaded, nothing marked
    assert "niet (meer) in de index" in handlers.on_context(bot, "weg#9", answer)
    assert handlers.on_context(bot, None, answer) == ""


def test_on_feedback_stores_a_row(settings):
    answer = _answer()
    status, comment = handlers.on_feedback(settings, -1, "  klopt niet ", answer)
    assert "negatieve" in status and "opgeslagen" in status and comment == ""
    rows = feedback.rows(settings)
    assert len(rows) == 1 and rows[0]["rating"] == -1 and rows[0]["comment"] == "klopt niet"
    assert rows[0]["question"] == answer.question and "rib#1" in rows[0]["citations"]
    status, _ = handlers.on_feedback(settings, 1, "", None)
    assert "nog geen antwoord" in status and len(feedback.rows(settings)) == 1


def test_second_rating_of_the_same_answer_changes_it(settings):
    record = handlers.answer_record(_answer(), "abc123")
    handlers.on_feedback(settings, -1, "klopt niet", record)
    handlers.on_feedback(settings, 1, "", record)  # changed their mind: one row, the new rating
    rows = feedback.rows(settings)
    assert [(r["rating"], r["comment"], r["answer_id"]) for r in rows] == [(1, "klopt niet", "abc123")]
    handlers.on_feedback(settings, -1, "", handlers.answer_record(_answer(), "def456"))  # another answer
    assert sorted(r["answer_id"] for r in feedback.rows(settings)) == ["abc123", "def456"]


def test_copy_and_clear():
    text = handlers.on_copy(_answer())
    assert text.splitlines()[-2:] == ["Bronnen:", "[1] " + source_line(_citation())]
    assert "nog geen antwoord" in handlers.on_copy(None)
    cleared = handlers.on_clear()
    assert cleared[0] == [] and cleared[3] is None and "Hier verschijnen de bronnen" in cleared[5] and len(cleared) == 11


# ---- staff tables ------------------------------------------------------------------------------


def test_motions_use_the_assistant_lookup_and_filter_on_status():
    bot = FakeAssistant()
    assert [m.number for m in handlers.motions_with_status(bot, "", "open")] == ["2106-18", "2011-28"]
    assert [m.number for m in handlers.motions_with_status(bot, "", "afgedaan")] == ["2106-19"]
    assert [m.number for m in handlers.motions_with_status(bot, " burgervoogd ", "alle")] == ["2011-28"]
    assert ("motions", "burgervoogd") in bot.calls  # the lookup itself is the Assistant's
    assert handlers.motions_with_status(bot, "burgervoogd", "afgedaan") == []
    table, rows, line = handlers.on_motions(bot, "", "open")
    # an open motion's date is its deadline; "stand per" is the date of the reporting document
    assert rows[0] == [
        "2106-18",
        "Bewezen effectief",
        "volgt uiterlijk 31-12-2023",
        "2022-10-07",
        "2023-12-31",
        "",
        "",
        "Raadsinformatiebrief, § 2",
        3,
        "",
    ]
    assert "Filter actief: status open" in line and "2 moties" in line
    assert '<button type="button" class="sorteer">deadline</button>' in table
    assert '<td data-sort="2023-12-31">31 december 2023</td>' in table
    _, done, _ = handlers.on_motions(bot, "", "afgedaan")
    assert done[0][4:6] == ["", "2021-12-15"]  # settled: no deadline, the settling date
    _, by_year, line = handlers.on_motions(bot, "", "alle", "alle", "2021")
    assert [r[0] for r in by_year] == ["2106-19"] and "jaar 2021" in line
    path = handlers.on_export(handlers.MOTION_HEADERS, "moties", rows)["value"]
    with open(path, newline="", encoding="utf-8-sig") as fh:
        written = list(csv.reader(fh, delimiter=";"))
    assert written[0] == handlers.MOTION_HEADERS and len(written) == 3
    assert handlers.on_export(handlers.MOTION_HEADERS, "moties", [])["value"] is None
    with pytest.raises(gr.Error):
        endpoints.motions(bot, "", "gesloten")
    assert [m["number"] for m in endpoints.motions(bot, "", "afgedaan")] == ["2106-19"]


def test_search_and_measures_tables():
    bot = FakeAssistant()
    html, status, rows = handlers.on_search(bot, "Wachttijden", 1, [], None, 2022, ["ap"])
    assert status == "1 passages gevonden." and bot.calls[-1] == (
        "search",
        "Wachttijden",
        1,
        {"doc_ids": ["ap"], "year_to": 2022},
    )
    row = rows[0]
    assert row[0] == "Actieplan" and row[5] == "" and row[6] == 100 and row[-1] == "ap#1"
    assert row[7] == "wachttijden " * 200  # the whole passage, not cut mid-word
    assert "<mark>wachttijden</mark>" in html and 'aria-label="relevantie 100 van 100"' in html
    html, status, rows = handlers.on_search(bot, "  ", 10, [], None, None, [])
    assert html == "" and rows == [] and status == "Typ een zoekterm."
    table, rows = handlers.on_measures(bot)
    assert rows[0][4] == ("Loopt goed. " * 40).strip() and rows[0][5:7] == ["Update", "2022-06-01"]
    assert rows[1][4] == "(geen voortgang gevonden in latere documenten)"
    assert "<th" in table and "Kansrijke Start" in table


def test_filter_choices():
    choices = filterform.filter_choices(FakeAssistant().documents())
    assert choices["kinds"] == ["actieplan", "raadsbrief", "voortgangsrapportage"]
    assert choices["documents"][0] == ("Actieplan (1 april 2019)", "ap") and choices["years"] == (2019, 2022)
    assert choices["organisations"] == ["gemeente Test"]  # one, and a document without one is no choice
    two = filterform.filter_choices(FakeAssistant(other_organisation="GGD Haaglanden").documents())
    assert two["organisations"] == ["gemeente Test", "GGD Haaglanden"]
    assert filterform.filter_choices([])["years"] == (1990, 2100) and filterform.filter_choices([])["organisations"] == []


def test_the_organisation_reaches_filters_from_chat_follow_up_search_and_api():
    bot, org = FakeAssistant(), ["GGD Haaglanden"]
    _, _, turns, *_ = handlers.on_chat(bot, "Wat is de status van motie 2106-18?", [], [], None, None, [], org)
    handlers.on_chat(bot, "En wanneer?", turns, [], None, None, [], org)  # a follow-up keeps the filter
    handlers.on_search(bot, "wachttijden", 5, [], None, None, [], org)
    endpoints.ask(bot, "Wat is de status van motie 2106-18?", None, None, None, None, None, org)
    endpoints.search(bot, "wachttijden", 5, organisations="GGD Haaglanden")  # one name as a plain string
    sent = [call[-1] for call in bot.calls]
    assert sent == [{"organisations": org}] * 5
    assert bot.calls[1][2]  # the follow-up carried its history
    assert all(Filters.from_any(f).organisations == org and not Filters.from_any(f).empty() for f in sent)
    assert filterform.make_filters([], None, None, [], []) is None  # nothing chosen: no filter
    line = filterform.filter_summary(["raadsbesluit"], None, None, [], org)
    assert "Filter actief: soort raadsbesluit; organisatie GGD Haaglanden" in line


def test_organisation_control_only_when_there_is_a_choice(settings):
    def org_control(bot):
        demo = build_app(bot, settings)
        [dropdown] = [b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "filter-organisatie"]
        note = [b for b in demo.blocks.values() if "enige-organisatie" in str(getattr(b, "value", ""))]
        return dropdown, note

    dropdown, note = org_control(FakeAssistant(other_organisation="GGD Haaglanden"))
    assert dropdown.visible and dropdown.multiselect and dropdown.label == "Organisatie" and not note
    assert [c[1] for c in dropdown.choices] == ["gemeente Test", "GGD Haaglanden"] and dropdown.value == []
    dropdown, note = org_control(FakeAssistant())  # one organisation: named, nothing to choose
    assert not dropdown.visible and len(note) == 1 and "gemeente Test" in note[0].value
    assert filterform.only_organisation_html(["<b>"]) == (
        '<p id="enige-organisatie">Organisatie: <strong>&lt;b&gt;</strong> (de enige in de documenten)</p>'
    )


# ---- API endpoints and wiring ------------------------------------------------------------------


def test_ask_endpoint_adds_sources_and_history():
    bot = FakeAssistant()
    out = endpoints.ask(bot, "Wat is de status van motie 2106-18?", '[{"role": "user", "content": "eerder"}]')
    assert out["citations"][0]["source"] == source_line(_citation())
    assert out["citations"][0]["spans"] == [list(_citation().spans[0])]
    assert out["text_with_sources"] == copy_text(bot.answer)
    assert out["history"][0] == {"role": "user", "content": "eerder"} and out["history"][-1]["role"] == "assistant"
    with pytest.raises(gr.Error):
        endpoints.ask(bot, "vraag", "{geen json")


def test_bind_keeps_the_signature_gradio_reads():
    bound = bind(endpoints.search, FakeAssistant())
    assert list(inspect.signature(bound).parameters) == [
        "query",
        "k",
        "kinds",
        "year_from",
        "year_to",
        "doc_ids",
        "organisations",
    ]
    assert "bot" not in bound.__annotations__ and bound.__doc__ == endpoints.search.__doc__
    assert len(bound("wachttijden", 1)) == 1


def test_build_app_wires_the_endpoints(settings):
    demo = build_app(FakeAssistant(), settings)
    names = {fn.api_name for fn in demo.fns.values()}
    assert {
        "ask",
        "search",
        "motions",
        "measures",
        "documents",
        "context",
        "feedback",
        "ui_chat",
        "ui_search",
        "ui_motions",
        "ui_measures",
        "ui_context",
        "ui_view",
    } <= names


# ---- shared text formatting --------------------------------------------------------------------


def test_present_formats_objects_and_dicts_alike():
    c = _citation()
    assert (
        source_line(c)
        == source_line(c.to_dict())
        == "Raadsinformatiebrief <moties>, 7 oktober 2022, raadsbrief, § 2.1 Stand van zaken, p. 3"
    )
    assert source_details(_passage()) == ["actieplan", "1 april 2019"]
    answer = _answer(notice="Let op.")
    assert format_answer(answer) == f"[Let op.]\n{copy_text(answer)}"
    unanswered = format_answer(_answer(citations=[]))
    assert (
        unanswered.startswith("Hierover staat niets")
        and "Mogelijk relevant:\n- Actieplan, 1 april 2019, actieplan: Een passage" in unanswered
    )


def test_ui_reads_no_environment_and_does_not_import_the_cli():
    for path in UI_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)} | {
            n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
        }
        assert not {"environ", "getenv"} & names, f"{path.name} reads the environment"
        imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m == "cli" or m.endswith(".cli") for m in imported), f"{path.name} imports the CLI"
    code = "import sys, assistant.ui; print('assistant.cli' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.strip() == "False", out.stderr


def test_busy_sessions_are_never_evicted_from_the_queue_cache():
    """Gradio evicted the oldest session's message queue even while its event waited (the queue's task
    then died on a KeyError): the oldest idle session goes instead, a busy one stays."""
    from assistant.ui.sessions import BusyAwareLRU

    busy = {"browser": {"event-1"}}
    cache = BusyAwareLRU(busy, [("browser", "q0"), ("api-1", "q1")], max_size=3)
    cache["api-2"] = "q2"
    cache["api-3"] = "q3"  # full: api-1 is the oldest idle session
    assert list(cache) == ["browser", "api-2", "api-3"]
    busy["api-2"] = {"event-2"}
    cache["api-4"] = "q4"
    assert list(cache) == ["browser", "api-2", "api-4"]
    busy.update({"api-4": {"e"}})
    cache["api-5"] = "q5"  # every session busy: grows past the size rather than drop a waiting event
    assert len(cache) == 4 and cache["browser"] == "q0"
    cache["browser"] = "new"
    assert list(cache)[-1] == "browser" and cache["browser"] == "new"
