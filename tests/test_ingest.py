"""Ingestion of the bundled corpus: metadata, faithful passages, window fit, records."""

import json
import re
import unicodedata

import pytest

from assistant.corpus import describe, infer_date, infer_kind
from assistant.index import Index
from assistant.settings import ROOT


def _norm_stream(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


@pytest.fixture(scope="module")
def index(seed_settings):
    return Index.open(seed_settings)


def test_all_five_documents_with_manifest_metadata(index):
    docs = index.documents
    assert set(docs) == {
        "webpagina-jeugdhulp",
        "actieplan-2019",
        "raadsbesluit-2024-086688",
        "update-actieplan-2022",
        "informatieblad-raadslid",
    }
    assert docs["raadsbesluit-2024-086688"]["date"] == "2024-10-07"
    assert docs["raadsbesluit-2024-086688"]["kind"] == "raadsbesluit"
    assert docs["update-actieplan-2022"]["kind"] == "voortgangsrapportage"


def test_every_passage_carries_its_provenance(index):
    for p in index.passages.values():
        assert p.doc_id and p.title and p.date and p.kind
        page_text = index.pages[p.doc_id][0]["text"]
        assert page_text[p.start : p.end] == p.text  # offsets point at the passage in the cleaned page
    sections = {p.section for p in index.passages.values() if p.doc_id == "actieplan-2019"}
    assert {"2.1.1", "2.4.3", "2.5"} <= sections
    kansrijk = [p for p in index.passages.values() if p.doc_id == "actieplan-2019" and p.section == "2.1.1"]
    assert all("2.1.1 Kansrijke Start" in p.section_title for p in kansrijk)


def test_every_word_of_every_passage_occurs_in_order_in_its_source(index):
    """Cleanup never changes words: each passage word is found in the source, in order, close to the previous one."""
    url_line = re.compile(r"^\s*https?://\S+\s*$", re.M)  # dropped from passages by design, kept as metadata
    sources = {d: _norm_stream(url_line.sub("", (ROOT / "corpus" / f"{d}.txt").read_text())) for d in index.documents}
    for p in index.passages.values():
        words = [w for w in (_norm_stream(w) for w in p.text.split()) if w]
        assert _aligned(sources[p.doc_id], words), p.id


def _aligned(src: str, words: list[str], max_gap: int = 40) -> bool:
    """Some occurrence of the first word starts a chain where each next word follows within max_gap
    characters (only bullet glyphs or OCR debris may lie between two passage words)."""
    start = src.find(words[0])
    while start >= 0:
        pos, ok = start + len(words[0]), True
        for w in words[1:]:
            nxt = src.find(w, pos)
            if nxt < 0 or nxt - pos > max_gap:
                ok = False
                break
            pos = nxt + len(w)
        if ok:
            return True
        start = src.find(words[0], start + 1)
    return False


def test_no_passage_is_truncated_by_the_embedder(index, bot):
    counts = [bot.embedder.count_tokens(p.embed_text()) for p in index.passages.values()]
    assert max(counts) <= 510  # multilingual-e5-small: 512 incl. the "passage: " prefix handling
    words = sorted(len(p.text.split()) for p in index.passages.values())
    assert 100 <= words[len(words) // 2] <= 250  # typical passage: about 100-250 words


def test_urls_are_kept_as_metadata_not_text(index):
    assert not any(re.search(r"https?://", p.text) for p in index.passages.values())
    urls = [u for pg in index.pages["raadsbesluit-2024-086688"] for u in pg["urls"]]
    assert any("hervormingsagenda-jeugd" in u for u in urls)


def test_motion_rows_keep_name_number_and_status_together(index):
    rows = [p for p in index.passages.values() if "2106-18" in p.text]
    assert len(rows) == 1
    assert "Bewezen effectief" in rows[0].text and "31-12-2023" in rows[0].text
    assert "2106-19" not in rows[0].text  # one row per passage


def test_motion_records(index):
    by_number = {m.number: m for m in index.motions}
    assert len(by_number) == 12
    assert by_number["2111-30A"].title == "Jeugd en bewegen"
    assert by_number["2106-17"].done and by_number["2106-17"].date == "2021-12-15"
    assert not by_number["2011-28"].done  # Burgervoogd: afdoening volgt in Q4 2022
    assert by_number["2106-18"].passage_id in index.passages


def test_measure_records_link_the_2022_progress(index):
    by_section = {m.section: m for m in index.measures}
    assert len(by_section) >= 12
    kansrijk = by_section["2.1.1"]
    assert kansrijk.title == "Kansrijke Start" and kansrijk.doc_id == "actieplan-2019"
    assert kansrijk.progress_doc_id == "update-actieplan-2022" and kansrijk.progress_section == "2.1.1"
    assert by_section["2.5"].progress_title.startswith("Herpositionering Veilig Verder Team")


def test_metadata_is_inferred_without_a_manifest_entry(tmp_path):
    f = tmp_path / "brief.txt"
    f.write_text("Raadsinformatiebrief wachttijden jeugdhulp\n\nZoetermeer, 12 maart 2023\n\nDe wachttijden dalen.")
    info = describe(f, tmp_path, {}, f.read_text())
    assert info.title == "Raadsinformatiebrief wachttijden jeugdhulp"
    assert info.date == "2023-03-12"
    assert info.kind == "raadsinformatiebrief"
    assert info.doc_id == "brief"
    assert infer_date("Zoetermeer, april 2019") == "2019-04"
    assert infer_kind("Raadsbesluit over iets") == "raadsbesluit"


def test_build_manifest_is_json_with_counts(seed_settings, index):
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert manifest["passages"] == len(index.passages) > 100
    assert manifest["skipped"] == []
