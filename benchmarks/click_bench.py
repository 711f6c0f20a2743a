"""Click-to-answer benchmark (issue 12: "time from click to visible answer p95 ≤ 1 s for 10 concurrent
users on loopback"), measured in a real browser.

Design: `assistant serve` runs on a free loopback port on an existing index. The server sees 10
concurrent users, but only U of them (default 2) are browsers, because a Chromium page costs far
more CPU than the server's share of a question and this machine has 2 cores:

- U browser users: separate Playwright browser contexts (own cookies, own Gradio session) in ONE
  headless Debian Chromium. Each types a question into the chat box and clicks "Vraag"; measured from
  the click event's own timestamp (page time) to
  - "progress": the Dutch progress indicator (#bezig) switches on;
  - "answer in DOM": the new answer bubble is in the chat with its text, its `[n]` chips (when it
    cites) and the side panel shows the sources *of that answer* (`.paneel-kop[data-answer=<id>]`;
    for a no-answer, a panel without an older answer's sources), the bubble on screen;
  - "answer visible": the first animation frame after that (the frame that paints it).
- 10 − U HTTP users (load_test.HttpAsk: Gradio's REST API with plain HTTP, no client polling delay)
  ask questions back to back while the browsers run, so the server's queue holds 10 users at once.

Questions: load_test.QUESTIONS (motions, facts, a no-answer, a follow-up), each user starting at its
own offset; browser users keep their conversation (follow-ups use the history, the chat grows).

    cp -a /work/scratch/idx /tmp/cb-idx   # the server writes feedback beside the index
    .venv/bin/python benchmarks/click_bench.py --index-dir /tmp/cb-idx
    .venv/bin/python benchmarks/click_bench.py --index-dir /tmp/cb-idx --browsers 2 --questions 15 --json out.json

Bounded by --deadline (seconds, whole run) and --timeout (per question); loopback only. Exit code 0
(a p95 over 1 s is printed as MISSED, it does not fail the run), 2 when the set-up fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
sys.path.append(str(ROOT / "tests"))  # last: only for the browser tests' Chromium flags

from load_test import QUESTIONS, percentile, run_user, start_server, stop_server, wait_until_up  # noqa: E402
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' Chromium and flags)
from viewer_bench import TARGET_S, run_options, stats  # noqa: E402

USERS = 10

# Before Gradio's own scripts: note when the page sends a queue/join (the request for an event) and
# when a `process_completed` message arrives on the SSE stream (Gradio reads it with fetch, so the
# stream's body is passed through unchanged, with a look at each chunk).
NET_PROBE = """(() => {
  window.__cbNet = {join: [], done: []};
  const seen = (text) => { if (text.includes('process_completed')) window.__cbNet.done.push(performance.now()); };
  const real = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = String(input && input.url || input);
    if (url.includes('/queue/join')) window.__cbNet.join.push(performance.now());
    const res = await real(input, init);
    if (!url.includes('/queue/data') || !res.body) return res;
    const dec = new TextDecoder();
    const body = res.body.pipeThrough(new TransformStream({transform(chunk, out) { seen(dec.decode(chunk, {stream: true})); out.enqueue(chunk); }}));
    return new Response(body, {status: res.status, statusText: res.statusText, headers: res.headers});
  };
})();"""

# Installed once per page. A click on #verstuur while armed starts a run (t0 = the event's timestamp);
# a MutationObserver notes the progress indicator and the moment the answer and its sources are in
# the DOM and on screen; a requestAnimationFrame then gives the frame that paints them.
PAGE_PROBE = """() => {
  window.__cbRuns = [];
  const run = () => window.__cbRuns[window.__cbRuns.length - 1];
  window.addEventListener('click', (e) => {
    if (!window.__cbArm || !e.target.closest || !e.target.closest('#verstuur')) return;
    window.__cbRuns.push({t0: e.timeStamp, bots: window.__cbArm.bots, progress: null, dom: null, frame: null, answered: null});
    window.__cbArm = null;
  }, true);
  const onScreen = (el) => { const r = el.getBoundingClientRect(); return r.height > 0 && r.bottom > 0 && r.top < innerHeight; };
  const check = () => {
    const r = run();
    if (!r || r.dom !== null) return;
    const busy = document.getElementById('bezig');
    if (r.progress === null && busy && busy.classList.contains('actief')) r.progress = performance.now();
    const bots = document.querySelectorAll('#gesprek [data-testid=bot]');
    if (bots.length <= r.bots) return;
    const bubble = bots[bots.length - 1];
    if (!(bubble.textContent || '').trim() || !onScreen(bubble)) return;
    const chip = bubble.querySelector('a.chip');
    const m = chip && (chip.getAttribute('href') || '').match(/^#inline-(\\w+)-\\d+$/);
    if (chip && !m) return;
    const panel = document.querySelector('#bronnen');
    if (!panel) return;
    const ok = m ? !!panel.querySelector('.paneel-kop[data-answer="' + m[1] + '"]') : !panel.querySelector('.paneel-kop[data-answer]');
    if (!ok) return;
    r.dom = performance.now();
    r.answered = !!m;
    requestAnimationFrame(() => { r.frame = performance.now(); });
  };
  new MutationObserver(check).observe(document.documentElement,
    {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class']});
}"""


async def browser_user(browser, url: str, user: int, n: int, args, deadline: float, ready, go, out: dict) -> None:
    """One browser user: its own context and page; `n` questions, one after the other."""
    try:
        ctx = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        await ctx.add_init_script(NET_PROBE)
        page = await ctx.new_page()
        page.set_default_timeout(args.timeout * 1000)
        await page.goto(url, wait_until="load")  # not networkidle: Gradio keeps an SSE stream open
        await page.wait_for_selector("#vraag textarea")
        await page.evaluate(PAGE_PROBE)
    except Exception as exc:  # counted, not raised: the run must finish
        out["errors"].append(f"browser {user}: set-up: {type(exc).__name__}: {str(exc)[:160]}")
        return
    finally:
        if not ready.done():
            ready.set_result(None)
    await go.wait()
    box = page.locator("#vraag textarea")
    for i in range(n):
        left = deadline - time.monotonic()
        if left < 5:
            out["errors"].append(f"browser {user}: deadline reached after {i} questions")
            break
        question = QUESTIONS[(user * 3 + i) % len(QUESTIONS)]
        try:
            await box.fill(question)
            bots = await page.locator("#gesprek [data-testid=bot]").count()
            await page.evaluate("(b) => { window.__cbArm = {bots: b}; }", bots)
            await page.click("#verstuur")
            await page.wait_for_function(
                "() => { const r = window.__cbRuns[window.__cbRuns.length - 1]; return r && r.frame !== null; }",
                timeout=min(args.timeout, left) * 1000,
            )
            r = await page.evaluate(
                """() => { const r = window.__cbRuns[window.__cbRuns.length - 1], n = window.__cbNet;
                const after = (xs) => xs.find((x) => x >= r.t0) ?? null;
                return {...r, join: after(n.join), sse: after(n.done)}; }"""
            )
        except Exception as exc:
            out["errors"].append(f"browser {user} q{i}: {type(exc).__name__}: {str(exc)[:160]}")
            continue
        out["visible"].append((r["frame"] - r["t0"]) / 1000)
        out["dom"].append((r["dom"] - r["t0"]) / 1000)
        for key in ("progress", "join", "sse"):
            if r[key] is not None:
                out[key].append((r[key] - r["t0"]) / 1000)
        if r["sse"] is not None:
            out["render"].append((r["dom"] - r["sse"]) / 1000)
        out["runs"].append({"user": user, "question": question, "answered": r["answered"], **r})
        # the page's follow-up events (busy off, saving the conversation) before the next question
        await page.wait_for_function("!document.querySelector('#bezig').classList.contains('actief')")
        await asyncio.sleep(args.pause)
    await ctx.close()


async def browsers(url: str, args, deadline: float, http_start: threading.Barrier, out: dict) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            loop = asyncio.get_running_loop()
            readies = [loop.create_future() for _ in range(args.browsers)]
            go = asyncio.Event()
            users = [
                asyncio.create_task(browser_user(browser, url, u, args.questions, args, deadline, readies[u], go, out))
                for u in range(args.browsers)
            ]
            await asyncio.wait_for(asyncio.gather(*readies), timeout=max(1.0, deadline - time.monotonic()))
            out["started"] = time.monotonic()
            go.set()  # browsers and HTTP users start together
            await loop.run_in_executor(None, _pass, http_start)
            await asyncio.gather(*users)
        finally:
            await browser.close()


def _pass(barrier: threading.Barrier) -> None:
    try:
        barrier.wait(timeout=30)
    except threading.BrokenBarrierError:
        pass


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-dir", help="index served (default: settings); the server writes feedback there")
    ap.add_argument("--users", type=int, default=USERS, help="concurrent users in all")
    ap.add_argument("--browsers", type=int, default=2, help="of which browser users (the rest ask over HTTP)")
    ap.add_argument("--questions", type=int, default=15, help="questions per browser user")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds a browser user waits after an answer")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per question")
    run_options(ap, deadline=300.0)
    args = ap.parse_args(argv)
    args.users = max(1, min(args.users, 100))
    args.browsers = max(1, min(args.browsers, args.users))
    args.questions = max(1, min(args.questions, 200))
    deadline = time.monotonic() + args.deadline
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} ontbreekt (missing): run scripts/install-browser.sh", file=sys.stderr)
        return 2

    proc, url = start_server(types.SimpleNamespace(index_dir=args.index_dir, server_log=args.server_log))
    try:
        t0 = time.monotonic()
        if not wait_until_up(url, proc, min(args.startup, deadline - t0)):
            print(f"Server kwam niet op (server did not start) at {url}", file=sys.stderr)
            return 2
        n_http = args.users - args.browsers
        print(
            f"server: {url} (up after {time.monotonic() - t0:.1f} s); {args.browsers} browser users × "
            f"{args.questions} questions + {n_http} HTTP users back to back; load average {os.getloadavg()}",
            flush=True,
        )
        out = {k: [] for k in ("visible", "dom", "progress", "join", "sse", "render", "runs", "errors")}
        http = {"latencies": [], "errors": [], "lock": threading.Lock(), "stop": threading.Event()}
        barrier = threading.Barrier(n_http + 1)
        threads = [
            threading.Thread(
                target=run_user,
                daemon=True,
                args=(
                    url,
                    u,
                    10_000,
                    args.timeout,
                    http["stop"],
                    barrier,
                    http["latencies"],
                    http["errors"],
                    http["lock"],
                    "http",
                ),
            )
            for u in range(args.browsers, args.users)
        ]
        for t in threads:
            t.start()
        cpu0 = cpu_seconds(proc.pid)
        try:
            asyncio.run(browsers(url, args, deadline, barrier, out))
        except Exception as exc:  # a browser that fails to start is reported, the run still ends cleanly
            out["errors"].append(f"browsers: {type(exc).__name__}: {str(exc)[:200]}")
        http["stop"].set()
        wall = time.monotonic() - out.get("started", t0)
        for t in threads:
            t.join(timeout=max(1.0, min(args.timeout, deadline - time.monotonic())))
        load = os.getloadavg()
        server_cpu = cpu_seconds(proc.pid) - cpu0  # includes the set-up of the browsers' sessions
        with http["lock"]:
            result = {
                "browser": out,
                "http": {"latencies": sorted(http["latencies"]), "errors": list(http["errors"])},
                "wall_s": wall,
                "server_cpu_s": server_cpu,
                "load_average": load,
                "users": {"browser": args.browsers, "http": n_http},
            }
        print_table(result)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=1))
        return 0
    finally:
        stop_server(proc)


def print_table(result: dict) -> None:
    def row(name: str, values: list[float], target: bool = True) -> None:
        done = sorted(values)
        verdict = ("MISSED" if percentile(done, 95) > TARGET_S else "ok") if target and done else ""
        print(f"  {name:44s} n={len(done):3d}  {stats(done)}  {verdict}")

    b, h = result["browser"], result["http"]
    users = result["users"]
    print(
        f"\nclick benchmark ({os.cpu_count()} cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}; "
        f"{users['browser']} browser + {users['http']} HTTP users; {result['wall_s']:.0f} s; "
        f"load average at the end {', '.join(f'{x:.2f}' for x in result['load_average'])}; target p95 ≤ 1 s)"
    )
    answered = sum(1 for r in b["runs"] if r["answered"])
    print(f"browser users (headless Chromium; {answered} of {len(b['runs'])} answers cite sources):")
    row("click → progress indicator on", b["progress"], target=False)
    row("click → queue/join sent", b["join"], target=False)
    row("click → result on the SSE stream", b["sse"], target=False)
    row("result on the stream → answer in the DOM", b["render"], target=False)
    row("click → answer + its sources in the DOM", b["dom"])
    row("click → answer visible (next frame)", b["visible"])
    print(f"HTTP users ({len(h['latencies'])} questions, {len(h['latencies']) / max(1e-9, result['wall_s']):.1f}/s):")
    row("POST → result (server + SSE, no browser)", h["latencies"])
    answers = len(b["runs"]) + len(h["latencies"])
    print(
        f"server process: {result['server_cpu_s']:.1f} CPU-s for {answers} answers "
        f"({result['server_cpu_s'] / max(1, answers) * 1000:.0f} ms each, {result['server_cpu_s'] / max(1e-9, result['wall_s']):.2f} cores)"
    )
    errors = b["errors"] + h["errors"]
    print(f"errors: {len(errors)}")
    for e in errors[:10]:
        print("  error:", e)


if __name__ == "__main__":
    sys.exit(main())
