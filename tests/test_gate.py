"""The CI gate on the test split, in-process with the session `bot` (seed index), and proof that it
can fail: a degraded system (an answerer that refuses everything, a retriever returning its ranking
reversed) must not pass."""

from __future__ import annotations

import copy
import time
from dataclasses import replace

import pytest

from assistant.evals.run import run_eval


@pytest.fixture(scope="module")
def load_seconds(seed_settings):
    """Assistant.load time (gated as load_s), measured on the seed index."""
    from assistant import Assistant

    t0 = time.perf_counter()
    Assistant.load(seed_settings)
    return time.perf_counter() - t0


def _failed(gate: dict) -> set[str]:
    return {f.split(":")[0] for f in gate["failures"]}


def test_gate_passes_on_the_test_split(bot, load_seconds):
    t0 = time.perf_counter()
    out = run_eval(bot, split="test", gate=True, load_seconds=load_seconds)
    seconds = time.perf_counter() - t0
    gate = out["gate"]
    assert out["result"]["meta"]["questions"] >= 60
    assert gate["passed"], "gate failed:\n" + "\n".join(gate["failures"]) + "\n\n" + out["markdown"]
    assert seconds < 120, f"the gate took {seconds:.0f} s"


def test_gate_fails_when_the_answerer_refuses_everything(bot, load_seconds):
    from assistant.answer import Answerer

    degraded = copy.copy(bot)
    degraded.answerer = Answerer(
        list(bot.index.passages.values()), replace(bot.answerer.config, min_coverage=1.01, min_subject=1.01)
    )
    gate = run_eval(degraded, split="test", gate=True, load_seconds=load_seconds, validate=False)["gate"]
    assert not gate["passed"]
    assert {"fact_accuracy", "answered_rate", "gold_cited_rate", "faithfulness"} <= _failed(gate)
    assert "refusal_accuracy" not in _failed(gate)  # refusing everything is right for unanswerable questions


class _Reversed:
    """A retriever that returns its ranking upside down."""

    def __init__(self, inner):
        self.inner = inner
        self.config = inner.config

    def search(self, query, k=10, filters=None):
        return list(reversed(self.inner.search(query, k=k, filters=filters)))

    def with_config(self, **changes):
        return _Reversed(self.inner.with_config(**changes))


def test_gate_fails_when_retrieval_is_reversed(bot, load_seconds):
    degraded = copy.copy(bot)
    degraded.retriever = _Reversed(bot.retriever)
    gate = run_eval(degraded, split="test", gate=True, load_seconds=load_seconds, validate=False)["gate"]
    assert not gate["passed"]
    assert {"recall@1", "mrr@10", "ndcg@10", "fact_accuracy"} <= _failed(gate)


@pytest.mark.slow
def test_realdocs_gate_on_the_small_realdocs_index(bot, load_seconds, realdocs_gate):
    """The realdocs questions on an index of ../shared/realdocs without its documents over 100 pages."""
    from assistant import Assistant

    settings, left_out = realdocs_gate
    assert left_out, "the gate index leaves out the long minutes"
    out = run_eval(
        bot,
        split="test",
        gate=True,
        validate=False,
        load_seconds=load_seconds,
        realdocs_bot=Assistant.load(settings),
        realdocs_left_out=left_out,
    )
    realdocs = [c for c in out["gate"]["checks"] if c["metric"].startswith("realdocs:")]
    assert realdocs and out["result"]["systems"]["full"]["by_group"]["realdocs"]["questions"] >= 30
    assert out["gate"]["passed"], "gate failed:\n" + "\n".join(out["gate"]["failures"])
