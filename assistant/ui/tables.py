"""The staff tables (Zoeken, Moties, Maatregelen): rows from passages and records, and their HTML (pure).

Rows are plain lists (the CSV export writes them as they are); `table_html` shows them as an HTML
table whose headers sort on click (Dutch collation, in `static/app.js`) and whose rows open their
source passage in the document viewer. Gradio's Dataframe sorts only via an English hover menu and
cannot open a row's source, hence the own table.
"""

from __future__ import annotations

import re

from ..present import clip, field, section_name
from ..text import content_words, dutch_date
from .render import esc, open_button

SEARCH_HEADERS = ["titel", "datum", "soort", "organisatie", "sectie", "pagina", "relevantie", "fragment", "passage"]
MOTION_HEADERS = [
    "nummer",
    "titel",
    "status",
    "stand per",
    "deadline",
    "afgedaan op",
    "organisatie",
    "document",
    "pagina",
    "passage",
]
MEASURE_HEADERS = ["sectie", "maatregel", "document", "datum", "voortgang", "voortgang uit", "datum voortgang", "passage"]
PROGRESS_CHARS = 700  # text shown of a measure's progress passage
NO_PROGRESS = "(geen voortgang gevonden in latere documenten)"
ID_COLUMN = "passage"  # not shown: the row's data-passage


def _org(item, documents: dict) -> str:
    return str(field(item, "organisation") or documents.get(field(item, "doc_id"), {}).get("organisation") or "")


def by_id(documents: list[dict]) -> dict:
    return {d["doc_id"]: d for d in documents}


# ---- rows ---------------------------------------------------------------------------------------------


def search_rows(passages, documents: list[dict] = ()) -> list[list]:
    """One row per passage; relevance is the score relative to the best one (0-100)."""
    docs = by_id(documents)
    top = max((p.score for p in passages), default=0) or 1
    return [
        [p.title, p.date, p.kind, _org(p, docs), section_name(p), p.page or "", round(100 * max(p.score, 0) / top), p.text, p.id]
        for p in passages
    ]


def motion_rows(motions, documents: list[dict]) -> list[list]:
    """One row per motion. `date` of an open motion is its deadline, of a settled one the settling date;
    "stand per" is the date of the document that reports the status."""
    docs = by_id(documents)
    rows = []
    for m in motions:
        doc = docs.get(m.doc_id, {})
        where = doc.get("title", m.doc_id) + (f", § {m.section}" if m.section else "")
        rows.append(
            [
                m.number,
                m.title,
                m.status,
                doc.get("date", ""),
                "" if m.done else m.date,
                m.date if m.done else "",
                _org(m, docs),
                where,
                m.page or "",
                m.passage_id,
            ]
        )
    return rows


def measure_rows(measures, documents: list[dict], progress: dict | None = None) -> list[list]:
    """One row per measure; `progress` maps a measure's section to its progress passage (see
    `handlers.measure_progress`), else the record's own summary is used."""
    docs = by_id(documents)
    rows = []
    for m in measures:
        p = (progress or {}).get(m.section)
        if p is not None:
            text, source, date, pid = clip(p.text, PROGRESS_CHARS), _where(p), p.date, p.id
        elif m.progress_doc_id:
            head = " ".join(x for x in (f"§ {m.progress_section}" if m.progress_section else "", m.progress_title) if x)
            text = clip(m.progress_summary, PROGRESS_CHARS) or head
            source, date, pid = (
                docs.get(m.progress_doc_id, {}).get("title", m.progress_doc_id),
                docs.get(m.progress_doc_id, {}).get("date", ""),
                m.passage_id,
            )
        else:
            text, source, date, pid = NO_PROGRESS, "", "", m.passage_id
        rows.append([m.section, m.title, m.doc_title, m.date, text, source, date, pid])
    return rows


def _where(p) -> str:
    sec = section_name(p)
    return p.title + (f", § {sec}" if sec else "") + (f", p. {p.page}" if p.page else "")


# ---- HTML ---------------------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
DATE_COLUMNS = {"datum", "stand per", "deadline", "afgedaan op", "datum voortgang"}


def _cell(header: str, value) -> str:
    text = "" if value is None else str(value)
    if header in DATE_COLUMNS and _DATE.match(text):  # shown in Dutch, sorted on the ISO date
        return f'<td data-sort="{esc(text)}">{esc(dutch_date(text))}</td>'
    return f"<td>{esc(text)}</td>"


def table_html(headers: list[str], rows: list[list], caption: str) -> str:
    """An HTML table with sortable headers; a row with a passage id opens it in the viewer."""
    shown = [i for i, h in enumerate(headers) if h != ID_COLUMN]
    pid_col = headers.index(ID_COLUMN) if ID_COLUMN in headers else None
    head = "".join(f'<th scope="col"><button type="button" class="sorteer">{esc(headers[i])}</button></th>' for i in shown)
    body = []
    for row in rows:
        pid = row[pid_col] if pid_col is not None else ""
        attrs = f' data-passage="{esc(pid)}" tabindex="0" title="Open de bron in het document"' if pid else ""
        body.append(f"<tr{attrs}>" + "".join(_cell(headers[i], row[i]) for i in shown) + "</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(shown)}">Geen rijen.</td></tr>')
    return (
        f'<div class="tabel-wrap"><table class="staf"><caption class="uitleg">{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def mark_terms(text: str, query: str) -> str:
    """`text` escaped with the words of `query` (and longer words starting with them) in <mark>."""
    words = sorted({w for w in content_words(query) if len(w) >= 3}, key=len, reverse=True)
    if not words:
        return esc(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out += [esc(text[pos : m.start()]), f"<mark>{esc(m.group())}</mark>"]
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def search_html(rows: list[list], query: str) -> str:
    """Search results as readable passages: source line, relevance bar, query terms marked, open button."""
    if not rows:
        return ""
    out = []
    for title, date, kind, org, section, page, relevance, text, pid in rows:
        meta = " · ".join(
            esc(x)
            for x in (
                kind,
                dutch_date(date) if date else "",
                org,
                f"§ {section}" if section else "",
                f"p. {page}" if page else "",
            )
            if x
        )
        out.append(
            '<article class="bron zoek">'
            f'<div class="bron-kop">{esc(title)}</div>'
            f'<div class="bron-meta">{meta} · <span class="relevantie" role="img" aria-label="relevantie {relevance} van 100">'
            f'<span style="width:{int(relevance)}%"></span></span>relevantie {relevance}%</div>'
            f'<blockquote class="bron-tekst">{mark_terms(text, query)}</blockquote>'
            f"{open_button(pid)}</article>"
        )
    return "\n".join(out)
