"""👍/👎 feedback from the web app, stored in SQLite (`settings.feedback_db`, beside the index).

One rating per answer: a row is keyed by the answer's id, so a second click (👎 after 👍) changes
the rating instead of adding a contradicting row. Ratings without an answer id (old API callers)
are each their own row.

Every write opens its own short-lived connection: Gradio runs handlers in worker threads, and a
sqlite3 connection must not be shared between threads. SQLite serialises the writers itself
(`timeout` waits for a concurrent writer instead of failing).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from .spreadsheet import write_csv

TABLE = "feedback"
COLUMNS = ("id", "time", "question", "answer", "citations", "rating", "comment", "answer_id")
MAX_TEXT = 20_000  # a single row never grows without bound (questions are capped at 1000 characters)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,          -- UTC, ISO 8601
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,     -- JSON list of the cited sources
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    answer_id TEXT               -- stable id of the rated answer (NULL: unkeyed rating)
)
"""
_UNIQUE = f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_answer ON {TABLE}(answer_id) WHERE answer_id IS NOT NULL"


def _db_path(settings_or_path) -> Path:
    path = getattr(settings_or_path, "feedback_db", settings_or_path)
    return Path(path)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)
    conn.execute(_SCHEMA)
    if "answer_id" not in {row[1] for row in conn.execute(f"PRAGMA table_info({TABLE})")}:
        conn.execute(f"ALTER TABLE {TABLE} ADD COLUMN answer_id TEXT")  # a database from before answer ids
    conn.execute(_UNIQUE)
    return conn


def _citations_json(citations) -> str:
    out = []
    for c in citations or []:
        if hasattr(c, "to_dict"):
            c = c.to_dict()
        if isinstance(c, dict):
            # the passage text is in the index; keep the reference, not a copy of the document
            c = {k: v for k, v in c.items() if k not in {"text", "spans"}}
        out.append(c)
    return json.dumps(out, ensure_ascii=False)


def store(settings, question: str, answer: str, citations, rating: int, comment: str = "", answer_id: str | None = None) -> int:
    """Store the rating (+1 or -1) of an answer; returns its row id.

    With `answer_id`, an earlier rating of the same answer is replaced (its comment kept when the new
    one is empty)."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        raise ValueError("rating moet +1 of -1 zijn (rating must be +1 or -1)") from None
    if rating not in (1, -1):
        raise ValueError("rating moet +1 of -1 zijn (rating must be +1 or -1)")
    row = (
        datetime.now(UTC).isoformat(timespec="seconds"),
        str(question or "")[:MAX_TEXT],
        str(answer or "")[:MAX_TEXT],
        _citations_json(citations),
        rating,
        str(comment or "").strip()[:MAX_TEXT],
        str(answer_id)[:100] if answer_id else None,
    )
    with closing(_connect(_db_path(settings))) as conn, conn:
        cur = conn.execute(
            f"INSERT INTO {TABLE} (time, question, answer, citations, rating, comment, answer_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(answer_id) WHERE answer_id IS NOT NULL DO UPDATE SET "
            "time = excluded.time, rating = excluded.rating, "
            "comment = CASE WHEN excluded.comment != '' THEN excluded.comment ELSE comment END "
            "RETURNING id",
            row,
        )
        return int(cur.fetchone()[0])


def rows(settings) -> list[dict]:
    """All feedback rows, oldest first (an empty list when nothing was stored yet)."""
    path = _db_path(settings)
    if not path.exists():
        return []
    with closing(_connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY id")]


def export_csv(settings, path) -> int:
    """Write all feedback to a CSV file (with a header row); returns the number of rows written.

    Every cell is neutralised against formula injection (questions and comments are user text)."""
    data = rows(settings)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        write_csv(fh, list(COLUMNS), ([r[c] for c in COLUMNS] for r in data), delimiter=",")
    return len(data)


__all__ = ["COLUMNS", "export_csv", "rows", "store"]
