"""Faithful cleanup: whitespace, hyphenation, bullets, ligatures; headings recognised."""

from assistant.ingest.clean import clean


def headings(text):
    return [(b.number, b.text) for b in clean(text).blocks if b.kind == "heading"]


def test_wrapped_lines_join_into_one_paragraph():
    c = clean("De gemeente is verantwoordelijk\nvoor de jeugdhulp in\nZoetermeer.\n\nNieuwe alinea hier.")
    assert c.text == "De gemeente is verantwoordelijk voor de jeugdhulp in Zoetermeer.\nNieuwe alinea hier."


def test_double_spaced_export_joins_lines_and_keeps_paragraph_marks():
    raw = "Eerste regel van de\n\nzin loopt door en\n\nnog verder.\n\n \n\nTweede alinea begint\n\nhier en eindigt\n\nhier."
    assert clean(raw).text == "Eerste regel van de zin loopt door en nog verder.\nTweede alinea begint hier en eindigt hier."


def test_line_end_hyphen_joins_without_space_and_keeps_the_hyphen():
    c = clean("in aanmerking voor een Wlz-\nindicatie komen. Op-\nen afschalen gaat sneller.")
    assert "Wlz-indicatie" in c.text
    assert "Op- en afschalen" in c.text


def test_ocr_bullets_and_ligatures_are_normalised():
    raw = "Drie pijlers:\n® Verstevigen van de preconceptiezorg\n@ Doorontwikkeling van het project\ne Eris geinvesteerd in het netwerk\nﬁ Plannen (hoe verder?)\nDe ﬁnanciële situatie."
    c = clean(raw)
    lines = c.text.split("\n")
    assert lines[1:5] == [
        "• Verstevigen van de preconceptiezorg",
        "• Doorontwikkeling van het project",
        "• Eris geinvesteerd in het netwerk",  # OCR word errors stay: we never change words
        "• Plannen (hoe verder?)",
    ]
    assert "financiële" in c.text and "ﬁ" not in c.text


def test_url_only_lines_leave_the_text_but_are_kept():
    c = clean("Zie de agenda.\nhttps://zoetermeer.bestuurlijkeinformatie.nl/Agenda/Index/abc\nVerder gaat het.")
    assert "http" not in c.text
    assert c.urls == ["https://zoetermeer.bestuurlijkeinformatie.nl/Agenda/Index/abc"]


def test_ocr_debris_lines_are_dropped():
    assert clean("\\\\\\\\\\ ﬂ\n==\nD\nEcht woord hier.").text == "Echt woord hier."


def test_numbered_headings_are_recognised_at_all_depths():
    raw = "1. Inleiding\nTekst.\n2.4.3 Verlagen PGB-tarieven\nTekst.\n1a.2 Doorontwikkeling van de toegang is nodig\nTekst."
    assert headings(raw) == [
        ("1", "1. Inleiding"),
        ("2.4.3", "2.4.3 Verlagen PGB-tarieven"),
        ("1a.2", "1a.2 Doorontwikkeling van de toegang is nodig"),
    ]


def test_footnotes_and_list_items_are_not_headings():
    raw = (
        "Dit is een zin.\n2 Vanuit de NPO-gelden zijn extra middelen beschikbaar gesteld.\n"
        "1. Naar aanleiding van het project ‘Hervorming specialistische jeugdhulp’ het college opdracht\n"
        "te geven om:\n2. Toezegging 659 als afgedaan te beschouwen."
    )
    assert headings(raw) == []


def test_wrapped_numbered_heading_continues_on_next_line():
    raw = "1a.3 Verbreding is noodzakelijk, omdat de Hervormingsagenda beoogt dat de inzet\nvan stevige lokale teams leidt tot een besparing\nIn Zoetermeer is een start gemaakt."
    assert headings(raw) == [
        ("1a.3", "1a.3 Verbreding is noodzakelijk, omdat de Hervormingsagenda beoogt dat de inzet van stevige lokale teams leidt tot een besparing")
    ]


def test_unnumbered_heading_between_paragraphs():
    raw = "Het stelsel werkt.\n\nKostenbeheersing jeugdhulp\n\nSinds 2015 kampen gemeenten met tekorten."
    assert headings(raw) == [("", "Kostenbeheersing jeugdhulp")]


def test_block_offsets_point_into_the_cleaned_text():
    c = clean("1. Titel\nEen alinea\nover twee regels.\n• Een punt")
    for b in c.blocks:
        assert c.text[b.start : b.end] == b.text


def test_markdown_headings():
    raw = "# Beleidsnotitie jeugd\n\nInleidende tekst.\n\n## 2.1 Preventie\n\nMeer tekst over preventie.\n"
    assert headings(raw) == [("", "Beleidsnotitie jeugd"), ("2.1", "2.1 Preventie")]
    assert "#" not in clean(raw).text
