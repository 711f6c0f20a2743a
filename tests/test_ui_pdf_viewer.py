"""The document viewer on a real PDF (made with fpdf2, ingested into its own small index): the viewer names
the page, embeds the original page (`#page=N`), and the app serves that file and nothing beside it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from fpdf import FPDF
from helpers import free_port

pytestmark = pytest.mark.slow

PAGES = [
    "Het voorwoord van de wethouder over de jeugdhulp in de stad en de plannen voor de komende jaren.",
    "De praktijkondersteuner jeugd werkt sinds 2021 bij alle huisartsen. Het aantal verwijzingen daalde.",
    "Bijlage met de cijfers van de wachttijden bij de jeugdbescherming in de regio Haaglanden.",
]


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory):
    from assistant import Assistant
    from assistant.index import build_index
    from assistant.settings import Settings
    from assistant.ui import build_app, launch

    root = tmp_path_factory.mktemp("pdfviewer")
    corpus = root / "corpus"
    corpus.mkdir()
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for body in PAGES:
        pdf.add_page()
        pdf.multi_cell(0, 8, body * 3)
    pdf.output(str(corpus / "voortgang.pdf"))
    (root / "geheim.txt").write_text("niet voor de buitenwereld", encoding="utf-8")
    settings = Settings.load(index_dir=root / "index", corpus_dir=corpus)
    build_index(settings)
    bot = Assistant.load(settings)
    demo = build_app(bot, settings)
    port = free_port()
    launch(demo, port=port, block=False)
    try:
        yield bot, f"http://127.0.0.1:{port}/", root
    finally:
        demo.close()


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # loopback only
            return r.status, r.headers.get("content-type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, "", b""


def test_pdf_passage_opens_at_its_page_with_the_original_served(pdf_app):
    from gradio_client import Client

    bot, url, _root = pdf_app
    hit = bot.search("praktijkondersteuner jeugd huisartsen", k=1)[0]
    assert hit.page == 2
    out = Client(url, verbose=False).predict(f"{hit.id}~0-10", api_name="/ui_view")
    html = out[0] if isinstance(out, (list, tuple)) else out  # (viewer, tab switch) or the viewer alone
    assert "pagina 2 van 3" in html and html.count('<section class="viewer-pagina"') == 3
    assert '<span class="viewer-passage viewer-doel" tabindex="-1"><mark>' in html
    src = re.search(r'<iframe class="viewer-pdf" title="Pagina 2 [^"]*" src="([^"]+)"', html).group(1)
    assert src.endswith("voortgang.pdf?pagina=2#page=2")
    status, ctype, body = _get(url + src.split("#")[0])
    assert status == 200 and ctype.startswith("application/pdf") and body.startswith(b"%PDF")
    secret = url + src.split("#")[0].replace("corpus/voortgang.pdf", "geheim.txt")
    assert _get(secret)[0] in (403, 404)


# Counts the `load` events of the viewer's PDF frame (load does not bubble, but it is seen while capturing).
COUNT_LOADS = """() => { window.__loads = [];
  document.addEventListener('load', (e) => {
    if (e.target.matches && e.target.matches('iframe.viewer-pdf')) window.__loads.push(e.target.getAttribute('src'));
  }, true); }"""
OPEN = """(href) => { const a = document.createElement('a'); a.className = 'open-doc'; a.href = href;
  a.textContent = 'Open in document'; document.body.prepend(a); a.click(); a.remove(); }"""


def test_another_passage_of_the_open_pdf_loads_its_own_page_in_chromium(pdf_app):
    """Gradio keeps the open viewer's iframe and only sets its new `src`: the frame must navigate to the new
    page (a change of the fragment alone leaves Chromium's PDF viewer on the first passage's page)."""
    from test_ui_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium ontbreekt: run `bash scripts/install-browser.sh`")
    sync_api = pytest.importorskip("playwright.sync_api")
    bot, url, _root = pdf_app
    second = bot.search("praktijkondersteuner jeugd huisartsen", k=1)[0]
    third = bot.search("wachttijden jeugdbescherming Haaglanden", k=1)[0]
    assert (second.page, third.page) == (2, 3)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            pg = browser.new_page()
            pg.set_default_timeout(30_000)
            pg.goto(url, wait_until="load")
            pg.wait_for_selector("#vraag textarea")
            pg.evaluate(COUNT_LOADS)
            for hit in (second, third):  # the way the page script opens a source card's "Open in document"
                pg.evaluate(OPEN, "#open=" + quote(hit.id, safe="") + "~")
                pg.wait_for_function(
                    f"document.querySelector('#viewer .viewer-meta')?.textContent.includes('pagina {hit.page} van 3')"
                )
                pg.wait_for_function(f"window.__loads.some((src) => src.endsWith('#page={hit.page}'))", timeout=10_000)
            assert pg.locator("#viewer iframe.viewer-pdf").count() == 1
        finally:
            browser.close()
