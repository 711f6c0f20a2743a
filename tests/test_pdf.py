"""PDF ingestion with real PDFs made by fpdf2: page numbers kept; bad PDFs skipped with a reason."""

import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod

from assistant.index import Index, build_index
from assistant.ingest import load as load_module
from assistant.ingest.load import LoadError, load
from assistant.settings import Settings

PAGES = [
    "Pagina een gaat over de Taskforce Jeugd en het onderzoek naar het hoge gebruik van jeugdhulp.",
    "Pagina twee beschrijft de pleegzorg en de wachttijden bij de jeugdbescherming in de regio.",
    "Pagina drie noemt de motie Buurtgezinnen en de evaluatie van het Servicebureau.",
]


def _pdf(path, pages, encrypt=False, text=True, user_password="geheim", method=EncryptionMethod.RC4):
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for body in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, body * 3)
        else:
            pdf.rect(20, 20, 100, 60, style="F")  # a "scan": drawing only, no text layer
    if encrypt:
        pdf.set_encryption(owner_password="eigenaar", user_password=user_password, encryption_method=method)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def pdf_corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("pdfs")
    _pdf(d / "verslag.pdf", PAGES)
    good = (d / "verslag.pdf").read_bytes()
    (d / "kapot.pdf").write_bytes(good[: len(good) // 3] + b"\x00garbage")
    _pdf(d / "versleuteld.pdf", PAGES[:1], encrypt=True)
    _pdf(d / "scan.pdf", PAGES[:2], text=False)
    (d / "notitie.txt").write_text("Een korte notitie over jeugdhulp in de wijk Meerzicht.\n")
    return d


def test_loader_keeps_page_numbers(pdf_corpus):
    doc = load(pdf_corpus / "verslag.pdf")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert "pleegzorg" in doc.pages[1].text


@pytest.mark.parametrize(
    "name, reason", [("kapot.pdf", "beschadigde"), ("versleuteld.pdf", "versleutelde"), ("scan.pdf", "zonder tekstlaag")]
)
def test_bad_pdfs_raise_a_clear_reason(pdf_corpus, name, reason):
    with pytest.raises(LoadError, match=reason):
        load(pdf_corpus / name)


def test_bad_pdfs_are_skipped_and_the_rest_is_ingested(pdf_corpus, tmp_path):
    settings = Settings.load(index_dir=tmp_path / "idx")
    report = build_index(settings, pdf_corpus)
    skipped = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in report.skipped}
    assert set(skipped) == {"kapot.pdf", "versleuteld.pdf", "scan.pdf"}
    assert report.documents == 2
    index = Index.open(settings)
    pages = {p.page for p in index.passages.values() if p.doc_id == "verslag"}
    assert pages == {1, 2, 3}
    pleeg = [p for p in index.passages.values() if "pleegzorg" in p.text]
    assert pleeg and all(p.page == 2 for p in pleeg)
    # An unchanged corpus with the same bad files is recognised as up to date.
    again = build_index(settings, pdf_corpus)
    assert again.unchanged and again.embedded == 0 and len(again.skipped) == 3


@pytest.mark.parametrize("method", [EncryptionMethod.AES_128, EncryptionMethod.AES_256])
def test_aes_pdf_with_empty_user_password_is_read(tmp_path, method):
    path = _pdf(tmp_path / "aes.pdf", PAGES[:2], encrypt=True, user_password="", method=method)
    doc = load(path)
    assert [p.number for p in doc.pages] == [1, 2] and "pleegzorg" in doc.pages[1].text


def test_aes_pdf_that_needs_a_password_is_skipped_with_that_reason(tmp_path):
    path = _pdf(tmp_path / "aes.pdf", PAGES[:1], encrypt=True, user_password="geheim", method=EncryptionMethod.AES_256)
    with pytest.raises(LoadError, match="wachtwoord"):
        load(path)


def test_a_page_whose_extraction_crashes_falls_back_not_the_document(pdf_corpus, monkeypatch):
    real = load_module._page_text

    def flaky(page):
        if "pleegzorg" in (page.extract_text() or ""):
            raise ZeroDivisionError("kapotte content stream")
        return real(page)

    monkeypatch.setattr(load_module, "_page_text", flaky)
    doc = load(pdf_corpus / "verslag.pdf")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert "Taskforce" in doc.pages[0].text and "Buurtgezinnen" in doc.pages[2].text
    assert "pleegzorg" in doc.pages[1].text  # the layout-mode fallback read page 2
    assert any("pagina 2" in w and "ZeroDivisionError" in w for w in doc.warnings)


def test_an_unexpected_error_in_one_file_is_reported_and_the_rest_ingested(pdf_corpus, tmp_path, monkeypatch):
    """Any exception while loading one file (here a planted one) skips only that file, with its reason."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("verslag.pdf", "notitie.txt"):
        (corpus / name).write_bytes((pdf_corpus / name).read_bytes())
    (corpus / "ontploft.pdf").write_bytes((pdf_corpus / "verslag.pdf").read_bytes())
    real = load_module._load_pdf

    def exploding(path, *args):
        if path.name == "ontploft.pdf":
            raise MemoryError("pypdf kreeg de pagina niet uitgepakt")
        return real(path, *args)

    monkeypatch.setattr(load_module, "_load_pdf", exploding)
    settings = Settings.load(index_dir=tmp_path / "idx")
    report = build_index(settings, corpus)
    assert report.documents == 2
    (bad,) = report.skipped
    assert bad["path"].endswith("ontploft.pdf") and "MemoryError" in bad["reason"]
    assert {p.doc_id for p in Index.open(settings).passages.values()} == {"verslag", "notitie"}


def test_a_crash_after_loading_skips_only_that_file(pdf_corpus, tmp_path, monkeypatch):
    """A failure in cleaning/chunking of one document (not a LoadError) must not stop the ingest either."""
    import assistant.corpus as corpus_module

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("verslag.pdf", "notitie.txt"):
        (corpus / name).write_bytes((pdf_corpus / name).read_bytes())
    real = corpus_module.infer_title

    def broken(text):
        if "Meerzicht" in text:
            raise RuntimeError("metadata kapot")
        return real(text)

    monkeypatch.setattr(corpus_module, "infer_title", broken)
    report = build_index(Settings.load(index_dir=tmp_path / "idx"), corpus)
    assert report.documents == 1
    assert [s["path"].rsplit("/", 1)[-1] for s in report.skipped] == ["notitie.txt"]
    assert "metadata kapot" in report.skipped[0]["reason"]
