"""Reports of an evaluation result (`assistant.evals.pipeline.evaluate`): Markdown and JSON (the HTML
report is `report_html.py`; `html_report` is re-exported here lazily for the callers)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from .groups import SHORT, group_lines
from .groups import md_table as _md_table
from .pipeline import COST, LOWER_IS_BETTER, QUALITY

TYPE_COLUMNS = [
    "recall@5",
    "mrr@10",
    "ndcg@10",
    "fact_accuracy",
    "answered_rate",
    "refusal_accuracy",
    "gold_cited_rate",
    "citation_precision",
    "faithfulness",
    "latency_p50_s",
]
PALETTE = ["#1b6ca8", "#e07b00", "#2e8b57", "#c0392b", "#7d5ba6", "#8c564b", "#d35fb7", "#7f7f7f"]


def fmt(value, metric: str = "") -> str:
    if value is None:
        return "n/a"
    if metric == "errors":
        return str(int(value))
    if metric.endswith("_s"):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return f"{value:.3f}"


def fmt_ratio(value) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _systems(result: dict) -> list[tuple[str, dict]]:
    return list(result["systems"].items())


def _header_lines(result: dict) -> list[str]:
    m = result["meta"]
    n, a = m["questions"], m["answerable"]
    return [
        f"split: {', '.join(m['splits'])} · {n} questions ({a} answerable, {n - a} unanswerable) · "
        f"{m['passages']} passages · index build `{m['index_build']}` · embedder `{m['embedder']}`",
        f"faithfulness checker: {m['checker']} · run {m['started']} · {m.get('seconds', 0):.1f} s",
    ]


# ---- Markdown -----------------------------------------------------------------------------------


def system_table(result: dict) -> tuple[list[str], list[list[str]]]:
    systems = _systems(result)
    full_n = result["systems"].get("full", {}).get("n", {})
    header = ["metric"]
    for name, s in systems:
        header.append(s["label"])
        if name != "full":
            header.append("× full")
    rows = []
    for metric in QUALITY + COST:
        n = full_n.get(metric)
        label = f"{metric} ↓" if metric in LOWER_IS_BETTER else metric
        if metric in QUALITY and n is not None:
            label += f" (n={n})"
        row = [label]
        for name, s in systems:
            cell = fmt(s["summary"].get(metric), metric)
            sn = s["n"].get(metric)
            if metric in QUALITY and s["summary"].get(metric) is not None and sn != n:
                cell += f" (n={sn})"
            row.append(cell)
            if name != "full":
                row.append(fmt_ratio(s["ratios"].get(metric)))
        rows.append(row)
    return header, rows


def type_table(system: dict) -> tuple[list[str], list[list[str]]]:
    header = ["type", "questions"] + [SHORT.get(c, c) for c in TYPE_COLUMNS]
    rows = []
    for t, d in system["by_type"].items():
        rows.append([t, str(d["questions"])] + [fmt(d["metrics"].get(c), c) for c in TYPE_COLUMNS])
    return header, rows


def cross_table(result: dict, metric: str) -> tuple[list[str], list[list[str]]]:
    systems = _systems(result)
    types = sorted({t for _, s in systems for t in s["by_type"]})
    header = ["type"] + [s["label"] for _, s in systems]
    rows = [[t] + [fmt(s["by_type"].get(t, {}).get("metrics", {}).get(metric), metric) for _, s in systems] for t in types]
    return header, rows


def markdown(result: dict, gate: dict | None = None) -> str:
    lines = ["# Evaluation: Raadsassistent Jeugd", ""]
    lines += [line + "  " for line in _header_lines(result)]
    errors = {name: int(s["summary"].get("errors") or 0) for name, s in _systems(result)}
    if any(errors.values()):
        lines += ["", "**Errors:** " + ", ".join(f"{n}: {e} question(s) raised an exception" for n, e in errors.items() if e)]
    lines += ["", "## Metrics per system", ""]
    lines += _md_table(*system_table(result))
    lines += [
        "",
        "n = questions where the metric is defined (retrieval and answer metrics: answerable questions "
        "whose gold span occurs in some passage of that system; refusal accuracy: unanswerable questions; "
        "faithfulness and citation precision: answered questions of a citing system). × full = ratio to the "
        "full pipeline; ↓ = lower is better. The llama-index baseline is scored on its own (larger) chunks "
        'and its "answer" is three whole chunks, so its fact accuracy is an upper bound of recall, not '
        "an answer quality comparable to the others; it never refuses and cites nothing.",
        "",
    ]
    full_name = "full" if "full" in result["systems"] else _systems(result)[0][0]
    full = result["systems"][full_name]
    lines += group_lines(full)
    lines += [f"## Per question type: {full['label']}", ""]
    lines += _md_table(*type_table(full))
    lines.append("")
    if len(result["systems"]) > 1:
        for metric in ("fact_accuracy", "recall@5", "mrr@10"):
            lines += [f"### {metric} per question type and system", ""]
            lines += _md_table(*cross_table(result, metric))
            lines.append("")
    lines += checker_lines(result.get("checker_validation"))
    lines += ["## Latency (seconds per question)", ""]
    header = ["system", "mean", "p50", "p90", "p95", "max", "index build"]
    rows = []
    for name, s in _systems(result):
        lat = s["latency"]
        rows.append(
            [s["label"]]
            + [fmt(lat[k], "_s") for k in ("mean", "p50", "p90", "p95", "max")]
            + [fmt(s.get("build_s"), "_s") if s.get("build_s") is not None else "shared index"]
        )
    lines += _md_table(header, rows)
    lines += ["", f"Assistant.load: {fmt(result.get('load_s'), 'load_s')} s", ""]
    if gate is not None:
        lines += gate_lines(gate)
    full_rows = [r for r in result["rows"] if r["system"] == "full" and r["failures"]]
    lines += [f"## Failures of the full pipeline ({len(full_rows)})", ""]
    for r in full_rows:
        lines.append(f"- **{r['id']}** ({r['type']}): {r['question']} — {'; '.join(r['failures'])}")
    if not full_rows:
        lines.append("none")
    lines.append("")
    return "\n".join(lines)


def checker_row(cv: dict) -> list[str]:
    """The faithfulness checker's validation figures as one table row (Markdown and HTML reports)."""
    c = cv.get("confusion") or {}
    return [str(cv.get("n")), *(fmt(cv.get(k)) for k in ("precision", "recall", "f1", "accuracy"))] + [
        str(c.get(k)) for k in ("tp", "fp", "tn", "fn")
    ]


def checker_lines(cv: dict | None) -> list[str]:
    lines = ["## Faithfulness checker validation (evals/support_pairs.jsonl)", ""]
    if cv is None:
        return lines + ["not run", ""]
    if cv.get("error"):
        return lines + [f"unavailable: {cv['error']}", ""]
    lines += _md_table(
        ["pairs", "precision (supported)", "recall (supported)", "F1", "accuracy", "tp", "fp", "tn", "fn"], [checker_row(cv)]
    )
    lines += ["", "Faithfulness and citation precision above are only as good as this checker.", ""]
    return lines


def gate_lines(gate: dict) -> list[str]:
    status = "PASSED" if gate["passed"] else "FAILED"
    lines = [f"## CI gate: {status} ({gate['system']}, split {gate['split']}, {gate['source']})", ""]
    rows = []
    for c in gate["checks"]:
        op = "≤" if c["direction"] == "max" else "≥"
        rows.append(
            [
                c["metric"],
                fmt(c["value"], c["metric"]),
                f"{op} {fmt(c['threshold'], c['metric'])}",
                "ok" if c["ok"] else "**BELOW THRESHOLD**" if c["direction"] == "min" else "**ABOVE LIMIT**",
            ]
        )
    lines += _md_table(["metric", "value", "threshold", ""], rows)
    lines.append("")
    return lines


# ---- SVG charts ---------------------------------------------------------------------------------


def _clean(obj):
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def json_report(result: dict, gate: dict | None = None) -> str:
    return json.dumps(_clean({**result, "gate": gate}), ensure_ascii=False, indent=1)


def write(path: str | Path, text: str) -> None:
    p = Path(path)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def html_report(result: dict, gate: dict | None = None) -> str:
    """The self-contained HTML report (see `report_html.py`)."""
    from .report_html import html_report as render

    return render(result, gate)
