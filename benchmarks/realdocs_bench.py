"""Ingest benchmark on real documents (../shared/realdocs): seconds, pages, passages, CPU-s per passage,
peak RSS, OCR seconds per page, and an unchanged re-ingest.

Each run is a fresh `assistant ingest --json` process (start-up included). The full corpus embeds about
1,500 passages (~500 CPU-s on these machines): `--subset N` takes the N smallest documents instead,
`--no-ocr-cache` empties the OCR cache first so OCR time is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from table import report

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    for candidate in (os.environ.get("ASSISTANT_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "realdocs").is_dir():
            return Path(candidate)
    raise SystemExit("realdocs niet gevonden: zet ASSISTANT_SHARED_DIR (../shared/realdocs missing)")


def run_ingest(index_dir: Path, corpus: Path) -> tuple[float, float, dict, int]:
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(index_dir))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # includes OCR subprocesses
    return seconds, cpu, json.loads(proc.stdout), after.ru_maxrss  # KiB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--subset", type=int, default=0, help="only the N smallest documents (0 = all)")
    ap.add_argument("--index-dir", default="", help="keep the index here (default: a temp dir)")
    args = ap.parse_args()
    source = shared_dir() / "realdocs"
    with tempfile.TemporaryDirectory() as tmp:
        corpus = source
        if args.subset:
            corpus = Path(tmp) / "realdocs"
            corpus.mkdir()
            files = sorted(
                (p for p in source.iterdir() if p.suffix in {".pdf", ".md"} and p.name != "README.md"),
                key=lambda p: p.stat().st_size,
            )[: args.subset]
            for f in files:
                shutil.copy(f, corpus / f.name)
            shutil.copy(source / "manifest.toml", corpus / "manifest.toml")
        index_dir = Path(args.index_dir) if args.index_dir else Path(tmp) / "idx"
        full_s, cpu, full, rss = run_ingest(index_dir, corpus)
        again_s, _, again, rss2 = run_ingest(index_dir, corpus)
    ocr_pages = sum(len(o["pages"]) - len(o.get("cached", [])) for o in full["ocr"])
    ocr_s = sum(o["seconds"] for o in full["ocr"])
    passages = max(1, full["passages"])
    print(
        json.dumps(
            {
                "seconds": round(full_s, 1),
                "cpu_seconds": round(cpu, 1),
                "documents": full["documents"],
                "pages": full["pages"],
                "passages": full["passages"],
                "embedded": full["embedded"],
                "ocr": full["ocr"],
                "skipped": full["skipped"],
                "warnings": full["warnings"],
                "reingest_seconds": round(again_s, 2),
                "peak_rss_mib": round(max(rss, rss2) / 1024),
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    rows = [
        ("full ingest (wall, incl. start-up)", f"{full_s:.1f} s", "", True),
        ("  documents / pages / passages", f"{full['documents']} / {full['pages']} / {full['passages']}", "", True),
        ("  CPU-s per passage (all work)", f"{cpu / passages:.2f}", "≈ 0.33", True),
        ("  OCR seconds per page", f"{ocr_s / ocr_pages:.1f} ({ocr_pages} pages)" if ocr_pages else "cached / none", "", True),
        (
            "re-ingest, unchanged corpus",
            f"{again_s:.2f} s (embedded {again['embedded']})",
            "≤ 3 s",
            again_s <= 3 and again["embedded"] == 0,
        ),
        ("peak RSS (largest ingest process)", f"{max(rss, rss2) / 1024:.0f} MiB", "≤ 1536 MiB", max(rss, rss2) <= 1536 * 1024),
    ]
    return report("Realdocs ingest benchmark", rows)


if __name__ == "__main__":
    sys.exit(main())
