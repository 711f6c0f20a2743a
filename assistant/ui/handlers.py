"""The events behind the screens, as module-level functions of the `Assistant` (and `Settings`).

Each takes what it needs explicitly and returns the values of its output components, in the order
`layout.py` wires them, so a test can call it with a fake assistant. `gr.update()` means "leave this
component as it is" (or, with arguments, change only those properties).
"""

from __future__ import annotations

import json
import logging

import gradio as gr

from .. import feedback as feedback_store
from ..answer import dutch_date
from ..present import copy_text
from .export import rows_csv
from .render import (
    CONTEXT_CHARS,
    answer_bubble,
    chat_text,
    context_choices,
    context_html,
    missing_passage_html,
    notice_html,
    sources_html,
)
from .tables import (
    MOTION_HEADERS,
    SEARCH_HEADERS,
    frame,
    measure_headers,
    measure_rows,
    motion_rows,
    search_rows,
)

log = logging.getLogger(__name__)

ERROR_MESSAGE = (
    "Er ging iets mis bij het beantwoorden van uw vraag. Probeer het opnieuw, of stel de vraag anders. "
    "Blijft het misgaan, meld het dan aan de beheerder."
)
EMPTY_QUESTION = "Typ eerst een vraag, of kies een van de voorbeeldvragen."
STATUS_CHOICES = ["alle", "afgedaan", "open"]
SEARCH_K = 20  # results when the form sends no number


# ---- form values -------------------------------------------------------------------------------


def make_filters(kinds=None, year_from=None, year_to=None, doc_ids=None) -> dict | None:
    """The filter dict for `Assistant.ask/search` from form values (empty fields mean "all")."""

    def year(v):
        try:
            v = int(float(v))
        except (TypeError, ValueError):
            return None
        return v if v > 0 else None

    def strings(v):
        if v is None or v == "":
            return []
        if isinstance(v, str):
            return [v]
        return [str(x) for x in v if x not in (None, "")]

    f = {"kinds": strings(kinds), "doc_ids": strings(doc_ids), "year_from": year(year_from), "year_to": year(year_to)}
    f = {k: v for k, v in f.items() if v}
    return f or None


def plain_history(history) -> list[dict]:
    """A chat history as [{"role", "content"}] with string contents (accepts JSON text, too)."""
    if isinstance(history, str):
        history = json.loads(history) if history.strip() else []
    out = []
    for item in history or []:
        if isinstance(item, dict) and item.get("role") in ("user", "assistant"):
            content = item.get("content")
            if isinstance(content, list):
                content = " ".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
            out.append({"role": item["role"], "content": str(content or "")})
    return out


def filter_choices(documents: list[dict]) -> dict:
    """Choices of the filter form: document kinds, (label, doc_id) of documents, and the year range."""
    years = sorted({int(d["date"][:4]) for d in documents if str(d.get("date", ""))[:4].isdigit()})
    return {
        "kinds": sorted({d["kind"] for d in documents if d.get("kind")}),
        "documents": [
            (f"{d['title']} ({dutch_date(d['date'])})" if d.get("date") else d["title"], d["doc_id"]) for d in documents
        ],
        "years": (years[0], years[-1]) if years else (1990, 2100),
    }


def motions_with_status(bot, query: str = "", status: str = "alle") -> list:
    """`bot.motions(query)` (number or title), kept to the open or the done ones for status open/afgedaan.

    The status filter is here because `Assistant.motions` has none."""
    motions = bot.motions(str(query or "").strip())
    if status == "afgedaan":
        return [m for m in motions if m.done]
    if status == "open":
        return [m for m in motions if not m.done]
    return motions


# ---- chat ----------------------------------------------------------------------------------------


def display(turns: list[dict]) -> list[dict]:
    """The chatbot's messages from the kept turns (which also hold the raw text for the history)."""
    return [{"role": t["role"], "content": t["display"]} for t in turns]


def on_chat(bot, question, turns, kinds, year_from, year_to, doc_ids):
    """Chat event: returns chatbot, textbox, turns, last answer, notice, sources, context choices/html, copy."""
    turns = list(turns or [])
    question = str(question or "")
    keep = gr.update()
    if not question.strip():
        return keep, keep, keep, keep, notice_html(EMPTY_QUESTION), keep, keep, keep, keep
    try:
        answer = bot.ask(question, history=plain_history(turns), filters=make_filters(kinds, year_from, year_to, doc_ids))
    except Exception:  # the user gets a Dutch message; the traceback goes to the log
        log.exception("ask failed for %r", question[:200])
        turns += [
            {"role": "user", "content": question, "display": chat_text(question)},
            {"role": "assistant", "content": "", "display": chat_text(ERROR_MESSAGE)},
        ]
        return (display(turns), "", turns, None, notice_html(ERROR_MESSAGE), sources_html(None),
                gr.update(choices=[], value=None), "", "")
    turns += [
        {"role": "user", "content": question, "display": chat_text(question)},
        {"role": "assistant", "content": answer.answer, "display": answer_bubble(answer)},
    ]
    return (
        display(turns),
        "",
        turns,
        answer,
        notice_html(answer.notice),
        sources_html(answer),
        gr.update(choices=context_choices(answer), value=None),
        "",
        "",
    )


def on_clear():
    """"Nieuw gesprek": chatbot, textbox, turns, last answer, notice, sources, context choices/html, copy, feedback status."""
    return [], "", [], None, "", sources_html(None), gr.update(choices=[], value=None), "", "", ""


def pick_example(evt: gr.SelectData) -> str:
    """The text of the example question that was clicked."""
    value = evt.value if isinstance(evt.value, dict) else {}
    return value.get("text", "")


def on_context(bot, passage_id, answer) -> str:
    """The chosen source inside its page; its cited sentences are marked when it is a citation of `answer`."""
    if not passage_id:
        return ""
    try:
        ctx = bot.context(passage_id, chars=CONTEXT_CHARS)
    except KeyError:
        return missing_passage_html()
    cited = next((c for c in (getattr(answer, "citations", None) or []) if c.passage_id == passage_id), None)
    if cited is not None:
        return context_html(ctx, cited.spans, cited.text)
    return context_html(ctx)


def on_copy(answer) -> str:
    return copy_text(answer) if answer is not None else "Er is nog geen antwoord om te kopiëren."


def on_feedback(settings, rating: int, comment, answer):
    """👍/👎: store the rating of the last answer; returns the status line and the comment box."""
    if answer is None:
        return "Er is nog geen antwoord om te beoordelen.", gr.update()
    try:
        feedback_store.store(settings, answer.question, answer.answer, answer.citations, rating, comment)
    except Exception:  # a full disk or a locked file must not break the chat
        log.exception("feedback not stored")
        return "Uw beoordeling kon niet worden opgeslagen. Probeer het later opnieuw.", gr.update()
    label = "positieve" if rating > 0 else "negatieve"
    return f"Bedankt! Uw {label} beoordeling van het laatste antwoord is opgeslagen.", ""


# ---- staff tables ----------------------------------------------------------------------------------


def on_search(bot, query, k, kinds, year_from, year_to, doc_ids):
    """Zoeken: returns the table, the CSV file (None when empty) and a status line."""
    if not str(query or "").strip():
        return frame([], SEARCH_HEADERS), gr.update(value=None), "Typ een zoekterm."
    passages = bot.search(query, k=int(k or SEARCH_K), filters=make_filters(kinds, year_from, year_to, doc_ids))
    rows = search_rows(passages)
    status = f"{len(rows)} passages gevonden." if rows else "Geen passages gevonden; probeer andere woorden of minder filters."
    return frame(rows, SEARCH_HEADERS), rows_csv(SEARCH_HEADERS, rows, "zoekresultaten") if rows else None, status


def on_motions(bot, query, status):
    """Moties: returns the table and its CSV file."""
    rows = motion_rows(motions_with_status(bot, query, status), bot.documents())
    return frame(rows, MOTION_HEADERS), rows_csv(MOTION_HEADERS, rows, "moties")


def on_measures(bot):
    """Maatregelen: returns the table and its CSV file."""
    measures = bot.measures()
    headers = measure_headers(measures, bot.documents())
    rows = measure_rows(measures)
    return frame(rows, headers), rows_csv(headers, rows, "maatregelen")
