"""Run systems over questions, score every answer, aggregate.

    questions = load_questions(split="test")
    result = evaluate(bot, questions, make_systems(bot, baselines=True))

`score_question` turns one (question, system output) into a row of per-question metrics
(`assistant.evals.metrics`); `summarize` averages rows over the questions where each metric is defined.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import EVALS_DIR, QUESTIONS, SUPPORT_PAIRS
from . import metrics as M
from .systems import Output

# Quality metrics (higher is better), in report order.
QUALITY = [
    "recall@1",
    "recall@5",
    "recall@10",
    "mrr@10",
    "ndcg@10",
    "gold_coverage@10",
    "fact_accuracy",
    "answered_rate",
    "refusal_accuracy",
    "kind_accuracy",
    "not_found_accuracy",
    "not_found_precision",
    "partial_accuracy",
    "first_sentence_fact",
    "gold_cited_rate",
    "citation_precision",
    "faithfulness",
]
# Cost metrics (lower is better).
COST = ["errors", "latency_p50_s", "latency_p95_s", "load_s"]
LOWER_IS_BETTER = frozenset(COST)
DESCRIPTIONS = {
    "recall@1": "a passage containing a gold span is ranked first (answerable questions)",
    "recall@5": "... among the first 5",
    "recall@10": "... among the first 10",
    "mrr@10": "reciprocal rank of the first gold passage (0 if not in the top 10)",
    "ndcg@10": "binary nDCG; ideal = min(#passages containing a gold span, 10)",
    "gold_coverage@10": "share of a question's gold spans found in the top 10",
    "fact_accuracy": "answered and every fact (some variant) in the answer",
    "answered_rate": "answerable questions that got an answer",
    "kind_accuracy": "response kind (answer / partial / not_found) equals the question's expected kind",
    "not_found_accuracy": "questions expecting not_found that got not_found",
    "not_found_precision": "not_found responses to questions expecting not_found (a false 'niets' counts against)",
    "partial_accuracy": "questions expecting partial that got partial",
    "first_sentence_fact": "answered answerable questions whose first cited sentence holds a fact",
    "refusal_accuracy": "unanswerable questions that were refused",
    "gold_cited_rate": "answered answerable questions citing a passage with a gold span",
    "citation_precision": "citations whose sentences are all supported by that passage (verify.check)",
    "faithfulness": "answer sentences supported by the passages they cite (verify.check_answer)",
    "errors": "questions on which the system raised an exception (scored as no answer)",
    "latency_p50_s": "median seconds per question",
    "latency_p95_s": "95th percentile seconds per question",
    "load_s": "seconds for Assistant.load",
}


def load_questions(path: str | Path = QUESTIONS, split: str = "all", corpus: str = "seed") -> list[dict]:
    """Rows of one split and one corpus: "seed" (corpus/, rows without the field) or "realdocs"
    (../shared/realdocs, needs an index of those files)."""
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                q = json.loads(line)
                if (split == "all" or q.get("split") == split) and q.get("corpus", "seed") == corpus:
                    items.append(q)
    return items


# ---- the faithfulness checker (assistant.verify), imported lazily -------------------------------


class Verifier:
    """`assistant.verify` if it imports; else `error` says why and the checker metrics are None."""

    def __init__(self):
        self.module = None
        self.error = ""
        try:
            from assistant import verify

            for name in ("check", "check_answer", "faithfulness"):
                if not callable(getattr(verify, name, None)):
                    raise ImportError(f"assistant.verify has no {name}()")
            self.module = verify
        except Exception as exc:  # a missing or half-written module must not stop the evaluation
            self.error = f"{type(exc).__name__}: {exc}"

    @property
    def available(self) -> bool:
        return self.module is not None

    def check_answer(self, answer: str, passages: dict[int, str]):
        return self.module.check_answer(answer, passages, allow_prefix=allow_framing)


def allow_framing(text: str) -> bool:
    """The fixed framing lines of the extractive answer ("Volgens <titel>:", the partial and
    not-found sentences) carry no citation; everything else must."""
    from ..answer.render import is_framing

    return M.allow_volgens_prefix(text) or is_framing(text)


def _developer_script(name: str):
    """A script of `evals/` loaded from its file: the checker-validation script belongs beside its
    hand-labelled data (and its authors), not inside the package, and evals/ is not a package."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"evals_{name}", EVALS_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checker_validation(pairs_path: Path = SUPPORT_PAIRS) -> dict:
    """Precision/recall of the checker on the hand-labelled pairs (evals/validate_checker.py)."""
    try:
        validate_checker = _developer_script("validate_checker")
        pairs = validate_checker.load_pairs(pairs_path)
        result = validate_checker.evaluate(pairs)
        return {k: result.get(k) for k in ("n", "precision", "recall", "f1", "accuracy", "confusion", "per_kind", "errors")}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


# ---- one question -------------------------------------------------------------------------------


def score_question(q: dict, out, system, verifier: Verifier | None) -> dict:
    """Per-question row: the system's output plus every metric (None where undefined)."""
    answerable = bool(q.get("answerable"))
    gold = q.get("gold") or []
    facts = q.get("facts") or []
    ranked_texts = [t for _, t in out.ranked]
    m: dict[str, float | None] = M.retrieval_metrics(answerable, gold, ranked_texts, system.pool)
    m["fact_accuracy"] = M.fact_accuracy(answerable, out.answered, facts, out.answer)
    m["answered_rate"] = M.answered_rate(answerable, out.answered)
    m["refusal_accuracy"] = M.refusal_accuracy(answerable, out.answered)
    expected, kind = M.expected_kind(q), M.output_kind(out.kind, out.answered)
    m["kind_accuracy"] = M.kind_accuracy(expected, kind)
    m["not_found_accuracy"] = M.kind_recall("not_found", expected, kind)
    m["not_found_precision"] = M.kind_precision("not_found", expected, kind)
    m["partial_accuracy"] = M.kind_recall("partial", expected, kind)
    m["first_sentence_fact"] = (
        M.first_sentence_fact(answerable, out.answered, facts, out.answer, allow_framing) if out.citations is not None else None
    )
    cited_texts = None if out.citations is None else [c["text"] for c in out.citations]
    m["gold_cited_rate"] = M.gold_cited(answerable, out.answered, cited_texts, gold)

    unsupported: list[dict] = []
    checks = None
    # Partial answers quote passages too: they are checked like answers.
    shown = bool(out.answered or out.citations)
    if out.citations is not None and shown and verifier is not None and verifier.available:
        passages = {c["n"]: c["text"] for c in out.citations}
        checks = verifier.check_answer(out.answer, passages)
        m["faithfulness"] = M.faithfulness(shown, checks, verifier.module.faithfulness)
        m["citation_precision"] = M.citation_precision(passages, checks, verifier.module.check)
        unsupported = [
            {"sentence": c.sentence, "citations": list(c.citations), "reasons": list(c.support.reasons)}
            for c in checks
            if c.is_claim and not c.support.supported
        ]
    else:
        m["faithfulness"] = None
        m["citation_precision"] = None

    spans = M.gold_spans(gold)
    rels = M.relevance(ranked_texts, spans) if answerable and spans else []
    gold_rank = next((i + 1 for i, r in enumerate(rels) if r), None)
    missing = M.missing_facts(facts, out.answer) if answerable else []
    row = {
        "id": q.get("id"),
        "type": q.get("type"),
        "split": q.get("split"),
        "corpus": q.get("corpus", "seed"),
        "group": group_of(q),
        "system": system.name,
        "question": q.get("question"),
        "history": q.get("history"),
        "answerable": answerable,
        "facts": facts,
        "gold": gold,
        "answer": out.answer,
        "answered": out.answered,
        "kind": kind,
        "expected_kind": expected,
        "interpreted_as": out.interpreted_as,
        "citations": [
            {k: c.get(k) for k in ("n", "passage_id", "doc_id", "title", "date", "page", "section_title", "text")}
            for c in (out.citations or [])
        ],
        "retrieved": [i for i, _ in out.ranked],
        "gold_rank": gold_rank,
        "missing_facts": missing if out.answered else facts,
        "unsupported": unsupported,
        "latency_s": out.seconds,
        "search_query": out.search_query,
        "notice": out.notice,
        "mode": out.mode,
        "error": out.error,
        "metrics": m,
    }
    row["failures"] = failure_reasons(row)
    return row


def failure_reasons(row: dict) -> list[str]:
    """Why an answer is wrong (empty list = no failure). Retrieval alone is not a failure."""
    m = row["metrics"]
    reasons = [f"error: {row['error']}"] if row.get("error") else []
    if row.get("expected_kind") and row.get("kind") and row["kind"] != row["expected_kind"]:
        reasons.append(f"kind {row['kind']}, expected {row['expected_kind']}")
    if row["answerable"]:
        if not row["answered"]:
            reasons.append("refused an answerable question")
        elif m.get("fact_accuracy") == 0.0:
            reasons.append("missing fact(s): " + "; ".join(row["missing_facts"]))
        if m.get("gold_cited_rate") == 0.0:
            reasons.append("no cited passage contains a gold span")
    elif row["answered"] and not row.get("expected_kind"):
        reasons.append("answered an unanswerable question")
    if row["unsupported"]:
        reasons.append(f"{len(row['unsupported'])} unsupported sentence(s)")
    if m.get("citation_precision") is not None and m["citation_precision"] < 1.0:
        reasons.append("imprecise citation(s)")
    return reasons


# ---- aggregation --------------------------------------------------------------------------------


def summarize(rows: Sequence[dict], load_seconds: float | None = None) -> dict:
    """{"metrics": {name: value|None}, "n": {name: questions where defined}} incl. latency."""
    values: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    for name in QUALITY:
        values[name], counts[name] = M.mean_defined(r["metrics"].get(name) for r in rows)
    values["errors"] = float(sum(bool(r.get("error")) for r in rows))
    counts["errors"] = len(rows)
    lat = [r["latency_s"] for r in rows]
    values["latency_p50_s"] = M.percentile(lat, 50)
    values["latency_p95_s"] = M.percentile(lat, 95)
    counts["latency_p50_s"] = counts["latency_p95_s"] = len(lat)
    values["load_s"] = load_seconds
    counts["load_s"] = 1 if load_seconds is not None else 0
    confusion = M.kind_confusion((r.get("expected_kind"), r.get("kind", "")) for r in rows)
    return {"metrics": values, "n": counts, "questions": len(rows), "kind_confusion": confusion}


def group_of(q: dict) -> str:
    """Report group of a question: "realdocs" for the real-document corpus, else its split."""
    return "realdocs" if q.get("corpus") == "realdocs" else str(q.get("split") or "")


def latency_stats(rows: Sequence[dict]) -> dict:
    lat = [r["latency_s"] for r in rows]
    return {
        "n": len(lat),
        "mean": sum(lat) / len(lat) if lat else None,
        "p50": M.percentile(lat, 50),
        "p90": M.percentile(lat, 90),
        "p95": M.percentile(lat, 95),
        "max": max(lat) if lat else None,
    }


def evaluate(
    bot,
    questions: Sequence[dict],
    systems: Sequence,
    load_seconds: float | None = None,
    verifier: Verifier | None = None,
    progress: Callable[[str], None] | None = None,
    validate: bool = True,
) -> dict:
    """Every system on every question; returns all numbers and rows (JSON-serialisable)."""
    started = time.perf_counter()
    verifier = verifier or Verifier()
    result: dict[str, Any] = {
        "meta": {
            "questions": len(questions),
            "answerable": sum(bool(q.get("answerable")) for q in questions),
            "splits": sorted({q.get("split") for q in questions}),
            "types": sorted({q.get("type") for q in questions}),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "index_build": getattr(getattr(bot, "index", None), "manifest", {}).get("build_id", ""),
            "embedder": getattr(getattr(bot, "embedder", None), "name", ""),
            "passages": len(getattr(getattr(bot, "index", None), "passages", {}) or {}),
            "checker": "assistant.verify" if verifier.available else f"unavailable ({verifier.error})",
        },
        "load_s": load_seconds,
        "systems": {},
        "rows": [],
    }
    for system in systems:
        t0 = time.perf_counter()
        rows = []
        for i, q in enumerate(questions):
            t1 = time.perf_counter()
            try:
                out = system.run(q["question"], q.get("history"))
            except Exception as exc:  # scored as "no answer"; listed as an error
                out = Output(
                    "", False, [] if system.cites else None, [], time.perf_counter() - t1, error=f"{type(exc).__name__}: {exc}"
                )
            rows.append(score_question(q, out, system, verifier))
            if progress and (i + 1) % 25 == 0:
                progress(f"{system.name}: {i + 1}/{len(questions)}")
        summary = summarize(rows, load_seconds if system.name == "full" else None)
        by_type = {}
        for t in sorted({r["type"] for r in rows}):
            sub = [r for r in rows if r["type"] == t]
            s = summarize(sub)
            by_type[t] = {"questions": len(sub), "metrics": s["metrics"], "n": s["n"]}
        by_group = {}
        for g in sorted({r["group"] for r in rows}):
            sub = [r for r in rows if r["group"] == g]
            s = summarize(sub)
            by_group[g] = {"questions": len(sub), "metrics": s["metrics"], "n": s["n"], "kind_confusion": s["kind_confusion"]}
        result["systems"][system.name] = {
            "label": system.label,
            "cites": system.cites,
            "build_s": system.build_seconds,
            "seconds": time.perf_counter() - t0,
            "summary": summary["metrics"],
            "n": summary["n"],
            "by_type": by_type,
            "by_group": by_group,
            "kind_confusion": summary["kind_confusion"],
            "latency": latency_stats(rows),
            "failures": sum(bool(r["failures"]) for r in rows),
        }
        result["rows"] += rows
        if progress:
            progress(f"{system.name}: done in {time.perf_counter() - t0:.1f} s")
    full = result["systems"].get("full", {}).get("summary", {})
    for name, s in result["systems"].items():
        s["ratios"] = {k: M.ratio(v, full.get(k)) for k, v in s["summary"].items()}
    result["checker_validation"] = checker_validation() if validate else None
    result["meta"]["seconds"] = time.perf_counter() - started
    return result


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
