"""HTML and chat text of answers, sources and context (pure functions).

Document text and user text are always escaped: a document or a question can never inject markup.
"""

from __future__ import annotations

import html
import re

from ..present import clip, field, interpretation_line, source_details, source_line
from ..text import MARKER_RE

RELATED_CHARS = 600  # text shown of a passage that is related but not cited
CHOICE_CHARS = 140  # length of a "Toon in context" dropdown label
CONTEXT_CHARS = 350  # text shown before and after a passage in "Toon in context"

_MD_INLINE = re.compile(r"([\\`*_~$|\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def esc(text) -> str:
    return html.escape(str(text or ""), quote=True)


def chat_text(text: str) -> str:
    """Text for a chat bubble, shown literally: no HTML and no Markdown from documents or users.

    Only what Markdown or HTML would interpret is escaped (so the bubble stays readable as text):
    `< >`, entity-like `&`, inline markup characters, and block markers at the start of a line.
    Citation markers [n] are kept as they are."""
    text = str(text or "")
    out, pos = [], 0
    for m in MARKER_RE.finditer(text):
        out.append(_MD_INLINE.sub(r"\\\1", text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_MD_INLINE.sub(r"\\\1", text[pos:]))
    text = _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit() else m.group(2) + "\\"), "".join(out))
    text = _ENTITY_LIKE.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def chat_answer(answer: str) -> str:
    """An answer for the chat: escaped like `chat_text`, the "Volgens <titel> (<datum>):" lines bold."""
    lines = []
    for line in str(answer or "").split("\n"):
        shown = chat_text(line)
        if line.startswith("Volgens ") and line.rstrip().endswith(":"):
            shown = f"**{shown}**"
        lines.append(shown)
    return "\n".join(lines)


def answer_bubble(answer) -> str:
    """The assistant's chat bubble: the answer, preceded by its notice in italics when there is one."""
    shown = chat_answer(field(answer, "answer"))
    if interpretation_line(answer):  # how a follow-up was read, before the answer it led to
        shown = f"_{chat_text(interpretation_line(answer))}_\n\n{shown}"
    notice = field(answer, "notice")
    if notice and notice != field(answer, "answer"):
        shown = f"_{chat_text(notice)}_\n\n{shown}"
    return shown


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


def _meta(item) -> str:
    return " · ".join(esc(p) for p in source_details(item))


def sources_html(answer) -> str:
    """The sources panel: the citations (cited sentences marked) or, without an answer, the closest passages."""
    if answer is None:
        return (
            '<div class="uitleg">Hier verschijnen de bronnen van het antwoord: de geciteerde passages, '
            "met de aangehaalde zinnen gemarkeerd.</div>"
        )
    citations = field(answer, "citations") or []
    related = field(answer, "related") or []
    parts = []
    if citations:
        parts.append("<h3>Bronnen</h3>")
        for c in citations:
            n = int(field(c, "n"))
            parts.append(
                f'<div class="bron" id="bron-{n}">'
                f'<div class="bron-kop"><span class="bron-nr">[{n}]</span>{esc(field(c, "title"))}</div>'
                f'<div class="bron-meta">{_meta(c)}</div>'
                f'<blockquote class="bron-tekst">{highlight(field(c, "text"), field(c, "spans"))}</blockquote>'
                "</div>"
            )
    elif related:
        parts.append("<h3>Mogelijk relevant</h3>")
        parts.append(
            '<div class="uitleg">De documenten bevatten geen antwoord op deze vraag. Deze passages komen er het '
            "dichtst bij; ze zijn niet als antwoord geciteerd.</div>"
        )
        for p in related:
            parts.append(
                '<div class="bron bron-gerelateerd">'
                f'<div class="bron-kop">{esc(field(p, "title"))}</div>'
                f'<div class="bron-meta">{_meta(p)}</div>'
                f'<blockquote class="bron-tekst">{esc(clip(field(p, "text"), RELATED_CHARS))}</blockquote>'
                "</div>"
            )
    else:
        parts.append('<div class="uitleg">Geen bronnen bij dit antwoord.</div>')
    return "\n".join(parts)


def notice_html(notice: str) -> str:
    return f'<div class="melding" role="status">ℹ️ {esc(notice)}</div>' if notice else ""


def context_choices(answer) -> list[tuple[str, str]]:
    """Dropdown choices (label, passage_id) for "Toon in context"."""
    if answer is None:
        return []
    citations = field(answer, "citations") or []
    if citations:
        return [(clip(f"[{field(c, 'n')}] {source_line(c)}", CHOICE_CHARS), field(c, "passage_id")) for c in citations]
    return [(clip(source_line(p), CHOICE_CHARS), field(p, "id")) for p in (field(answer, "related") or [])]


def context_html(ctx: dict, spans=None, passage_text: str | None = None, chars: int = CONTEXT_CHARS) -> str:
    """A passage inside its page: text before and after, the passage shaded, cited sentences marked."""
    passage = ctx.get("passage", "")
    if spans and passage_text is not None and passage_text == passage:
        inner = highlight(passage, spans)
    else:
        inner = esc(passage)
    page = f"pagina {ctx['page']}" if ctx.get("page") else "pagina onbekend (document zonder paginanummers)"
    before, after = str(ctx.get("before") or ""), str(ctx.get("after") or "")
    lead = "…" if len(before) >= chars else ""  # shorter: the page starts there
    tail = "…" if len(after) >= chars else ""
    return (
        f"<h3>{esc(ctx.get('title'))}</h3>"
        f'<div class="context-meta">{esc(page)} · de passage is blauw, geciteerde zinnen geel</div>'
        f'<div class="context-tekst">{lead}{esc(before)}'
        f'<span class="context-passage">{inner}</span>{esc(after)}{tail}</div>'
    )


def missing_passage_html() -> str:
    return '<div class="uitleg">Deze passage staat niet (meer) in de index.</div>'
