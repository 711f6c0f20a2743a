"""Page layout: reading order of letterhead and two-column pages, running headers/footers, page
numbers and tables of contents left out of the passages (measured on real documents)."""

import re

import pytest
from realdocs import ingest, realdocs

from assistant.ingest.layout import page_text, strip_furniture, strip_toc


def _pages(body: list[str], header: str = "", footer: str = "") -> list[str]:
    return [
        "\n".join(x for x in (header.format(n=n, total=len(body)), text, footer.format(n=n, total=len(body))) if x)
        for n, text in enumerate(body, 1)
    ]


BODY = [
    "Eerste pagina met gewone tekst over jeugdhulp.\nDe gemeente werkt samen met partners.",
    "Tweede pagina vertelt over de wachttijden.\nDie zijn in 2024 gedaald.",
    "Derde pagina gaat over de kosten.\nHet tekort bleef gelijk.",
    "Vierde pagina sluit af.\nHet college besluit.",
]


def test_running_footer_with_page_numbers_is_removed_by_repetition():
    f = strip_furniture(
        _pages(BODY, footer="07-01-2026, 12:56 Verordening jeugdhulp https://lokaleregelgeving.overheid.nl/CVDR1 {n}/46")
    )
    assert all("Verordening" not in p for p in f.pages)
    assert all(b.split("\n")[0] in p for b, p in zip(BODY, f.pages))
    assert len(f.removed) == 1 and f.removed[0].startswith("07-01-2026")


def test_header_block_and_document_number_are_found():
    f = strip_furniture(_pages(BODY, header="Gemeente Den Haag\nOns kenmerk\nOCW/10829082\n{n}/{total}"))
    assert f.number == "OCW/10829082"
    assert all(p.startswith(b.split("\n")[0]) for b, p in zip(BODY, f.pages))
    assert "Ons kenmerk" in f.removed


def test_page_numbers_need_no_repetition():
    f = strip_furniture(["Pagina 1 van 1\nDe raad verzoekt het college iets te doen."])
    assert f.pages[0].strip() == "De raad verzoekt het college iets te doen."


def test_repeated_text_is_not_furniture():
    letter = "Beste raad,\nwij informeren u over de voortgang van het project en de kosten daarvan in dit jaar."
    f = strip_furniture([letter, letter])  # two copies of one letter: a sentence, not a running header
    assert "voortgang van het project" in f.pages[1]
    # A line on only one of four pages is not furniture either.
    g = strip_furniture(_pages(BODY) + ["Een losse regel"])
    assert g.removed == []


def test_table_of_contents_lines_are_left_out_and_returned():
    toc_page = "Inhoud\n1. Inleiding ........................ 3\n1.1. Versiebeheer ............ 3\n2. Proces ..................... 4\n2.1. Doel ...................... 4"
    plain_toc = "Inhoud\n1 Hervorming van de jeugdzorg 3\n1.1 Inleiding 4\n1.2 Perspectief 8\n2 Wat gaan we doen? 16\n2.1 Reikwijdte: jeugdhulpplicht voor de meest\nkwetsbare jeugdigen 17"
    c = strip_toc([toc_page, plain_toc, "1. Inleiding\nDe tekst begint hier en telt 3 zinnen op pagina 3."])
    assert c.pages[0].strip() == "" and c.pages[1].strip() == ""
    assert c.entries[:2] == ["1. Inleiding", "1.1. Versiebeheer"]
    assert "2.1 Reikwijdte: jeugdhulpplicht voor de meest kwetsbare jeugdigen" in c.entries
    assert c.pages[2].startswith("1. Inleiding")  # text with numbers is not a table of contents


class _BrokenPage:
    def extract_text(self, extraction_mode="plain", **kw):
        if extraction_mode == "layout" or "visitor_text" in kw:
            raise KeyError("/Widths")  # what a font without metrics does to the layout code
        return "platte tekst"


@pytest.mark.parametrize("mode", ["layout", "positions"])
def test_layout_code_that_raises_falls_back_to_plain_text(mode, caplog):
    assert page_text(_BrokenPage(), mode) == "platte tekst"
    assert "layout" in caplog.text


# ---------------------------------------------------------------- real documents


def _passages(name):
    return ingest(realdocs() / name)


def test_letterhead_column_and_two_columns_read_in_order():
    """Plain extraction reads these in order (see benchmarks/layout_order.py): sentences stay whole."""
    text = " ".join(p.text for p in _passages("tk-handelingen-stemming-motie-voorjaarsnota-2023.pdf")[2])
    assert "hebben gestemd en de leden van de fracties van de SGP" in text
    assert "zodat zij is aangenomen." in text  # "aangeno-" + "men." across a line end
    text = " ".join(p.text for p in _passages("justitie-kamerbrief-draagmoederschap-2011-03-01.pdf")[2])
    assert "Draagmoederschap is een complex onderwerp waar de samenleving zich betrokken bij voelt." in text
    text = " ".join(p.text for p in _passages("denhaag-raadsinformatiebrief-afdoening-motie-jeugdhulp-2025-07-17.pdf")[2])
    assert "Op Jeugd worden al jaren tekorten gerealiseerd, in 2024 bijna € 30 mln." in text


@pytest.mark.parametrize(
    "name, furniture",
    [
        ("bwb-westbetuwe-regeling-budgetbeheer-2023-12-07.pdf", r"Blad gemeenschappelijke regeling 2023 nr\. 1234"),
        ("justitie-kamerbrief-draagmoederschap-2011-03-01.pdf", r"Pagina \d van 3"),
        ("rijk-vng-hervormingsagenda-jeugd-2023.pdf", r"(^|\n)Concept($|\n)"),
        ("denhaag-raadsvoorstel-beleidskader-jeugd-2024-12-24.pdf", r"Ons [Kk]enmerk|\b\d/4\b"),
        ("vws-staatscourant-regeling-jeugdwet-wmo-2019-07-25.pdf", r"Staatscourant 2019 nr\. 41519"),
        ("tk-kamervragen-tozo-2021-06-21.pdf", r"Aanhangsel \d"),
        ("vng-procesafspraken-lta-jeugdhulp-2025-02.pdf", r"Vereniging van Nederlandse Gemeenten"),
    ],
)
def test_page_furniture_is_not_in_passages_but_reported(name, furniture):
    cleaned, _, passages = _passages(name)
    assert not [p.text for p in passages if re.search(furniture, p.text)]
    assert any(re.search(furniture, r) for r in cleaned.removed)


def test_document_numbers_from_the_furniture():
    assert _passages("denhaag-raadsvoorstel-beleidskader-jeugd-2024-12-24.pdf")[0].number == "OCW/10829082"
    assert _passages("denhaag-besluitenlijst-raad-2025-03-13.pdf")[0].number == "RIS321533"
    assert _passages("vws-staatscourant-regeling-jeugdwet-wmo-2019-07-25.pdf")[0].number == "nr. 41519"


@pytest.mark.parametrize("name", ["vng-procesafspraken-lta-jeugdhulp-2025-02.pdf", "rijk-vng-hervormingsagenda-jeugd-2023.pdf"])
def test_table_of_contents_is_not_quoted(name):
    cleaned, _, passages = _passages(name)
    assert len(cleaned.toc) >= 15
    assert not [p.text for p in passages if re.search(r"\.{5,}|\b1\.1\.? Inleiding\b.*\b1\.2\b", p.text)]
