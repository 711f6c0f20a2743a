"""The chat in a real browser: headless Debian Chromium driven by Playwright (no downloaded browser).

CI installs Chromium with scripts/install-browser.sh; without /usr/bin/chromium the test is skipped.
Saves a screenshot to test-artifacts/chat.png.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
QUESTION = "Hoeveel kinderen hebben een te laag geboortegewicht?"
TIMEOUT_MS = 30_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt: run `bash scripts/install-browser.sh`"),
]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def page(app_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
            pg = context.new_page()
            pg.set_default_timeout(TIMEOUT_MS)
            pg.outside = []  # requests that left this machine (there must be none)
            pg.on("request", lambda r: pg.outside.append(r.url)
                  if urlparse(r.url).hostname not in (None, "127.0.0.1", "localhost") and r.url.startswith("http") else None)
            pg.goto(app_url, wait_until="load")  # not networkidle: Gradio keeps an SSE stream open
            pg.wait_for_selector("#vraag textarea")
            yield pg
        finally:
            browser.close()


def test_chat_answers_with_marked_sources(page, bot, seed_settings):
    expected = bot.ask(QUESTION)
    assert expected.citations, "the seed index should answer the screenshot question"
    first = expected.citations[0]
    cited = _squash(first.text[first.spans[0][0]:first.spans[0][1]])

    box = page.locator("#vraag textarea")
    box.fill(QUESTION)
    box.press("Enter")
    page.wait_for_selector("#bronnen mark")
    page.wait_for_selector("#gesprek .message-row >> nth=1")  # question and answer bubbles

    chat = _squash(page.locator("#gesprek").inner_text())
    assert QUESTION in chat and "[1]" in chat
    sources = _squash(page.locator("#bronnen").inner_text())
    assert "Bronnen" in sources and first.title in sources
    marks = [_squash(t) for t in page.locator("#bronnen mark").all_inner_texts()]
    assert cited in marks, f"cited sentence not highlighted: {cited!r} not in {marks!r}"
    assert box.input_value() == ""

    # "Toon in context": the passage inside its page, cited sentence marked
    page.locator("#context-keuze input").click()
    page.locator("ul[role=listbox] li").first.click()
    page.wait_for_selector("#context .context-passage mark")
    assert cited in _squash(page.locator("#context .context-passage").inner_text())

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    assert (ARTIFACTS / "chat.png").stat().st_size > 10_000

    # 👍 stores the rating of this answer with its comment
    page.locator("#feedback-opmerking textarea").fill("browsertest: duidelijk")
    page.locator("#duim-op").click()
    page.wait_for_function("document.querySelector('#feedback-status').innerText.includes('opgeslagen')")
    with sqlite3.connect(seed_settings.feedback_db) as conn:
        row = conn.execute("SELECT question, rating, comment FROM feedback ORDER BY id DESC LIMIT 1").fetchone()
    assert row == (QUESTION, 1, "browsertest: duidelijk")

    # copy box: the answer with its numbered sources
    page.get_by_text("Kopieer antwoord met bronnen").first.click()
    page.locator("#kopieer").click()
    page.wait_for_function("document.querySelector('#kopieer-tekst textarea').value.includes('Bronnen:')")
    copied = page.locator("#kopieer-tekst textarea").input_value()
    assert copied.startswith(expected.answer.split("\n")[0]) and f"[1] {first.title}" in copied


def test_html_in_a_question_is_shown_as_text(page):
    page.evaluate("window.__xss = 0")
    box = page.locator("#vraag textarea")
    box.fill('<img src=x onerror="window.__xss=1"><b>vet</b> motie 2106-18')
    page.locator("#verstuur").click()
    page.wait_for_function("document.querySelector('#gesprek').innerText.includes('<b>vet</b>')")
    page.wait_for_function("document.querySelector('#bronnen').innerText.includes('2106-18')")
    assert page.evaluate("window.__xss") == 0
    assert page.locator("#gesprek img[src=x]").count() == 0 and page.locator("#gesprek b").count() == 0


def test_no_answer_shows_related_passages_and_nothing_left_the_machine(page):
    box = page.locator("#vraag textarea")
    box.fill("Hoeveel pleeggezinnen zijn er in Zoetermeer?")
    box.press("Enter")
    page.wait_for_function("document.querySelector('#bronnen').innerText.includes('Mogelijk relevant')")
    assert "Hierover staat niets in de documenten." in page.locator("#gesprek").inner_text()
    assert page.locator("#bronnen .bron-gerelateerd").count() >= 1
    assert page.outside == [], f"the page contacted other hosts: {page.outside[:5]}"
