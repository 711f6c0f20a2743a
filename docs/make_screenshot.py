"""Make docs/screenshot-chat.png: the chat answering a Dutch question, sources visible.

    .venv/bin/python docs/make_screenshot.py [--index-dir indexes] [--question "…"] [--out docs/screenshot-chat.png]

Needs a built index (`assistant ingest`) and Debian Chromium at /usr/bin/chromium
(`bash scripts/install-browser.sh`). The app runs in-process on a free loopback port.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-dir")
    ap.add_argument("--question", default="Hoeveel kinderen hebben een te laag geboortegewicht?")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshot-chat.png"))
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from assistant import Assistant
    from assistant.settings import Settings, apply_offline_env
    from assistant.ui import build_app, launch

    apply_offline_env()
    settings = Settings.load(index_dir=args.index_dir)
    # feedback from this run must not land in the real feedback database
    settings.feedback_db = Path("/tmp") / "screenshot-feedback.sqlite3"
    demo = build_app(Assistant.load(settings), settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    launch(demo, port=port, block=False)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1360, "height": 860}, locale="nl-NL")
            page.goto(f"http://127.0.0.1:{port}/", wait_until="load")
            box = page.locator("#vraag textarea")
            box.fill(args.question)
            box.press("Enter")
            page.wait_for_selector("#bronnen mark", timeout=30_000)
            page.wait_for_timeout(400)  # let the chat finish scrolling
            page.screenshot(path=args.out)
            browser.close()
    finally:
        demo.close()
    print(f"geschreven: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
