"""The web app, end to end over HTTP: the real app on a loopback port, driven by gradio_client.

Uses the session's seed index (tests/conftest.py). The named endpoints (/ask, /motions, …) are the
public API (its filters have defaults: pass them by name); /ui_chat, /ui_search, /ui_motions are the
events behind the screens (undocumented, so called with every input, the filters from
`helpers.form_filters`; gr.State inputs and outputs are kept by the client's session and left out).
"""

from __future__ import annotations

import csv
import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from helpers import form_filters

from assistant import feedback
from assistant.ui import (
    MOTION_HEADERS,
    SEARCH_HEADERS,
    chat_text,
    context_html,
    copy_text,
    highlight,
    make_filters,
    plain_history,
    sources_html,
)

pytestmark = pytest.mark.slow

MOTION_Q = "Wat is de status van motie 2106-18?"
# A subject absent from the bundled corpus (pleegzorg is mentioned, so "pleeggezinnen" is a partial answer).
NO_ANSWER_Q = "Wie is de huidige burgemeester van Amsterdam?"


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def _new_client(app_url):
    """A client with its own session (its own chat history)."""
    from gradio_client import Client

    return Client(app_url, verbose=False)


def ask(client, question, history=None, **filters) -> dict:
    return client.predict(question, history or [], **filters, api_name="/ask")


def ui_chat(client, question, **filters):
    chat, box, notice, sources, choices, context, copy = client.predict(question, *form_filters(**filters), api_name="/ui_chat")
    return {"chat": chat, "box": box, "notice": notice, "sources": sources, "choices": choices, "copy": copy}


def _file(value) -> str:
    """The path of a file output (an update dict when the event also made the component visible)."""
    if isinstance(value, dict):
        value = value.get("value")
        value = value.get("path") if isinstance(value, dict) else value
    return value


def _text(message) -> str:
    content = message["content"]
    if isinstance(content, list):
        return " ".join(c.get("text", "") for c in content if isinstance(c, dict))
    return str(content)


# ---- the API -----------------------------------------------------------------------------------


def test_api_lists_the_named_endpoints(client):
    named = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/ask", "/search", "/motions", "/measures", "/documents", "/context", "/feedback"} <= named
    assert "/ui_chat" not in named  # the screen events are callable but not advertised


def test_motion_question(client):
    r = ask(client, MOTION_Q)
    assert r["answered"] is True
    assert "2106-18" in r["answer"] or "Bewezen effectief" in r["answer"]
    assert re.search(r"\[1\]", r["answer"])
    assert r["citations"], "an answer must cite its source"
    c = r["citations"][0]
    assert c["n"] == 1 and c["doc_id"] and c["title"] and c["source"].startswith(c["title"])
    cited = " ".join(c["text"][s:e] for s, e in c["spans"])
    assert "2106-18" in cited  # the highlighted sentence is the motion's row
    assert r["text_with_sources"].endswith(f"[1] {c['source']}")
    assert r["history"][-2:] == [{"role": "user", "content": MOTION_Q}, {"role": "assistant", "content": r["answer"]}]


def test_follow_up_question_uses_history(client):
    first = ask(client, "Wat is de status van motie Burgervoogd?")
    assert any("2011-28" in c["text"] for c in first["citations"])
    follow = ask(client, "En wanneer is die afgedaan?", history=first["history"])
    assert follow["answered"] is True
    assert follow["citations"] and any("2011-28" in c["text"] and "Burgervoogd" in c["text"] for c in follow["citations"])
    # history as JSON text works too (clients in other languages)
    import json

    again = ask(client, "En wanneer is die afgedaan?", history=json.dumps(first["history"]))
    assert [c["passage_id"] for c in again["citations"]] == [c["passage_id"] for c in follow["citations"]]


def test_kind_filter(client):
    r = ask(client, "Welke afspraken zijn er over de toegang tot jeugdhulp?", kinds=["raadsbesluit"])
    assert r["citations"], r["answer"]
    assert {c["kind"] for c in r["citations"]} == {"raadsbesluit"}


def test_year_and_document_filters(client):
    r = ask(client, "Wat is Kansrijke Start?", year_from=2019, year_to=2019)
    assert r["citations"] and all(c["date"].startswith("2019") for c in r["citations"])
    r = ask(client, "Wat is Kansrijke Start?", doc_ids=["update-actieplan-2022"])
    assert r["citations"] and {c["doc_id"] for c in r["citations"]} == {"update-actieplan-2022"}


def test_no_answer_shows_related_passages(client):
    r = ask(client, NO_ANSWER_Q)
    assert r["answered"] is False
    assert "Hierover staat niets" in r["answer"]
    assert r["citations"] == []
    assert r["related"] and all(p["text"] and p["source"] for p in r["related"])


def test_bad_input_gives_a_notice(client):
    r = ask(client, "   ")
    assert r["answered"] is False and r["notice"] and r["citations"] == []
    r = ask(client, "What is the status of motion 2106-18?")
    assert "Nederlands" in r["notice"]
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError):
        client.predict(MOTION_Q, "{geen json", api_name="/ask")


def test_search_endpoint(client):
    results = client.predict("wachttijden", 5, kinds=["voortgangsrapportage"], api_name="/search")
    assert 0 < len(results) <= 5
    assert all(p["kind"] == "voortgangsrapportage" for p in results)
    assert results == sorted(results, key=lambda p: -p["score"])


def test_context_endpoint(client):
    c = ask(client, MOTION_Q)["citations"][0]
    ctx = client.predict(c["passage_id"], 200, api_name="/context")
    assert ctx["passage"] == c["text"]
    assert ctx["doc_id"] == c["doc_id"] and len(ctx["before"]) <= 200


def test_feedback_is_stored_and_exported(client, seed_settings, tmp_path):
    r = ask(client, MOTION_Q)
    marker = f"test-{uuid.uuid4().hex}"
    before = len(feedback.rows(seed_settings))
    out = client.predict(r["question"], r["answer"], r["citations"], -1, marker, api_name="/feedback")
    assert out["stored"] is True
    with sqlite3.connect(seed_settings.feedback_db) as conn:
        row = conn.execute(
            "SELECT question, answer, rating, comment, citations, time FROM feedback WHERE comment = ?", (marker,)
        ).fetchone()
    assert row is not None, "the feedback row is not in the SQLite file"
    assert row[:4] == (MOTION_Q, r["answer"], -1, marker)
    assert r["citations"][0]["passage_id"] in row[4]
    path = tmp_path / "feedback.csv"
    assert feedback.export_csv(seed_settings, path) == before + 1
    with open(path, newline="", encoding="utf-8") as fh:
        assert any(line["comment"] == marker and line["rating"] == "-1" for line in csv.DictReader(fh))
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError):
        client.predict("v", "a", [], 5, "", api_name="/feedback")  # only +1 / -1


def test_motions_endpoint(client):
    motions = client.predict("", "alle", api_name="/motions")
    numbers = [m["number"] for m in motions]
    assert len(motions) == 12 and "2111-30A" in numbers and "2106-18" in numbers
    open_ = client.predict("", "open", api_name="/motions")
    assert open_ and all(not m["done"] for m in open_) and {"2011-28", "2106-18"} <= {m["number"] for m in open_}
    assert [m["number"] for m in client.predict("burgervoogd", "alle", api_name="/motions")] == ["2011-28"]


def test_measures_and_documents_endpoints(client, bot):
    measures = client.predict(api_name="/measures")
    assert len(measures) == len(bot.measures()) > 0
    assert any(m["title"] == "Kansrijke Start" and m["progress_doc_id"] for m in measures)
    docs = client.predict(api_name="/documents")
    assert {d["kind"] for d in docs} >= {"raadsbesluit", "actieplan"}


# ---- the screens (the events the browser calls) ------------------------------------------------


def test_chat_screen_shows_answer_and_marked_sources(app_url):
    c = _new_client(app_url)
    r = ui_chat(c, MOTION_Q)
    assert [m["role"] for m in r["chat"]] == ["user", "assistant"]
    bubble = _text(r["chat"][1])
    assert "[1]</a>" in bubble and "2106" in bubble and 'class="soort soort-answer"' in bubble
    chip = re.search(r'<a class="chip" href="#inline-(\w+)-1"', bubble)
    assert chip and f'id="paneel-{chip.group(1)}-1"' in r["sources"]  # the chip finds its card
    assert ">Bronnen</h2>" in r["sources"]
    marked = re.findall(r"<mark>(.*?)</mark>", r["sources"], re.DOTALL)
    assert marked and any("2106-18" in m for m in marked)
    assert r["box"] == ""  # the question box is emptied
    assert r["choices"]["choices"] and r["choices"]["choices"][0][0].startswith("[1] ")


def test_chat_screen_follow_up_keeps_history(app_url):
    c = _new_client(app_url)
    ui_chat(c, "Wat is de status van motie Burgervoogd?")
    r = ui_chat(c, "En wanneer is die afgedaan?")
    assert [m["role"] for m in r["chat"]] == ["user", "assistant"] * 2
    assert "2011-28" in r["sources"] and "Burgervoogd" in r["sources"]
    assert "Opgevat als: En wanneer is die afgedaan?" in _text(r["chat"][-1])  # how the follow-up was read
    other = _new_client(app_url)  # another user does not share this history
    assert len(ui_chat(other, MOTION_Q)["chat"]) == 2


def test_chat_screen_filter_and_no_answer(app_url):
    c = _new_client(app_url)
    r = ui_chat(c, "Welke afspraken zijn er over de toegang tot jeugdhulp?", kinds=["raadsbesluit"])
    assert ">Bronnen</h2>" in r["sources"]
    metas = re.findall(r'<div class="bron-meta">(.*?)</div>', r["sources"])
    assert metas and all("raadsbesluit" in m.split(" · ")[:2] for m in metas)  # (organisation first)
    r = ui_chat(c, NO_ANSWER_Q)
    assert "Hierover staat niets in de documenten." in _text(r["chat"][-1])
    assert "soort-not_found" in _text(r["chat"][-1])
    assert ">Mogelijk relevant</h2>" in r["sources"] and "<mark>" not in r["sources"]
    assert r["sources"].count('class="bron bron-gerelateerd"') >= 1


def test_organisation_filter_cites_only_that_organisation(two_org_url):
    """Two municipalities write about the same waiting times: filtered to one, only its document is cited
    (public /ask and the chat screen); a subject only the other one writes about is not found "in de
    gekozen documenten"."""
    question = "Hoe lang wachten kinderen op specialistische jeugdhulp?"
    c = _new_client(two_org_url)
    for org, doc in (("gemeente Delft", "wachttijden-delft"), ("gemeente Alphen aan den Rijn", "wachttijden-alfen")):
        r = ask(c, question, organisations=[org])
        assert r["kind"] == "answer" and {x["doc_id"] for x in r["citations"]} == {doc}
        screen = ui_chat(_new_client(two_org_url), question, organisations=[org])
        metas = re.findall(r'<div class="bron-meta">(.*?)</div>', screen["sources"])
        assert metas and all(m.startswith(org) for m in metas)  # the organisation leads the source line
    only_alphen = "Hoeveel jeugdconsulenten zet de gemeente extra in?"
    assert {x["doc_id"] for x in ask(c, only_alphen)["citations"]} == {"wachttijden-alfen"}
    r = ask(c, only_alphen, organisations=["gemeente Delft"])
    assert r["kind"] == "not_found" and r["answer"].startswith("Hierover staat niets in de gekozen documenten.")
    assert {p["doc_id"] for p in r["related"]} <= {"wachttijden-delft"}
    screen = ui_chat(_new_client(two_org_url), only_alphen, organisations=["gemeente Delft"])
    assert "Hierover staat niets in de gekozen documenten." in _text(screen["chat"][-1])
    html, status = c.predict(
        "jeugdconsulenten wachttijden", 10, *form_filters(organisations=["gemeente Delft"]), api_name="/ui_search"
    )
    assert "Wachttijden jeugdhulp Delft" in html and "Alphen" not in html


def test_chat_screen_escapes_html(app_url):
    c = _new_client(app_url)
    r = ui_chat(c, '<script>alert("x")</script><img src=x onerror=alert(1)> motie 2106-18')
    shown = _text(r["chat"][0])
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown


def test_chat_screen_notice_for_english(app_url):
    r = ui_chat(_new_client(app_url), "What is the status of motion 2106-18?")
    assert 'class="melding"' in r["notice"] and "Nederlands" in r["notice"]


def test_search_screen_shows_readable_passages_and_exports_csv_on_request(app_url):
    c = _new_client(app_url)
    html, status = c.predict("wachttijden", 10, *form_filters(), api_name="/ui_search")
    results = html.count('<article class="bron zoek">')
    assert 0 < results <= 10 and "gevonden" in status
    assert "<mark>wachttijden</mark>" in html.lower() and "relevantie 100%" in html  # the best one is 100
    download = _file(c.predict(api_name="/ui_search_csv"))  # written only now, from this session's results
    with open(download, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == SEARCH_HEADERS and len(rows) == results + 1
    assert all(row[-1] and row[3] is not None for row in rows[1:])  # passage id (and organisation column)


def test_motions_screen(app_url):
    c = _new_client(app_url)
    table, line = c.predict("", "alle", "alle", "alle", api_name="/ui_motions")
    assert table.count("<tr data-passage=") == 12 and ">2111-30A</td>" in table and "12 moties" in line
    assert '<button type="button" class="sorteer">stand per</button>' in table
    table, line = c.predict("", "afgedaan", "alle", "alle", api_name="/ui_motions")
    assert table.count("<tr data-passage=") == 10 and "Filter actief: status afgedaan" in line
    table, _ = c.predict("bewezen", "alle", "alle", "alle", api_name="/ui_motions")
    assert table.count("<tr data-passage=") == 1 and ">2106-18</td>" in table
    download = _file(c.predict(api_name="/ui_motions_csv"))
    rows = list(csv.reader(Path(download).read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == MOTION_HEADERS and rows[1][0] == "2106-18" and rows[1][-1]
    # a deadline is not a settling date
    assert rows[1][4] == "2023-12-31" and rows[1][5] == ""


def test_measures_screen(app_url, bot):
    table = _new_client(app_url).predict(api_name="/ui_measures")
    assert table.count("<tr data-passage=") == len(bot.measures())
    assert "Kansrijke Start" in table
    # 2.2.1 POH-jeugd: the update reports on it, though the record names no progress section
    poh = re.search(r"<tr[^>]*><td>2\.2\.1</td>(.*?)</tr>", table, re.DOTALL)
    assert poh and "geen voortgang gevonden" not in poh.group(1) and "POH" in poh.group(1)


# ---- formatting (no server) ----------------------------------------------------------------------


def test_sources_html_escapes_and_marks(bot):
    answer = bot.ask(MOTION_Q)
    c = answer.citations[0]
    c.text = "<b>Eerste</b> zin. Tweede & laatste zin."
    c.spans = [(len("<b>Eerste</b> zin. "), len(c.text))]
    c.title = "Titel <script>x</script>"
    out = sources_html(answer)
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;Eerste&lt;/b&gt;" in out
    assert "<mark>Tweede &amp; laatste zin.</mark>" in out
    assert highlight("abcdef", [(4, 6), (0, 2)]) == "<mark>ab</mark>cd<mark>ef</mark>"


def test_chat_text_shows_text_literally():
    assert chat_text("*vet* en [link](http://x) <i>") == r"\*vet\* en \[link\](http://x) &lt;i&gt;"
    assert chat_text("zin [2] en [12]") == "zin [2] en [12]"  # citation markers stay as they are
    assert chat_text("2. Toezegging\n- punt") == "2\\. Toezegging\n\\- punt"


def test_context_html_marks_the_passage():
    ctx = {"before": "ervoor ", "passage": "De passage. Met zin.", "after": " erna", "page": 3, "title": "T"}
    out = context_html(ctx, spans=[(12, 20)], passage_text="De passage. Met zin.")
    assert '<span class="context-passage">De passage. <mark>Met zin.</mark></span>' in out
    assert "pagina 3" in out and not out.count("…")  # short context: the page starts and ends here


def test_copy_text_lists_numbered_sources(bot):
    answer = bot.ask("Hoeveel kinderen hebben een te laag geboortegewicht?")
    text = copy_text(answer)
    assert text.startswith(answer.answer)
    lines = text.split("\n")
    bron = lines.index("Bronnen:")
    assert [line.split("]")[0] + "]" for line in lines[bron + 1 :]] == [f"[{c.n}]" for c in answer.citations]
    assert all(c.title in line for c, line in zip(answer.citations, lines[bron + 1 :]))
    assert "<" not in text


def test_form_values_to_filters():
    assert make_filters([], None, None, []) is None
    assert make_filters(["raadsbesluit"], 2019.0, "", None) == {"kinds": ["raadsbesluit"], "year_from": 2019}
    assert make_filters("actieplan", None, 2022, ["a"]) == {"kinds": ["actieplan"], "doc_ids": ["a"], "year_to": 2022}
    assert plain_history(
        [{"role": "user", "content": [{"type": "text", "text": "hoi"}]}, {"role": "system", "content": "x"}]
    ) == [{"role": "user", "content": "hoi"}]
