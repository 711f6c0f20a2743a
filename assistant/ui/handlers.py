"""The events behind the screens, as module-level functions of the `Assistant` (and `Settings`).

Each takes what it needs explicitly and returns the values of its output components, in the order
`layout.py` wires them, so a test can call it with a fake assistant. `gr.update()` means "leave this
component as it is" (or, with arguments, change only those properties).
"""

from __future__ import annotations

import json
import logging
import weakref

import gradio as gr

from .. import feedback as feedback_store
from ..present import copy_text, field
from ..text import content_words
from . import conversations as convs
from .export import rows_csv
from .filterform import make_filters
from .render import (
    CONTEXT_CHARS,
    answer_bubble,
    chat_text,
    context_choices,
    context_html,
    esc,
    missing_passage_html,
    notice_html,
    sources_html,
)
from .tables import MEASURE_HEADERS, MOTION_HEADERS, measure_rows, motion_rows, search_html, search_rows, table_html

log = logging.getLogger(__name__)

ERROR_MESSAGE = (
    "Er ging iets mis bij het beantwoorden van uw vraag. Probeer het opnieuw, of stel de vraag anders. "
    "Blijft het misgaan, meld het dan aan de beheerder."
)
EMPTY_QUESTION = "Typ eerst een vraag, of kies een van de voorbeeldvragen."
STATUS_CHOICES = ["alle", "afgedaan", "open"]
SEARCH_K = 20  # results when the form sends no number


# ---- form values -------------------------------------------------------------------------------


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


def answer_record(answer, answer_id: str) -> dict:
    """The answer as plain data (kept in the session and in the browser), with its stable id."""
    record = answer.to_dict() if hasattr(answer, "to_dict") else dict(answer)
    for c in record.get("citations") or []:
        c["spans"] = [list(s) for s in c.get("spans") or []]
    record["answer_id"] = answer_id
    return record


def on_chat(bot, question, turns, kinds=None, year_from=None, year_to=None, doc_ids=None, organisations=None):
    """Chat event: returns chatbot, textbox, turns, last answer, notice, sources, context choices/html, copy."""
    turns = list(turns or [])
    question = str(question or "")
    keep = gr.update()
    if not question.strip():
        return keep, keep, keep, keep, notice_html(EMPTY_QUESTION), keep, keep, keep, keep
    try:
        answer = bot.ask(
            question, history=plain_history(turns), filters=make_filters(kinds, year_from, year_to, doc_ids, organisations)
        )
    except Exception:  # the user gets a Dutch message; the traceback goes to the log
        log.exception("ask failed for %r", question[:200])
        turns += [
            {"role": "user", "content": question, "display": chat_text(question)},
            {"role": "assistant", "content": "", "display": chat_text(ERROR_MESSAGE)},
        ]
        return (
            display(turns),
            "",
            turns,
            None,
            notice_html(ERROR_MESSAGE),
            sources_html(None),
            gr.update(choices=[], value=None),
            "",
            "",
        )
    answer_id = convs.new_id()
    record = answer_record(answer, answer_id)
    turns += [
        {"role": "user", "content": question, "display": chat_text(question)},
        {
            "role": "assistant",
            "content": answer.answer,
            "display": answer_bubble(record, answer_id),
            "answer_id": answer_id,
            "answer": record,
        },
    ]
    return (
        display(turns),
        "",
        turns,
        record,
        notice_html(answer.notice),
        sources_html(record, answer_id),
        gr.update(choices=context_choices(record), value=None),
        "",
        "",
    )


def on_clear():
    """ "Nieuw gesprek": chatbot, textbox, turns, last answer, notice, sources, context choices/html, copy,
    feedback status, conversation id."""
    return [], "", [], None, "", sources_html(None), gr.update(choices=[], value=None), "", "", "", ""


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
    cited = next((c for c in (field(answer, "citations") or []) if field(c, "passage_id") == passage_id), None)
    if cited is not None:
        return context_html(ctx, field(cited, "spans"), field(cited, "text"))
    return context_html(ctx)


def on_copy(answer) -> str:
    return copy_text(answer) if answer is not None else "Er is nog geen antwoord om te kopiëren."


def on_feedback(settings, rating: int, comment, answer):
    """👍/👎: store the rating of the last answer (a second click changes it); returns status and comment box."""
    if answer is None:
        return "Er is nog geen antwoord om te beoordelen.", gr.update()
    try:
        feedback_store.store(
            settings,
            field(answer, "question"),
            field(answer, "answer"),
            field(answer, "citations"),
            rating,
            comment,
            answer_id=field(answer, "answer_id"),
        )
    except Exception:  # a full disk or a locked file must not break the chat
        log.exception("feedback not stored")
        return "Uw beoordeling kon niet worden opgeslagen. Probeer het later opnieuw.", gr.update()
    label = "positieve" if rating > 0 else "negatieve"
    return (
        f"Bedankt! Uw {label} beoordeling van het laatste antwoord is opgeslagen (klik de andere knop om haar te wijzigen)."
    ), ""


# ---- conversations in the browser ------------------------------------------------------------------


def on_save(conversation_id, turns, store):
    """After each answer: the conversation into the browser store; returns id, store, list of conversations."""
    conversation_id = conversation_id or convs.new_id()
    store = convs.save(store, conversation_id, list(turns or []))
    return conversation_id, store, gr.update(choices=convs.choices(store), value=conversation_id)


def with_display(turn: dict) -> dict:
    """A stored turn with its chat bubble rendered again (the store keeps only the data)."""
    if turn.get("display"):
        return turn
    if turn.get("role") == "assistant" and turn.get("answer"):
        shown = answer_bubble(turn["answer"], str(turn.get("answer_id") or ""))
    else:
        shown = chat_text(turn.get("content", ""))
    return {**turn, "display": shown}


def show_conversation(conversation: dict | None):
    """chatbot, turns, last answer, sources, context choices, conversation id of a stored conversation."""
    turns = [with_display(t) for t in (conversation or {}).get("turns") or [] if isinstance(t, dict) and t.get("role")]
    last = convs.last_answer(turns)
    return (
        display(turns),
        turns,
        last,
        sources_html(last, field(last, "answer_id") or "") if last else sources_html(None),
        gr.update(choices=context_choices(last), value=None),
        (conversation or {}).get("id", ""),
    )


def on_restore(store):
    """Page load: the current conversation of this browser back on screen, and the list of the others."""
    conversation = convs.find(store, (store or {}).get("current", "")) if isinstance(store, dict) else None
    return (*show_conversation(conversation), gr.update(choices=convs.choices(store), value=field(conversation, "id")))


def on_new_conversation(store):
    """After "Nieuw gesprek": no current conversation in the browser store (a reload shows an empty chat)."""
    store = convs.start_new(store)
    return store, gr.update(choices=convs.choices(store), value=None)


def on_pick_conversation(conversation_id, store):
    """A conversation chosen from "Eerdere gesprekken"."""
    if not conversation_id:
        return (gr.update(),) * 6
    return show_conversation(convs.find(store, conversation_id))


def on_export_conversation(turns):
    """ "Exporteer gesprek": a Markdown file of the whole conversation with its sources (None when empty)."""
    if not turns:
        return gr.update(value=None, visible=False), "Er is nog geen gesprek om te exporteren."
    return gr.update(value=convs.write_markdown(turns), visible=True), "Het gesprek staat klaar als Markdown-bestand."


# ---- staff tables ----------------------------------------------------------------------------------


def on_search(bot, query, k, kinds=None, year_from=None, year_to=None, doc_ids=None, organisations=None):
    """Zoeken: returns the results (readable passages), a status line and the rows (for the CSV export)."""
    if not str(query or "").strip():
        return "", "Typ een zoekterm.", []
    filters = make_filters(kinds, year_from, year_to, doc_ids, organisations)
    passages = bot.search(query, k=int(k or SEARCH_K), filters=filters)
    rows = search_rows(passages, bot.documents())
    status = f"{len(rows)} passages gevonden." if rows else "Geen passages gevonden; probeer andere woorden of minder filters."
    return search_html(rows, query), status, rows


def motion_filter_choices(bot) -> dict:
    """Choices of the Moties filters: organisations and years of the motions' status dates."""
    rows = motion_rows(bot.motions(), bot.documents())
    return {
        "organisations": ["alle"] + sorted({r[6] for r in rows if r[6]}),
        "years": ["alle"] + sorted({str(r[4] or r[5])[:4] for r in rows if (r[4] or r[5])}, reverse=True),
    }


def on_motions(bot, query, status, organisation="alle", year="alle"):
    """Moties: returns the table (HTML), the rows (for the CSV export) and a line naming the active filters."""
    rows = motion_rows(motions_with_status(bot, query, status), bot.documents())
    if organisation and organisation != "alle":
        rows = [r for r in rows if r[6] == organisation]
    if year and year != "alle":
        rows = [r for r in rows if str(r[4] or r[5]).startswith(str(year))]
    active = [
        f"tekst “{query}”" if str(query or "").strip() else "",
        f"status {status}" if status not in (None, "", "alle") else "",
        f"organisatie {organisation}" if organisation not in (None, "", "alle") else "",
        f"jaar {year}" if year not in (None, "", "alle") else "",
    ]
    active = [a for a in active if a]
    line = (
        f'<span class="filter-actief">Filter actief: {esc(", ".join(active))}</span> · ' if active else ""
    ) + f"{len(rows)} moties"
    caption = "Moties: klik op een kolomkop om te sorteren, op een rij om de bron te openen"
    return table_html(MOTION_HEADERS, rows, caption), rows, line


# Words that mark a passage as reporting progress (rather than background of the measure).
PROGRESS_CUES = (
    "inmiddels",
    "gestart",
    "gerealiseerd",
    "afgerond",
    "stand van zaken",
    "voortgang",
    "resultaat",
    "in 2020",
    "in 2021",
    "in 2022",
    "is ingezet",
    "zijn ",
    "heeft ",
)


def measure_progress(bot, measures, documents: list[dict]) -> dict:
    """Measure section -> the passage of a later document that reports on it.

    Candidates are the passages found for the measure's title in the later documents (in the record's
    progress document when it names one); the one that shares most of the title's words and carries
    most progress cues wins. None qualifies (less than half the title's words): no progress found."""
    out = {}
    for m in measures:
        later = (
            [m.progress_doc_id]
            if m.progress_doc_id
            else [d["doc_id"] for d in documents if str(d.get("date", "")) > str(m.date) and d["doc_id"] != m.doc_id]
        )
        words = set(content_words(m.title))
        if not later or not words:
            continue
        best, best_score = None, 0.0
        for rank, p in enumerate(bot.search(m.title, k=8, filters={"doc_ids": later})):
            found = set(content_words(f"{p.section_title} {p.text}"))
            overlap = len(words & found) / len(words)
            if overlap < 0.5:
                continue
            low = p.text.lower()
            score = overlap + 0.15 * min(sum(c in low for c in PROGRESS_CUES), 4) - 0.02 * rank
            if score > best_score:
                best, best_score = p, score
        if best is not None:
            out[m.section] = best
    return out


# bot -> (index build, progress): ~50 ms per measure, and the records change only with a new build
_PROGRESS_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def on_measures(bot):
    """Maatregelen: returns the table (HTML) and the rows (for the CSV export)."""
    measures, documents = bot.measures(), bot.documents()
    build = str(getattr(getattr(bot, "index", None), "path", ""))
    cached = _PROGRESS_CACHE.get(bot)
    if cached is None or cached[0] != build:
        cached = _PROGRESS_CACHE[bot] = (build, measure_progress(bot, measures, documents))
    rows = measure_rows(measures, documents, cached[1])
    caption = "Maatregelen uit het actieplan met de voortgang uit latere documenten (klik op een rij voor de bron)"
    return table_html(MEASURE_HEADERS, rows, caption), rows


def on_export(headers: list[str], stem: str, rows):
    """ "Exporteer als CSV": the file is written now (not before), into the cleaned-up export folder."""
    if not rows:
        return gr.update(value=None, visible=False)
    return gr.update(value=rows_csv(headers, rows, stem), visible=True)
