"""Feedback storage: SQLite round trip and CSV export (no index needed)."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from datetime import datetime
from types import SimpleNamespace

import pytest

from assistant import feedback
from assistant.model import Citation


@pytest.fixture
def settings(tmp_path):
    return SimpleNamespace(feedback_db=tmp_path / "sub" / "feedback.sqlite3")


def _citation(n=1):
    return Citation(
        n=n,
        passage_id=f"doc#{n}",
        doc_id="doc",
        title="Titel, met komma",
        date="2019-04",
        kind="actieplan",
        section="2.1",
        section_title="2.1 Kop",
        page=3,
        text="Zin een. Zin twee.",
        score=0.5,
        spans=[(0, 8)],
    )


def test_store_and_export_round_trip(settings, tmp_path):
    assert feedback.export_csv(settings, tmp_path / "empty.csv") == 0  # no database yet: header only
    with open(tmp_path / "empty.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == list(feedback.COLUMNS)

    feedback.store(settings, "Wat is de status van motie 2106-18?", "Antwoord [1]", [_citation()], 1)
    feedback.store(
        settings,
        'Vraag met "quotes",\nen een nieuwe regel',
        "Hierover staat niets in de documenten.",
        [],
        -1,
        comment="  klopt niet; zie p. 4  ",
    )

    out = tmp_path / "export" / "feedback.csv"
    assert feedback.export_csv(settings, out) == 2
    with open(out, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == list(feedback.COLUMNS)
        rows = list(reader)
    assert len(rows) == 2
    first, second = rows
    assert first["question"] == "Wat is de status van motie 2106-18?"
    assert first["rating"] == "1" and second["rating"] == "-1"
    assert second["question"] == 'Vraag met "quotes",\nen een nieuwe regel'  # CSV quoting survives
    assert second["comment"] == "klopt niet; zie p. 4"
    cited = json.loads(first["citations"])
    assert cited[0]["passage_id"] == "doc#1" and cited[0]["page"] == 3 and cited[0]["title"] == "Titel, met komma"
    assert "text" not in cited[0]  # references, not copies of the documents
    assert json.loads(second["citations"]) == []
    when = datetime.fromisoformat(first["time"])
    assert when.utcoffset() is not None and when.utcoffset().total_seconds() == 0  # UTC, ISO 8601


def test_rows_are_in_sqlite(settings):
    row_id = feedback.store(settings, "v", "a", [{"n": 1, "passage_id": "x#1", "text": "lang"}], -1, "c")
    with sqlite3.connect(settings.feedback_db) as conn:
        got = conn.execute("SELECT id, question, answer, citations, rating, comment FROM feedback").fetchall()
    assert got == [(row_id, "v", "a", json.dumps([{"n": 1, "passage_id": "x#1"}]), -1, "c")]


@pytest.mark.parametrize("rating", [0, 2, "goed", None])
def test_invalid_rating_is_refused(settings, rating):
    with pytest.raises(ValueError):
        feedback.store(settings, "v", "a", [], rating)
    assert feedback.rows(settings) == []


def test_concurrent_writers(settings):
    """Gradio calls the handler from worker threads: every write must land."""
    errors = []

    def write(i):
        try:
            feedback.store(settings, f"vraag {i}", "antwoord", [], 1 if i % 2 else -1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r["question"] for r in feedback.rows(settings)) == sorted(f"vraag {i}" for i in range(20))
