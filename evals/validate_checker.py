"""Validate the faithfulness checker (`assistant.verify.check`) on hand-labelled pairs.

    python evals/validate_checker.py [--json] [--pairs evals/support_pairs.jsonl]

Prints precision, recall, F1 and accuracy for the label "supported" (precision: of the pairs the
checker calls supported, the share that truly is), the confusion matrix, accuracy per kind, and
every misjudged pair. `evaluate(pairs)` returns the same as a dict, for the evaluation suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.verify import check  # noqa: E402
from assistant.verify import judge as verify  # noqa: E402  (holds the thresholds --sweep varies)

PAIRS_PATH = ROOT / "evals" / "support_pairs.jsonl"


def load_pairs(path: str | Path = PAIRS_PATH) -> list[dict]:
    pairs = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    pairs.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: invalid JSON: {exc}") from exc
    return pairs


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def evaluate(pairs: list[dict]) -> dict:
    """Run `check` on every pair; metrics for the positive label "supported"."""
    tp = fp = tn = fn = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [correct, total]
    errors = []
    started = time.perf_counter()
    for pair in pairs:
        result = check(pair["sentence"], pair["passage"])
        label = bool(pair["label"])
        predicted = result.supported
        if predicted and label:
            tp += 1
        elif predicted and not label:
            fp += 1
        elif not predicted and not label:
            tn += 1
        else:
            fn += 1
        kind = pair.get("kind", "?")
        per_kind[kind][1] += 1
        if predicted == label:
            per_kind[kind][0] += 1
        else:
            errors.append(
                {
                    "id": pair.get("id"),
                    "kind": kind,
                    "label": label,
                    "predicted": predicted,
                    "score": result.score,
                    "reasons": list(result.reasons),
                    "sentence": pair["sentence"],
                }
            )
    elapsed = time.perf_counter() - started
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision and recall
        else 0.0
        if precision is not None and recall is not None
        else None
    )
    return {
        "n": len(pairs),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": _ratio(tp + tn, len(pairs)),
        "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn},
        "per_kind": {k: {"correct": c, "total": t, "accuracy": c / t} for k, (c, t) in sorted(per_kind.items())},
        "errors": errors,
        "ms_per_pair": 1000 * elapsed / len(pairs) if pairs else None,
    }


def _fmt(x: float | None) -> str:
    return "n.v.t." if x is None else f"{x:.3f}"


def report(result: dict) -> str:
    c = result["confusion"]
    lines = [
        f"pairs: {result['n']}",
        f"precision (supported): {_fmt(result['precision'])}",
        f"recall    (supported): {_fmt(result['recall'])}",
        f"F1                   : {_fmt(result['f1'])}",
        f"accuracy             : {_fmt(result['accuracy'])}",
        "",
        "confusion matrix      predicted supported   predicted unsupported",
        f"  label supported     {c['tp']:>19}   {c['fn']:>21}",
        f"  label unsupported   {c['fp']:>19}   {c['tn']:>21}",
        "",
        "accuracy per kind:",
    ]
    for kind, v in result["per_kind"].items():
        lines.append(f"  {kind:<15} {v['correct']:>3}/{v['total']:<3} {v['accuracy']:.3f}")
    lines.append("")
    if result["errors"]:
        lines.append(f"misjudged pairs ({len(result['errors'])}):")
        for e in result["errors"]:
            verdict = "false positive" if e["predicted"] else "false negative"
            lines.append(f"  {e['id']} [{e['kind']}] {verdict}, score {e['score']:.2f}: {e['sentence']}")
            if e["reasons"]:
                lines.append(f"      reasons: {'; '.join(e['reasons'])}")
    else:
        lines.append("misjudged pairs: none")
    if result["ms_per_pair"] is not None:
        lines.append(f"\ntime: {result['ms_per_pair']:.2f} ms per pair")
    return "\n".join(lines)


SWEEPS = {
    "MIN_COVERAGE": [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0],
    "KEY_LENGTH": [6, 7, 8, 9, 10, 12, 99],
    "MIN_GAIN": [1, 2, 3],
    "MAX_WINDOW": [1, 2, 3, 4],
    "NEG_CLAUSE": [3, 4, 6, 8],
}


def sweep(pairs: list[dict]) -> list[dict]:
    """Precision/recall when one threshold of `assistant.verify` is varied (the others as set)."""
    rows = []
    for name, values in SWEEPS.items():
        original = getattr(verify, name)
        try:
            for value in values:
                setattr(verify, name, value)
                r = evaluate(pairs)
                rows.append(
                    {
                        "threshold": name,
                        "value": value,
                        "chosen": value == original,
                        **{k: r[k] for k in ("precision", "recall", "f1", "accuracy")},
                    }
                )
        finally:
            setattr(verify, name, original)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--pairs", default=str(PAIRS_PATH), help="JSON lines with sentence, passage, label, kind")
    parser.add_argument("--sweep", action="store_true", help="also vary each threshold and report P/R/F1")
    args = parser.parse_args(argv)
    if args.sweep:
        rows = sweep(load_pairs(args.pairs))
        if args.json:
            print(json.dumps(rows, indent=2))
        else:
            print("threshold      value   precision  recall  F1     accuracy")
            for r in rows:
                mark = "  <- chosen" if r["chosen"] else ""
                print(
                    f"{r['threshold']:<14} {r['value']:<7} {_fmt(r['precision']):<10} {_fmt(r['recall']):<7} "
                    f"{_fmt(r['f1']):<6} {_fmt(r['accuracy'])}{mark}"
                )
        return 0
    result = evaluate(load_pairs(args.pairs))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(report(result))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BrokenPipeError:  # output piped into head
        raise SystemExit(0) from None
