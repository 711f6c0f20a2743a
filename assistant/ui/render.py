"""HTML and chat text of answers and their sources (pure functions).

Document text and user text are always escaped: a document or a question can never inject markup.
Every answer carries an id (`answer_id`): its citation chips `[n]`, its source cards in the side
panel (`paneel-<id>-<n>`) and inline under the answer (`inline-<id>-<n>`) are tied together by it,
so a chip in an older answer still finds its own sources (the page script in `static/app.js`).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from ..present import clip, field, section_name, source_details, source_line
from ..text import MARKER_RE, citation_numbers

RELATED_CHARS = 600  # text shown of a passage that is related but not cited
CHOICE_CHARS = 140  # length of a "Toon in context" dropdown label
CONTEXT_CHARS = 350  # text shown before and after a passage in "Toon in context"
TOOLTIP_CHARS = 300  # cited sentence shown when hovering a chip

KIND_LABELS = {
    "answer": "Antwoord uit de documenten",
    "partial": "Gedeeltelijk antwoord: niet alles wat u vraagt staat in de documenten",
    "not_found": "Niet gevonden in de documenten",
}

_MD_INLINE = re.compile(r"([\\`*_~$|\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def esc(text) -> str:
    return html.escape(str(text or ""), quote=True)


def _md_escape(text: str) -> str:
    """Escape what Markdown or HTML would interpret (the text stays readable as text)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit() else m.group(2) + "\\"), text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def chat_text(text: str, marker=None) -> str:
    """Text for a chat bubble, shown literally: no HTML and no Markdown from documents or users.

    Citation markers [n] are kept as they are, or replaced by `marker(match)` (the chips)."""
    text = str(text or "")
    out, pos = [], 0
    for m in MARKER_RE.finditer(text):
        out.append(_md_escape(text[pos : m.start()]))
        out.append(marker(m) if marker else m.group())
        pos = m.end()
    out.append(_md_escape(text[pos:]))
    return "".join(out)


# ---- answer kinds -------------------------------------------------------------------------------


def answer_kind(answer) -> str:
    """ "answer", "partial" or "not_found" (older answers without `kind`: from `answered`)."""
    kind = field(answer, "kind")
    if kind in KIND_LABELS:
        return kind
    return "answer" if field(answer, "answered") else "not_found"


def interpreted_as(answer) -> str:
    """How a follow-up question was read, when that differs from what was typed ("" otherwise)."""
    read = str(field(answer, "interpreted_as") or field(answer, "search_query") or "").strip()
    asked = str(field(answer, "question") or "").strip()
    return read if read and " ".join(read.lower().split()) != " ".join(asked.lower().split()) else ""


# ---- sources --------------------------------------------------------------------------------------


def cited_sentence(citation) -> str:
    text, spans = str(field(citation, "text") or ""), field(citation, "spans") or []
    return " … ".join(" ".join(text[int(s) : int(e)].split()) for s, e in spans)


def details(item) -> list[str]:
    """Organisation, kind, date, section and page (a text file has no page: its section says where)."""
    return source_details(item)


def chip_title(c) -> str:
    """The hover text of chip [n]: title, date, organisation, page and the cited sentence."""
    head = " · ".join([str(field(c, "title") or "")] + details(c))
    sentence = clip(cited_sentence(c), TOOLTIP_CHARS)
    return f"{head} — “{sentence}”" if sentence else head


def highlight(text: str, spans) -> str:
    """`text` escaped, with the (start, end) spans wrapped in <mark>."""
    text = str(text or "")
    out, pos = [], 0
    for start, end in sorted((int(s), int(e)) for s, e in (spans or [])):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def spans_attr(spans) -> str:
    return ",".join(f"{int(s)}-{int(e)}" for s, e in (spans or []))


def open_link(passage_id: str, spans=None) -> str:
    """The target of "Open in document": `#open=<passage id>~<spans>` (read by the page script).

    A link, not data attributes: the chat's HTML sanitizer keeps `href` but drops `data-*`."""
    return f"#open={quote(str(passage_id), safe='')}~{spans_attr(spans)}"


def open_button(passage_id: str, spans=None, label: str = "Open in document") -> str:
    """A link styled as a button that opens the document viewer at this passage."""
    return f'<a class="open-doc" role="button" href="{esc(open_link(passage_id, spans))}">{esc(label)}</a>'


def source_card(c, answer_id: str, where: str) -> str:
    """One citation as a card; `where` is "paneel" (side panel) or "inline" (under the answer)."""
    n = int(field(c, "n"))
    meta = " · ".join(esc(p) for p in details(c))
    return (
        f'<article class="bron" id="{where}-{esc(answer_id)}-{n}" tabindex="-1" data-n="{n}">'
        f'<div class="bron-kop"><span class="bron-nr">[{n}]</span> {esc(field(c, "title"))}</div>'
        f'<div class="bron-meta">{meta}</div>'
        f'<blockquote class="bron-tekst">{highlight(field(c, "text"), field(c, "spans"))}</blockquote>'
        f"{open_button(field(c, 'passage_id'), field(c, 'spans'))}"
        "</article>"
    )


def related_card(p) -> str:
    meta = " · ".join(esc(x) for x in details(p))
    return (
        '<article class="bron bron-gerelateerd">'
        f'<div class="bron-kop">{esc(field(p, "title"))}</div>'
        f'<div class="bron-meta">{meta}</div>'
        f'<blockquote class="bron-tekst">{esc(clip(field(p, "text"), RELATED_CHARS))}</blockquote>'
        f"{open_button(field(p, 'id'))}"
        "</article>"
    )


def sources_html(answer, answer_id: str = "") -> str:
    """The sources panel: the citations (cited sentences marked) or, without an answer, the closest passages."""
    if answer is None:
        return (
            '<div class="uitleg">Hier verschijnen de bronnen van het antwoord: de geciteerde passages, '
            "met de aangehaalde zinnen gemarkeerd. Klik in het antwoord op [n] om naar bron n te gaan.</div>"
        )
    answer_id = answer_id or str(field(answer, "answer_id") or "laatste")
    citations = field(answer, "citations") or []
    related = field(answer, "related") or []
    if citations:
        return "\n".join(
            [f'<h2 class="paneel-kop" data-answer="{esc(answer_id)}">Bronnen</h2>']
            + [source_card(c, answer_id, "paneel") for c in citations]
        )
    if related:
        return "\n".join(
            [
                '<h2 class="paneel-kop">Mogelijk relevant</h2>',
                (
                    '<div class="uitleg">De documenten bevatten geen antwoord op deze vraag. Deze passages komen er het '
                    "dichtst bij; ze zijn niet als antwoord geciteerd.</div>"
                ),
            ]
            + [related_card(p) for p in related]
        )
    return '<div class="uitleg">Geen bronnen bij dit antwoord.</div>'


# ---- the chat bubble ------------------------------------------------------------------------------


def _chip(m: re.Match, citations: dict, answer_id: str) -> str:
    chips = []
    for n in citation_numbers(m.group()):
        c = citations.get(n)
        if c is None:
            chips.append(f"[{n}]")
            continue
        chips.append(f'<a class="chip" href="#inline-{esc(answer_id)}-{n}" title="{esc(chip_title(c))}">[{n}]</a>')
    return "".join(chips)


def chat_answer(answer_text: str, citations=(), answer_id: str = "") -> str:
    """An answer for the chat: escaped like `chat_text`, "Volgens <titel> (<datum>):" lines bold,
    each [n] a chip that leads to source n."""
    by_n = {int(field(c, "n")): c for c in citations or []}
    lines = []
    for line in str(answer_text or "").split("\n"):
        shown = chat_text(line, (lambda m: _chip(m, by_n, answer_id)) if answer_id else None)
        if line.startswith("Volgens ") and line.rstrip().endswith(":"):
            shown = f"**{shown}**"
        lines.append(shown)
    return "\n".join(lines)


def inline_sources(answer, answer_id: str) -> str:
    """The sources of one answer, collapsible under it (on a phone they follow the answer directly)."""
    citations = field(answer, "citations") or []
    if not citations:
        return ""
    cards = "".join(source_card(c, answer_id, "inline") for c in citations)
    return (
        f'<details class="bronnen-inline" data-answer="{esc(answer_id)}">'
        f"<summary>Bronnen ({len(citations)})</summary>{cards}</details>"
    )


def answer_bubble(answer, answer_id: str = "") -> str:
    """The assistant's chat bubble: kind, "Opgevat als", notice, the answer with chips, inline sources."""
    kind = answer_kind(answer)
    text = field(answer, "answer")
    parts = [f'<span class="soort soort-{kind}">{esc(KIND_LABELS[kind])}</span>'] if field(answer, "question") else []
    read = interpreted_as(answer)
    if read:
        parts.append(f"_Opgevat als: {chat_text(read)}_")
    notice = field(answer, "notice")
    if notice and notice != text:
        parts.append(f"_{chat_text(notice)}_")
    parts.append(chat_answer(text, field(answer, "citations") or [], answer_id))
    shown = "\n\n".join(parts)
    inline = inline_sources(answer, answer_id) if answer_id else ""
    return f"{shown}\n\n{inline}" if inline else shown


def notice_html(notice: str) -> str:
    return f'<div class="melding" role="status">ℹ️ {esc(notice)}</div>' if notice else ""


# ---- "Toon in context" ------------------------------------------------------------------------------


def context_choices(answer) -> list[tuple[str, str]]:
    """Dropdown choices (label, passage_id) for "Toon in context"."""
    if answer is None:
        return []
    citations = field(answer, "citations") or []
    if citations:
        return [(clip(f"[{field(c, 'n')}] {source_line(c)}", CHOICE_CHARS), field(c, "passage_id")) for c in citations]
    return [(clip(source_line(p), CHOICE_CHARS), field(p, "id")) for p in (field(answer, "related") or [])]


def location(page, section: str = "") -> str:
    """Where a passage is: its page, else its section (text files have no pages)."""
    if page:
        return f"pagina {page}"
    return f"§ {section}" if section else "plaats in het document onbekend"


def context_html(ctx: dict, spans=None, passage_text: str | None = None, chars: int = CONTEXT_CHARS) -> str:
    """A passage inside its page: text before and after, the passage shaded, cited sentences marked."""
    passage = ctx.get("passage", "")
    if spans and passage_text is not None and passage_text == passage:
        inner = highlight(passage, spans)
    else:
        inner = esc(passage)
    where = location(ctx.get("page"), section_name(ctx))
    before, after = str(ctx.get("before") or ""), str(ctx.get("after") or "")
    lead = "…" if len(before) >= chars else ""  # shorter: the page starts there
    tail = "…" if len(after) >= chars else ""
    return (
        f"<h3>{esc(ctx.get('title'))}</h3>"
        f'<div class="context-meta">{esc(where)} · de passage is blauw omrand, geciteerde zinnen geel</div>'
        f'<div class="context-tekst">{lead}{esc(before)}'
        f'<span class="context-passage">{inner}</span>{esc(after)}{tail}</div>'
    )


def missing_passage_html() -> str:
    return '<div class="uitleg">Deze passage staat niet (meer) in de index.</div>'


__all__ = [
    "KIND_LABELS",
    "answer_bubble",
    "answer_kind",
    "chat_answer",
    "chat_text",
    "chip_title",
    "context_choices",
    "context_html",
    "esc",
    "highlight",
    "inline_sources",
    "interpreted_as",
    "location",
    "notice_html",
    "open_button",
    "sources_html",
]
