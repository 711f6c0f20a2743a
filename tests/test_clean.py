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
        (
            "1a.3",
            "1a.3 Verbreding is noodzakelijk, omdat de Hervormingsagenda beoogt dat de inzet van stevige lokale teams leidt tot een besparing",
        )
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


# ---------------------------------------------------------------- document-level cleanup (issue 10)

from assistant.ingest.clean import Context, clean_document


def test_glued_footnote_marks_leave_the_text_when_the_footnote_exists():
    page = "De G20 stuurde hier eerder toe.1 Dat is gebeurd.\nDe ruimte is 40 m2 groot.\n1 Kamerbrief over uitkomsten G20-top"
    c = clean_document([page]).pages[0]
    assert "eerder toe. Dat is gebeurd." in c.text
    assert "40 m2 groot" in c.text  # no footnote 2 in the document: not a mark
    assert c.marks == ["1"]
    other = clean_document(
        ["1a.1 Verdergaande doorontwikkeling\nZie art.4 en dit valt onder de wet.4. Verder.\n1 Noot.\n4 Noot."]
    ).pages[0]
    assert "1a.1 Verdergaande" in other.text and "art.4" in other.text and other.marks == ["4"]
    assert "valt onder de wet. Verder." in other.text  # footnote 4 exists: a mark
    assert "valt onder de wet. 4. Verder" in clean("Dit valt onder de wet.4. Verder.").text  # no footnote: a paragraph number
    # Without any footnote line nothing is taken out.
    assert "toe.1" in clean("De G20 stuurde hier eerder toe.1 Dat is gebeurd.").text


def test_line_end_hyphenation_uses_the_document_as_lexicon():
    doc = clean_document(
        [
            "Er zijn beperkte middelen en een\nbeperk-\ntere inzet. Zie de\nWlz-\nindicatie en de\njeugd-\nggz, of\nwet-\nen regelgeving en de begrotings-\nstaten.",
            "De jeugd-ggz helpt. Een beperkt budget.",
        ]
    )
    text = doc.pages[0].text
    assert "beperktere inzet" in text  # "beperkt" occurs elsewhere
    assert "begrotingsstaten" in text  # both parts lower case: typographic hyphen
    assert "Wlz-indicatie" in text  # a capitalised part keeps its hyphen
    assert "jeugd-ggz" in text  # the document writes "jeugd-ggz" with its hyphen
    assert "wet- en regelgeving" in text


def test_numbered_decision_points_and_list_items_stay_text():
    raw = (
        "Het college besluit:\n"
        "1. Het landelijk tarief voor pleegzorg\nin te voeren met terugwerkende kracht vanaf 1 januari 2024;\n"
        "2. De raad te informeren\n\n"
        "Besluitenlijst\n1. Opening.\n2. Vaststelling agenda.\n"
    )
    c = clean(raw)
    assert headings(raw) == [("", "Het college besluit:"), ("", "Besluitenlijst")]
    assert "1. Het landelijk tarief voor pleegzorg in te voeren met terugwerkende kracht vanaf 1 januari 2024;" in c.text
    assert "2. De raad te informeren" in c.text


def test_article_members_are_not_headings_and_parts_are():
    raw = (
        "Hoofdstuk 2 Vormen van jeugdhulp\nArtikel 5 Verantwoordelijkheden budgetbeheerder\n"
        "1. De budgetbeheerder is belast met het beheer.\n2. Verplichtingen\n"
        "Artikel 6\nBevoegdheden\n1. De budgethouder is bevoegd.\n"
        "Gelet op artikel 3j, tweede lid, van de wet besluit het college."
    )
    blocks = [b for b in clean(raw).blocks if b.kind == "heading"]
    assert [(b.rank, b.text) for b in blocks] == [
        (1, "Hoofdstuk 2 Vormen van jeugdhulp"),
        (3, "Artikel 5 Verantwoordelijkheden budgetbeheerder"),
        (3, "Artikel 6 Bevoegdheden"),
    ]


def test_table_of_contents_confirms_headings():
    toc = "Inhoud\n1 Inleiding 3\n1.1 Achtergrond 3\n2 Aanpak 5\n2.1 Preventie met een lange titel die de tien woorden ruim overschrijdt 6"
    body = "2.1 Preventie met een lange titel die de tien woorden ruim overschrijdt\nTekst.\n2.1 Verhoging van het budget\nTekst."
    c = clean_document([toc, body])
    assert [b.number for b in c.pages[1].blocks if b.kind == "heading"] == ["2.1"]  # only the listed one
    assert c.toc[0] == "1 Inleiding" and not c.pages[0].text


def test_markdown_without_space_paragraph_signs_and_html_lines():
    raw = "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n### Hoofdstuk  1\n\n####Begripsbepalingen\n\n### §  2\n\n####Opdracht gemeente\n\n### Artikel  2.1.1\n\n1.  Het gemeentebestuur draagt zorg.\n"
    c = clean(raw)
    assert [b.text for b in c.blocks if b.kind == "heading"] == [
        "Hoofdstuk 1 Begripsbepalingen",
        "§ 2 Opdracht gemeente",
        "Artikel 2.1.1",
    ]
    assert "meta" not in c.text and "1. Het gemeentebestuur draagt zorg." in c.text


def test_speech_in_minutes_is_not_a_heading():
    assert headings("Dank u.\n\nDe voorzitter. Wat een broederschap!\n\nHet woord is aan de heer Bom.") == []


def test_label_value_lines_are_not_headings():
    assert headings(
        "Het schema.\nQ1: laatste week van april\nQ2: laatste week van juli\n\nAmbitie 1: Actief samen leven\nTekst."
    ) == [("", "Ambitie 1: Actief samen leven")]


def test_short_lines_of_a_narrow_layout_are_not_headings():
    body = "\n".join(["Dit is een gewone regel tekst in een smalle kolom"] * 12)
    raw = body + ".\nDeze tien opgaven staan centraal in de voorliggende\nHervormingsagenda die wij hier bespreken."
    assert headings(raw) == []
    assert not Context().in_article


def test_a_failing_layout_analysis_keeps_the_text(monkeypatch, caplog):
    from assistant.ingest import layout

    def broken(pages):
        raise IndexError("odd page")

    monkeypatch.setattr(layout, "strip_furniture", broken)
    doc = clean_document(["Pagina 1 van 2\nDe tekst blijft.", "Pagina 2 van 2\nOok hier."])
    assert "De tekst blijft." in doc.pages[0].text and doc.removed == []
    assert "layout analysis failed" in caplog.text
