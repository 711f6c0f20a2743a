"""Report tables per question group (seed dev / seed test / realdocs) and of the kind of response
(expected answer / partial / not_found against the kind given)."""

from __future__ import annotations

SHORT = {
    "gold_coverage@10": "gold cov@10",
    "fact_accuracy": "fact acc",
    "answered_rate": "answered",
    "refusal_accuracy": "refusal acc",
    "gold_cited_rate": "gold cited",
    "citation_precision": "cit. prec.",
    "faithfulness": "faithful",
    "latency_p50_s": "p50 s",
    "latency_p95_s": "p95 s",
    "kind_accuracy": "kind acc",
    "not_found_accuracy": "not-found acc",
    "not_found_precision": "not-found prec",
    "partial_accuracy": "partial acc",
    "first_sentence_fact": "1st sent. fact",
}


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    return out + ["| " + " | ".join(r) + " |" for r in rows]


GROUP_COLUMNS = [
    "fact_accuracy",
    "answered_rate",
    "refusal_accuracy",
    "kind_accuracy",
    "not_found_accuracy",
    "not_found_precision",
    "partial_accuracy",
    "first_sentence_fact",
    "citation_precision",
    "faithfulness",
    "recall@5",
]
KIND_NAMES = ("answer", "partial", "not_found")


def group_table(system: dict) -> tuple[list[str], list[list[str]]]:
    """Key metrics per question group: the dev and test splits of the seed corpus, and realdocs."""
    header = ["group", "questions"] + [SHORT.get(c, c) for c in GROUP_COLUMNS]
    rows = [
        [g, str(d["questions"])] + [_fmt(d["metrics"].get(c)) for c in GROUP_COLUMNS]
        for g, d in system.get("by_group", {}).items()
    ]
    return header, rows


def confusion_table(confusion: dict) -> tuple[list[str], list[list[str]]]:
    """Expected kind (rows) against the kind given (columns)."""
    header = ["expected \\ given"] + list(KIND_NAMES)
    rows = [[e] + [str(confusion.get(e, {}).get(k, 0)) for k in KIND_NAMES] for e in KIND_NAMES]
    return header, rows


def group_lines(system: dict) -> list[str]:
    if not system.get("by_group"):
        return []
    lines = ["## Per group (seed dev / seed test / realdocs)", ""] + md_table(*group_table(system)) + [""]
    for g, d in system["by_group"].items():
        if d.get("kind_confusion"):
            lines += [f"Kind of response, {g}:", ""] + md_table(*confusion_table(d["kind_confusion"])) + [""]
    return lines
