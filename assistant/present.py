"""Text of answers and sources, shared by the command line and the web app.

Works on `Answer`/`Citation`/`Passage` objects and on their dict forms (JSON), so the web app can
format what it got back from an API call the same way the CLI formats a live answer.
"""

from __future__ import annotations

from .answer import dutch_date


def field(item, key: str, default=None):
    """`item.key` for objects, `item[key]` for dicts."""
    return item.get(key, default) if isinstance(item, dict) else getattr(item, key, default)


def clip(text, n: int) -> str:
    """`text` on one line, cut at `n` characters with an ellipsis."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def section_name(item) -> str:
    """The nearest heading of a source ("2.1.1 Kansrijke Start"), else its section number."""
    title = field(item, "section_title") or ""
    return title.split(" > ")[-1] if title else (field(item, "section") or "")


def _parts(item) -> dict[str, str]:
    date, section, page = field(item, "date"), section_name(item), field(item, "page")
    return {
        "title": str(field(item, "title") or ""),
        "organisation": str(field(item, "organisation") or ""),
        "date": dutch_date(date) if date else "",
        "kind": str(field(item, "kind") or ""),
        "section": f"§ {section}" if section else "",
        "page": f"p. {page}" if page else "",
    }


def source_details(item) -> list[str]:
    """Organisation, kind, Dutch date, section and page of a source: the line under its title."""
    p = _parts(item)
    return [x for x in (p["organisation"], p["kind"], p["date"], p["section"], p["page"]) if x]


def source_line(item) -> str:
    """One line naming a source: "Titel, gemeente X, 7 oktober 2024, raadsbesluit, § 2.1 Kop, p. 3"."""
    p = _parts(item)
    return ", ".join(x for x in (p["title"], p["organisation"], p["date"], p["kind"], p["section"], p["page"]) if x)


def copy_text(answer) -> str:
    """The answer with its numbered sources as plain text, for pasting into a council note."""
    if answer is None:
        return ""
    lines = [str(field(answer, "answer") or "")]
    citations = field(answer, "citations") or []
    if citations:
        lines += ["", "Bronnen:"]
        lines += [f"[{field(c, 'n')}] {source_line(c)}" for c in citations]
    return "\n".join(lines)


def interpretation_line(answer) -> str:
    """ "Opgevat als: …" for a follow-up question read with the subject of the previous turn, else ""."""
    read = field(answer, "interpreted_as") or ""
    return f"Opgevat als: {read}" if read else ""


def format_answer(answer) -> str:
    """An answer for the terminal: notice, answer, how a follow-up was read, numbered sources (or the
    closest passages). The answer text comes first so clients that quote it (the /v1 API) still can."""
    text = copy_text(answer)
    read = interpretation_line(answer)
    if read:
        body = str(field(answer, "answer") or "")
        text = text.replace(body, f"{body}\n({read})", 1) if body else f"({read})\n{text}"
    notice = field(answer, "notice") or ""
    if notice and notice != field(answer, "answer"):
        text = f"[{notice}]\n{text}"
    related = field(answer, "related") or []
    if not field(answer, "citations") and related:
        text += "\n\nMogelijk relevant:"
        text += "".join(f"\n- {source_line(p)}: {' '.join(field(p, 'text').split())[:160]}…" for p in related)
    return text


__all__ = ["clip", "copy_text", "field", "format_answer", "interpretation_line", "section_name", "source_details", "source_line"]
