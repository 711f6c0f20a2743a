"""Print a benchmark's rows (name, value, target, met) and turn them into an exit status."""

from __future__ import annotations

import os


def report(title: str, rows: list[tuple[str, str, str, bool]]) -> int:
    print(f"{title} ({os.cpu_count()} cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')})")
    width = max(len(value) for _, value, _, _ in rows)
    for name, value, target, ok in rows:
        print(f"  {name:38s} {value:{width}s}  {target:12s} {'ok' if ok else 'MISSED' if target else ''}")
    return 0 if all(ok for *_, ok in rows) else 1
