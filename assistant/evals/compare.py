"""Two evaluation runs compared question by question: did a change help, and is it more than noise?

    assistant eval --compare BASE.json NEW.json [--md out.md] [--json out.json]

Both files are reports of `assistant eval --json` over the same questions (a question in only one run is left
out and counted). Per corpus and split, for each per-question metric that is 0 or 1 (kind, facts, answered, no
answer, not found, first sentence, gold cited): the count in each run with its 95 % Wilson interval, the questions
gained and lost, and an exact two-sided sign test over the questions that changed — with 136 answerable questions
one question moves a rate by 0.007, and a gain of one question is never evidence. Last, the project's keep rule
(evals/README): some dev count rises, no dev count falls, and no test count of either corpus falls.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

# (per-question metric of `pipeline.score_question`, its name in the table): each is 1, 0 or undefined (None).
PAIRED = [
    ("kind_accuracy", "kind"),
    ("fact_accuracy", "facts"),
    ("answered_rate", "answered"),
    ("refusal_accuracy", "no answer"),
    ("not_found_accuracy", "not found"),
    ("first_sentence_fact", "first sentence"),
    ("gold_cited_rate", "gold cited"),
]
SHOWN_IDS = 8  # question ids listed per gained / lost cell


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """95 % Wilson score interval of k successes in n (None for n = 0): honest at 0 and n, unlike k/n ± 2 SE."""
    if n == 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def sign_test(gained: int, lost: int) -> float | None:
    """Exact two-sided p of a split at least this uneven among the changed questions if each change were a coin
    flip (None when nothing changed)."""
    n = gained + lost
    if n == 0:
        return None
    tail = sum(math.comb(n, i) for i in range(min(gained, lost) + 1)) / 2**n
    return min(1.0, 2 * tail)


def full_rows(report: dict) -> dict[str, dict]:
    """The full pipeline's rows of a report, by question id (baseline systems are not compared)."""
    return {r["id"]: r for r in report.get("rows", []) if r.get("system", "full") == "full"}


def compare(base: dict, new: dict) -> dict:
    """Per (corpus, split): every paired metric's counts, gained and lost question ids and sign test; plus the
    number of answers whose text changed, and the keep rule's verdict."""
    a, b = full_rows(base), full_rows(new)
    common = sorted(a.keys() & b.keys())
    groups: dict[str, dict] = {}
    for qid in common:
        ra, rb = a[qid], b[qid]
        g = groups.setdefault(f"{ra.get('corpus', 'seed')} {ra.get('split')}", {"questions": 0, "answers_changed": 0})
        g["questions"] += 1
        g["answers_changed"] += (ra.get("answer") or "") != (rb.get("answer") or "")
        for key, _ in PAIRED:
            va, vb = ra.get("metrics", {}).get(key), rb.get("metrics", {}).get(key)
            if va is None and vb is None:
                continue
            # A metric defined only for some answers (first sentence, gold cited) keeps each run's own denominator.
            m = g.setdefault(key, {"n_base": 0, "n_new": 0, "base": 0, "new": 0, "gained": [], "lost": []})
            m["n_base"] += va is not None
            m["n_new"] += vb is not None
            m["base"] += int(bool(va))
            m["new"] += int(bool(vb))
            if bool(vb) and not bool(va):
                m["gained"].append(qid)
            elif bool(va) and not bool(vb):
                m["lost"].append(qid)
    for g in groups.values():
        for key, _ in PAIRED:
            if key in g:
                g[key]["p"] = sign_test(len(g[key]["gained"]), len(g[key]["lost"]))
    return {
        "questions": len(common),
        "only_base": len(a.keys() - b.keys()),
        "only_new": len(b.keys() - a.keys()),
        "groups": dict(sorted(groups.items())),
        "keep": keep_rule(groups),
    }


def keep_rule(groups: dict[str, dict]) -> dict:
    """Some dev count up, no dev count down, no test count down (any corpus): the rule every kept change passed."""
    up, down = [], []
    for name, g in groups.items():
        split = name.rsplit(" ", 1)[-1]
        for key, label in PAIRED:
            if key not in g:
                continue
            delta = g[key]["new"] - g[key]["base"]
            if delta > 0 and split == "dev":
                up.append(f"{name} {label} +{delta}")
            elif delta < 0 and split in ("dev", "test"):
                down.append(f"{name} {label} {delta}")
    return {"keep": bool(up) and not down, "up": up, "down": down}


def _cell(k: int, n: int) -> str:
    interval = wilson(k, n)
    return f"{k}/{n} ({interval[0]:.2f}–{interval[1]:.2f})" if interval else "–"


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" +{len(ids) - SHOWN_IDS}" if len(ids) > SHOWN_IDS else "") if ids else "–"


def markdown(result: dict) -> str:
    lines = [
        f"# Comparison: {result['questions']} questions in both runs"
        + (
            f" ({result['only_base']} only in the base, {result['only_new']} only in the new run, left out)"
            if result["only_base"] or result["only_new"]
            else ""
        ),
        "",
    ]
    for name, g in result["groups"].items():
        lines += [
            f"## {name}: {g['questions']} questions, {g['answers_changed']} answer{'' if g['answers_changed'] == 1 else 's'} changed",
            "",
            "| metric | base | new | gained | lost | sign test p |",
            "|---|---|---|---|---|---|",
        ]
        for key, label in PAIRED:
            if key in g:
                m = g[key]
                p = "–" if m["p"] is None else f"{m['p']:.3f}"
                lines.append(
                    f"| {label} | {_cell(m['base'], m['n_base'])} | {_cell(m['new'], m['n_new'])} | {_ids(m['gained'])} | {_ids(m['lost'])} | {p} |"
                )
        lines.append("")
    k = result["keep"]
    verdict = "keep" if k["keep"] else "do not keep"
    lines.append(
        f"**Keep rule: {verdict}.** Up on dev: {', '.join(k['up']) or 'nothing'}. Down: {', '.join(k['down']) or 'nothing'}."
    )
    return "\n".join(lines) + "\n"


def run(base_path: str, new_path: str, md_out: str | None = None, json_out: str | None = None) -> int:
    """`assistant eval --compare BASE NEW`: print the comparison (exit 0), 2 when a file cannot be read."""
    try:
        base, new = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (base_path, new_path))
    except (OSError, ValueError) as exc:
        print(f"Kan de rapporten niet lezen (cannot read the reports): {exc}")
        return 2
    if not all(isinstance(r, dict) and isinstance(r.get("rows"), list) for r in (base, new)):
        print("Geen evaluatierapport (not an evaluation report): use the files of `assistant eval --json`.")
        return 2
    result = compare(base, new)
    text = markdown(result)
    print(text)
    if md_out:
        Path(md_out).write_text(text, encoding="utf-8")
    if json_out:
        Path(json_out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0
