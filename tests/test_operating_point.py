"""evals/operating_point.py: an [answer] setting swept on the seed index, its effect measured, the bot restored."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals import operating_point as op  # noqa: E402


def test_sweep_applies_each_value_and_restores_the_configuration(bot):
    from assistant.evals.pipeline import load_questions

    questions = op.askable(bot, load_questions(split="dev", corpus="seed"))
    answerable = [q for q in questions if q.get("answerable")][:8]
    before = bot.answerer.config
    default = before.min_coverage
    # Coverage never exceeds 1: above it every question is at most `partial`, so the value must reach the answerer.
    points = op.sweep(bot, answerable, "min_coverage", [default, 1.01])
    assert bot.answerer.config is before
    at_default, above = points
    assert at_default["default"] and not above["default"]
    assert at_default["n"]["answered_rate"] == above["n"]["answered_rate"] == len(answerable)
    assert at_default["metrics"]["answered_rate"] > 0
    assert above["metrics"]["answered_rate"] == 0
    assert "| 1.01 | " in op.table("seed", "dev", "min_coverage", points)


def test_askable_drops_questions_whose_evidence_is_not_indexed(bot):
    indexed = next(iter(bot.index.passages.values())).doc_id
    kept = {"id": "a", "gold": [{"doc_id": indexed, "span": "x"}]}
    gone = {"id": "b", "gold": [{"doc_id": "not-in-this-index", "span": "x"}]}
    unanswerable = {"id": "c", "gold": []}
    assert [q["id"] for q in op.askable(bot, [kept, gone, unanswerable])] == ["a", "c"]
