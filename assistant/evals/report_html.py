"""The self-contained HTML report of an evaluation result: tables, inline SVG charts (no plotting
dependency) and every failure. Markdown and JSON are in `report.py`."""

from __future__ import annotations

import html

from .groups import SHORT
from .pipeline import DESCRIPTIONS, QUALITY
from .report import PALETTE, _header_lines, _systems, checker_row, fmt, system_table, type_table


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def bar_chart(
    categories: list[str],
    series: list[tuple[str, list]],
    title: str,
    vmax: float | None = 1.0,
    value_fmt: str = "{:.2f}",
    width: int = 760,
    height: int = 280,
    y_label: str = "",
) -> str:
    """Grouped vertical bars; a None value draws a small "n/a"."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = vmax if vmax is not None else (max(values) if values else 1.0)
    top = top or 1.0
    left, right, top_pad, bottom = 48, 12, 44, 70
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    n_cat, n_ser = max(1, len(categories)), max(1, len(series))
    group_w = plot_w / n_cat
    bar_w = max(2.0, min(28.0, group_w * 0.8 / n_ser))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_esc(title)}" font-family="sans-serif" font-size="11">',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{_esc(title)}</text>',
    ]
    # legend
    x = left
    for i, (name, _) in enumerate(series):
        out.append(
            f'<rect x="{x}" y="24" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="33">{_esc(name)}</text>'
        )
        x += 24 + 7 * len(str(name))
    # axis and grid
    for k in range(5):
        v = top * k / 4
        y = top_pad + plot_h - plot_h * k / 4
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{_esc(value_fmt.format(v))}</text>'
        )
    if y_label:
        out.append(
            f'<text x="12" y="{top_pad + plot_h / 2:.0f}" transform="rotate(-90 12 {top_pad + plot_h / 2:.0f})" '
            f'text-anchor="middle">{_esc(y_label)}</text>'
        )
    for c, cat in enumerate(categories):
        gx = left + c * group_w + (group_w - bar_w * n_ser) / 2
        for s, (name, vs) in enumerate(series):
            v = vs[c] if c < len(vs) else None
            bx = gx + s * bar_w
            if v is None:
                out.append(
                    f'<text x="{bx + bar_w / 2:.1f}" y="{top_pad + plot_h - 3}" font-size="8" fill="#999" '
                    f'text-anchor="middle">n/a</text>'
                )
                continue
            h = plot_h * min(max(v, 0.0), top) / top
            out.append(
                f'<rect x="{bx:.1f}" y="{top_pad + plot_h - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{_esc(name)} · {_esc(cat)}: '
                f"{_esc(value_fmt.format(v))}</title></rect>"
            )
        lx = left + c * group_w + group_w / 2
        ly = top_pad + plot_h + 12
        out.append(f'<text x="{lx:.1f}" y="{ly}" text-anchor="end" transform="rotate(-30 {lx:.1f} {ly})">{_esc(cat)}</text>')
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" stroke="#333"/>')
    out.append("</svg>")
    return "".join(out)


def histogram(values: list[float], title: str, bins: int = 12, unit_scale: float = 1000.0, unit: str = "ms") -> str:
    vals = [v * unit_scale for v in values if v is not None]
    if not vals:
        return bar_chart([], [], title)
    hi = max(vals) or 1.0
    width = hi / bins
    counts = [0] * bins
    for v in vals:
        counts[min(bins - 1, int(v / width))] += 1
    cats = [f"{i * width:.0f}–{(i + 1) * width:.0f}" for i in range(bins)]
    return bar_chart(
        cats, [(f"questions per {unit} bin", counts)], title, vmax=max(counts), value_fmt="{:.0f}", y_label="questions"
    )


# ---- HTML ---------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0 1.2em}th,td{border:1px solid #ccc;padding:3px 7px;font-size:13px}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
.fail{border-left:4px solid #c0392b;padding:.3em .8em;margin:.8em 0;background:#fcf7f6}
.answer{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:.4em;font-size:13px}
.passage{white-space:pre-wrap;font-size:12px;color:#444}.bad{color:#c0392b;font-weight:bold}.ok{color:#2e8b57}
code{background:#f3f3f3;padding:0 3px}.muted{color:#777;font-size:12px}
"""


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["<table><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in header) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f'<td class="{"" if i == 0 else "num"}">{_esc(c)}</td>' for i, c in enumerate(r)) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _failure_html(r: dict) -> str:
    parts = [
        f'<div class="fail"><b>{_esc(r["id"])}</b> <span class="muted">({_esc(r["type"])}, {_esc(r["split"])})</span> '
        f"{_esc(r['question'])}"
    ]
    if r.get("history"):
        hist = " / ".join(f"{h.get('role')}: {h.get('content')}" for h in r["history"])
        parts.append(f'<div class="muted">history: {_esc(hist)}</div>')
    parts.append("<ul>" + "".join(f'<li class="bad">{_esc(x)}</li>' for x in r["failures"]) + "</ul>")
    expected = " · ".join(r["facts"]) if r["answerable"] else "a refusal (unanswerable)"
    parts.append(f"<div><b>expected:</b> {_esc(expected)}</div>")
    if r["answerable"]:
        gold = "; ".join(f"{g.get('doc_id')}: “{g.get('span')}”" for g in r["gold"])
        rank = r["gold_rank"] if r["gold_rank"] else "not in top 10"
        parts.append(f'<div class="muted">gold: {_esc(gold)} — first gold passage at rank {_esc(rank)}</div>')
    got = r["answer"] if r["answered"] else (r["answer"] or "") + ("  [refused]" if not r.get("error") else "")
    parts.append(f'<div><b>got:</b></div><div class="answer">{_esc(got or "(no answer)")}</div>')
    if r.get("unsupported"):
        parts.append(
            "<div><b>unsupported sentences:</b><ul>"
            + "".join(
                f'<li>{_esc(u["sentence"])} <span class="muted">{_esc("; ".join(u["reasons"]))}</span></li>'
                for u in r["unsupported"]
            )
            + "</ul></div>"
        )
    if r["citations"]:
        parts.append(
            "<div><b>citations:</b><ul>"
            + "".join(
                f"<li>[{c['n']}] {_esc(c['title'])} ({_esc(c.get('date') or '')}) <code>{_esc(c['passage_id'])}</code>"
                f'<details><summary>passage</summary><div class="passage">{_esc(c["text"])}</div></details></li>'
                for c in r["citations"]
            )
            + "</ul></div>"
        )
    parts.append("</div>")
    return "".join(parts)


def html_report(result: dict, gate: dict | None = None) -> str:
    systems = _systems(result)
    full = result["systems"].get("full") or systems[0][1]
    body = ["<h1>Evaluation: Raadsassistent Jeugd</h1>"]
    body += [f'<p class="muted">{_esc(line.replace("`", ""))}</p>' for line in _header_lines(result)]
    if gate is not None:
        cls = "ok" if gate["passed"] else "bad"
        body.append(f'<h2>CI gate: <span class="{cls}">{"PASSED" if gate["passed"] else "FAILED"}</span></h2>')
        body.append(
            _html_table(
                ["metric", "value", "threshold", ""],
                [
                    [
                        c["metric"],
                        fmt(c["value"], c["metric"]),
                        ("≤ " if c["direction"] == "max" else "≥ ") + fmt(c["threshold"], c["metric"]),
                        "ok" if c["ok"] else "FAIL",
                    ]
                    for c in gate["checks"]
                ],
            )
        )
    body.append("<h2>Metrics per system</h2>")
    body.append(_html_table(*system_table(result)))
    body.append('<p class="muted">' + "<br>".join(f"<b>{_esc(k)}</b>: {_esc(v)}" for k, v in DESCRIPTIONS.items()) + "</p>")
    if len(systems) > 1:
        body.append(
            bar_chart(
                [SHORT.get(m, m) for m in QUALITY],
                [(s["label"], [s["summary"].get(m) for m in QUALITY]) for _, s in systems],
                "Baseline comparison (quality metrics)",
                width=1000,
            )
        )
    body.append(f"<h2>Per question type: {_esc(full['label'])}</h2>")
    body.append(_html_table(*type_table(full)))
    types = list(full["by_type"])
    chart_metrics = ["recall@5", "fact_accuracy", "answered_rate", "refusal_accuracy", "gold_cited_rate", "faithfulness"]
    body.append(
        bar_chart(
            types,
            [(SHORT.get(m, m), [full["by_type"][t]["metrics"].get(m) for t in types]) for m in chart_metrics],
            f"{full['label']}: metrics per question type",
            width=1000,
        )
    )
    if len(systems) > 1:
        body.append(
            bar_chart(
                types,
                [
                    (s["label"], [s["by_type"].get(t, {}).get("metrics", {}).get("fact_accuracy") for t in types])
                    for _, s in systems
                ],
                "Fact accuracy per question type and system",
                width=1000,
            )
        )
        for name, s in systems[1:]:
            body.append(
                f"<details><summary>Per question type: {_esc(s['label'])}</summary>{_html_table(*type_table(s))}</details>"
            )
    body.append("<h2>Latency</h2>")
    lat_rows = [[s["label"]] + [fmt(s["latency"][k], "_s") for k in ("mean", "p50", "p90", "p95", "max")] for _, s in systems]
    body.append(_html_table(["system", "mean s", "p50 s", "p90 s", "p95 s", "max s"], lat_rows))
    body.append(
        f"<p>Assistant.load: {fmt(result.get('load_s'), 'load_s')} s"
        + "".join(
            f" · {_esc(s['label'])} index build: {fmt(s['build_s'], '_s')} s" for _, s in systems if s.get("build_s") is not None
        )
        + "</p>"
    )
    full_lat = [
        r["latency_s"] for r in result["rows"] if r["system"] == (systems[0][0] if "full" not in result["systems"] else "full")
    ]
    body.append(histogram(full_lat, f"{full['label']}: latency distribution (ms per question)"))
    if len(systems) > 1:
        body.append(
            bar_chart(
                [s["label"] for _, s in systems],
                [
                    ("p50 ms", [1000 * (s["latency"]["p50"] or 0) for _, s in systems]),
                    ("p95 ms", [1000 * (s["latency"]["p95"] or 0) for _, s in systems]),
                ],
                "Latency per system (ms)",
                vmax=None,
                value_fmt="{:.0f}",
            )
        )
    cv = result.get("checker_validation")
    body.append("<h2>Faithfulness checker validation</h2>")
    if not cv or cv.get("error"):
        body.append(f"<p>unavailable: {_esc((cv or {}).get('error', 'not run'))}</p>")
    else:
        body.append(_html_table(["pairs", "precision", "recall", "F1", "accuracy", "tp", "fp", "tn", "fn"], [checker_row(cv)]))
    for name, s in systems:
        rows = [r for r in result["rows"] if r["system"] == name and r["failures"]]
        title = f"Failures: {s['label']} ({len(rows)} of {s['latency']['n']} questions)"
        inner = "".join(_failure_html(r) for r in rows) or "<p>none</p>"
        if name == "full":
            body.append(f"<h2>{_esc(title)}</h2>{inner}")
        else:
            body.append(f"<details><summary><b>{_esc(title)}</b></summary>{inner}</details>")
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Evaluatie Raadsassistent Jeugd</title>'
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )


# ---- JSON ---------------------------------------------------------------------------------------
