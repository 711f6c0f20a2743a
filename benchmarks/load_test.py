"""Load test of the web app: N simultaneous users, each asking M questions through gradio_client.

    .venv/bin/python benchmarks/load_test.py                    # 10 users x 5 questions, own server
    .venv/bin/python benchmarks/load_test.py --users 20 --questions 10 --index-dir /tmp/idx
    .venv/bin/python benchmarks/load_test.py --url http://127.0.0.1:7860/   # a running server
    .venv/bin/python benchmarks/load_test.py --client http      # plain HTTP instead of gradio_client

Without --url it starts `assistant serve` on a free loopback port in a subprocess (the index must
exist: `assistant ingest`), waits until it answers, runs the users in threads, prints latency
percentiles (p50/p95/max), throughput and the error count, and stops the server again. Everything
is bounded: --deadline seconds for the whole run, --timeout per question. Loopback only.
Exit code: 0 without errors, 1 with errors, 2 when the server does not start.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent

# Mixed work: motions, facts, a no-answer question and follow-ups (asked with the user's history).
QUESTIONS = [
    "Wat is de status van motie 2106-18?",
    "Welke maatregelen staan in het Actieplan van 2019 voor preventie?",
    "Wat besloot de raad op 7 oktober 2024?",
    "Hoeveel kinderen hebben een te laag geboortegewicht?",
    "Wat is de status van motie Burgervoogd?",
    "En wanneer is die afgedaan?",
    "Wat zijn stevige lokale teams?",
    "Hoeveel pleeggezinnen zijn er in Zoetermeer?",
    "Wat wordt er gedaan aan wachttijden?",
    "Wat is Kansrijke Start?",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen | None, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "config", timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def start_server(args) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "assistant.cli"]
    if args.index_dir:
        cmd += ["--index-dir", args.index_dir]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"), GRADIO_ANALYTICS_ENABLED="False")
    env.pop("ASSISTANT_AUTH_FILE", None)
    log = open(args.server_log, "w") if args.server_log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}/"


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


class HttpAsk:
    """The same /ask call over Gradio's plain REST API (POST, then read the SSE result) with httpx.

    gradio_client polls its message queue every 50 ms, which adds 50-100 ms to every call; this
    client does not, so its figures are closer to what the server itself takes."""

    def __init__(self, url: str, timeout: float):
        import httpx

        self.url = url + "gradio_api/call/ask"
        self.http = httpx.Client(timeout=timeout)

    def ask(self, question: str, history: list, timeout: float) -> dict:
        import json

        # plain HTTP sends every input: question, history and the five filters (kinds … organisations)
        r = self.http.post(self.url, json={"data": [question, history] + [None] * 5})
        r.raise_for_status()
        event_id = r.json()["event_id"]
        event = None
        with self.http.stream("GET", f"{self.url}/{event_id}", timeout=timeout) as s:
            for line in s.iter_lines():
                if line.startswith("event: "):
                    event = line[7:].strip()
                elif line.startswith("data: ") and event in ("complete", "error"):
                    if event == "error":
                        raise RuntimeError(f"server error: {line[6:][:120]}")
                    return json.loads(line[6:])[0]
        raise RuntimeError("no result")


class GradioAsk:
    def __init__(self, url: str, timeout: float):
        from gradio_client import Client

        self.client = Client(url, verbose=False)

    def ask(self, question: str, history: list, timeout: float) -> dict:
        job = self.client.submit(question, history, api_name="/ask")  # the filters have defaults
        return job.result(timeout=timeout)


def run_user(
    url: str,
    user: int,
    n: int,
    timeout: float,
    stop: threading.Event,
    start: threading.Barrier,
    latencies: list,
    errors: list,
    lock: threading.Lock,
    kind: str = "gradio",
) -> None:
    try:
        client = (HttpAsk if kind == "http" else GradioAsk)(url, timeout)
    except Exception as exc:  # counted, not raised: the run must finish
        with lock:
            errors.append(f"user {user}: connect: {exc!r}")
        start.abort()
        return
    try:
        start.wait(timeout=60)  # everybody starts asking at the same moment
    except threading.BrokenBarrierError:
        pass
    history: list = []
    for i in range(n):
        if stop.is_set():
            return
        question = QUESTIONS[(user * 3 + i) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            result = client.ask(question, history, timeout)
            dt = time.perf_counter() - t0
            if not isinstance(result, dict) or "answer" not in result:
                raise ValueError(f"unexpected result {str(result)[:80]!r}")
            if result["answered"] and not result["citations"]:
                raise ValueError("answer without citations")
            history = result["history"][-4:]
            with lock:
                latencies.append(dt)
        except Exception as exc:
            with lock:
                errors.append(f"user {user} q{i}: {type(exc).__name__}: {str(exc)[:120]}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--questions", type=int, default=5, help="questions per user")
    ap.add_argument("--url", help="a running app on this machine (default: start one)")
    ap.add_argument("--index-dir", help="index for the server started here (default: settings)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per question")
    ap.add_argument("--deadline", type=float, default=240.0, help="seconds for the whole run")
    ap.add_argument("--startup", type=float, default=120.0, help="seconds to wait for the server")
    ap.add_argument("--server-log", help="write the server's output here")
    ap.add_argument(
        "--client",
        choices=["gradio", "http"],
        default="gradio",
        help="gradio_client (default) or plain HTTP (no client-side polling delay)",
    )
    args = ap.parse_args(argv)
    args.users = max(1, min(args.users, 200))
    args.questions = max(1, min(args.questions, 100))

    proc = None
    if args.url:
        url = args.url if args.url.endswith("/") else args.url + "/"
        if urlparse(url).hostname not in LOOPBACK:
            print("Alleen loopback-adressen (only loopback URLs: 127.0.0.1, localhost).", file=sys.stderr)
            return 2
    else:
        proc, url = start_server(args)
    try:
        t0 = time.monotonic()
        if not wait_until_up(url, proc, args.startup):
            print(f"Server kwam niet op (server did not start) at {url}", file=sys.stderr)
            return 2
        print(
            f"server: {url} (up after {time.monotonic() - t0:.1f} s); "
            f"{args.users} users x {args.questions} questions, client: {args.client}",
            flush=True,
        )

        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()
        barrier = threading.Barrier(args.users)
        threads = [
            threading.Thread(
                target=run_user,
                daemon=True,
                args=(url, u, args.questions, args.timeout, stop, barrier, latencies, errors, lock, args.client),
            )
            for u in range(args.users)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        end = started + args.deadline
        for t in threads:
            t.join(timeout=max(0.0, end - time.monotonic()))
        stop.set()
        wall = time.monotonic() - started
        unfinished = sum(t.is_alive() for t in threads)
        if unfinished:
            errors.append(f"{unfinished} users still running at the deadline ({args.deadline:.0f} s)")

        expected = args.users * args.questions
        with lock:
            done = sorted(latencies)
            errs = list(errors)
        print(
            f"requests: {len(done)}/{expected} ok, errors: {len(errs)}, wall: {wall:.1f} s, "
            f"throughput: {len(done) / wall:.1f} req/s"
        )
        if done:
            print(
                f"latency p50: {percentile(done, 50) * 1000:.0f} ms  p95: {percentile(done, 95) * 1000:.0f} ms  "
                f"max: {done[-1] * 1000:.0f} ms  mean: {statistics.fmean(done) * 1000:.0f} ms"
            )
        for e in errs[:10]:
            print("  error:", e)
        return 1 if errs or len(done) < expected else 0
    finally:
        if proc is not None:
            stop_server(proc)


if __name__ == "__main__":
    sys.exit(main())
