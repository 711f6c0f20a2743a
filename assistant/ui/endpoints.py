"""The JSON API of the web app (`/ask`, `/search`, `/motions`, …), as functions of the `Assistant`.

Gradio builds the API page from these signatures, type hints and docstrings (`layout.bind` drops the
leading `bot`/`settings` argument). Bad input raises `gr.Error` with a Dutch message.
"""

from __future__ import annotations

import logging

import gradio as gr

from .. import feedback as feedback_store
from ..present import copy_text, source_line
from .conversations import new_id
from .filterform import make_filters
from .handlers import ERROR_MESSAGE, STATUS_CHOICES, motions_with_status, plain_history

log = logging.getLogger(__name__)
MAX_K = 100
MAX_CONTEXT = 5000


def ask(
    bot,
    question: str,
    history: list | str | None = None,
    kinds: list[str] | None = None,
    year_from: float | None = None,
    year_to: float | None = None,
    doc_ids: list[str] | None = None,
    organisations: list[str] | None = None,
) -> dict:
    """Answer a Dutch question. history: [{"role", "content"}] (or its JSON text) of earlier turns.
    Returns the answer with [n] markers, `answered`, `notice`, `citations` (each with `source` and
    the cited `spans`), `related` (closest passages when not answered) and the updated `history`."""
    try:
        history = plain_history(history)
        filters = make_filters(kinds, year_from, year_to, doc_ids, organisations)
    except (ValueError, TypeError, AttributeError) as exc:
        raise gr.Error(f"Ongeldige invoer (invalid input): {exc}") from exc
    try:
        answer = bot.ask(question if isinstance(question, str) else "", history=history, filters=filters)
    except Exception as exc:  # the caller gets a Dutch message; the traceback goes to the log
        log.exception("ask failed for %r", str(question)[:200])
        raise gr.Error(ERROR_MESSAGE) from exc
    out = answer.to_dict()
    for c, raw in zip(out["citations"], answer.citations):
        c["source"] = source_line(raw)
        c["spans"] = [list(s) for s in raw.spans]
    for p, raw in zip(out["related"], answer.related):
        p["source"] = source_line(raw)
    out["text_with_sources"] = copy_text(answer)
    out["answer_id"] = new_id()  # pass it to /feedback: a second rating of this answer replaces the first
    out["history"] = history + [{"role": "user", "content": str(question or "")}, {"role": "assistant", "content": answer.answer}]
    return out


def search(
    bot,
    query: str,
    k: int = 10,
    kinds: list[str] | None = None,
    year_from: float | None = None,
    year_to: float | None = None,
    doc_ids: list[str] | None = None,
    organisations: list[str] | None = None,
) -> list:
    """Passages for a query, best first (organisations: publishers as in `documents`)."""
    k = max(1, min(int(k or 10), MAX_K))
    filters = make_filters(kinds, year_from, year_to, doc_ids, organisations)
    return [p.to_dict() for p in bot.search(query or "", k=k, filters=filters)]


def motions(bot, query: str = "", status: str = "alle") -> list:
    """The motions; query names a motion number or words of its title, status is alle, afgedaan or open."""
    if status not in STATUS_CHOICES:
        raise gr.Error(f"status moet een van {', '.join(STATUS_CHOICES)} zijn")
    return [m.to_dict() for m in motions_with_status(bot, query, status)]


def measures(bot) -> list:
    """The measures of the action plan with their reported progress."""
    return [m.to_dict() for m in bot.measures()]


def documents(bot) -> list:
    """The indexed documents."""
    return bot.documents()


def context(bot, passage_id: str, chars: int = 1200) -> dict:
    """A passage inside its page's text (before, passage, after, page)."""
    try:
        return bot.context(passage_id, chars=max(0, min(int(chars), MAX_CONTEXT)))
    except KeyError as exc:
        raise gr.Error(f"Onbekende passage: {passage_id}") from exc


def feedback(
    settings, question: str, answer: str, citations: list | None = None, rating: int = 1, comment: str = "", answer_id: str = ""
) -> dict:
    """Store a rating (+1 or -1) of an answer; with the `answer_id` from /ask a new rating replaces the earlier one."""
    try:
        row = feedback_store.store(settings, question, answer, citations or [], rating, comment, answer_id=answer_id or None)
    except ValueError as exc:
        raise gr.Error(str(exc)) from exc
    return {"stored": True, "id": row}
