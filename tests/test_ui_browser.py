"""The web app in a real browser: headless Debian Chromium driven by Playwright (no downloaded browser).

CI installs Chromium and axe-core with scripts/install-browser.sh; without /usr/bin/chromium the tests
are skipped (without axe-core only the accessibility test is). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
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
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
QUESTION = "Hoeveel kinderen hebben een te laag geboortegewicht?"
TIMEOUT_MS = 30_000
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt: run `bash scripts/install-browser.sh`"),
]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _open(browser, app_url, viewport=WIDE, context=None):
    """A page of the app in a fresh browser profile (its own stored conversations), or in `context`."""
    context = context or browser.new_context(viewport=viewport, locale="nl-NL", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.outside = []  # requests that left this machine (there must be none)
    pg.on(
        "request",
        lambda r: (
            pg.outside.append(r.url)
            if urlparse(r.url).hostname not in (None, "127.0.0.1", "localhost") and r.url.startswith("http")
            else None
        ),
    )
    pg.goto(app_url, wait_until="load")  # not networkidle: Gradio keeps an SSE stream open
    pg.wait_for_selector("#vraag textarea")
    return pg


def _ask(pg, question):
    answers = pg.locator("#gesprek [data-testid=bot]").count()
    box = pg.locator("#vraag textarea")
    box.fill(question)
    box.press("Enter")
    pg.wait_for_function(f"document.querySelectorAll('#gesprek [data-testid=bot]').length > {answers}")
    pg.wait_for_function("!document.querySelector('#bezig').classList.contains('actief')")
    return pg.locator("#gesprek [data-testid=bot]").last


def _shot(pg, name, full_page=False):
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=full_page)
    assert (ARTIFACTS / name).stat().st_size > 10_000


@pytest.fixture(scope="module")
def chat(browser, app_url):
    """One page that asked QUESTION (reused by the chat tests, in order)."""
    pg = _open(browser, app_url)
    _ask(pg, QUESTION)
    pg.wait_for_selector("#bronnen mark")
    yield pg
    pg.context.close()


# ---- 1. citation chips ------------------------------------------------------------------------------


def test_chips_lead_to_their_marked_source_and_show_it_on_hover(chat, bot):
    expected = bot.ask(QUESTION)
    first = expected.citations[0]
    cited = _squash(first.text[first.spans[0][0] : first.spans[0][1]])
    chips = chat.locator("#gesprek a.chip")
    assert chips.count() >= len(expected.citations)
    hover = chips.first.get_attribute("title")
    assert first.title in hover and "2022" in hover and cited in _squash(hover)  # title, date, cited sentence
    assert cited in [_squash(t) for t in chat.locator("#bronnen mark").all_inner_texts()]
    # the Dutch label replaces Gradio's "bot's message: <raw markdown>"
    chat.wait_for_function(
        "document.querySelector('#gesprek [data-testid=bot]').getAttribute('aria-label').startsWith('Antwoord: ')"
    )

    last_chip = chips.nth(chips.count() - 1)
    n = re.search(r"-(\d+)$", last_chip.get_attribute("href")).group(1)
    last_chip.click()
    marked = chat.locator("#bronnen .bron.gemarkeerd")
    marked.wait_for()
    assert marked.count() == 1 and marked.get_attribute("id").endswith(f"-{n}")
    assert chat.evaluate("document.activeElement.classList.contains('gemarkeerd')")  # focus moved there too
    chat.wait_for_timeout(300)
    box = marked.bounding_box()
    assert -2 <= box["y"] < WIDE["height"]  # scrolled into view
    _shot(chat, "chat.png")


# ---- 2. answer kinds -----------------------------------------------------------------------------------


def test_answer_kinds_are_shown_and_a_follow_up_says_how_it_was_read(browser, app_url):
    pg = _open(browser, app_url)
    bubble = _ask(pg, "Wat is de status van motie Burgervoogd?")
    assert bubble.locator(".soort-answer").inner_text() == "Antwoord uit de documenten"
    bubble = _ask(pg, "En wanneer is die afgedaan?")
    assert "Opgevat als: En wanneer is die afgedaan?" in _squash(bubble.inner_text())
    bubble = _ask(pg, "Wie is de huidige burgemeester van Amsterdam?")  # absent subject
    assert bubble.locator(".soort-not_found").count() == 1
    pg.wait_for_function("document.querySelector('#bronnen').innerText.includes('Mogelijk relevant')")
    assert pg.locator("#bronnen .bron-gerelateerd").count() >= 1
    assert pg.outside == [], f"the page contacted other hosts: {pg.outside[:5]}"
    pg.context.close()


# ---- 3. document viewer --------------------------------------------------------------------------------


def test_open_in_document_shows_the_whole_document_at_the_passage(chat, app_url):
    card = chat.locator("#bronnen .bron").first
    cited = _squash(card.locator("mark").first.inner_text())
    card.locator("a.open-doc").click()
    target = chat.locator("#viewer .viewer-doel")
    target.wait_for()
    assert chat.locator("#viewer").is_visible() and cited in _squash(target.locator("mark").first.inner_text())
    assert len(chat.locator("#viewer .viewer-doc").inner_text()) > 3 * len(target.inner_text())  # the whole document
    assert "§" in chat.locator("#viewer .viewer-meta").inner_text()  # a text file: its section, not "pagina onbekend"
    link = chat.locator("#viewer .viewer-links a").first
    href = link.get_attribute("href")
    resp = chat.request.get(app_url + href)
    assert resp.status == 200 and cited.split()[0] in resp.text()  # the original file is served
    escape = app_url + href.replace(Path(href).name, "../../../../etc/passwd")
    assert chat.request.get(escape).status in (403, 404)  # and nothing outside the corpus
    _shot(chat, "viewer.png")
    chat.get_by_role("tab", name="Chat").click()


# ---- 7. feedback ----------------------------------------------------------------------------------------


def test_second_rating_changes_the_first(chat, seed_settings):
    comment = f"browsertest {uuid.uuid4().hex[:8]}: eerst negatief"
    chat.locator("#feedback-opmerking textarea").fill(comment)
    chat.locator("#duim-neer").click()
    chat.wait_for_function("document.querySelector('#feedback-status').innerText.includes('negatieve')")
    chat.locator("#duim-op").click()
    chat.wait_for_function("document.querySelector('#feedback-status').innerText.includes('positieve')")
    with sqlite3.connect(seed_settings.feedback_db) as conn:
        rows = conn.execute("SELECT rating, comment FROM feedback WHERE comment = ?", (comment,)).fetchall()
    assert rows == [(1, comment)]


# ---- 4. conversations ----------------------------------------------------------------------------------


def test_conversation_survives_a_reload_and_exports_as_markdown(chat):
    chat.reload(wait_until="load")
    chat.wait_for_selector("#gesprek a.chip")
    assert QUESTION in chat.locator("#gesprek").inner_text()
    assert chat.locator("#bronnen .bron").count() >= 1  # its sources are back as well
    chat.locator("#exporteer-gesprek").click()
    link = chat.locator("#gesprek-bestand a[download]").first
    link.wait_for()
    with chat.expect_download() as info:
        link.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert f"## Vraag: {QUESTION}" in text and "**Bronnen**" in text and "   > " in text
    # "Nieuw gesprek" empties the chat; the old conversation stays in the list and comes back
    chat.locator("#nieuw-gesprek").click()
    chat.wait_for_function("document.querySelectorAll('#gesprek [data-testid=bot]').length === 0")
    # the browser store is written by the event after the clearing one: no current conversation
    chat.wait_for_function("document.querySelector('#eerdere-gesprekken input').value === ''")
    chat.wait_for_timeout(300)
    chat.reload(wait_until="load")
    chat.wait_for_selector("#vraag textarea")
    chat.wait_for_timeout(500)
    assert chat.locator("#gesprek [data-testid=bot]").count() == 0
    chat.locator("#eerdere-gesprekken input").click()
    chat.locator("ul[role=listbox] li", has_text=QUESTION[:30]).first.click()
    chat.wait_for_selector("#gesprek a.chip")


# ---- 5. staff tabs ---------------------------------------------------------------------------------------


def test_staff_tables_sort_filter_open_their_source_and_export_on_request(browser, app_url):
    pg = _open(browser, app_url)
    pg.get_by_role("tab", name="Moties").click()
    table = pg.locator("#moties table")
    table.wait_for()
    numbers = lambda: pg.locator("#moties tbody tr td:first-child").all_inner_texts()
    pg.locator("#moties th button", has_text="nummer").click()
    assert numbers() == sorted(numbers()) and pg.locator("#moties th[aria-sort=ascending]").count() == 1
    pg.locator("#moties th button", has_text="nummer").click()
    assert numbers() == sorted(numbers(), reverse=True)
    pg.locator("#moties th button", has_text="afgedaan op").click()
    pg.get_by_label("open").check()
    pg.wait_for_function("document.querySelector('#moties-filter').innerText.includes('Filter actief: status open')")
    assert pg.locator("#moties tbody tr").count() == 2
    _shot(pg, "moties.png", full_page=True)
    pg.locator("#moties tbody tr").first.click()
    pg.locator("#viewer .viewer-doel").wait_for()
    assert pg.locator("#viewer .viewer-doel").inner_text().strip()

    pg.get_by_role("tab", name="Maatregelen").click()
    pg.locator("#maatregelen table").wait_for()
    poh = pg.locator("#maatregelen tbody tr", has_text="POH-jeugd").first
    assert "geen voortgang gevonden" not in poh.inner_text()
    _shot(pg, "maatregelen.png", full_page=True)

    pg.get_by_role("tab", name="Zoeken").click()
    assert pg.locator("#zoek-bestand a").count() == 0  # nothing written before the user asks
    pg.locator("#zoekterm textarea").fill("wachttijden")
    pg.locator("#zoek").click()
    pg.locator("#zoekresultaten article").first.wait_for()
    assert pg.locator("#zoekresultaten mark").count() >= 1 and pg.locator("#zoekresultaten .relevantie span").count() >= 1
    _shot(pg, "zoeken.png")
    pg.locator("#zoek-export").click()
    link = pg.locator("#zoek-bestand a[download]").first
    link.wait_for()
    with pg.expect_download() as info:
        link.click()
    lines = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("titel;datum;soort;organisatie") and len(lines) >= 2
    assert pg.outside == []
    pg.context.close()


# ---- 1. on a phone -----------------------------------------------------------------------------------------


def test_phone_sources_follow_the_answer(browser, app_url):
    pg = _open(browser, app_url, viewport=PHONE)
    bubble = _ask(pg, QUESTION)
    assert not pg.locator("#bronnen").is_visible()  # no side panel far below the input
    details = bubble.locator("details.bronnen-inline")
    assert details.count() == 1 and details.get_attribute("open") is None
    bubble.locator("a.chip").first.click()
    card = bubble.locator(".bron.gemarkeerd")
    card.wait_for()
    assert details.get_attribute("open") is not None and card.get_attribute("id").startswith("inline-")
    pg.wait_for_timeout(300)
    box = card.bounding_box()
    assert -2 <= box["y"] < PHONE["height"]  # (sub-pixel rounding)
    _shot(pg, "phone.png")
    pg.context.close()


# ---- 6. Dutch and accessible ------------------------------------------------------------------------------


def test_dutch_one_progress_indicator_and_no_english_chrome(browser, app_url):
    pg = _open(browser, app_url)
    assert pg.evaluate("document.documentElement.lang") == "nl"
    assert pg.locator("h1").count() == 1
    # Gradio keeps its (hidden) progress elements in the page: record any that is actually shown
    pg.evaluate("""() => { window.__seen = []; new MutationObserver(() => {
        for (const e of document.querySelectorAll('.progress-text, .meta-text, .meta-text-center, .eta-bar')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && !e.closest('.hidden') && getComputedStyle(e).visibility !== 'hidden'
                && getComputedStyle(e).opacity !== '0') window.__seen.push(e.textContent.trim());
        }
        if (document.querySelector('#bezig.actief')) window.__busy = document.querySelector('#bezig').innerText;
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true}); }""")
    _ask(pg, QUESTION)
    assert pg.evaluate("window.__seen") == [], "Gradio's English progress overlay was shown"
    assert "Bezig" in (pg.evaluate("window.__busy") or "")  # the one Dutch indicator
    assert pg.get_by_text("Use via API").count() == 0 or not pg.get_by_text("Use via API").first.is_visible()
    pg.wait_for_timeout(300)  # the page script relabels after Gradio's render settles
    english = pg.evaluate("""[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))
        .filter(l => /^(chatbot conversation|Clear|bot's message|user's message)/.test(l))""")
    assert english == []
    # focus is visible on the controls (an outline of our own colour)
    pg.locator("#nieuw-gesprek").focus()
    pg.keyboard.press("Tab")
    outline = pg.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    # HTML in a question is shown as text
    pg.evaluate("window.__xss = 0")
    _ask(pg, '<img src=x onerror="window.__xss=1"><b>vet</b> motie 2106-18')
    assert pg.evaluate("window.__xss") == 0 and pg.locator("#gesprek b").count() == 0
    assert pg.outside == []
    pg.context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core ontbreekt: run `bash scripts/install-browser.sh`")
def test_axe_finds_no_serious_violations_on_any_tab(browser, app_url):
    pg = _open(browser, app_url)
    _ask(pg, QUESTION)
    pg.wait_for_selector("#bronnen mark")
    report = {}
    for tab in ("Chat", "Document", "Zoeken", "Moties", "Maatregelen", "Documenten toevoegen"):
        pg.get_by_role("tab", name=tab, exact=True).click()  # "Document" is also in "Documenten toevoegen"
        if tab == "Zoeken":
            pg.locator("#zoekterm textarea").fill("wachttijden")
            pg.locator("#zoek").click()
            pg.locator("#zoekresultaten article").first.wait_for()
        pg.wait_for_timeout(300)
        pg.add_script_tag(path=str(AXE))
        violations = pg.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
        report[tab] = violations
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    bad = {tab: [v for v in vs if v["impact"] in ("critical", "serious")] for tab, vs in report.items()}
    assert not any(bad.values()), bad
    pg.context.close()


# ---- the organisation filter -------------------------------------------------------------------------------


def test_organisation_filter_in_the_chat_panel(browser, two_org_url, app_url):
    """Two organisations: a Dutch-labelled choice whose pick is named above the tabs and limits the sources;
    axe finds nothing serious with the panel open. One organisation (the seed corpus): it is named instead."""
    pg = _open(browser, two_org_url)
    pg.get_by_text("Filters (gelden voor Chat en Zoeken)").click()
    control = pg.get_by_label("Organisatie", exact=True)
    control.click()
    pg.get_by_role("option", name="gemeente Delft").click()
    pg.wait_for_function("document.querySelector('#filters-actief').innerText.includes('organisatie gemeente Delft')")
    assert "Leeg: alle organisaties." in pg.locator("#filter-organisatie").inner_text()
    _shot(pg, "organisatiefilter.png")
    _ask(pg, "Hoe lang wachten kinderen op specialistische jeugdhulp?")
    pg.wait_for_selector("#bronnen mark")
    metas = pg.locator("#bronnen .bron-meta").all_inner_texts()
    assert metas and all(m.startswith("gemeente Delft") for m in metas)
    if AXE.exists():
        pg.add_script_tag(path=str(AXE))
        violations = pg.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['critical', 'serious'].includes(v.impact))
            .map(v => ({id: v.id, nodes: v.nodes.slice(0, 5).map(n => [n.target.join(' '), n.failureSummary])}))""")
        assert violations == []
    assert pg.outside == []
    pg.context.close()

    seed = _open(browser, app_url)
    seed.get_by_text("Filters (gelden voor Chat en Zoeken)").click()
    assert "Organisatie: gemeente Zoetermeer" in seed.locator("#enige-organisatie").inner_text()
    assert seed.get_by_label("Organisatie", exact=True).count() == 0
    seed.context.close()
