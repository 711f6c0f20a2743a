"""Reading order of pypdf's plain, layout and word-position extraction on PDFs with side columns.

Prints, per file and mode, three signs of a wrong reading order per 100 lines (lower is better):
- mixed: a line holding two text runs separated by 5+ spaces (two columns on one printed line);
- hyphen: a line ending in "woord-" not followed by its lower-case continuation;
- orphan: a line that starts in lower case after a line that ended a sentence (text of a sentence
  separated from its start).
Usage: python benchmarks/layout_order.py [PDF ...]  (default: the letterhead/two-column realdocs)
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from assistant.ingest.layout import page_text
from assistant.settings import ROOT

DEFAULT = [
    "justitie-kamerbrief-draagmoederschap-2011-03-01.pdf",
    "denhaag-raadsinformatiebrief-afdoening-motie-jeugdhulp-2025-07-17.pdf",
    "tk-handelingen-stemming-motie-voorjaarsnota-2023.pdf",
    "denhaag-raadsvoorstel-beleidskader-jeugd-2024-12-24.pdf",
    "bz-kamerbrief-g20-2023-11-24.pdf",
]


def order_faults(text: str) -> dict[str, float]:
    lines = [ln.rstrip() for ln in text.split("\n") if ln.strip()]
    mixed = sum(1 for ln in lines if re.search(r"\S {5,}\S", ln.strip()))
    hyphen = orphan = 0
    for a, b in itertools.pairwise(lines):
        a, b = a.strip(), b.strip()
        if re.search(r"[a-zà-ÿ]-$", a) and not re.match(r"[a-zà-ÿ]", b):
            hyphen += 1
        if re.search(r"[.!?]$", a) and re.match(r"[a-zà-ÿ]{3,}", b):
            orphan += 1
    n = max(len(lines), 1)
    return {"lines": n, "mixed": 100 * mixed / n, "hyphen": 100 * hyphen / n, "orphan": 100 * orphan / n}


def main() -> int:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    shared = ROOT.parent / "shared" / "realdocs"
    if not shared.is_dir():
        shared = Path("/work/shared/realdocs")
    files = [Path(a) for a in sys.argv[1:]] or [shared / f for f in DEFAULT]
    print(f"{'file':58} {'mode':9} {'lines':>5} {'mixed':>6} {'hyphen':>6} {'orphan':>6}")
    for f in files:
        reader = PdfReader(f)
        if reader.is_encrypted:
            reader.decrypt("")
        for mode in ("plain", "layout", "positions"):
            text = "\n".join(page_text(p, mode) for p in reader.pages)
            r = order_faults(text)
            print(f"{f.name[:58]:58} {mode:9} {r['lines']:5d} {r['mixed']:6.1f} {r['hyphen']:6.1f} {r['orphan']:6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
