"""Documents added through the web app: checks with Dutch reasons, safe names, the manifest edited
in place, and the background ingest that makes a new document answer (issue 12, "Upload")."""

from __future__ import annotations

import hashlib
import threading
import tomllib

import numpy as np
import pytest

from assistant.corpus import read_manifest
from assistant.settings import Settings
from assistant.upload_jobs import UploadBusy, service_for
from assistant.uploads import ADDED, SKIPPED, WAITING, Item, check, iso_date, known_kinds, safe_name, write_manifest

GOOD_TXT = (
    "Raadsinformatiebrief wachtlijst logopedie\n\n"
    "Het college meldt dat de wachtlijst voor logopedie bij jeugdigen in Voorbeeldstad is gegroeid tot "
    "37 kinderen. De gemiddelde wachttijd voor logopedie bedraagt veertien weken.\n"
)
QUESTION = "Hoeveel kinderen staan op de wachtlijst voor logopedie?"
OTHER_TXT = "Beleidsplan sport\n\nDe gemeente stimuleert sport voor alle inwoners met een sportpas.\n"


class HashEmbedder:
    """Bag-of-words vectors (hashed words): cheap, deterministic, and similar texts are similar."""

    name = "hash"
    window = 512
    dim = 64

    def count_tokens(self, text: str) -> int:
        return 2 * len(text.split()) + 2

    def embed_batch(self, texts, is_query=False):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def embed_query(self, text):
        return self.embed_batch([text], True)[0]


@pytest.fixture
def site(tmp_path):
    """A tiny corpus with one document, its index, an assistant on it and the upload service."""
    from assistant.api import Assistant
    from assistant.index import Index, build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sport.txt").write_text(OTHER_TXT, encoding="utf-8")
    (corpus / "manifest.toml").write_text(
        '# metadata\n["sport.txt"]\ntitle = "Sport"\ndate = 2020-05-01  # een TOML-datum\nkind = "beleidsplan"\n',
        encoding="utf-8",
    )
    settings = Settings.load(index_dir=tmp_path / "idx", corpus_dir=corpus, feedback_db=tmp_path / "fb.sqlite3")
    fake = HashEmbedder()
    build_index(settings, corpus, embedder=fake)
    bot = Assistant(settings, Index.open(settings), fake)
    service = service_for(bot, embedder=fake)  # the one the web app's handlers use
    return settings, corpus, bot, service


def _reasons(settings, corpus, items, hashes=None):
    return {o.name: (o.status, o.reason) for o, _ in check(items, corpus, settings, known_kinds(), hashes or {})}


def test_names_are_made_safe():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\anna\\Nota raad.pdf") == "Nota raad.pdf"
    assert safe_name("rapport:2024<1>.md") == "rapport_2024_1_.md"
    assert safe_name("Café  jeugd.txt") == "Café jeugd.txt"
    assert safe_name(".verborgen.txt") == "" and safe_name("..") == "" and safe_name("") == ""
    long = safe_name("a" * 300 + ".pdf")
    assert long.endswith(".pdf") and len(long) == 120


def test_each_bad_file_gets_a_dutch_reason(site):
    settings, corpus, _, _ = site
    (corpus / "uploads").mkdir()
    (corpus / "uploads" / "bestaat.txt").write_text(GOOD_TXT)
    items = [
        Item("nota.docx", b"PK\x03\x04"),
        Item(".verborgen.txt", GOOD_TXT.encode()),
        Item("leeg.txt", b""),
        Item("nep.pdf", b"<html>geen pdf</html>"),
        Item("binair.txt", bytes(range(256)) * 20),
        Item("README.md", GOOD_TXT.encode()),
        Item("Bestaat.TXT", GOOD_TXT.encode()),
        Item("datum.txt", b"Een brief over jeugdhulp.", date="31-02-2024"),
        Item("soort.txt", b"Nog een brief over jeugdhulp.", kind="roman"),
        Item("goed.txt", GOOD_TXT.encode(), date="7-10-2024", kind="raadsinformatiebrief", title="  Brief\tlogopedie \n"),
        Item("kopie.txt", GOOD_TXT.encode()),
        Item("al-geindexeerd.txt", OTHER_TXT.encode()),
    ]
    reasons = _reasons(settings, corpus, items, {hashlib.sha256(OTHER_TXT.encode()).hexdigest(): "Sport"})
    assert "niet ondersteund" in reasons["nota.docx"][1]
    assert "verborgen" in reasons[".verborgen.txt"][1]
    assert reasons["leeg.txt"][1] == "leeg bestand"
    assert "%PDF" in reasons["nep.pdf"][1]
    assert "binair" in reasons["binair.txt"][1]
    assert "overgeslagen" in reasons["README.md"][1] and "README*" in reasons["README.md"][1]
    assert "er staat al een bestand" in reasons["Bestaat.TXT"][1]  # case-insensitive: one name, one file
    assert "ongeldige datum" in reasons["datum.txt"][1]
    assert "onbekende soort 'roman'" in reasons["soort.txt"][1] and "raadsbesluit" in reasons["soort.txt"][1]
    assert reasons["goed.txt"] == (WAITING, "")
    assert "dubbel" in reasons["kopie.txt"][1] and "goed.txt" in reasons["kopie.txt"][1]
    assert "staat al in de documenten" in reasons["al-geindexeerd.txt"][1] and "Sport" in reasons["al-geindexeerd.txt"][1]
    assert sum(status == SKIPPED for status, _ in reasons.values()) == len(items) - 1
    # too large for [index] max_file_mb
    small = Settings.load(index_dir=settings.index_dir, corpus_dir=corpus, index={"max_file_mb": 0.001})
    assert "te groot" in _reasons(small, corpus, [Item("groot.txt", GOOD_TXT.encode() * 20)])["groot.txt"][1]


def test_dates():
    assert iso_date("") == "" and iso_date("2024-10-07") == "2024-10-07" and iso_date("2024-10") == "2024-10"
    assert iso_date("7-10-2024") == "2024-10-07" and iso_date("2024") == "2024"
    assert iso_date("2024-13-01") is None and iso_date("gisteren") is None and iso_date("2024-02-30") is None


def test_manifest_is_merged_keeping_entries_comments_and_toml_dates(site):
    _, corpus, _, _ = site
    write_manifest(corpus, {"uploads/a.pdf": {"title": 'Nota "A"\\b', "date": "2024-10-07", "kind": "motie"}}, "door anna")
    text = (corpus / "manifest.toml").read_text()
    assert text.startswith("# metadata\n") and "# een TOML-datum" in text
    assert '["uploads/a.pdf"]  # door anna' in text and "date = 2024-10-07\n" in text  # an unquoted TOML date
    data = tomllib.loads(text)
    assert data["sport.txt"]["title"] == "Sport" and data["uploads/a.pdf"]["title"] == 'Nota "A"\\b'
    manifest = read_manifest(corpus)
    assert manifest["uploads/a.pdf"]["date"] == "2024-10-07" and manifest["sport.txt"]["date"] == "2020-05-01"
    # the same key again: replaced in place, not added twice; then another key
    write_manifest(corpus, {"uploads/a.pdf": {"title": "Nota A", "date": "2024"}, "uploads/b.md": {}})
    text = (corpus / "manifest.toml").read_text()
    assert text.count('["uploads/a.pdf"]') == 1 and 'date = "2024"' in text
    assert read_manifest(corpus)["uploads/a.pdf"] == {"title": "Nota A", "date": "2024"}
    assert "uploads/b.md" in read_manifest(corpus)
    write_manifest(corpus, {"uploads/a.pdf": None})  # dropped again
    assert "uploads/a.pdf" not in read_manifest(corpus) and read_manifest(corpus)["sport.txt"]["title"] == "Sport"
    # a broken manifest is never overwritten
    (corpus / "manifest.toml").write_text('["x.txt"\ntitle = 1\n')
    with pytest.raises(ValueError, match="geen geldige TOML"):
        write_manifest(corpus, {"uploads/c.txt": {"title": "C"}})
    assert (corpus / "manifest.toml").read_text() == '["x.txt"\ntitle = 1\n'


def test_a_corrupt_pdf_is_reported_per_file_and_a_good_text_answers(site):
    settings, corpus, bot, service = site
    assert not bot.ask(QUESTION).answered
    stages = []
    job = service.submit(
        [
            Item("kapot.pdf", b"%PDF-1.7\n" + b"\x00\xff rommel " * 200),
            Item(
                "logopedie.txt", GOOD_TXT.encode(), title="Brief over logopedie", date="2024-03-01", kind="raadsinformatiebrief"
            ),
            Item("nota.docx", b"PK"),
        ],
        user="mo",
    )
    while job.running:
        stages.append(job.stage)
        threading.Event().wait(0.01)
    assert job.state == "klaar", job.error
    assert job.percent == 100 and job.message().startswith("Klaar")
    files = {f.name: f for f in job.files}
    assert files["logopedie.txt"].status == ADDED and files["logopedie.txt"].title == "Brief over logopedie"
    assert files["logopedie.txt"].passages >= 1 and files["logopedie.txt"].stored == "uploads/logopedie.txt"
    assert files["kapot.pdf"].status == SKIPPED and "PDF" in files["kapot.pdf"].reason
    assert files["nota.docx"].status == SKIPPED and "niet ondersteund" in files["nota.docx"].reason
    # the failed file is taken out again; the good one stays, with its manifest entry
    assert sorted(p.name for p in (corpus / "uploads").iterdir()) == ["logopedie.txt"]
    manifest = read_manifest(corpus)
    assert "uploads/kapot.pdf" not in manifest and manifest["uploads/logopedie.txt"]["kind"] == "raadsinformatiebrief"
    assert "door mo" in (corpus / "manifest.toml").read_text()
    # the running assistant answers from the new document
    answer = bot.ask(QUESTION)
    assert answer.answered and "37 kinderen" in answer.answer
    assert answer.citations[0].title == "Brief over logopedie" and answer.citations[0].date == "2024-03-01"
    assert {d["doc_id"] for d in bot.documents()} == {"sport", "logopedie"}
    # the same file again is refused: it is already a document
    again = service.submit([Item("logopedie-2.txt", GOOD_TXT.encode())])
    assert again.state == "klaar" and "staat al in de documenten" in again.files[0].reason
    assert set(job.to_dict()) >= {"id", "state", "percent", "message", "files"}


def test_one_job_at_a_time(site, monkeypatch, tmp_path):
    import gradio as gr

    from assistant.ui.upload import on_upload, on_upload_resume, on_upload_status

    settings, corpus, bot, service = site
    gate = threading.Event()
    real = service._build

    def slow(job):
        gate.wait(10)
        return real(job)

    monkeypatch.setattr(service, "_build", slow)
    first = service.submit([Item("een.txt", GOOD_TXT.encode())])
    assert first.running and service.current() is first
    with pytest.raises(UploadBusy, match="al documenten verwerkt"):
        service.submit([Item("twee.txt", OTHER_TXT.replace("sport", "muziek").encode())])
    assert not (corpus / "uploads" / "twee.txt").exists()  # nothing stored for a refused request
    # in the web app: the refusal is a message; a page (re)loaded meanwhile shows the running job
    two = tmp_path / "twee.txt"
    two.write_text(OTHER_TXT.replace("sport", "muziek"))
    shown = on_upload(bot, [str(two)], "", "", "", "")
    assert "al documenten verwerkt" in shown[0] and shown[2] == gr.update()
    progress, _, job_id, timer = on_upload_resume(bot)
    assert job_id == first.id and timer.active and "<progress" in progress
    gate.set()
    assert service.wait(first).state == "klaar"
    assert on_upload_resume(bot)[2] == gr.update()  # nothing running: the page is left as it is
    progress, results, timer, kinds, docs, orgs = on_upload_status(bot, first.id)
    assert "Klaar" in progress and "Toegevoegd" in results and not timer.active
    assert "een" in [value for _, value in docs["choices"]]  # the chat's document filter knows it now
    with pytest.raises(ValueError, match="Kies eerst"):
        service.submit([])


def test_a_failed_build_leaves_the_index_answering(site, monkeypatch):
    settings, corpus, bot, service = site

    def broken(*args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr("assistant.upload_jobs.build_index", broken)
    job = service.wait(service.submit([Item("logopedie.txt", GOOD_TXT.encode())]))
    assert job.state == "mislukt" and "schijf vol" in job.message()
    assert job.files[0].status == SKIPPED and "opgeslagen" in job.files[0].reason
    assert bot.search("sport") and {d["doc_id"] for d in bot.documents()} == {"sport"}


def test_progress_and_results_are_escaped_dutch_html(site):
    from assistant.ui.upload import progress_html, results_html
    from assistant.upload_jobs import Job
    from assistant.uploads import Outcome

    job = Job("j1", stage="embedden", done=3, total=12)
    job.files = [
        Outcome('<img src=x onerror="alert(1)">.txt', SKIPPED, "bestandstype .exe wordt niet ondersteund"),
        Outcome("nota.pdf", ADDED, title="Nota <b>jeugd</b>", passages=1),
    ]
    bar = progress_html(job)
    assert '<progress max="100" value="41"' in bar and "Passages embedden (3 van 12) — 41 %" in bar
    table = results_html(job)
    assert "<img" not in table and "&lt;img" in table and "&lt;b&gt;jeugd" in table
    assert "1 van 2 toegevoegd" in table and "Overgeslagen" in table and "(1 passage)" in table
    assert "Kies eerst" in progress_html(message="Kies eerst een bestand.") and results_html(None) == ""
