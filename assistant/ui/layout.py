"""`build_app`: the components of the web app and the wiring of their events (no logic of its own).

The handlers live in `handlers.py` (screen events), `endpoints.py` (JSON API) and `upload.py` (the
"Documenten toevoegen" tab, which also builds its own components); `bind` gives each
one the `Assistant` or `Settings` it takes as first argument.

API endpoints (for `gradio_client`, see `benchmarks/load_test.py` and `tests/test_ui.py`):
  /ask       (question, history, kinds, year_from, year_to, doc_ids, organisations) -> answer, citations, …
  /search    (query, k, kinds, year_from, year_to, doc_ids, organisations)          -> list of passages
  /motions   (query, status)                                          -> list of motions
  /measures  ()                                                       -> list of measures
  /documents ()                                                       -> list of documents
  /context   (passage_id)                                             -> the passage in its page
  /feedback  (question, answer, citations, rating, comment)           -> {"stored": True, "id": …}
The events behind the screens are callable too but undocumented (`/ui_chat`, `/ui_search`, …); their
filter inputs have defaults, so a client may pass them by name (`organisations=[...]`).
"""

from __future__ import annotations

import functools
import html
import inspect

import gradio as gr

from . import conversations as convs
from . import endpoints
from . import handlers as h
from .filterform import filter_choices, filter_summary, only_organisation_html
from .render import sources_html
from .tables import MEASURE_HEADERS, MOTION_HEADERS, SEARCH_HEADERS
from .upload import upload_tab
from .viewer import empty_viewer, on_view, serve_files

# The name, organisation and example questions come from the settings (`assistant.toml`), never from
# code: any municipality points the app at its own documents.
TITLE = "Raadsassistent"

# ---- queue -------------------------------------------------------------------------------------
# `bot.ask` / `bot.search` take ~50 ms of CPU each, mostly pure Python under the GIL (the query
# embedder runs with 1 thread), on a 2-core machine. Running more of them at once does not raise
# throughput, it only makes every running request slower and uses more memory; running 2 lets one
# request use the second core while the other is inside numpy/torch/SQLite code that releases the
# GIL. So the retrieval events share one concurrency group of 2 workers. With 10 users asking at the
# same moment the last one waits about 5 × 50 ms: well under a second.
# The cheap events (tables, context, feedback: a few ms, no model) get their own group, so they never
# wait behind a burst of questions.
# MAX_QUEUE bounds the backlog: beyond it a user gets "queue full" at once instead of a multi-second
# wait that looks like a hang (64 ≈ 6 pending requests per user for 10 users, ~2 s to drain).
# Measured (benchmarks/load_test.py, 10 users asking back to back, load generator on the same 2 cores):
# ~30 answers/s, p50 ~230 ms / p95 ~300 ms over plain HTTP; 1 vs 2 vs 4 workers were within the
# noise of a shared machine, so the choice follows the core count.
RETRIEVAL_WORKERS = 2
LIGHT_WORKERS = 4
MAX_QUEUE = 64
RETRIEVAL = {"concurrency_id": "retrieval", "concurrency_limit": RETRIEVAL_WORKERS}


def chat_group(settings) -> dict:
    """Questions get their own group: with an LLM they mostly wait on the model (the Assistant bounds
    their CPU part itself), so a hanging model server holds chat slots, never the search slots."""
    workers = settings.llm.workers if settings.llm.url else settings.retrieval.workers
    return {"concurrency_id": "chat", "concurrency_limit": max(1, workers)}


LIGHT = {"concurrency_id": "light", "concurrency_limit": LIGHT_WORKERS}
SCREEN = {"api_visibility": "private"}  # events only the page calls
UNDOCUMENTED = {"api_visibility": "undocumented"}  # callable by name (tests, load test), not advertised


def bind(fn, *first):
    """`fn` with its first arguments fixed to `first`.

    Unlike functools.partial, the result is a plain function whose signature, type hints and
    docstring describe only the remaining arguments: Gradio reads those to count an event's inputs
    and to build the API page."""
    params = list(inspect.signature(fn).parameters.values())
    fixed = {p.name for p in params[: len(first)]}

    @functools.wraps(fn)
    def bound(*args, **kwargs):
        return fn(*first, *args, **kwargs)

    bound.__signature__ = inspect.signature(fn).replace(parameters=params[len(first) :])
    bound.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k not in fixed}
    return bound


BUSY_ON = "(...args) => { window.raBusy && window.raBusy(true); return args; }"
BUSY_OFF = "() => { window.raBusy && window.raBusy(false); }"
QUIET = {"show_progress": "hidden"}  # one Dutch indicator (#bezig) instead of Gradio's per-component overlays


def build_app(bot, settings) -> gr.Blocks:
    """The Gradio app around `bot` (an `Assistant`); feedback goes to `settings.feedback_db`."""
    choices = filter_choices(bot.documents())
    year_min, year_max = choices["years"]
    serve_files(bot, settings.corpus_dir)  # exactly the indexed originals, for the viewer's links

    title = settings.name or TITLE
    of_org = f" van {settings.organisation}" if settings.organisation else ""
    with gr.Blocks(title=title, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.HTML(
            f"<h1>{html.escape(title)}</h1><p>Vragen over de beleidsdocumenten{html.escape(of_org)}, beantwoord met "
            "letterlijke zinnen uit de documenten. Klik in een antwoord op [n] om de bron te zien; "
            "“Open in document” toont het hele document.</p>",
            elem_id="titel",
        )
        store = gr.BrowserState(
            convs.empty_store(), storage_key="raadsassistent-gesprekken", secret=convs.browser_secret(settings.index_dir)
        )
        filter_line = gr.HTML("", elem_id="filters-actief")
        with gr.Accordion("Filters (gelden voor Chat en Zoeken)", open=False):
            with gr.Row():
                f_kinds = gr.CheckboxGroup(choices["kinds"], label="Soort document", info="Niets aangevinkt: alle soorten.")
                # no minimum/maximum: once the panel is opened the browser shows and sends an empty field
                # as 0, which Gradio refused as out of bounds (every question failed); 0 means "no bound"
                f_from = gr.Number(
                    label="Vanaf jaar", value=None, precision=0, info=f"0 of leeg: geen ondergrens ({year_min}–{year_max})."
                )
                f_to = gr.Number(label="Tot en met jaar", value=None, precision=0, info="0 of leeg: geen bovengrens.")
            with gr.Row():
                f_docs = gr.Dropdown(
                    choices["documents"],
                    value=[],
                    multiselect=True,
                    label="Alleen deze documenten",
                    info="Leeg: alle documenten.",
                    scale=2,
                )
                # a choice only when there is one to make; with one organisation the panel names it
                orgs = choices["organisations"]
                f_orgs = gr.Dropdown(
                    orgs,
                    value=[],
                    multiselect=True,
                    label="Organisatie",
                    info="Leeg: alle organisaties.",
                    visible=len(orgs) > 1,
                    elem_id="filter-organisatie",
                    scale=1,
                )
            if len(orgs) == 1:
                gr.HTML(only_organisation_html(orgs))
        filters = [f_kinds, f_from, f_to, f_docs, f_orgs]  # the order of the handlers' filter arguments
        gr.HTML('<div id="bezig" role="status" aria-live="polite"></div>')

        with gr.Tabs(selected="chat") as tabs:
            with gr.Tab("Chat", id="chat"):
                turns = gr.State([])
                last = gr.State(None)
                conv_id = gr.State("")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        notice = gr.HTML("", elem_id="melding")
                        chatbot = gr.Chatbot(
                            label="Gesprek",
                            height=560,
                            elem_id="gesprek",
                            placeholder="**Stel een vraag over de documenten.**"
                            + (" Of kies een voorbeeld:" if settings.examples else ""),
                            examples=[{"text": q} for q in settings.examples] or None,
                            feedback_options=None,  # rating is done with the buttons below (stored with the sources)
                            buttons=[],  # "Kopieer antwoord met bronnen" gives the text with its sources
                            latex_delimiters=[],  # document text is never LaTeX
                            sanitize_html=True,
                            render_markdown=True,
                            line_breaks=True,
                            autoscroll=True,
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                label="Uw vraag",
                                placeholder=f"Bijvoorbeeld: {settings.examples[0]}" if settings.examples else "Stel een vraag",
                                lines=1,
                                max_lines=4,
                                scale=5,
                                elem_id="vraag",
                                autofocus=True,
                                max_length=2000,
                            )
                            send = gr.Button("Vraag", variant="primary", scale=1, elem_id="verstuur")
                        with gr.Row():
                            clear = gr.Button("Nieuw gesprek", size="sm", elem_id="nieuw-gesprek")
                            history_pick = gr.Dropdown(
                                [],
                                value=None,
                                label="Eerdere gesprekken (in deze browser)",
                                elem_id="eerdere-gesprekken",
                                scale=3,
                            )
                            export_btn = gr.Button("Exporteer gesprek (Markdown)", size="sm", elem_id="exporteer-gesprek")
                        export_status = gr.Markdown("", elem_id="export-status")
                        export_file = gr.File(label="Gesprek als Markdown", visible=False, elem_id="gesprek-bestand")
                        with gr.Group():
                            gr.Markdown("**Was het laatste antwoord nuttig?**", padding=True)
                            with gr.Row():
                                thumbs_up = gr.Button("👍 Nuttig", size="sm", elem_id="duim-op")
                                thumbs_down = gr.Button("👎 Niet nuttig", size="sm", elem_id="duim-neer")
                            comment = gr.Textbox(
                                label="Toelichting (optioneel)",
                                lines=1,
                                max_length=2000,
                                elem_id="feedback-opmerking",
                                placeholder="Wat klopte er niet, of wat miste u?",
                            )
                            feedback_status = gr.Markdown("", elem_id="feedback-status", padding=True)
                    with gr.Column(scale=2, elem_id="bronnen-kolom"):
                        sources = gr.HTML(sources_html(None), elem_id="bronnen", padding=True, max_height=680)
                        with gr.Accordion("Toon in context", open=False):
                            context_pick = gr.Dropdown(
                                [],
                                value=None,
                                label="Bron",
                                elem_id="context-keuze",
                                info="Kies een bron om de passage in de omringende tekst te zien.",
                            )
                            context = gr.HTML("", elem_id="context", padding=True, max_height=420)
                        with gr.Accordion("Kopieer antwoord met bronnen", open=False):
                            copy_btn = gr.Button("Kopieer antwoord met bronnen", size="sm", elem_id="kopieer")
                            copy_box = gr.Textbox(
                                label="Antwoord met bronnen (platte tekst)",
                                lines=8,
                                buttons=["copy"],
                                interactive=False,
                                elem_id="kopieer-tekst",
                            )

            with gr.Tab("Document", id="document"):
                viewer = gr.HTML(empty_viewer(), elem_id="viewer", padding=True)

            with gr.Tab("Zoeken", id="zoeken"):
                with gr.Row():
                    query = gr.Textbox(label="Zoekterm", placeholder="bijvoorbeeld: wachttijden", scale=5, elem_id="zoekterm")
                    k = gr.Slider(5, 50, value=h.SEARCH_K, step=5, label="Aantal resultaten", scale=2)
                    search_btn = gr.Button("Zoek", variant="primary", scale=1, elem_id="zoek")
                search_status = gr.Markdown("", elem_id="zoek-status")
                results = gr.HTML("", elem_id="zoekresultaten")
                search_rows = gr.State([])
                with gr.Row():
                    search_export = gr.Button("Exporteer als CSV", size="sm", elem_id="zoek-export", elem_classes=["export"])
                search_file = gr.File(label="CSV-bestand", visible=False, elem_id="zoek-bestand")

            with gr.Tab("Moties", id="moties"):
                motion_choices = h.motion_filter_choices(bot)
                with gr.Row():
                    motion_query = gr.Textbox(label="Filter op tekst", placeholder="motienummer of woorden uit de titel", scale=3)
                    motion_status = gr.Radio(h.STATUS_CHOICES, value="alle", label="Status", scale=2)
                    motion_org = gr.Dropdown(motion_choices["organisations"], value="alle", label="Organisatie", scale=2)
                    motion_year = gr.Dropdown(motion_choices["years"], value="alle", label="Jaar (deadline of afgedaan)", scale=1)
                first_table, first_rows, first_line = h.on_motions(bot, "", "alle")
                motion_line = gr.HTML(first_line, elem_id="moties-filter")
                motion_table = gr.HTML(first_table, elem_id="moties")
                motion_rows = gr.State(first_rows)
                motion_export = gr.Button("Exporteer als CSV", size="sm", elem_id="moties-export", elem_classes=["export"])
                motion_file = gr.File(label="CSV-bestand", visible=False, elem_id="moties-bestand")

            with gr.Tab("Maatregelen", id="maatregelen"):
                measure_value, measure_rows_value = h.on_measures(bot)
                measure_table = gr.HTML(measure_value, elem_id="maatregelen")
                measure_rows = gr.State(measure_rows_value)
                measure_export = gr.Button("Exporteer als CSV", size="sm", elem_id="maatregelen-export", elem_classes=["export"])
                measure_file = gr.File(label="CSV-bestand", visible=False, elem_id="maatregelen-bestand")

            with gr.Tab("Documenten toevoegen", id="upload"):  # staff only (server/gradio_roles.py)
                upload_tab(demo, bot, settings, bind, [f_kinds, f_docs, f_orgs], {**UNDOCUMENTED, **LIGHT, **QUIET})

        # the page script asks for the viewer through these two (hidden by CSS, not by visible=False:
        # an invisible component is not in the page at all)
        viewer_request = gr.Textbox("", elem_id="viewer-verzoek", elem_classes=["verborgen"], label="viewer")
        viewer_open = gr.Button("Open", elem_id="viewer-open", elem_classes=["verborgen"])

        # ---- events -----------------------------------------------------------------------------
        on_chat = bind(h.on_chat, bot)
        chat_outputs = [chatbot, question, turns, last, notice, sources, context_pick, context, copy_box]
        chat_inputs = [question, turns, *filters]
        shown_outputs = [chatbot, turns, last, sources, context_pick, conv_id]

        def after_chat(event):
            event.then(None, js=BUSY_OFF, **SCREEN).then(
                h.on_save, [conv_id, turns, store], [conv_id, store, history_pick], **SCREEN, **LIGHT, **QUIET
            )

        chat = chat_group(settings)
        after_chat(
            send.click(on_chat, chat_inputs, chat_outputs, api_name="ui_chat", js=BUSY_ON, **UNDOCUMENTED, **chat, **QUIET)
        )
        after_chat(question.submit(on_chat, chat_inputs, chat_outputs, js=BUSY_ON, **SCREEN, **chat, **QUIET))
        after_chat(
            chatbot.example_select(h.pick_example, None, question, **SCREEN, queue=False, **QUIET).then(
                on_chat, chat_inputs, chat_outputs, js=BUSY_ON, **SCREEN, **chat, **QUIET
            )
        )
        clear_outputs = [*chat_outputs, feedback_status, conv_id]
        for event in (clear.click, chatbot.clear):  # the button and the chatbot's bin icon
            event(h.on_clear, None, clear_outputs, **SCREEN, queue=False, **QUIET).then(
                h.on_new_conversation, [store], [store, history_pick], **SCREEN, queue=False, **QUIET
            )
        demo.load(h.on_restore, [store], [*shown_outputs, history_pick], **SCREEN, queue=False, **QUIET)
        history_pick.input(h.on_pick_conversation, [history_pick, store], shown_outputs, **SCREEN, queue=False, **QUIET)
        export_btn.click(h.on_export_conversation, [turns], [export_file, export_status], **SCREEN, **LIGHT, **QUIET)
        context_pick.change(
            bind(h.on_context, bot), [context_pick, last], context, api_name="ui_context", **UNDOCUMENTED, **LIGHT, **QUIET
        )
        copy_btn.click(h.on_copy, last, copy_box, **SCREEN, **LIGHT, **QUIET)
        thumbs_up.click(bind(h.on_feedback, settings, 1), [comment, last], [feedback_status, comment], **SCREEN, **LIGHT, **QUIET)
        thumbs_down.click(
            bind(h.on_feedback, settings, -1), [comment, last], [feedback_status, comment], **SCREEN, **LIGHT, **QUIET
        )
        viewer_open.click(
            bind(on_view, bot, settings.corpus_dir),
            [viewer_request],
            [viewer, tabs],
            api_name="ui_view",
            js="(x) => [window.raViewerRequest ? window.raViewerRequest() : x]",
            **UNDOCUMENTED,
            **LIGHT,
            **QUIET,
        ).then(None, js="() => window.raShowViewer && window.raShowViewer()", **SCREEN)
        for f in filters:
            f.change(filter_summary, filters, filter_line, **SCREEN, queue=False, **QUIET)

        on_search = bind(h.on_search, bot)
        search_inputs = [query, k, *filters]
        search_outputs = [results, search_status, search_rows]
        search_btn.click(
            on_search, search_inputs, search_outputs, api_name="ui_search", js=BUSY_ON, **UNDOCUMENTED, **RETRIEVAL, **QUIET
        ).then(None, js=BUSY_OFF, **SCREEN)
        query.submit(on_search, search_inputs, search_outputs, js=BUSY_ON, **SCREEN, **RETRIEVAL, **QUIET).then(
            None, js=BUSY_OFF, **SCREEN
        )
        search_export.click(
            bind(h.on_export, SEARCH_HEADERS, "zoekresultaten"),
            [search_rows],
            search_file,
            api_name="ui_search_csv",
            **UNDOCUMENTED,
            **LIGHT,
            **QUIET,
        )
        on_motions = bind(h.on_motions, bot)
        motion_inputs = [motion_query, motion_status, motion_org, motion_year]
        motion_outputs = [motion_table, motion_rows, motion_line]
        motion_query.change(on_motions, motion_inputs, motion_outputs, api_name="ui_motions", **UNDOCUMENTED, **LIGHT, **QUIET)
        for control in (motion_status, motion_org, motion_year):
            control.change(on_motions, motion_inputs, motion_outputs, **SCREEN, **LIGHT, **QUIET)
        motion_export.click(
            bind(h.on_export, MOTION_HEADERS, "moties"),
            [motion_rows],
            motion_file,
            api_name="ui_motions_csv",
            **UNDOCUMENTED,
            **LIGHT,
            **QUIET,
        )
        demo.load(
            bind(h.on_measures, bot),
            None,
            [measure_table, measure_rows],
            api_name="ui_measures",
            **UNDOCUMENTED,
            **LIGHT,
            **QUIET,
        )
        measure_export.click(
            bind(h.on_export, MEASURE_HEADERS, "maatregelen"),
            [measure_rows],
            measure_file,
            api_name="ui_measures_csv",
            **UNDOCUMENTED,
            **LIGHT,
            **QUIET,
        )

        gr.api(bind(endpoints.ask, bot), api_name="ask", **chat)
        gr.api(bind(endpoints.search, bot), api_name="search", **RETRIEVAL)
        gr.api(bind(endpoints.motions, bot), api_name="motions", **LIGHT)
        gr.api(bind(endpoints.measures, bot), api_name="measures", **LIGHT)
        gr.api(bind(endpoints.documents, bot), api_name="documents", **LIGHT)
        gr.api(bind(endpoints.context, bot), api_name="context", **LIGHT)
        gr.api(bind(endpoints.feedback, settings), api_name="feedback", **LIGHT)

    demo.queue(default_concurrency_limit=RETRIEVAL_WORKERS, max_size=MAX_QUEUE)
    return demo


__all__ = ["TITLE", "bind", "build_app"]
