"""CI gate: compare a system's summary metrics with `evals/thresholds.toml`.

`[min]` thresholds are lower bounds (quality metrics), `[max]` thresholds upper bounds (errors,
latency, load time). A metric that is undefined (None) where a threshold exists fails the gate: what
was not measured cannot pass. An unknown metric name in the file fails too (a typo must not switch a
check off silently).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from . import THRESHOLDS


def load_thresholds(path: str | Path = THRESHOLDS) -> dict:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    data.setdefault("split", "test")
    data.setdefault("system", "full")
    data.setdefault("min", {})
    data.setdefault("max", {})
    data["source"] = str(path)
    return data


def check_gate(summary: dict, thresholds: dict, known: set[str] | None = None) -> dict:
    """{"passed", "checks": [{metric, value, threshold, direction, ok}], "failures": [message], ...}."""
    checks, failures = [], []
    known = set(summary) if known is None else known
    for direction in ("min", "max"):
        for metric, threshold in thresholds.get(direction, {}).items():
            value = summary.get(metric)
            if metric not in known:
                ok, why = False, "unknown metric"
            elif value is None:
                ok, why = False, "undefined (not measured)"
            elif direction == "min":
                ok, why = value >= threshold, f"{value:.3f} < {threshold}"
            else:
                ok, why = value <= threshold, f"{value:.3f} > {threshold}"
            checks.append({"metric": metric, "value": value, "threshold": threshold, "direction": direction, "ok": ok})
            if not ok:
                failures.append(f"{metric}: {why}")
    return {
        "passed": not failures,
        "checks": checks,
        "failures": failures,
        "split": thresholds.get("split", "test"),
        "system": thresholds.get("system", "full"),
        "source": Path(thresholds.get("source", THRESHOLDS)).name,
    }
