"""Conversations kept in the user's browser (`gr.BrowserState`) and their Markdown export (pure).

The stored value is {"current": id, "conversations": [{"id", "title", "updated", "turns"}]}, newest
first. A turn is {"role", "content", "display"} plus, for an answer, "answer_id" and "answer" (its
dict form, with citations) so that a reloaded conversation shows its chips and sources again.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from ..present import clip, field, source_line
from .export import export_folder

MAX_CONVERSATIONS = 20  # browser storage is ~5 MB; older conversations are dropped
MAX_TURNS = 60  # per stored conversation (30 questions): the store travels with every save
TITLE_CHARS = 70


def empty_store() -> dict:
    return {"current": "", "conversations": []}


def _valid(store) -> dict:
    if not isinstance(store, dict) or not isinstance(store.get("conversations"), list):
        return empty_store()
    convs = [c for c in store["conversations"] if isinstance(c, dict) and c.get("id") and isinstance(c.get("turns"), list)]
    return {"current": str(store.get("current") or ""), "conversations": convs}


def start_new(store) -> dict:
    """The store with no current conversation ("Nieuw gesprek"; the old one stays in the list)."""
    return {**_valid(store), "current": ""}


def browser_secret(index_dir) -> str:
    """The key `gr.BrowserState` encrypts the stored conversations with.

    Kept in a file beside the index so conversations survive a restart of the server (Gradio's
    default is a new random key per process); random and in memory when that folder is read-only."""
    path = Path(index_dir) / "browser-state.key"
    try:
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(24)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(key)
        return key
    except OSError:
        return secrets.token_urlsafe(24)


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def save(store, conversation_id: str, turns: list[dict]) -> dict:
    """The store with conversation `conversation_id` set to `turns` (moved to the front)."""
    store = _valid(store)
    if not turns:
        return store
    first = next((t["content"] for t in turns if t.get("role") == "user"), "Gesprek")
    # without "display": it is rendered again from the answer on restore (half the size to store and send)
    kept = [{k: v for k, v in t.items() if k != "display"} for t in turns[-MAX_TURNS:]]
    conv = {
        "id": conversation_id,
        "title": clip(first, TITLE_CHARS),
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        "turns": kept,
    }
    others = [c for c in store["conversations"] if c["id"] != conversation_id]
    return {"current": conversation_id, "conversations": [conv, *others][:MAX_CONVERSATIONS]}


def find(store, conversation_id: str) -> dict | None:
    return next((c for c in _valid(store)["conversations"] if c["id"] == conversation_id), None)


def choices(store) -> list[tuple[str, str]]:
    """(label, id) of the stored conversations, newest first."""
    out = []
    for c in _valid(store)["conversations"]:
        when = str(c.get("updated") or "")[:16].replace("T", " ")
        out.append((f"{c.get('title') or 'Gesprek'} ({when})", c["id"]))
    return out


def last_answer(turns: list[dict]):
    """The answer (dict form) of the last assistant turn, or None."""
    for t in reversed(turns or []):
        if t.get("role") == "assistant" and t.get("answer"):
            return t["answer"]
    return None


def markdown(turns: list[dict], title: str = "Gesprek met de Raadsassistent Jeugd") -> str:
    """The whole conversation as Markdown: each question, each answer with its numbered sources and
    the cited sentences quoted."""
    lines = [f"# {title}", "", f"Geëxporteerd op {datetime.now().strftime('%d-%m-%Y %H:%M')}.", ""]
    for t in turns or []:
        if t.get("role") == "user":
            lines += [f"## Vraag: {t.get('content', '')}", ""]
            continue
        answer = t.get("answer") or {}
        lines += [str(t.get("content") or field(answer, "answer") or ""), ""]
        citations = field(answer, "citations") or []
        if citations:
            lines.append("**Bronnen**")
            lines.append("")
            for c in citations:
                lines.append(f"{field(c, 'n')}. {source_line(c)}")
                text, spans = str(field(c, "text") or ""), field(c, "spans") or []
                for s, e in spans:
                    lines.append(f"   > {' '.join(text[int(s) : int(e)].split())}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(turns: list[dict], folder: Path | None = None) -> str:
    """Write the conversation to a new .md file in the export folder; returns its path."""
    folder = export_folder(folder)
    fd, path = tempfile.mkstemp(prefix="gesprek-", suffix=".md", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(markdown(turns))
    return path


__all__ = [
    "MAX_CONVERSATIONS",
    "browser_secret",
    "choices",
    "empty_store",
    "find",
    "last_answer",
    "markdown",
    "new_id",
    "save",
    "start_new",
    "write_markdown",
]
