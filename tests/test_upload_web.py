"""Adding documents in the web app (issue 12, "Upload"), served as `assistant serve` serves it with
users and roles, on a copy of the seed corpus and index (the real embedder embeds only the new files):
the roles over HTTP, and in Chromium: upload a PDF and a corrupt PDF, follow the progress, read the
result per file, ask a question the new PDF answers, and run axe-core on the tab."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import httpx
import pytest
from helpers import served

from assistant.server.auth import add_user
from assistant.settings import ROOT, Settings
from assistant.upload_jobs import service_for

PASSWORD = "geheim-wachtwoord"
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
PDF_TEXT = (
    "Raadsinformatiebrief zwemles\n"
    "Het college meldt dat in 2025 precies 412 kinderen uit minimagezinnen gratis zwemles kregen via de "
    "zwemregeling voor jeugdigen. De regeling wordt in 2026 voortgezet."
)
QUESTION = "Hoeveel kinderen kregen gratis zwemles via de zwemregeling?"

pytestmark = pytest.mark.slow


def make_pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 7, text)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def site(seed_settings, tmp_path_factory):
    """The app with users anna (raadslid) and mo (medewerker) on a copy of the seed corpus and index."""
    from assistant import Assistant
    from assistant.index import build_index

    tmp = tmp_path_factory.mktemp("upload-web")
    shutil.copytree(seed_settings.corpus_dir, tmp / "corpus")
    shutil.copytree(seed_settings.index_dir, tmp / "idx", ignore=shutil.ignore_patterns("*.sqlite3", "ingest.lock"))
    settings = Settings.load(index_dir=tmp / "idx", corpus_dir=tmp / "corpus", feedback_db=tmp / "feedback.sqlite3")
    assert build_index(settings).embedded == 0  # the moved corpus reuses every vector
    users = tmp / "users.txt"
    for name, role in (("anna", "raadslid"), ("mo", "medewerker")):
        add_user(users, name, PASSWORD, role)
    bot = Assistant.load(settings)
    with served(bot, settings, auth_file=str(users)) as url:
        yield url, settings, bot, tmp


def _client(url, name):
    from gradio_client import Client

    return Client(url + "/", auth=(name, PASSWORD), verbose=False, download_files=False)


def test_only_roles_with_the_upload_right_may_add_documents(site):
    from gradio_client import handle_file

    url, settings, bot, tmp = site
    note = tmp / "fietsplan.txt"
    note.write_text("Nota fietsplan\n\nDe gemeente plaatst in 2025 zeventig nieuwe fietsenrekken bij scholen.\n")
    anna, mo = _client(url, "anna"), _client(url, "mo")
    # the upload route is closed to a raadslid: the file never reaches the server's disk
    with pytest.raises(httpx.HTTPStatusError, match="403"):
        anna.predict([handle_file(str(note))], "", "", "", "", api_name="/ui_upload")
    cookies = httpx.post(url + "/login", data={"username": "anna", "password": PASSWORD}).cookies
    r = httpx.post(url + "/gradio_api/upload", files={"files": ("x.txt", b"tekst")}, cookies=cookies)
    assert r.status_code == 403 and "Geen toegang" in r.json()["detail"]
    # and so is the event itself: it leaves the screen as it was, where a medewerker gets an answer
    assert "Kies eerst" not in json.dumps(anna.predict(None, "", "", "", "", api_name="/ui_upload"))
    assert "Kies eerst" in json.dumps(mo.predict(None, "", "", "", "", api_name="/ui_upload"))
    assert not (settings.corpus_dir / "uploads").exists()

    progress, results, *_ = mo.predict([handle_file(str(note))], "", "2025-01-15", "", "", api_name="/ui_upload")
    assert "fietsplan.txt" in results and "<progress" in progress
    job = service_for(bot).latest()
    deadline = time.time() + 300
    while job.running and time.time() < deadline:
        time.sleep(0.2)
    assert job.state == "klaar" and job.files[0].status == "toegevoegd", job.to_dict()
    assert (settings.corpus_dir / "uploads" / "fietsplan.txt").exists()
    assert any(d["doc_id"] == "fietsplan" and d["date"] == "2025-01-15" for d in bot.documents())


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt: run `bash scripts/install-browser.sh`")
def test_upload_in_the_browser_then_ask_the_new_document(site):
    sync_api = pytest.importorskip("playwright.sync_api")
    url, settings, bot, tmp = site
    good = make_pdf(tmp / "zwemles.pdf", PDF_TEXT)
    bad = tmp / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00\xff geen echte pdf " * 100)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            pg = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL").new_page()
            pg.set_default_timeout(60_000)
            pg.goto(url + "/", wait_until="load")
            pg.locator("input[type=text]").fill("mo")
            pg.locator("input[type=password]").fill(PASSWORD)
            pg.get_by_role("button", name=re.compile("^(Login|Inloggen)$")).click()
            pg.wait_for_selector("#vraag textarea")
            assert pg.evaluate("document.documentElement.lang") == "nl"
            pg.get_by_role("tab", name="Documenten toevoegen").click()
            pg.locator("#upload-bestanden input[type=file]").set_input_files([str(good), str(bad)])
            pg.locator("#upload-bestanden td", has_text="kapot").wait_for()  # the name is split: "kapot" ".pdf"
            # Gradio's English (or untranslated) labels of the file field are relabelled in Dutch
            pg.wait_for_function("""() => [...document.querySelectorAll('#upload-bestanden [aria-label]')]
                .every(e => !['Remove this file', 'common.upload', 'File upload'].includes(e.getAttribute('aria-label')))""")
            pg.get_by_label("Datum").fill("2025-11-03")
            pg.locator("#upload-toevoegen").click()
            pg.locator("#upload-voortgang progress").wait_for()
            pg.wait_for_function("document.querySelector('#upload-voortgang').innerText.includes('Klaar')", timeout=300_000)
            table = pg.locator("#upload-resultaat table")
            good_row = table.locator("tr", has_text="zwemles.pdf")
            bad_row = table.locator("tr", has_text="kapot.pdf")
            assert "Toegevoegd" in good_row.inner_text() and "Overgeslagen" in bad_row.inner_text()
            assert "PDF" in bad_row.locator("td").nth(2).inner_text()  # the reason, per file
            ARTIFACTS.mkdir(exist_ok=True)
            top = pg.get_by_role("tab", name="Chat").bounding_box()["y"] - 12
            end = table.bounding_box()
            clip = {"x": 0, "y": top, "width": 1366, "height": end["y"] + end["height"] + 16 - top}
            pg.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True, clip=clip)
            if AXE.exists():
                pg.add_script_tag(path=str(AXE))
                violations = pg.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
                (ARTIFACTS / "axe-upload.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False))
                assert not [v for v in violations if v["impact"] in ("critical", "serious")], violations

            pg.get_by_role("tab", name="Chat").click()
            pg.locator("#vraag textarea").fill(QUESTION)
            pg.locator("#vraag textarea").press("Enter")
            pg.locator("#bronnen", has_text="412").wait_for()
            answer = pg.locator("#gesprek [data-testid=bot]").last.inner_text()
            assert "412 kinderen" in answer
        finally:
            browser.close()
    stored = {p.name for p in (settings.corpus_dir / "uploads").iterdir()}
    assert "zwemles.pdf" in stored and "kapot.pdf" not in stored  # the corrupt file is taken out again


def test_rest_api_adds_documents_for_staff_only(site):
    url, settings, bot, tmp = site
    files = [
        ("files", ("schoolzwemmen.md", b"# Notitie schoolzwemmen\n\nIn 2025 deden 23 basisscholen mee aan schoolzwemmen.\n")),
        ("files", ("plaatje.txt", bytes(range(256)) * 8)),
    ]
    assert httpx.post(url + "/api/documents", files=files).status_code == 401
    anna = httpx.post(url + "/login", data={"username": "anna", "password": PASSWORD}).cookies
    refused = httpx.post(url + "/api/documents", files=files, cookies=anna)
    assert refused.status_code == 403 and "Geen toegang" in refused.json()["detail"]
    assert httpx.get(url + "/api/documents/jobs/x", cookies=anna).status_code == 403

    mo = httpx.Client(base_url=url, timeout=60)
    mo.post("/login", data={"username": "mo", "password": PASSWORD})
    r = mo.post("/api/documents", files=files, data={"kind": "notitie", "date": "2025-06-01"})
    assert r.status_code == 202, r.text  # an unknown kind is a reason per file, not an error of the request
    assert {f["status"] for f in r.json()["files"]} == {"overgeslagen"}
    r = mo.post("/api/documents", files=files, data={"date": "2025-06-01", "organisation": "gemeente Zoetermeer"})
    assert r.status_code == 202, r.text
    job = r.json()
    deadline = time.time() + 300
    while job["state"] == "bezig" and time.time() < deadline:
        time.sleep(0.3)
        job = mo.get(f"/api/documents/jobs/{job['id']}").json()
    files_out = {f["name"]: f for f in job["files"]}
    assert job["state"] == "klaar" and job["percent"] == 100, job
    assert files_out["schoolzwemmen.md"]["status"] == "toegevoegd" and files_out["schoolzwemmen.md"]["doc_id"]
    assert files_out["plaatje.txt"]["status"] == "overgeslagen" and "binair" in files_out["plaatje.txt"]["reason"]
    docs = {d["doc_id"]: d for d in mo.get("/api/documents").json()}
    assert docs[files_out["schoolzwemmen.md"]["doc_id"]]["date"] == "2025-06-01"
    assert mo.get("/api/documents/jobs/bestaat-niet").status_code == 404
    empty = mo.post("/api/documents", data={"title": "x"})
    assert empty.status_code == 422 and "files" in json.dumps(empty.json())


def test_gradio_upload_route_holds_the_file_size_limit(seed_settings):
    """Gradio's own upload route (used by the upload tab) refuses a file over `[index] max_file_mb`
    before it is stored, also for a role that may upload."""
    from assistant import Assistant

    settings = Settings.load(index_dir=seed_settings.index_dir, corpus_dir=seed_settings.corpus_dir, index__max_file_mb=0.001)
    bot = Assistant.load(settings)
    with served(bot, settings) as url:
        small = httpx.post(url + "/gradio_api/upload", files={"files": ("klein.txt", b"x" * 500)}, timeout=30)
        big = httpx.post(url + "/gradio_api/upload", files={"files": ("groot.txt", b"x" * 5000)}, timeout=30)
    assert small.status_code == 200, small.text[:200]
    assert big.status_code == 413, (big.status_code, big.text[:200])
