"""Ingest benchmark: full ingest of the seed corpus, unchanged re-ingest, peak memory.

Each run is a fresh `assistant ingest` process, so start-up and imports are included, as a user sees them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from table import report

ROOT = Path(__file__).resolve().parent.parent


def run_ingest(index_dir: Path, corpus: Path) -> tuple[float, dict, int]:
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(index_dir))
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - t0
    # ru_maxrss of the largest child so far, in KiB on Linux.
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, json.loads(proc.stdout), rss_kib


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "idx"
        full_s, full, rss = run_ingest(index_dir, Path(args.corpus))
        again_s, again, rss2 = run_ingest(index_dir, Path(args.corpus))
    rows = [
        ("full ingest (wall, incl. start-up)", f"{full_s:.1f} s", "≤ 60 s", full_s <= 60),
        ("  passages / embedded", f"{full['passages']} / {full['embedded']}", "", True),
        (
            "re-ingest, unchanged corpus",
            f"{again_s:.2f} s (embedded {again['embedded']})",
            "≤ 3 s",
            again_s <= 3 and again["embedded"] == 0,
        ),
        ("peak RSS (largest ingest process)", f"{max(rss, rss2) / 1024:.0f} MiB", "≤ 1536 MiB", max(rss, rss2) <= 1536 * 1024),
    ]
    return report("Ingest benchmark", rows)


if __name__ == "__main__":
    sys.exit(main())
