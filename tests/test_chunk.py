"""Section paths nest correctly: Hoofdstuk > Artikel, numbered headings by depth."""

from realdocs import bound_tokens, ingest, realdocs

from assistant.corpus import DocumentInfo
from assistant.ingest.chunk import Page, chunk
from assistant.ingest.clean import clean_document


def _passages(*pages: str):
    doc = DocumentInfo("d", None, "Titel", "2024", "regeling", "", "")
    cleaned = clean_document(list(pages))
    return chunk(doc, [Page(i + 1, c) for i, c in enumerate(cleaned.pages)], bound_tokens)


def _section_of(passages, words: str) -> str:
    return next(p.section_title for p in passages if words in p.text)


def test_an_article_is_never_the_child_of_a_numbered_heading():
    ps = _passages(
        "2. Vormen van jeugdhulp en preventie\nDe gemeente biedt vormen van jeugdhulp.\n"
        "Artikel 23. Toegang\n1. Het college beslist over de toegang.\n",
        "Artikel 24. Klachtregeling\n1. Een klacht wordt binnen zes weken behandeld.\n",
    )
    assert _section_of(ps, "vormen van jeugdhulp") == "2. Vormen van jeugdhulp en preventie"
    assert _section_of(ps, "klacht wordt") == "Artikel 24. Klachtregeling"
    assert "1. Een klacht wordt binnen zes weken behandeld." in " ".join(p.text for p in ps)  # the member stays text


def test_chapter_paragraph_article_nest_and_close():
    ps = _passages(
        "Hoofdstuk 1 Algemeen\n§ 1 Begrippen\nArtikel 1.1 Begripsbepalingen\nIn deze regeling wordt verstaan onder jeugdhulp: hulp.\n"
        "Hoofdstuk 2 Toegang\nArtikel 2.1 Melding\nEen melding kan schriftelijk worden gedaan.\n"
        "TOELICHTING\nAlgemeen\n1. Aanleiding\nDeze regeling vervangt de oude.\n"
    )
    assert _section_of(ps, "verstaan onder") == "Hoofdstuk 1 Algemeen > § 1 Begrippen > Artikel 1.1 Begripsbepalingen"
    assert _section_of(ps, "melding kan") == "Hoofdstuk 2 Toegang > Artikel 2.1 Melding"
    assert _section_of(ps, "vervangt de oude") == "TOELICHTING > 1. Aanleiding"


def test_real_regulations_nest_articles_under_their_chapters():
    ps = ingest(realdocs() / "wet-wmo-2015.md")[2]
    paths = {p.section_title for p in ps}
    assert "Hoofdstuk 2 Maatschappelijke ondersteuning > § 1 Opdracht gemeente > Artikel 2.1.1" in paths
    assert not [s for s in paths if s.count("Artikel") > 1 or "Hoofdstuk 1" in s and "Hoofdstuk 2" in s]
    bwb = ingest(realdocs() / "bwb-westbetuwe-regeling-budgetbeheer-2023-12-07.pdf")[2]
    member = next(p for p in bwb if "De directeur is eindverantwoordelijk voor het beheer" in p.text)
    assert member.section_title == "Artikel 2 Aanwijzing budgethouders"


def test_numbered_agenda_items_and_decisions_stay_in_passages():
    _, _, ps = ingest(realdocs() / "denhelder-besluitenlijst-raad-2015-06-29.pdf")
    text = " ".join(p.text for p in ps)
    assert "1. Opening." in text and "17. Sluiting." in text
    assert not [p.section_title for p in ps if p.section_title[:3].rstrip(".").isdigit()]
    _, _, ps = ingest(realdocs() / "denhaag-raadsvoorstel-beleidskader-jeugd-2024-12-24.pdf")
    text = " ".join(p.text for p in ps)
    assert "1. Looptijd: het college stelt voor om het nieuwe beleidskader vast te stellen" in text


def test_table_rows_stay_whole_one_passage_each_across_pages():
    rows = "\n".join(f"32161{n} Motie K.{n} Opkomst verhogen door maatregel {n} Aangenomen" for n in range(1, 5))
    ps = _passages(
        "K Voorstel inzake het experiment nieuw stembiljet bij de verkiezingen\n2026 (RIS321404)\n" + rows,
        "321615 Motie K.5 Opkomst verhogen door een speldje met een tekst\ndie doorloopt Verworpen\nL Voorstel inzake strandbebouwing\n321616 Motie L.1 Strand Aangenomen",
    )
    texts = [p.text for p in ps]
    assert "K Voorstel inzake het experiment nieuw stembiljet bij de verkiezingen 2026 (RIS321404)" in texts
    assert [t for t in texts if "K.2" in t] == ["321612 Motie K.2 Opkomst verhogen door maatregel 2 Aangenomen"]
    assert "321615 Motie K.5 Opkomst verhogen door een speldje met een tekst die doorloopt Verworpen" in texts
    assert "321616 Motie L.1 Strand Aangenomen" in texts  # rows of the same table on the next page
