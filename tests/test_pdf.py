"""PDF ingestion with real PDFs made by fpdf2: page numbers kept; bad PDFs skipped with a reason."""

import pytest
from fpdf import FPDF

from assistant.index import Index, build_index
from assistant.ingest.load import LoadError, load
from assistant.settings import Settings

PAGES = [
    "Pagina een gaat over de Taskforce Jeugd en het onderzoek naar het hoge gebruik van jeugdhulp.",
    "Pagina twee beschrijft de pleegzorg en de wachttijden bij de jeugdbescherming in de regio.",
    "Pagina drie noemt de motie Buurtgezinnen en de evaluatie van het Servicebureau.",
]


def _pdf(path, pages, encrypt=False, text=True):
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for body in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, body * 3)
        else:
            pdf.rect(20, 20, 100, 60, style="F")  # a "scan": drawing only, no text layer
    if encrypt:
        pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
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
    "name, reason",
    [("kapot.pdf", "beschadigde"), ("versleuteld.pdf", "versleutelde"), ("scan.pdf", "zonder tekstlaag")],
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
