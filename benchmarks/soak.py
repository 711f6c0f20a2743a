"""Soak test: N users x M minutes against one served app, feedback writers alongside, one index swap.

    .venv/bin/python benchmarks/soak.py                          # 10 users x 1 minute, 2 feedback writers
    .venv/bin/python benchmarks/soak.py --users 20 --minutes 5 --writers 4 --idle 60

It copies the index (default: settings' index_dir, else it ingests corpus/) and the corpus into a temp
folder, starts `assistant serve` on a free loopback port with that index and its own feedback
database, and runs the users in threads until the time is up: even users call /gradio_api/call/ask
over plain HTTP, odd users use gradio_client. Feedback writers post to /gradio_api/call/feedback,
each comment unique, and the rows are counted in the database at the end. Halfway, a changed copy of
the corpus is ingested into the served index (a new build swapped in while users ask). The server's
RSS is read from /proc at start (after it answers), after warm-up, at the end and after --idle
seconds without requests. Loopback only; every loop is bounded by the deadline; the server and the
ingest are stopped by process id. Exit code: 0 when no errors and no lost rows, 1 otherwise, 2 when
the server does not start.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import QUESTIONS, ROOT, GradioAsk, HttpAsk, free_port, percentile, stop_server, wait_until_up  # noqa: E402

WARMUP = 10.0  # seconds of load before the "after warm-up" RSS is read
NEW_TEXT = "\n\nIn 2026 opent de gemeente een inloophuis voor jongeren in het centrum, de Soakhaven.\n"


def rss_mb(pid: int) -> float:
    """Resident memory of a process (MB), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return 0.0


def _cli_env(index_dir: Path) -> dict:
    return dict(
        os.environ,
        ASSISTANT_INDEX_DIR=str(index_dir),
        OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONPATH=str(ROOT),
    )


def ingest(corpus: Path, index_dir: Path, timeout: float) -> tuple[float, str]:
    """Run `assistant ingest` in a child process; (seconds, last output line)."""
    t0 = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--quiet"],
        cwd=ROOT,
        env=_cli_env(index_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = (run.stdout + run.stderr).strip().splitlines()
    if run.returncode:
        raise RuntimeError(f"ingest mislukt (failed): {lines[-1] if lines else run.returncode}")
    return time.monotonic() - t0, lines[0] if lines else ""


class Feedback:
    """POST /gradio_api/call/feedback and read the result (plain HTTP)."""

    def __init__(self, url: str, timeout: float):
        import httpx

        self.url = url + "gradio_api/call/feedback"
        self.http = httpx.Client(timeout=timeout)

    def send(self, comment: str) -> None:
        r = self.http.post(self.url, json={"data": ["Soakvraag?", "Soakantwoord.", [], 1, comment, ""]})
        r.raise_for_status()
        with self.http.stream("GET", f"{self.url}/{r.json()['event_id']}") as s:
            event = None
            for line in s.iter_lines():
                if line.startswith("event: "):
                    event = line[7:].strip()
                elif line.startswith("data: ") and event in ("complete", "error"):
                    if event == "error" or not json.loads(line[6:])[0].get("stored"):
                        raise RuntimeError(f"feedback not stored: {line[6:][:120]}")
                    return
        raise RuntimeError("no result")


class Run:
    """Shared counters of one soak run (threads append under the lock)."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.sent: list[str] = []

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def user(run: Run, url: str, n: int, timeout: float) -> None:
    kind = HttpAsk if n % 2 == 0 else GradioAsk
    try:
        client = kind(url, timeout)
    except Exception as exc:  # noqa: BLE001 - counted, the run goes on
        run.error(f"user {n}: connect: {exc!r}")
        return
    history: list = []
    i = 0
    while run.left() > 0:
        question = QUESTIONS[(n * 3 + i) % len(QUESTIONS)]
        i += 1
        t0 = time.perf_counter()
        try:
            result = client.ask(question, history, min(timeout, max(1.0, run.left() + timeout)))
            if not isinstance(result, dict) or "answer" not in result:
                raise ValueError(f"unexpected result {str(result)[:80]!r}")
            history = result.get("history", [])[-4:]
            with run.lock:
                run.latencies.append(time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001
            run.error(f"user {n} ({kind.__name__}): {type(exc).__name__}: {str(exc)[:120]}")
        if i % 10 == 0:
            history = []  # a new conversation now and then


def writer(run: Run, url: str, n: int, timeout: float, tag: str) -> None:
    client = Feedback(url, timeout)
    i = 0
    while run.left() > 0:
        comment = f"{tag}-{n}-{i}"
        i += 1
        try:
            client.send(comment)
            with run.lock:
                run.sent.append(comment)
        except Exception as exc:  # noqa: BLE001
            run.error(f"writer {n}: {type(exc).__name__}: {str(exc)[:120]}")
        time.sleep(0.2)


def stored(db: Path, tag: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM feedback WHERE comment LIKE ?", (f"{tag}-%",)).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--writers", type=int, default=2, help="feedback writers")
    ap.add_argument("--idle", type=float, default=60.0, help="seconds without load before the last RSS reading")
    ap.add_argument("--no-swap", action="store_true", help="no re-ingest halfway")
    ap.add_argument("--index-dir", help="index to copy (default: settings' index_dir; else corpus/ is ingested)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    ap.add_argument("--startup", type=float, default=180.0)
    ap.add_argument("--keep", action="store_true", help="keep the temp folder (server log, feedback db)")
    args = ap.parse_args(argv)
    args.users, args.writers = max(1, min(args.users, 100)), max(0, min(args.writers, 20))
    args.minutes = max(0.1, min(args.minutes, 60.0))
    args.idle = max(0.0, min(args.idle, 600.0))

    from assistant.settings import Settings

    settings = Settings.load()
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    corpus, index_dir = work / "corpus", work / "index"
    shutil.copytree(settings.corpus_dir, corpus)
    source = Path(args.index_dir) if args.index_dir else settings.index_dir
    if (source / "CURRENT").is_file():
        shutil.copytree(source, index_dir, ignore=shutil.ignore_patterns("feedback.sqlite3*", "ingest.lock", ".tmp-*"))
        print(f"index: copy of {source}", flush=True)
    else:
        seconds, line = ingest(corpus, index_dir, 1800)
        print(f"index: ingested in {seconds:.0f} s: {line}", flush=True)

    port = free_port()
    log = open(work / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=_cli_env(index_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_until_up(url, proc, args.startup):
            print(f"Server kwam niet op (server did not start); log: {work / 'server.log'}", file=sys.stderr)
            return 2
        rss = {"start": rss_mb(proc.pid)}
        tag = f"soak{uuid.uuid4().hex[:8]}"
        run = Run(time.monotonic() + args.minutes * 60)
        threads = [threading.Thread(target=user, args=(run, url, n, args.timeout), daemon=True) for n in range(args.users)]
        threads += [
            threading.Thread(target=writer, args=(run, url, n, args.timeout, tag), daemon=True) for n in range(args.writers)
        ]
        print(
            f"server {url} pid {proc.pid}: {args.users} users (plain HTTP and gradio_client) x {args.minutes:g} min, "
            f"{args.writers} feedback writers, RSS {rss['start']:.0f} MB",
            flush=True,
        )
        started = time.monotonic()
        for t in threads:
            t.start()
        peak = 0.0
        swap = None if args.no_swap else started + args.minutes * 30
        while run.left() > 0:
            time.sleep(min(1.0, max(0.0, run.left())))
            peak = max(peak, rss_mb(proc.pid))
            if "warm" not in rss and time.monotonic() - started >= WARMUP:
                rss["warm"] = rss_mb(proc.pid)
            if swap and time.monotonic() >= swap:
                swap = None
                changed = next(iter(sorted(corpus.glob("*.txt"))))
                changed.write_text(changed.read_text() + NEW_TEXT)
                try:
                    seconds, line = ingest(corpus, index_dir, max(60.0, run.left() + 300))
                    print(f"index swap halfway: ingest {seconds:.1f} s: {line}", flush=True)
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    run.error(f"index swap: {exc}")
        for t in threads:
            t.join(timeout=args.timeout + 5)
        wall = time.monotonic() - started
        rss["end"] = rss_mb(proc.pid)
        still = sum(t.is_alive() for t in threads)
        if still:
            run.error(f"{still} threads still running after the deadline")
        try:
            check = HttpAsk(url, args.timeout).ask("Welk inloophuis opent de gemeente in 2026?", [], args.timeout)
        except Exception as exc:  # noqa: BLE001 - counted: a server that no longer answers is the finding
            run.error(f"question after the run: {type(exc).__name__}: {str(exc)[:160]}")
            check = {}
        swapped = "Soakhaven" in json.dumps(check, ensure_ascii=False)
        if args.idle:
            print(f"idle {args.idle:.0f} s ...", flush=True)
            time.sleep(args.idle)
        rss["idle"] = rss_mb(proc.pid)
        with run.lock:
            done, errors, sent = sorted(run.latencies), list(run.errors), len(run.sent)
        rows = stored(index_dir / "feedback.sqlite3", tag) if args.writers else 0
        print(f"answers: {len(done)} in {wall:.0f} s = {len(done) / wall:.2f}/s; errors: {len(errors)}")
        if done:
            print(
                f"latency p50 {percentile(done, 50):.2f} s  p95 {percentile(done, 95):.2f} s  "
                f"p99 {percentile(done, 99):.2f} s  max {done[-1]:.2f} s"
            )
        print(f"feedback: sent {sent}, stored {rows}, lost {sent - rows}")
        if not args.no_swap:
            print(f"index swap: new text {'found' if swapped else 'NOT found'} after the swap")
        print(
            "server RSS (MB): start {start:.0f}, after warm-up {warm:.0f}, peak {peak:.0f}, end {end:.0f}, "
            "after {idle:.0f} s idle {after:.0f} ({ratio:.2f} x warm-up)".format(
                start=rss["start"],
                warm=rss.get("warm", rss["start"]),
                peak=peak,
                end=rss["end"],
                idle=args.idle,
                after=rss["idle"],
                ratio=rss["idle"] / max(1.0, rss.get("warm", rss["start"])),
            )
        )
        for e in errors[:10]:
            print("  error:", e)
        return 1 if errors or sent != rows or (not args.no_swap and not swapped) else 0
    finally:
        stop_server(proc)
        log.close()
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
