"""Real documents of other publishers (../shared/realdocs): loading, scans, organisation, motion tables.

No embedding here: load/clean/chunk and the record extraction are called directly.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from assistant.corpus import describe, infer_organisation, read_manifest, scan
from assistant.ingest import ocr
from assistant.ingest.chunk import Page, chunk
from assistant.ingest.clean import clean
from assistant.ingest.load import LoadError, _has_images, load, needs_ocr, text_quality
from assistant.ingest.records import motions
from assistant.settings import ROOT


def _shared() -> Path:
    for candidate in (os.environ.get("ASSISTANT_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "realdocs").is_dir():
            return Path(candidate)
    return Path("/nonexistent")


REAL = _shared() / "realdocs"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/realdocs ontbreekt (set ASSISTANT_SHARED_DIR)")
SCANS = ["lnv-beslisnota-moties-nitraat-scan-2021-11-12.pdf", "financien-nota-moties-herstel-scan-2023-11-24.pdf"]
ENCRYPTED = [
    "denhaag-raadsvoorstel-beleidskader-jeugd-2024-12-24.pdf",
    "denhaag-raadsvoorstel-beleidsplan-welzijnswerk-2025-02-06.pdf",
    "denhaag-raadsvoorstel-begroting-ipp-haaglanden-2025-05-06.pdf",
    "denhaag-motie-jeugdhulp-2025-03-13.pdf",
]


@pytest.fixture
def no_ocr(monkeypatch):
    """A machine without an OCR engine (and quick tests that are about something else)."""

    def unavailable():
        raise ocr.OcrUnavailable("geen OCR in deze test; installeer tesseract-ocr-nld")

    monkeypatch.setattr(ocr, "engine", unavailable)


def _passages(path: Path, manifest: dict | None = None):
    raw = load(path)
    info = describe(path, path.parent, manifest or {}, "\n".join(p.text for p in raw.pages), raw.meta)
    passages = chunk(info, [Page(p.number, clean(p.text)) for p in raw.pages], lambda t: 2 * len(t.split()), 150, 480)
    for p in passages:
        p.organisation = info.organisation
    return info, passages


def test_the_encrypted_pdfs_are_read():
    from pypdf import PdfReader

    for name in ENCRYPTED:
        assert PdfReader(REAL / name).is_encrypted  # the trap is still there
        doc = load(REAL / name)
        assert len(doc.pages) >= 1 and sum(len(p.text) for p in doc.pages) > 500, name


def test_readme_is_ignored_and_the_manifest_is_never_a_document():
    docs, other = scan(REAL)
    names = {p.name for p in docs}
    assert "README.md" not in names and "manifest.toml" not in names
    assert len(names) == 19
    assert [(Path(o["path"]).name, o["reason"].split(" ")[0]) for o in other] == [("README.md", "genegeerd")]


def test_born_digital_pages_are_never_judged_scans(no_ocr):
    for path in sorted(REAL.glob("*.pdf")):
        if path.name in SCANS:
            continue
        from pypdf import PdfReader

        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        for page in reader.pages[:12]:
            assert not needs_ocr(page.extract_text() or "", _has_images(page)), path.name


def test_the_noisy_ocr_layer_is_detected():
    from pypdf import PdfReader

    pages = PdfReader(REAL / SCANS[1]).pages
    judged = [(text_quality(p.extract_text()), needs_ocr(p.extract_text(), _has_images(p))) for p in pages]
    long_pages = [(q, flag) for q, flag in judged if q["words"] >= 40]
    assert len(long_pages) == 3 and all(flag for _, flag in long_pages)
    assert all(q["punctuation"] < 0.02 for q, _ in long_pages)


def test_scans_without_an_ocr_engine_are_skipped_with_the_package_named(no_ocr):
    with pytest.raises(LoadError, match="tesseract-ocr-nld"):
        load(REAL / SCANS[0])
    doc = load(REAL / SCANS[1])  # its own (poor) OCR layer is kept, with a warning
    assert doc.warnings and "tesseract-ocr-nld" in doc.warnings[0] and not doc.ocr


@pytest.mark.slow
@pytest.mark.skipif(not ocr.available(), reason="geen OCR-engine: installeer tesseract-ocr-nld en ghostscript")
@pytest.mark.parametrize(
    "name, pages, words",
    [
        (SCANS[0], [1, 2], ["Nitraatrichtlijn", "Aanleiding", "geadviseerd"]),
        (SCANS[1], [1, 2, 3, 4], ["Daarnaast", "Bijlagen", "BESLISSING"]),
    ],
)
def test_scans_are_ocrd_in_dutch_and_cached(tmp_path, name, pages, words):
    t0 = time.perf_counter()
    doc = load(REAL / name, ocr_cache=tmp_path / "ocr")
    first = time.perf_counter() - t0
    assert doc.ocr["pages"] == pages and doc.ocr["seconds"] > 0 and not doc.ocr["cached"]
    text = "\n".join(p.text for p in doc.pages)
    for word in words:  # the FineReader layer had "Oaarnaast", "Bijiagen", "BESLI5SING"
        assert word in text, word
    assert text_quality(doc.pages[0].text)["punctuation"] > 0.02
    t0 = time.perf_counter()
    again = load(REAL / name, ocr_cache=tmp_path / "ocr")
    assert again.ocr["cached"] == pages and again.ocr["seconds"] == 0
    assert [p.text for p in again.pages] == [p.text for p in doc.pages]
    assert time.perf_counter() - t0 < first / 3  # only pypdf's own reading is left


@pytest.mark.parametrize(
    "name, organisation",
    [
        ("denhaag-raadsvoorstel-beleidskader-jeugd-2024-12-24.pdf", "gemeente Den Haag"),
        ("denhaag-raadsvoorstel-beleidsplan-welzijnswerk-2025-02-06.pdf", "gemeente Den Haag"),
        ("denhaag-raadsvoorstel-begroting-ipp-haaglanden-2025-05-06.pdf", "gemeente Den Haag"),
        ("denhaag-besluitenlijst-raad-2025-03-13.pdf", "gemeente Den Haag"),
        ("denhaag-motie-jeugdhulp-2025-03-13.pdf", "gemeente Den Haag"),
        ("denhaag-raadsinformatiebrief-afdoening-motie-jeugdhulp-2025-07-17.pdf", "gemeente Den Haag"),
        ("denhaag-notulen-raad-2025-03-13.pdf", "gemeente Den Haag"),
        ("denhelder-besluitenlijst-raad-2015-06-29.pdf", "gemeente Den Helder"),
        ("vng-procesafspraken-lta-jeugdhulp-2025-02.pdf", "VNG"),
    ],
)
def test_organisation_is_inferred_without_the_manifest(name, organisation):
    doc = load(REAL / name)
    info = describe(REAL / name, REAL, {}, "\n".join(p.text for p in doc.pages))
    assert info.organisation == organisation


def test_organisation_of_a_ministry_letterhead_and_of_the_manifest():
    assert infer_organisation("Ministerie van Landbouw,\nNatuur en Voedselkwaliteit\n\nAan de Minister") == (
        "Ministerie van Landbouw, Natuur en Voedselkwaliteit"
    )
    assert infer_organisation("De raad van de gemeente Bergen op Zoom;\n\ngelet op ...\n\nbesluit:") == "gemeente Bergen op Zoom"
    assert infer_organisation("Een tekst zonder afzender over gemeenten in het algemeen.") == ""
    info = describe(REAL / "wet-wmo-2015.md", REAL, read_manifest(REAL), "tekst")
    assert info.organisation == "Rijksoverheid"


@pytest.mark.parametrize("name", ["actieplan-2019.txt", "raadsbesluit-2024-086688.txt", "webpagina-jeugdhulp.txt"])
def test_bundled_corpus_organisation_is_inferred(name):
    text = (ROOT / "corpus" / name).read_text()
    assert describe(ROOT / "corpus" / name, ROOT / "corpus", {}, text).organisation == "gemeente Zoetermeer"


def test_den_haag_motion_table():
    """Read from the PDF by hand: 65 rows of moties/amendementen over agenda items K to AC."""
    _, passages = _passages(REAL / "denhaag-besluitenlijst-raad-2025-03-13.pdf")
    found = {m.label: m for m in motions(passages)}
    assert len(found) == 65
    q1 = found["Q.1"]
    assert (q1.number, q1.kind, q1.party, q1.result) == ("321647", "motie", "HvDH", "aangenomen")
    assert q1.title == "Wat is jeugdhulp en wie betaalt ervoor?" and q1.page == 4
    assert q1.organisation == "gemeente Den Haag" and q1.doc_date == "2025-03-13"
    assert found["K.1"].result == "verworpen" and found["K.1"].title.endswith("“ik heb gestemd”")
    # pypdf put the result column first on these rows
    assert (found["K.10"].result, found["K.10"].title) == ("aangehouden", "Zomerse start voor de gemeenteraadsverkiezingen")
    assert (found["O.A"].kind, found["O.A"].result) == ("amendement", "ingetrokken")
    assert found["W.1"].result == "aangehouden" and found["W.1"].title == "Venstertijden in Morgenstond"
    assert found["L.2"].result == "staken" and found["L.2"].party == "GL (ondt)"
    assert found["L.B"].kind == "amendement" and found["L.B"].result == "aangenomen"
    assert "O.1" not in found  # "Er is geen motie O.1"


def test_den_helder_narrative_decisions():
    _, passages = _passages(REAL / "denhelder-besluitenlijst-raad-2015-06-29.pdf")
    found = {m.label: m for m in motions(passages)}
    assert set(found) == {"A8.1", "A9.1", "16"}
    assert (found["A8.1"].kind, found["A8.1"].result) == ("amendement", "aangenomen")
    assert found["A9.1"].result == "aangehouden"
    assert (found["16"].kind, found["16"].result, found["16"].votes) == ("motie", "aangenomen", "16 voor, 14 tegen")
    assert found["16"].title.startswith("met betrekking tot de herverdeling van taken")


def test_bundled_update_motions_are_unchanged():
    manifest = read_manifest(ROOT / "corpus")
    _, passages = _passages(ROOT / "corpus" / "update-actieplan-2022.txt", manifest)
    found = {m.number: m for m in motions(passages)}
    assert len(found) == 12 and found["2106-18"].title == "Jeugdzorg - Bewezen effectief"
    assert all(m.result == "" and m.label == "" for m in found.values())
