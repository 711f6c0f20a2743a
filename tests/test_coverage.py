"""Coverage: at least 99 % of the word 4-grams of every document's cleaned text reach its passages;
`assistant ingest --json` reports coverage and furniture per document and names a document below 95 %."""

import json

import numpy as np
import pytest
from fpdf import FPDF
from realdocs import bound_tokens, has_text_layer, ingest, realdocs, shared_dir

from assistant.corpus import DocumentInfo, discover
from assistant.ingest import chunk as chunk_module
from assistant.ingest.chunk import Page, chunk
from assistant.ingest.clean import clean_document
from assistant.ingest.coverage import coverage
from assistant.settings import ROOT, Settings


def _documents():
    shared = shared_dir()
    files = discover(shared / "realdocs") if shared else []
    return [*files, *discover(ROOT / "corpus")]


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_nearly_all_text_reaches_the_passages(path):
    if not has_text_layer(path):
        pytest.skip("geen tekstlaag (image-only scan): nothing to measure before OCR")
    _cleaned, pages, passages = ingest(path)
    result = coverage(pages, passages)
    assert result.grams > 100
    assert result.coverage >= 0.99, result.missing


def test_realdocs_are_all_measured():
    names = {p.name for p in _documents()}
    if shared_dir() is None:
        pytest.skip("../shared/realdocs ontbreekt (set ASSISTANT_SHARED_DIR)")
    assert len([n for n in names if n.endswith((".pdf", ".md"))]) >= 19  # the README is not a document
    assert "README.md" not in names


def _doc():
    return DocumentInfo("d", None, "Titel", "2024", "besluitenlijst", "", "")


def _measure(*pages):
    cleaned = clean_document(list(pages))
    ps = [Page(i + 1, c) for i, c in enumerate(cleaned.pages)]
    return ps, chunk(_doc(), ps, bound_tokens, chunk_words=40)


def test_lost_text_lowers_coverage_and_cut_passages_do_not():
    sentences = " ".join(f"Zin {n} gaat over jeugdhulp in wijk {n * 7} en de kosten van {n * 11} euro." for n in range(30))
    pages, passages = _measure(sentences)
    assert len(passages) > 3  # cut into several passages: grams across a cut still count
    assert coverage(pages, passages).coverage == 1.0
    dropped = coverage(pages, passages[:1] + passages[2:])
    assert 0.6 < dropped.coverage < 0.95
    assert " ".join(passages[1].text.lower().split()[:3]) in dropped.missing[0]  # where the loss starts


LONG_HEADING = "1.1 Het college stelt voor de raad te laten besluiten over het landelijke tarief dat\nvan toepassing is op pleegzorg in deze regio vanaf volgend jaar\n"


def test_a_long_heading_is_passage_text_and_counts_as_missing_when_it_is_not(monkeypatch):
    # A multi-level numbered line wraps into a 20-word heading: a statement, kept as passage text too.
    pages, passages = _measure(LONG_HEADING + "Kort.")
    assert passages[0].text.startswith("1.1 Het college stelt voor") and passages[0].section == "1.1"
    assert coverage(pages, passages).coverage == 1.0
    monkeypatch.setattr(chunk_module, "MAX_TITLE_WORDS", 100)  # a chunker that leaves it in the section title only
    pages, passages = _measure(LONG_HEADING + "Kort.")
    assert coverage(pages, passages).coverage < 0.5


def test_real_decision_list_keeps_every_numbered_point():
    _cleaned, _pages, passages = ingest(realdocs() / "denhelder-besluitenlijst-raad-2015-06-29.pdf")
    text = " ".join(p.text for p in passages)
    for n in range(1, 18):
        assert f"{n}. " in text


# ---------------------------------------------------------------- ingest report


class _FakeEmbedder:
    """Cheap vectors (the report is about text, not embeddings)."""

    name = "fake"
    window = 512

    def count_tokens(self, text):
        return bound_tokens(text)

    def embed_batch(self, texts, is_query=False):
        return np.ones((len(texts), 4), dtype=np.float32)


def _letter(path, pages):
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for n, body in enumerate(pages, 1):
        pdf.add_page()
        pdf.multi_cell(0, 6, "Gemeente Voorbeeldstad\nOns kenmerk\nJZ/12345678", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 6, f"Pagina {n} van {len(pages)}")
    pdf.output(str(path))


def test_ingest_json_reports_coverage_furniture_and_names_low_coverage(tmp_path, monkeypatch, capsys):
    from assistant import cli, index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _letter(
        corpus / "brief.pdf", [f"De wachttijd voor jeugdhulp is in kwartaal {n} gedaald tot zes weken. " * 4 for n in range(1, 4)]
    )
    (corpus / "koppen.txt").write_text("".join(LONG_HEADING.replace("1.1", f"1.{n}") + "Kort.\n\n" for n in range(1, 6)))
    monkeypatch.setattr("assistant.embed.make_embedder", lambda settings, threads=None: _FakeEmbedder())
    monkeypatch.setattr(chunk_module, "MAX_TITLE_WORDS", 100)  # a chunker that loses text, to be named
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))

    assert cli.main(["ingest", str(corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    brief = report["layout"]["brief"]
    assert brief["coverage"] == 1.0 and brief["number"] == "JZ/12345678"
    assert "Ons kenmerk" in brief["removed"] and any(r.startswith("Pagina") for r in brief["removed"])
    assert report["low_coverage"] == ["koppen"] and report["layout"]["koppen"]["coverage"] < 0.95

    (corpus / "brief.pdf").touch()  # unchanged content: the summary still names the low document
    assert cli.main(["ingest", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "LAGE DEKKING (low text coverage) koppen" in out and "brief" not in out.split("LAGE DEKKING")[1]
    settings = Settings.load(index_dir=tmp_path / "idx")
    idx = index.Index.open(settings)
    assert not [p for p in idx.passages.values() if "Pagina" in p.text or "kenmerk" in p.text]
