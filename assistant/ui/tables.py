"""Rows of the staff tables (Zoeken, Moties, Maatregelen) from passages and records (pure functions)."""

from __future__ import annotations

from ..present import clip, section_name

SEARCH_HEADERS = ["titel", "datum", "soort", "sectie", "pagina", "fragment", "score"]
MOTION_HEADERS = ["nummer", "titel", "status", "datum", "afgedaan", "document"]
MEASURE_HEADERS = ["sectie", "maatregel", "document", "datum", "voortgang"]
FRAGMENT_CHARS = 300  # text shown of a passage in the search table
PROGRESS_CHARS = 240  # text shown of a measure's reported progress
NO_PROGRESS = "(geen voortgang gevonden in latere documenten)"


def frame(rows: list[list], headers: list[str]) -> dict:
    """The value of a gr.Dataframe."""
    return {"headers": headers, "data": rows}


def search_rows(passages) -> list[list]:
    return [
        [p.title, p.date, p.kind, section_name(p), p.page if p.page else "", clip(p.text, FRAGMENT_CHARS), round(p.score, 3)]
        for p in passages
    ]


def motion_rows(motions, documents: list[dict]) -> list[list]:
    """One row per motion; the document column names the title, section and page it is listed in."""
    titles = {d["doc_id"]: d["title"] for d in documents}
    rows = []
    for m in motions:
        where = titles.get(m.doc_id, m.doc_id) + (f", § {m.section}" if m.section else "") + (f", p. {m.page}" if m.page else "")
        rows.append([m.number, m.title, m.status, m.date, "ja" if m.done else "nee", where])
    return rows


def measure_rows(measures) -> list[list]:
    rows = []
    for m in measures:
        if m.progress_doc_id:
            head = " ".join(x for x in (f"§ {m.progress_section}" if m.progress_section else "", m.progress_title) if x)
            progress = f"{head}: {clip(m.progress_summary, PROGRESS_CHARS)}" if m.progress_summary else head
        else:
            progress = NO_PROGRESS
        rows.append([m.section, m.title, m.doc_title, m.date, progress])
    return rows


def measure_headers(measures, documents: list[dict]) -> list[str]:
    """MEASURE_HEADERS, the progress column named for its year when all progress comes from one year."""
    dates = {d["doc_id"]: d["date"] for d in documents}
    years = {(dates.get(m.progress_doc_id) or "")[:4] for m in measures if m.progress_doc_id}
    return MEASURE_HEADERS[:-1] + [f"voortgang {years.pop()}" if len(years) == 1 else "voortgang"]
