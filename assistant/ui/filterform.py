"""The filter panel shared by Chat and Zoeken: its choices, its form values as a filter dict, its summary line.

The form's filters, in the order `layout.py` wires them (and gradio_client sends them; each has a
default, so a client may also pass them by name, e.g. `organisations=[...]`):
kinds, year_from, year_to, doc_ids, organisations.
"""

from __future__ import annotations

from ..text import dutch_date
from .render import esc


def make_filters(kinds=None, year_from=None, year_to=None, doc_ids=None, organisations=None) -> dict | None:
    """The filter dict for `Assistant.ask/search` from form values (empty fields mean "all")."""

    def year(v):
        try:
            v = int(float(v))
        except (TypeError, ValueError):
            return None
        return v if v > 0 else None

    def strings(v):
        if v is None or v == "":
            return []
        if isinstance(v, str):
            return [v]
        return [str(x) for x in v if x not in (None, "")]

    f = {
        "kinds": strings(kinds),
        "doc_ids": strings(doc_ids),
        "organisations": strings(organisations),
        "year_from": year(year_from),
        "year_to": year(year_to),
    }
    f = {k: v for k, v in f.items() if v}
    return f or None


def filter_choices(documents: list[dict]) -> dict:
    """Choices of the filter form: document kinds, (label, doc_id) of documents, organisations, the year range."""
    years = sorted({int(d["date"][:4]) for d in documents if str(d.get("date", ""))[:4].isdigit()})
    return {
        "kinds": sorted({d["kind"] for d in documents if d.get("kind")}),
        "documents": [
            (f"{d['title']} ({dutch_date(d['date'])})" if d.get("date") else d["title"], d["doc_id"]) for d in documents
        ],
        "organisations": sorted({d["organisation"] for d in documents if d.get("organisation")}, key=str.casefold),
        "years": (years[0], years[-1]) if years else (1990, 2100),
    }


def only_organisation_html(organisations: list[str]) -> str:
    """With one organisation in the index there is nothing to choose: the panel names it instead."""
    if len(organisations) != 1:
        return ""
    return f'<p id="enige-organisatie">Organisatie: <strong>{esc(organisations[0])}</strong> (de enige in de documenten)</p>'


def filter_summary(kinds=None, year_from=None, year_to=None, doc_ids=None, organisations=None) -> str:
    """A line that stays visible while the filter panel is closed, naming the active filters."""
    f = make_filters(kinds, year_from, year_to, doc_ids, organisations) or {}
    parts = []
    if f.get("kinds"):
        parts.append("soort " + ", ".join(f["kinds"]))
    if f.get("organisations"):
        parts.append("organisatie " + ", ".join(f["organisations"]))
    if f.get("year_from") or f.get("year_to"):
        parts.append(f"jaren {f.get('year_from') or '…'}–{f.get('year_to') or '…'}")
    if f.get("doc_ids"):
        parts.append(f"{len(f['doc_ids'])} document(en)")
    return f'<p class="filter-actief" role="status">Filter actief: {esc("; ".join(parts))}</p>' if parts else ""
