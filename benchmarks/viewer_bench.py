"""Viewer benchmark (issue 12: "viewer opens a 150-page PDF at a page in ≤ 1 s") on a real PDF.

The 155-page Den Haag council minutes of `../shared/realdocs` are copied (with their manifest entry) into
a corpus folder of their own and ingested once into `--index-dir` (default: a temporary folder). The
viewer uses no vectors, so the ingest embeds with `HashEmbedder` from growth.py (seconds instead of
~150 CPU-s); `--real` embeds with the real model. Then:

1. server side, in this process: `viewer_html` and `on_view` (the handler of "Open in document") for
   passages on pages ~5, 40, 75, 110, 150: p50/p95/max, the HTML's size, the PDF's size;
2. in the browser: `assistant serve` on a free loopback port against that index, headless Debian
   Chromium via Playwright. Per measurement a question quoting a passage of the page is asked in the
   chat, and the "Open in document" control of the source card citing that page is clicked (when no
   card cites that page, a link of the same kind is put beside the cards and clicked: the same page
   script handles it; counted as "link"). Measured from the click (the event's own timestamp):
   - "text": the viewer shows the text with the target page's passage scrolled into view;
   - "pdf response": the PDF's HTTP response has fully arrived (or came from the browser cache);
   - "iframe load": the `load` event of the `<iframe src="…#page=N">`. Whether the browser has a PDF
     viewer is printed (`navigator.pdfViewerEnabled`); without one the frame shows no page and only
     the response time means anything. `load` is when the frame's document has loaded, not when the
     PDF viewer has painted the page (that is inside a closed extension frame; not measurable here).

    .venv/bin/python benchmarks/viewer_bench.py                  # hash ingest into a temp folder
    .venv/bin/python benchmarks/viewer_bench.py --index-dir /tmp/vb-index --repeat 3 --deadline 300

Everything is bounded by --deadline (seconds); loopback only. Exit code 0 (figures over 1 s are
printed as MISSED, they do not fail the run), 2 when the set-up fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
sys.path.append(str(ROOT / "tests"))  # last: only for the browser tests' Chromium flags

from growth import HashEmbedder  # noqa: E402  (benchmarks/ is not a package)
from load_test import free_port, percentile, stop_server, wait_until_up  # noqa: E402
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' Chromium and flags)

DOC = "denhaag-notulen-raad-2025-03-13"
PAGES = (5, 40, 75, 110, 150)
TARGET_S = 1.0


def shared_dir() -> Path:
    for candidate in (os.environ.get("ASSISTANT_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "realdocs" / f"{DOC}.pdf").is_file():
            return Path(candidate)
    sys.exit(f"realdocs/{DOC}.pdf not found (set ASSISTANT_SHARED_DIR)")


def make_corpus(folder: Path) -> Path:
    """A corpus folder holding a copy of the minutes and their manifest entry (keyed by file name)."""
    src = shared_dir() / "realdocs"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{DOC}.pdf"
    if not pdf.exists():
        shutil.copyfile(src / f"{DOC}.pdf", pdf)
    entry = tomllib.loads((src / "manifest.toml").read_text(encoding="utf-8"))[DOC]
    lines = [f'["{DOC}.pdf"]'] + [f"{k} = {json.dumps(str(v), ensure_ascii=False)}" for k, v in entry.items()]
    (folder / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def build(index_dir: Path, corpus: Path, real: bool) -> dict:
    """Ingest `corpus` into `index_dir` (nothing to do when it is up to date with the same embedder)."""
    from assistant.index import build_index
    from assistant.settings import Settings

    marker = index_dir / "viewer_bench.json"
    embedder = "real" if real else "hash"
    if marker.exists() and json.loads(marker.read_text()).get("embedder") != embedder:
        sys.exit(f"{index_dir} holds a {json.loads(marker.read_text())['embedder']} index; use another --index-dir")
    settings = Settings.load(index_dir=index_dir, corpus_dir=corpus, index__ingest_threads=1)
    t0 = time.perf_counter()
    report = build_index(settings, corpus, embedder=None if real else HashEmbedder())
    marker.write_text(json.dumps({"embedder": embedder}))
    return {"seconds": time.perf_counter() - t0, "passages": report.passages, "embedder": embedder}


def targets(bot, pages=PAGES) -> list[tuple[int, object]]:
    """(page, passage) for each wanted page: the first passage on it, else on the nearest page after it."""
    mine = sorted((p for p in bot.index.passages.values() if p.page), key=lambda p: (p.page, p.start))
    out = []
    for want in pages:
        hit = next((p for p in mine if p.page >= want), mine[-1])
        out.append((hit.page, hit))
    return out


def stats(values: list[float]) -> str:
    done = sorted(values)
    if not done:
        return "no measurements"
    return f"p50 {percentile(done, 50) * 1000:6.0f}  p95 {percentile(done, 95) * 1000:6.0f}  max {done[-1] * 1000:6.0f} ms"


def server_side(bot, corpus: Path, chosen, repeat: int) -> dict:
    """`viewer_html` and `on_view` timed in this process (what the server does per click)."""
    from assistant.ui.viewer import on_view, serve_files, viewer_html

    files = serve_files(bot, corpus)
    times = {"viewer_html": [], "on_view": []}
    sizes = []
    for _ in range(repeat):
        for _page, p in chosen:
            t0 = time.perf_counter()
            html = viewer_html(bot, p.id, [(0, min(40, len(p.text)))], files)
            times["viewer_html"].append(time.perf_counter() - t0)
            sizes.append(len(html.encode()))
            t0 = time.perf_counter()
            on_view(bot, corpus, f"{p.id}~0-40")
            times["on_view"].append(time.perf_counter() - t0)
    return {"times": times, "html_bytes": sizes, "pdf_bytes": files[chosen[0][1].doc_id].stat().st_size}


# Installed in the page once: the click's timestamp, then "text" (target page's passage visible in the
# viewer box), "load" (iframe load event) for the armed page; all in page time (performance.now()).
PAGE_PROBE = """() => {
  window.__vbRuns = [];
  window.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#open="]');
    if (!a || !window.__vbArm) return;
    window.__vbRuns.push({page: window.__vbArm, t0: e.timeStamp, shown: null, text: null, load: null, frames: 0, srcChanges: 0});
    window.__vbArm = null;
  }, true);
  const current = () => window.__vbRuns[window.__vbRuns.length - 1];
  const watch = (f, run) => {  // the load of the frame that shows the page last counts
    run.load = null;
    f.addEventListener('load', () => { if (f.isConnected) run.load = performance.now(); });
  };
  new MutationObserver((records) => {
    const run = current();
    if (!run) return;
    for (const r of records) {
      if (r.type === 'attributes' && r.target.matches('iframe.viewer-pdf')) { run.srcChanges += 1; watch(r.target, run); }
      for (const n of r.addedNodes) {
        if (!n.querySelectorAll) continue;
        for (const f of [...(n.matches('iframe.viewer-pdf') ? [n] : []), ...n.querySelectorAll('iframe.viewer-pdf')]) {
          if (!f.getAttribute('src').endsWith('#page=' + run.page)) continue;
          run.frames += 1;
          watch(f, run);
        }
      }
    }
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ['src']});
  const inside = (r, b) => r.bottom > b.top && r.top < b.bottom && r.height > 0;
  const poll = () => {
    const run = current();
    if (run && run.text === null) {
      const target = document.querySelector('#viewer .viewer-doel');
      const box = document.querySelector('#viewer .viewer-doc');
      const head = target && target.closest('section') && target.closest('section').querySelector('.pagina-kop');
      if (target && box && head && head.textContent.trim() === 'Pagina ' + run.page) {
        if (run.shown === null) run.shown = performance.now();
        const r = target.getBoundingClientRect();
        const view = {top: 0, bottom: window.innerHeight};
        if (inside(r, box.getBoundingClientRect()) && inside(r, view)) run.text = performance.now();
      }
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}"""


def browser_side(url: str, bot, chosen, repeat: int, deadline: float) -> dict:
    """Ask, click "Open in document", wait for text and iframe; `repeat` rounds over the pages."""
    from playwright.sync_api import sync_playwright

    ids_by_page = {}
    for p in bot.index.passages.values():
        ids_by_page.setdefault(p.page, set()).add(p.id)
    out = {"shown": [], "text": [], "pdf response": [], "iframe load": [], "methods": {}, "pdf": [], "runs": [], "errors": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            pg = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL").new_page()
            pg.set_default_timeout(30_000)
            pdf_hits = []  # (request, response) of the PDF file

            def on_finished(req):
                if "gradio_api/file=" in req.url and urlparse(req.url).path.endswith(".pdf"):
                    pdf_hits.append(req)

            pg.on("requestfinished", on_finished)
            pg.goto(url, wait_until="load")  # not networkidle: Gradio keeps an SSE stream open
            pg.wait_for_selector("#vraag textarea")
            out["pdf_viewer"] = pg.evaluate("() => navigator.pdfViewerEnabled")
            pg.evaluate(PAGE_PROBE)
            origin = pg.evaluate("() => performance.timeOrigin")
            for _round in range(repeat):
                for page, p in chosen:
                    if time.monotonic() > deadline:
                        out["errors"].append("deadline reached")
                        return out
                    try:
                        run, method, hits = _one(pg, page, p, ids_by_page.get(page, {p.id}), pdf_hits)
                    except Exception as exc:  # counted, not raised: the run must finish
                        out["errors"].append(f"page {page}: {type(exc).__name__}: {str(exc)[:160]}")
                        continue
                    out["methods"][method] = out["methods"].get(method, 0) + 1
                    out["text"].append((run["text"] - run["t0"]) / 1000)
                    out["shown"].append((run["shown"] - run["t0"]) / 1000)
                    if run["load"] is not None:
                        out["iframe load"].append((run["load"] - run["t0"]) / 1000)
                    reqs = []
                    for req in hits:
                        timing, resp = req.timing, req.response()
                        start = timing["startTime"] - (origin + run["t0"])
                        size = int((resp.headers if resp else {}).get("content-length") or 0)
                        reqs.append(
                            {
                                "status": resp.status if resp else None,
                                "bytes": size,
                                "range": req.headers.get("range", ""),
                                "start_ms": round(start),
                                "end_ms": round(start + timing["responseEnd"]),
                            }
                        )
                    out["pdf"] += reqs
                    if reqs:  # the frame's own request (the first); a PDF viewer may fetch more itself
                        out["pdf response"].append(reqs[0]["end_ms"] / 1000)
                    out["runs"].append(
                        {"page": page, "frames": run["frames"], "src_changes": run["srcChanges"], "pdf_requests": reqs}
                    )
        finally:
            browser.close()
    return out


def _one(pg, page: int, p, page_ids: set, pdf_hits: list):
    """One measurement: ask a question quoting `p`, click the card citing its page, wait."""
    if pg.get_by_role("tab", name="Chat").get_attribute("aria-selected") != "true":
        # to the top first: clicked right after Playwright's own scroll, headless Chromium hit-tests
        # against the old position and the click lands in the PDF frame (not seen by a user)
        pg.evaluate("() => window.scrollTo(0, 0)")
        pg.wait_for_timeout(300)
        pg.get_by_role("tab", name="Chat").click()
    answers = pg.locator("#gesprek [data-testid=bot]").count()
    question = " ".join(p.text.split()[:14])
    box = pg.locator("#vraag textarea")
    box.fill(question)
    box.press("Enter")
    pg.wait_for_function(f"document.querySelectorAll('#gesprek [data-testid=bot]').length > {answers}")
    pg.wait_for_function("!document.querySelector('#bezig').classList.contains('actief')")
    link, method = None, "bronkaart"
    for a in pg.locator("#bronnen a.open-doc").all():
        pid = unquote(a.get_attribute("href")[len("#open=") :]).rpartition("~")[0]
        if pid in page_ids:
            link = a
            break
    if link is None:  # no card cites this page: a link of the same kind, handled by the same script
        method = "link"
        pg.evaluate(
            """(href) => { const a = document.createElement('a'); a.className = 'open-doc'; a.id = 'vb-link';
            a.href = href; a.textContent = 'Open in document'; document.querySelector('#bronnen').prepend(a); }""",
            f"#open={p.id}~",
        )
        link = pg.locator("#vb-link")
    del pdf_hits[:]
    pg.evaluate(f"() => {{ window.__vbArm = {page}; }}")
    link.click()
    pg.wait_for_function("() => { const r = window.__vbRuns[window.__vbRuns.length - 1]; return r && r.text !== null; }")
    try:  # the frame may never fire `load` (no PDF viewer); the text figure stands on its own
        pg.wait_for_function(
            "() => { const r = window.__vbRuns[window.__vbRuns.length - 1]; return r && r.load !== null; }", timeout=10_000
        )
    except Exception:
        pass
    pg.wait_for_timeout(500)  # late PDF requests of this click (a second frame, the viewer's own)
    run = pg.evaluate("() => window.__vbRuns[window.__vbRuns.length - 1]")
    return run, method, list(pdf_hits)


def run_options(ap: argparse.ArgumentParser, deadline: float) -> None:
    """The options every browser benchmark here has: its bounds, the server's log, the JSON output."""
    ap.add_argument("--deadline", type=float, default=deadline, help="seconds for the whole run")
    ap.add_argument("--startup", type=float, default=120.0, help="seconds to wait for the server")
    ap.add_argument("--server-log", help="write the server's output here")
    ap.add_argument("--json", help="also write all measurements to this file")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-dir", help="build (once) and use the index here (default: a temporary folder)")
    ap.add_argument("--real", action="store_true", help="embed with the real model (~150 CPU-s) instead of HashEmbedder")
    ap.add_argument("--pages", default=",".join(map(str, PAGES)), help="pages to open (comma-separated)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds over the pages in the browser")
    ap.add_argument("--server-repeat", type=int, default=10, help="rounds over the pages for the server-side timing")
    run_options(ap, deadline=420.0)
    args = ap.parse_args(argv)
    deadline = time.monotonic() + args.deadline
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    tmp = None if args.index_dir else tempfile.TemporaryDirectory(prefix="viewer-bench-")
    index_dir = Path(args.index_dir).resolve() if args.index_dir else Path(tmp.name) / "index"
    corpus = make_corpus(index_dir.parent / f"{index_dir.name}.corpus")  # beside the index, not in it
    proc = None
    try:
        built = build(index_dir, corpus, args.real)
        from assistant import Assistant
        from assistant.settings import Settings
        from assistant.ui.viewer import file_url

        settings = Settings.load(index_dir=index_dir, corpus_dir=corpus)
        bot = Assistant.load(settings)
        chosen = targets(bot, [int(x) for x in args.pages.split(",") if x.strip()])
        n_pages = len(bot.index.pages.get(chosen[0][1].doc_id, []))
        print(
            f"index: {index_dir} ({built['embedder']} embedder, {built['passages']} passages, "
            f"{built['seconds']:.1f} s); document: {n_pages} pages; pages opened: {[pg for pg, _ in chosen]}",
            flush=True,
        )
        server = server_side(bot, corpus, chosen, args.server_repeat)

        os.environ["ASSISTANT_CORPUS_DIR"] = str(corpus)  # the served originals are this folder's
        os.environ["ASSISTANT_INDEX_DIR"] = str(index_dir)
        port = free_port()
        cmd = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", PYTHONPATH=str(ROOT))
        env.pop("ASSISTANT_AUTH_FILE", None)
        log = open(args.server_log, "w") if args.server_log else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        if not wait_until_up(url, proc, min(args.startup, deadline - time.monotonic())):
            print(f"Server kwam niet op (server did not start) at {url}", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        with urllib.request.urlopen(url + file_url(corpus / f"{DOC}.pdf"), timeout=30) as r:  # loopback only
            served = len(r.read())
        get_s = time.perf_counter() - t0
        if not CHROMIUM.exists():
            print("/usr/bin/chromium ontbreekt: browser part skipped (run scripts/install-browser.sh)")
            browser = None
        else:
            browser = browser_side(url, bot, chosen, args.repeat, deadline)
        print_table(server, browser, served, get_s)
        if args.json:
            Path(args.json).write_text(json.dumps({"server": server, "browser": browser, "pdf_get_s": get_s}, indent=1))
        return 0
    finally:
        if proc is not None:
            stop_server(proc)
        if tmp is not None:
            tmp.cleanup()


def print_table(server: dict, browser: dict | None, served: int, get_s: float) -> None:
    def row(name: str, values: list[float], target: bool = True):
        done = sorted(values)
        over = bool(done) and percentile(done, 95) > TARGET_S
        verdict = ("MISSED" if over else "ok") if target and done else ""
        print(f"  {name:44s} n={len(done):3d}  {stats(done)}  {verdict}")

    print(f"\nviewer benchmark ({os.cpu_count()} cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}; target p95 ≤ 1 s)")
    print("server side (in process):")
    row("viewer_html", server["times"]["viewer_html"])
    row("on_view (handler of 'Open in document')", server["times"]["on_view"])
    sizes = sorted(server["html_bytes"])
    print(f"  viewer HTML: {sizes[0] / 1024:.0f}-{sizes[-1] / 1024:.0f} KiB; PDF file {server['pdf_bytes'] / 1024:.0f} KiB")
    print(f"  PDF over HTTP (one GET on loopback): {served / 1024:.0f} KiB in {get_s * 1000:.0f} ms")
    if browser is None:
        return
    print(
        f"browser (headless Chromium; navigator.pdfViewerEnabled = {browser.get('pdf_viewer')}; "
        f"opened via {', '.join(f'{k} ×{v}' for k, v in browser['methods'].items()) or '-'}):"
    )
    row("click → viewer text in the page (not scrolled)", browser["shown"])
    row("click → viewer text, page passage visible", browser["text"])
    row("click → PDF response complete", browser["pdf response"])
    row("click → iframe load event", browser["iframe load"])
    runs, reqs = browser["runs"], browser["pdf"]
    statuses = sorted({str(x["status"]) for x in reqs})
    more = [r for r in runs if len(r["pdf_requests"]) > 1]
    print(
        f"  PDF requests: {len(reqs)} for {len(runs)} clicks (status {', '.join(statuses) or '-'}; "
        f"{sum(x['bytes'] for x in reqs) / max(1, len(reqs)) / 1024:.0f} KiB each on average); "
        f"{len(more)} clicks fetched more than once"
    )
    if more:  # what the extra fetches were (the PDF viewer's own requests)
        print("    e.g. page", more[0]["page"], ":", more[0]["pdf_requests"])
    print(
        "  per click: iframes created "
        + "/".join(str(r["frames"]) for r in runs)
        + "; iframe src changed "
        + "/".join(str(r["src_changes"]) for r in runs)
    )
    for e in browser["errors"][:10]:
        print("  error:", e)


if __name__ == "__main__":
    sys.exit(main())
