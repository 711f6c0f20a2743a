"""Make the README screenshots: chat (a source marked via its chip), document viewer, staff table, phone.

    .venv/bin/python docs/make_screenshot.py [--index-dir indexes] [--question "…"] [--out-dir docs]

Writes screenshot-chat.png, screenshot-viewer.png, screenshot-moties.png and screenshot-phone.png.

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

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-dir")
    ap.add_argument("--question", default="Hoeveel kinderen hebben een te laag geboortegewicht?")
    ap.add_argument("--out-dir", default=str(ROOT / "docs"))
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
    out = Path(args.out_dir)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
            page.goto(f"http://127.0.0.1:{port}/", wait_until="load")
            box = page.locator("#vraag textarea")
            box.fill(args.question)
            box.press("Enter")
            page.wait_for_selector("#bronnen mark", timeout=30_000)
            chips = page.locator("#gesprek a.chip")
            chips.nth(chips.count() - 1).click()  # the last source, marked in the panel
            page.wait_for_timeout(400)
            page.evaluate(
                "window.scrollTo(0, document.querySelector('#gesprek').getBoundingClientRect().top + window.scrollY - 20)"
            )
            page.screenshot(path=str(out / "screenshot-chat.png"))
            page.locator("#bronnen a.open-doc").first.click()
            page.wait_for_selector("#viewer .viewer-doel")
            page.wait_for_timeout(400)
            page.screenshot(path=str(out / "screenshot-viewer.png"))
            page.get_by_role("tab", name="Moties").click()
            page.locator("#moties th button", has_text="deadline").click()
            page.wait_for_timeout(200)
            page.screenshot(path=str(out / "screenshot-moties.png"), full_page=True)
            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
            phone.goto(f"http://127.0.0.1:{port}/", wait_until="load")
            phone.locator("#vraag textarea").fill(args.question)
            phone.locator("#vraag textarea").press("Enter")
            phone.wait_for_selector("#gesprek a.chip", timeout=30_000)
            phone.locator("#gesprek a.chip").first.click()
            phone.wait_for_timeout(400)
            phone.evaluate("window.scrollBy(0, -260)")  # the answer's last lines above the opened source
            phone.screenshot(path=str(out / "screenshot-phone.png"))
            browser.close()
    finally:
        demo.close()
    print(f"geschreven: {out}/screenshot-{{chat,viewer,moties,phone}}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
