"""`build_app`: the components of the web app and the wiring of their events (no logic of its own).

The handlers live in `handlers.py` (screen events) and `endpoints.py` (JSON API); `bind` gives each
one the `Assistant` or `Settings` it takes as first argument.

API endpoints (for `gradio_client`, see `benchmarks/load_test.py` and `tests/test_ui.py`):
  /ask       (question, history, kinds, year_from, year_to, doc_ids) -> dict with answer, citations, …
  /search    (query, k, kinds, year_from, year_to, doc_ids)          -> list of passages
  /motions   (query, status)                                          -> list of motions
  /measures  ()                                                       -> list of measures
  /documents ()                                                       -> list of documents
  /context   (passage_id)                                             -> the passage in its page
  /feedback  (question, answer, citations, rating, comment)           -> {"stored": True, "id": …}
The events behind the screens are callable too but undocumented (`/ui_chat`, `/ui_search`, …).
"""

from __future__ import annotations

import functools
import inspect

import gradio as gr

from . import endpoints
from . import handlers as h
from .render import sources_html
from .tables import MOTION_HEADERS, SEARCH_HEADERS, frame

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

    bound.__signature__ = inspect.signature(fn).replace(parameters=params[len(first):])
    bound.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k not in fixed}
    return bound


def build_app(bot, settings) -> gr.Blocks:
    """The Gradio app around `bot` (an `Assistant`); feedback goes to `settings.feedback_db`."""
    choices = h.filter_choices(bot.documents())
    year_min, year_max = choices["years"]

    title = settings.name or TITLE
    of_org = f" van {settings.organisation}" if settings.organisation else ""
    with gr.Blocks(title=title, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown(
            f"## {title}\n"
            f"Vragen over de beleidsdocumenten{of_org}, beantwoord met letterlijke zinnen uit de "
            "documenten. Elk antwoord noemt zijn bronnen [n]; controleer ze in het bronnenpaneel."
        )
        with gr.Accordion("Filters (gelden voor Chat en Zoeken)", open=False):
            with gr.Row():
                f_kinds = gr.CheckboxGroup(choices["kinds"], label="Soort document", info="Niets aangevinkt: alle soorten.")
                f_from = gr.Number(label="Vanaf jaar", value=None, precision=0, minimum=year_min, maximum=year_max,
                                   info=f"Leeg: geen ondergrens ({year_min}–{year_max}).")
                f_to = gr.Number(label="Tot en met jaar", value=None, precision=0, minimum=year_min, maximum=year_max,
                                 info="Leeg: geen bovengrens.")
            f_docs = gr.Dropdown(choices["documents"], value=[], multiselect=True, label="Alleen deze documenten",
                                 info="Leeg: alle documenten.")
        filters = [f_kinds, f_from, f_to, f_docs]

        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                turns = gr.State([])
                last = gr.State(None)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label="Gesprek",
                            height=520,
                            elem_id="gesprek",
                            placeholder="**Stel een vraag over de documenten.**" + (" Of kies een voorbeeld:" if settings.examples else ""),
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
                                label="Uw vraag", placeholder=f"Bijvoorbeeld: {settings.examples[0]}" if settings.examples else "Stel een vraag",
                                lines=1, max_lines=4, scale=5, elem_id="vraag", autofocus=True,
                                max_length=2000,
                            )
                            send = gr.Button("Vraag", variant="primary", scale=1, elem_id="verstuur")
                        with gr.Row():
                            clear = gr.Button("Nieuw gesprek", size="sm")
                        with gr.Group():
                            gr.Markdown("**Was het laatste antwoord nuttig?**", padding=True)
                            with gr.Row():
                                thumbs_up = gr.Button("👍 Nuttig", size="sm", elem_id="duim-op")
                                thumbs_down = gr.Button("👎 Niet nuttig", size="sm", elem_id="duim-neer")
                            comment = gr.Textbox(label="Toelichting (optioneel)", lines=1, max_length=2000, elem_id="feedback-opmerking",
                                                 placeholder="Wat klopte er niet, of wat miste u?")
                            feedback_status = gr.Markdown("", elem_id="feedback-status", padding=True)
                    with gr.Column(scale=2):
                        notice = gr.HTML("", elem_id="melding")
                        sources = gr.HTML(sources_html(None), elem_id="bronnen", label="Bronnen", padding=True,
                                          max_height=620)
                        with gr.Accordion("Toon in context", open=True):
                            context_pick = gr.Dropdown([], value=None, label="Bron", elem_id="context-keuze",
                                                       info="Kies een bron om de passage in de omringende tekst te zien.")
                            context = gr.HTML("", elem_id="context", padding=True, max_height=420)
                        with gr.Accordion("Kopieer antwoord met bronnen", open=False):
                            copy_btn = gr.Button("Kopieer antwoord met bronnen", size="sm", elem_id="kopieer")
                            copy_box = gr.Textbox(label="Antwoord met bronnen (platte tekst)", lines=8,
                                                  buttons=["copy"], interactive=False, elem_id="kopieer-tekst")

            with gr.Tab("Zoeken", id="zoeken"):
                with gr.Row():
                    query = gr.Textbox(label="Zoekterm", placeholder="bijvoorbeeld: wachttijden", scale=5)
                    k = gr.Slider(5, 50, value=h.SEARCH_K, step=5, label="Aantal resultaten", scale=2)
                    search_btn = gr.Button("Zoek", variant="primary", scale=1)
                search_status = gr.Markdown("")
                results = gr.Dataframe(value=frame([], SEARCH_HEADERS), headers=SEARCH_HEADERS, interactive=False,
                                       wrap=True, max_height=600, label="Passages",
                                       column_widths=["18%", "7%", "9%", "14%", "6%", "40%", "6%"])
                search_csv = gr.DownloadButton("Exporteer als CSV", value=None, size="sm")

            with gr.Tab("Moties", id="moties"):
                with gr.Row():
                    motion_query = gr.Textbox(label="Filter op tekst", placeholder="motienummer of woorden uit de titel", scale=3)
                    motion_status = gr.Radio(h.STATUS_CHOICES, value="alle", label="Status", scale=2)
                first_table, first_csv = h.on_motions(bot, "", "alle")
                motion_table = gr.Dataframe(value=first_table, headers=MOTION_HEADERS,
                                            interactive=False, wrap=True, label="Moties (klik op een kolomkop om te sorteren)",
                                            column_widths=["9%", "27%", "30%", "10%", "8%", "16%"])
                motion_csv = gr.DownloadButton("Exporteer als CSV", value=first_csv, size="sm")

            with gr.Tab("Maatregelen", id="maatregelen"):
                measure_table_value, measure_csv_value = h.on_measures(bot)
                measure_table = gr.Dataframe(value=measure_table_value, headers=measure_table_value["headers"],
                                             interactive=False, wrap=True, max_height=700,
                                             label="Maatregelen uit het actieplan en de gerapporteerde voortgang",
                                             column_widths=["7%", "23%", "20%", "8%", "42%"])
                measure_csv = gr.DownloadButton("Exporteer als CSV", value=measure_csv_value, size="sm")

        # ---- events -----------------------------------------------------------------------------
        on_chat = bind(h.on_chat, bot)
        chat_outputs = [chatbot, question, turns, last, notice, sources, context_pick, context, copy_box]
        chat_inputs = [question, turns, *filters]
        send.click(on_chat, chat_inputs, chat_outputs, api_name="ui_chat", **UNDOCUMENTED, **RETRIEVAL)
        question.submit(on_chat, chat_inputs, chat_outputs, **SCREEN, **RETRIEVAL)
        chatbot.example_select(h.pick_example, None, question, **SCREEN, queue=False).then(
            on_chat, chat_inputs, chat_outputs, **SCREEN, **RETRIEVAL
        )
        clear_outputs = [*chat_outputs, feedback_status]
        clear.click(h.on_clear, None, clear_outputs, **SCREEN, queue=False)
        chatbot.clear(h.on_clear, None, clear_outputs, **SCREEN, queue=False)  # its bin icon
        context_pick.change(bind(h.on_context, bot), [context_pick, last], context, api_name="ui_context",
                            **UNDOCUMENTED, **LIGHT)
        copy_btn.click(h.on_copy, last, copy_box, **SCREEN, **LIGHT)
        thumbs_up.click(bind(h.on_feedback, settings, 1), [comment, last], [feedback_status, comment], **SCREEN, **LIGHT)
        thumbs_down.click(bind(h.on_feedback, settings, -1), [comment, last], [feedback_status, comment], **SCREEN, **LIGHT)

        on_search = bind(h.on_search, bot)
        search_inputs = [query, k, *filters]
        search_outputs = [results, search_csv, search_status]
        search_btn.click(on_search, search_inputs, search_outputs, api_name="ui_search", **UNDOCUMENTED, **RETRIEVAL)
        query.submit(on_search, search_inputs, search_outputs, **SCREEN, **RETRIEVAL)
        on_motions = bind(h.on_motions, bot)
        motion_query.change(on_motions, [motion_query, motion_status], [motion_table, motion_csv],
                            api_name="ui_motions", **UNDOCUMENTED, **LIGHT)
        motion_status.change(on_motions, [motion_query, motion_status], [motion_table, motion_csv], **SCREEN, **LIGHT)
        demo.load(bind(h.on_measures, bot), None, [measure_table, measure_csv], api_name="ui_measures",
                  **UNDOCUMENTED, **LIGHT)

        gr.api(bind(endpoints.ask, bot), api_name="ask", **RETRIEVAL)
        gr.api(bind(endpoints.search, bot), api_name="search", **RETRIEVAL)
        gr.api(bind(endpoints.motions, bot), api_name="motions", **LIGHT)
        gr.api(bind(endpoints.measures, bot), api_name="measures", **LIGHT)
        gr.api(bind(endpoints.documents, bot), api_name="documents", **LIGHT)
        gr.api(bind(endpoints.context, bot), api_name="context", **LIGHT)
        gr.api(bind(endpoints.feedback, settings), api_name="feedback", **LIGHT)

    demo.queue(default_concurrency_limit=RETRIEVAL_WORKERS, max_size=MAX_QUEUE)
    return demo


__all__ = ["TITLE", "bind", "build_app"]
