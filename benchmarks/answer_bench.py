"""Answer benchmark: Assistant.load(), warm ask latency (p50/p95), cold `assistant ask` from a shell.

Uses the live index (build it first with `assistant ingest`) or ASSISTANT_INDEX_DIR.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from table import report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    t0 = time.perf_counter()
    from assistant import Assistant

    bot = Assistant.load()
    load_s = time.perf_counter() - t0
    questions = [json.loads(line)["question"] for line in open(ROOT / "evals" / "questions.jsonl")]
    bot.ask(questions[0])  # warm-up
    latencies = []
    for q in questions:
        t = time.perf_counter()
        bot.ask(q)
        latencies.append(time.perf_counter() - t)
    cold = []
    for q in ("Wat is de status van motie 2106-18?", "Wat is Kansrijke Start?", "Hoeveel pleeggezinnen zijn er?"):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant.cli", "ask", q], capture_output=True, check=True)
        cold.append(time.perf_counter() - t)
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    from assistant.verify import check  # the faithfulness checker every answer passes (and the eval's)
    from assistant.verify.analysis import analyse_passage

    analyse_passage.cache_clear()  # each passage analysed once, as in a fresh process

    pairs = [json.loads(line) for line in open(ROOT / "evals" / "support_pairs.jsonl") if line.strip()]
    t = time.perf_counter()
    for pair in pairs:
        check(pair["sentence"], pair["passage"])
    per_pair = (time.perf_counter() - t) / len(pairs)
    rows = [
        ("Assistant.load() (incl. imports)", f"{load_s:.2f} s", "≤ 5 s", load_s <= 5),
        (f"warm ask p50 ({len(latencies)} questions)", f"{p50 * 1000:.0f} ms", "≤ 300 ms", p50 <= 0.3),
        ("warm ask p95", f"{p95 * 1000:.0f} ms", "≤ 1000 ms", p95 <= 1.0),
        ("warm ask mean", f"{statistics.mean(latencies) * 1000:.0f} ms", "", True),
        ("cold `assistant ask` (max of 3)", f"{max(cold):.2f} s", "≤ 10 s", max(cold) <= 10),
        (f"faithfulness check per pair ({len(pairs)})", f"{per_pair * 1000:.1f} ms", "≤ 5 ms", per_pair <= 0.005),
    ]
    return report("Answer benchmark", rows)


if __name__ == "__main__":
    sys.exit(main())
