"""The web app's newer parts on hand-made data: chips and answer kinds, the document viewer, conversations
kept in the browser, measure progress, CSV safety and where feedback is stored (no index, no server)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from types import SimpleNamespace

from assistant import feedback
from assistant.model import Answer, Citation, Measure, Passage
from assistant.settings import Settings
from assistant.spreadsheet import safe_cell
from assistant.ui import conversations as convs
from assistant.ui import filterform, handlers, render, viewer
from assistant.ui.export import rows_csv

PAGE_1 = "Inleiding.\n2.2.1 POH-jeugd\nDe POH-jeugd is in 2021 op alle huisartspraktijken gestart. Einde."
CITED = "De POH-jeugd is in 2021 op alle huisartspraktijken gestart."


def _passage(
    pid="upd#1",
    page=2,
    text=CITED,
    section="2.2.1",
    section_title="2 Terugblik > 2.2.1 POH-jeugd",
    score=0.9,
    doc_id="upd",
    title="Update Actieplan",
    date="2022",
):
    start = PAGE_1.find(text)
    return Passage(
        id=pid,
        doc_id=doc_id,
        title=title,
        date=date,
        kind="voortgangsrapportage",
        page=page,
        section=section,
        section_title=section_title,
        text=text,
        start=max(start, 0),
        end=max(start, 0) + len(text),
        score=score,
    )


class ViewerBot:
    """What the viewer reads of an `Assistant`: passage() and the index's documents and pages."""

    def __init__(self, path="update.pdf", source="https://example.org/update.pdf"):
        self.index = SimpleNamespace(
            documents={"upd": {"path": path, "meta": {"source": source}, "title": "Update Actieplan"}},
            pages={"upd": [{"number": 1, "text": "Voorblad <script>"}, {"number": 2, "text": PAGE_1}]},
        )

    def passage(self, pid):
        return _passage() if pid == "upd#1" else None


def _citation(n=1, text=CITED):
    return Citation(
        n=n,
        passage_id="upd#1",
        doc_id="upd",
        title="Update Actieplan",
        date="2022-06-01",
        kind="voortgangsrapportage",
        section="2.2.1",
        section_title="2.2.1 POH-jeugd",
        page=2,
        text=text,
        score=0.9,
        spans=[(0, len(text))],
    )


# ---- chips and answer kinds ---------------------------------------------------------------------------


def test_each_number_of_a_marker_range_is_a_chip_and_unknown_numbers_stay_text():
    cits = [_citation(1), _citation(2)]
    shown = render.chat_answer("Zin [1-2]. Nog een [7].", cits, "a1")
    assert shown.count('class="chip"') == 2 and 'href="#inline-a1-2"' in shown and "[7]" in shown
    assert render.chat_answer("Zin [1].", cits) == "Zin [1]."  # without an answer id: plain markers


def test_answer_kinds_and_interpreted_follow_up():
    partial = Answer(
        "Hoeveel en wanneer?", "De documenten noemen het aantal, maar niet wanneer. [1]", True, citations=[_citation()]
    )
    partial.kind = "partial"
    partial.interpreted_as = "Hoeveel en wanneer? POH-jeugd"
    bubble = render.answer_bubble(partial, "x1")
    assert 'class="soort soort-partial">Gedeeltelijk antwoord' in bubble
    assert "_Opgevat als: Hoeveel en wanneer? POH-jeugd_" in bubble
    # before the answer engineer's change: search_query is how the question was read
    old = Answer("En die?", "Tekst [1]", True, citations=[_citation()], search_query="En die? motie 2106-18")
    assert render.interpreted_as(old) == "En die? motie 2106-18" and render.answer_kind(old) == "answer"
    same = Answer("Vraag", "x", False, search_query="vraag")
    assert render.interpreted_as(same) == "" and render.answer_kind(same) == "not_found"


# ---- document viewer ------------------------------------------------------------------------------------


def test_viewer_shows_the_whole_document_with_the_passage_marked(tmp_path):
    (tmp_path / "update.pdf").write_bytes(b"%PDF-1.4")
    bot = ViewerBot()
    files = viewer.document_files(bot, tmp_path)
    assert files == {"upd": (tmp_path / "update.pdf").resolve()}
    pid, spans = viewer.parse_request(render.open_link("upd#1", [(4, 12)]).removeprefix("#open="))
    assert (pid, spans) == ("upd#1", [(4, 12)])
    html = viewer.viewer_html(bot, pid, spans, files)
    assert "Voorblad &lt;script&gt;" in html and "<script>" not in html  # every page, escaped
    assert '<span class="viewer-passage viewer-doel" tabindex="-1">De P<mark>OH-jeugd</mark>' in html
    assert "pagina 2 van 2" in html
    assert f'src="gradio_api/file={tmp_path.resolve()}/update.pdf?pagina=2#page=2"' in html  # the original page
    assert 'href="https://example.org/update.pdf"' in html and "Origineel bestand (PDF)" in html
    assert "niet (meer) in de index" in viewer.viewer_html(bot, "weg#1", [], files)


def test_another_page_of_the_same_pdf_changes_the_frame_address_not_only_its_fragment(tmp_path):
    # Gradio updates an open viewer in place (same iframe, new src); Chromium's PDF viewer does not
    # follow a change of the fragment alone, so the page must be in the address itself.
    (tmp_path / "update.pdf").write_bytes(b"%PDF-1.4")
    bot = ViewerBot()
    bot.passage = {"upd#1": _passage(), "upd#0": _passage(pid="upd#0", page=1, text="Voorblad")}.get
    files = viewer.document_files(bot, tmp_path)
    srcs = [
        re.search(r'<iframe class="viewer-pdf"[^>]* src="([^"]+)"', viewer.viewer_html(bot, pid, [], files)).group(1)
        for pid in ("upd#0", "upd#1")
    ]
    assert [src.partition("#")[2] for src in srcs] == ["page=1", "page=2"]
    assert srcs[0].partition("#")[0] != srcs[1].partition("#")[0]
    assert all(src.startswith(viewer.file_url(files["upd"]) + "?") for src in srcs)  # still the served file


def test_viewer_serves_only_files_inside_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "geheim.txt").write_text("x")
    assert viewer.document_files(ViewerBot(path="../geheim.txt"), corpus) == {}
    assert viewer.document_files(ViewerBot(path=str(tmp_path / "geheim.txt")), corpus) == {}
    html = viewer.viewer_html(ViewerBot(source="shared/seeds/003.txt"), "upd#1", [], {})
    assert "Origineel bestand" not in html and "Herkomst: shared/seeds/003.txt" in html and "<iframe" not in html


def test_text_files_name_the_section_instead_of_an_unknown_page():
    assert render.location(None, "2.2.1 POH-jeugd") == "§ 2.2.1 POH-jeugd" and render.location(3) == "pagina 3"
    html = render.context_html(
        {"passage": "x", "before": "", "after": "", "page": None, "title": "T", "section_title": "1 > 1.2 Kop"}
    )
    assert "§ 1.2 Kop" in html and "onbekend" not in html


# ---- conversations --------------------------------------------------------------------------------------


def test_conversations_are_saved_listed_restored_and_exported(tmp_path):
    bot = SimpleNamespace(ask=lambda q, history=None, filters=None: Answer(q, "Antwoord [1].", True, citations=[_citation()]))
    _, _, turns, last, *_ = handlers.on_chat(bot, "Hoe gaat het met de POH-jeugd?", [], [], None, None, [])
    conv_id, store, dropdown = handlers.on_save("", turns, convs.empty_store())
    assert store["current"] == conv_id and dropdown["choices"][0][1] == conv_id
    assert dropdown["choices"][0][0].startswith("Hoe gaat het met de POH-jeugd? (")
    # a reload: the same conversation, its chips and sources back on screen
    assert all("display" not in t for t in store["conversations"][0]["turns"])  # data only, rendered on restore
    chat, turns2, last2, sources, _, restored_id, _ = handlers.on_restore(store)
    assert restored_id == conv_id and turns2 == turns and last2["answer_id"] == last["answer_id"]
    assert 'class="chip"' in chat[1]["content"] and f"paneel-{last['answer_id']}-1" in sources
    # "Nieuw gesprek": nothing current, the old one still listed
    store2, dropdown2 = handlers.on_new_conversation(store)
    assert store2["current"] == "" and [c for _, c in dropdown2["choices"]] == [conv_id]
    assert handlers.on_restore(store2)[1] == []
    assert handlers.on_pick_conversation(conv_id, store2)[1] == turns
    assert "Filter actief: soort raadsbesluit; jaren 2020–…" in filterform.filter_summary(["raadsbesluit"], 2020, None, [])
    assert filterform.filter_summary([], None, None, [], []) == ""
    # garbage in the browser store is ignored
    assert handlers.on_restore({"conversations": "kapot"})[1] == [] and convs.choices(None) == []
    md = convs.markdown(turns)
    assert "## Vraag: Hoe gaat het met de POH-jeugd?" in md and "Antwoord [1]." in md
    assert f"1. Update Actieplan, 1 juni 2022, voortgangsrapportage, § 2.2.1 POH-jeugd, p. 2\n   > {CITED}" in md
    path = convs.write_markdown(turns, tmp_path)
    assert Path(path).read_text(encoding="utf-8") == md


def test_at_most_twenty_conversations_are_kept():
    store = convs.empty_store()
    for i in range(25):
        store = convs.save(store, f"c{i}", [{"role": "user", "content": f"vraag {i}", "display": ""}])
    assert len(store["conversations"]) == convs.MAX_CONVERSATIONS and store["conversations"][0]["id"] == "c24"


def test_browser_secret_is_stable_beside_the_index(tmp_path):
    key = convs.browser_secret(tmp_path)
    assert len(key) >= 24 and convs.browser_secret(tmp_path) == key
    assert (tmp_path / "browser-state.key").stat().st_mode & 0o077 == 0


# ---- staff tables ---------------------------------------------------------------------------------------


def test_measure_progress_is_the_passage_that_reports_on_the_measure():
    background = _passage("upd#0", text="De POH-jeugd en het schoolmaatschappelijk werk zijn belangrijk.", score=0.9)
    progress = _passage("upd#1", score=0.7)
    other = _passage("upd#2", text="Wachttijden zijn in 2021 gedaald.", section="2.4", section_title="2.4 Wachttijden")
    bot = SimpleNamespace(search=lambda q, k=8, filters=None: [background, progress, other])
    measures = [Measure("2.2.1", "Doorontwikkeling POH-jeugd", "ap", "Actieplan", "2019-04")]
    docs = [{"doc_id": "ap", "date": "2019-04"}, {"doc_id": "upd", "date": "2022"}]
    found = handlers.measure_progress(bot, measures, docs)
    assert found["2.2.1"].id == "upd#1"  # the one that says what happened, not the background
    from assistant.ui.tables import measure_rows

    row = measure_rows(measures, docs, found)[0]
    assert row[4] == CITED and row[5] == "Update Actieplan, § 2.2.1 POH-jeugd, p. 2" and row[6:] == ["2022", "upd#1"]


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    assert [safe_cell(v) for v in ("=1+1", "+31", "-x", "@SUM(A1)", "\tx", "\rx", "gewoon", -3, 2.5, None)] == [
        "'=1+1",
        "'+31",
        "'-x",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "gewoon",
        -3,
        2.5,
        "",
    ]
    path = rows_csv(["titel", "score"], [['=HYPERLINK("http://x")', 1]], "test", tmp_path)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh, delimiter=";"))[1] == ['\'=HYPERLINK("http://x")', "1"]
    settings = SimpleNamespace(feedback_db=tmp_path / "fb.sqlite3")
    feedback.store(settings, "=cmd|' /C calc'!A0", "antwoord", [], 1, "@opmerking")
    out = tmp_path / "feedback.csv"
    feedback.export_csv(settings, out)
    with open(out, newline="", encoding="utf-8") as fh:
        row = next(iter(csv.DictReader(fh)))
    assert row["question"] == "'=cmd|' /C calc'!A0" and row["comment"] == "'@opmerking"


def test_feedback_database_lives_beside_the_index(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSISTANT_FEEDBACK_DB", raising=False)
    settings = Settings.load(path=tmp_path / "geen.toml", index_dir=tmp_path / "idx")
    assert settings.feedback_db == tmp_path / "idx" / "feedback.sqlite3"
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(tmp_path / "elders.sqlite3"))
    assert Settings.load(path=tmp_path / "geen.toml", index_dir=tmp_path / "idx").feedback_db == tmp_path / "elders.sqlite3"


def test_viewer_of_a_150_page_document_shows_only_pages_around_the_passage():
    """What keeps the viewer fast on a long document (timed in benchmarks/viewer_bench.py): only a window of
    pages around the passage is rendered, the rest is named, not sent."""
    bot = ViewerBot()
    pages = [{"number": i, "text": f"Pagina {i}. " + "Tekst van het beleid. " * 150} for i in range(1, 151)]
    pages[119] = {"number": 120, "text": PAGE_1}
    bot.index.pages["upd"] = pages
    bot.passage = lambda pid: _passage(page=120)
    html = viewer.viewer_html(bot, "upd#1", [(0, 5)], {})
    assert html.count('<section class="viewer-pagina"') == viewer.WHOLE_DOCUMENT_PAGES
    assert "pagina 120 van 150" in html and "Pagina’s 1–99 niet getoond" in html and 'class="viewer-passage viewer-doel"' in html


def test_api_answers_carry_an_id_that_makes_a_second_rating_replace_the_first(tmp_path):
    from assistant.ui import endpoints

    bot = SimpleNamespace(ask=lambda q, history=None, filters=None: Answer(q, "Antwoord [1].", True, citations=[_citation()]))
    out = endpoints.ask(bot, "Vraag?")
    settings = SimpleNamespace(feedback_db=tmp_path / "fb.sqlite3")
    first = endpoints.feedback(settings, out["question"], out["answer"], out["citations"], -1, "", out["answer_id"])
    second = endpoints.feedback(settings, out["question"], out["answer"], out["citations"], 1, "", out["answer_id"])
    assert first["id"] == second["id"] and [r["rating"] for r in feedback.rows(settings)] == [1]
