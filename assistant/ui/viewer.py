"""The document viewer: a whole document opened at a passage, the cited sentences marked.

Text of every page comes from the index (the cleaned page text the passages were cut from), so the
passage is found by its offsets, never by searching. For a PDF the original page is shown by the
browser's own PDF viewer (`<iframe src="…#page=N">`): Chromium, Firefox, Edge and Safari all ship one,
it works offline and needs no extra package. pdf.js would have to be vendored from npm, and
rendering page images on the server needs a renderer (poppler, Ghostscript, pdfium) that a default
install does not have; pypdf itself cannot rasterise.

The original file is served from the corpus folder only: `document_files` lists the indexed files
that resolve inside `settings.corpus_dir`, and `serve_files` gives exactly those to
`gr.set_static_paths` (Gradio's file route refuses anything else, so no path traversal).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote

import gradio as gr

from ..present import field, section_name
from ..text import dutch_date
from .render import esc, highlight, location

WHOLE_DOCUMENT_PAGES = 40  # longer documents show this many pages around the passage (keeps it < 1 s)


def _documents(bot) -> dict:
    # The index keeps per document its path, manifest entry and page texts; `Assistant` has no
    # public accessor for whole documents yet, so the viewer reads them here (read-only).
    return getattr(getattr(bot, "index", None), "documents", {}) or {}


def _pages(bot, doc_id: str) -> list[dict]:
    return (getattr(getattr(bot, "index", None), "pages", {}) or {}).get(doc_id, [])


def document_files(bot, corpus_dir) -> dict[str, Path]:
    """doc_id -> original file, for the indexed documents whose file lies inside `corpus_dir`."""
    root = Path(corpus_dir).resolve()
    out = {}
    for doc_id, doc in _documents(bot).items():
        rel = doc.get("path") if isinstance(doc, dict) else None
        if not rel:
            continue
        path = (root / rel).resolve()
        if path.is_file() and path.is_relative_to(root):
            out[doc_id] = path
    return out


_SERVED: set[Path] = set()  # files already given to Gradio (its list only grows)


def serve_files(bot, corpus_dir) -> dict[str, Path]:
    """`document_files`, each one made servable by Gradio's file route (documents ingested while the
    app runs included: called again when the viewer opens)."""
    files = document_files(bot, corpus_dir)
    new = [p for p in files.values() if p not in _SERVED]
    if new:
        gr.set_static_paths(new)
        _SERVED.update(new)
    return files


def file_url(path: Path) -> str:
    """The URL Gradio serves a static file at (relative: works behind a root path too)."""
    return "gradio_api/file=" + quote(str(path))


def pdf_page_url(path: Path, page: int) -> str:
    """The original PDF at `page`, for the viewer's frame and link.

    The page is in the query as well as in the fragment: Gradio's HTML component updates an open
    viewer in place (it sets the old iframe's `src` to the new one), and a change of the fragment
    alone is a same-document navigation that Chromium's PDF viewer ignores, so a second passage of
    the same PDF kept the first one's page (found by benchmarks/viewer_bench.py). Gradio's file
    route ignores the query."""
    return f"{file_url(path)}?pagina={int(page)}#page={int(page)}"


def parse_request(value: str) -> tuple[str, list[tuple[int, int]]]:
    """ "<passage id>~12-80,100-140" (from the page script, see `render.open_link`) -> id and cited spans."""
    pid, _, raw = unquote(str(value or "")).rpartition("~") if "~" in str(value or "") else (str(value or ""), "", "")
    spans = []
    for part in raw.split(","):
        a, _, b = part.partition("-")
        if a.strip().isdigit() and b.strip().isdigit() and int(b) > int(a):
            spans.append((int(a), int(b)))
    return pid.strip(), spans


def _source_link(source: str) -> str:
    source = str(source or "").strip()
    if source.startswith(("https://", "http://")):
        return f'<a href="{esc(source)}" target="_blank" rel="noopener noreferrer">Bron op internet</a>'
    return f'<span class="bron-meta">Herkomst: {esc(source)}</span>' if source else ""


def viewer_html(bot, passage_id: str, spans=(), files: dict | None = None) -> str:
    """The document of `passage_id`, scrolled to that passage (`.viewer-doel`), cited `spans` marked."""
    passage = bot.passage(passage_id) if hasattr(bot, "passage") else None
    if passage is None:
        return '<div class="uitleg">Deze passage staat niet (meer) in de index.</div>'
    doc = _documents(bot).get(passage.doc_id, {})
    pages = _pages(bot, passage.doc_id)
    path = (files or {}).get(passage.doc_id)
    is_pdf = bool(path and path.suffix.lower() == ".pdf")
    where = location(passage.page, section_name(passage))
    n_pages = len(pages)
    meta = [
        x
        for x in (
            field(passage, "kind"),
            dutch_date(passage.date) if passage.date else "",
            field(passage, "organisation") or doc.get("organisation", ""),
            f"{where}" + (f" van {n_pages}" if passage.page and n_pages > 1 else ""),
        )
        if x
    ]
    links = []
    if path:
        label = "Origineel bestand (PDF)" if is_pdf else f"Origineel bestand ({path.suffix.lstrip('.').upper()})"
        links.append(f'<a href="{esc(file_url(path))}" target="_blank" rel="noopener">{esc(label)}</a>')
        if is_pdf and passage.page:  # also when a server policy forbids showing it in a frame
            links.append(
                f'<a href="{esc(pdf_page_url(path, passage.page))}" target="_blank" rel="noopener">'
                f"Pagina {int(passage.page)} in het PDF-bestand</a>"
            )
    links.append(_source_link((doc.get("meta") or {}).get("source") or doc.get("source", "")))
    parts = [
        f"<h2>{esc(passage.title)}</h2>",
        f'<div class="viewer-meta">{" · ".join(esc(m) for m in meta)}</div>',
        f'<div class="viewer-links">{" ".join(x for x in links if x)}</div>',
    ]
    if is_pdf and passage.page:
        parts.append(
            f'<iframe class="viewer-pdf" title="Pagina {passage.page} van het originele PDF-bestand" '
            f'src="{esc(pdf_page_url(path, passage.page))}"></iframe>'
        )
    parts.append(
        '<div class="viewer-doc" tabindex="0" role="region" aria-label="Tekst van het document">'
        + _pages_html(passage, pages, spans)
        + "</div>"
    )
    return "\n".join(parts)


def _pages_html(passage, pages: list[dict], spans) -> str:
    if not pages:
        return _passage_span(passage.text, spans)
    index = next((i for i, pg in enumerate(pages) if pg.get("number") == passage.page), 0)
    lo = max(0, index - WHOLE_DOCUMENT_PAGES // 2) if len(pages) > WHOLE_DOCUMENT_PAGES else 0
    hi = min(len(pages), lo + WHOLE_DOCUMENT_PAGES)
    out = []
    if lo > 0:
        out.append(f'<div class="uitleg">Pagina’s 1–{lo} niet getoond; open het originele bestand.</div>')
    for i in range(lo, hi):
        pg = pages[i]
        text = str(pg.get("text") or "")
        if i == index:
            start, end = passage.start, passage.end
            if not (0 <= start < end <= len(text)) or text[start:end] != passage.text:
                start = text.find(passage.text)
                end = start + len(passage.text)
            if start >= 0:
                body = esc(text[:start]) + _passage_span(passage.text, spans) + esc(text[end:])
            else:
                body = esc(text) + _passage_span(passage.text, spans)
        else:
            body = esc(text)
        head = f"Pagina {pg['number']}" if pg.get("number") else ""
        out.append(
            f'<section class="viewer-pagina" id="viewer-p-{i}">'
            + (f'<div class="pagina-kop">{esc(head)}</div>' if head else "")
            + f'<div class="pagina-tekst">{body}</div></section>'
        )
    if hi < len(pages):
        out.append(f'<div class="uitleg">Pagina’s {hi + 1}–{len(pages)} niet getoond; open het originele bestand.</div>')
    return "".join(out)


def _passage_span(text: str, spans) -> str:
    return f'<span class="viewer-passage viewer-doel" tabindex="-1">{highlight(text, spans)}</span>'


def empty_viewer() -> str:
    return (
        '<div class="uitleg">Kies bij een bron of een rij in de tabellen “Open in document”: '
        "hier verschijnt dan het hele document, met de passage en de geciteerde zinnen gemarkeerd.</div>"
    )


__all__ = ["document_files", "empty_viewer", "file_url", "on_view", "parse_request", "pdf_page_url", "serve_files", "viewer_html"]


def on_view(bot, corpus_dir, wanted: str):
    """ "Open in document": the viewer at the `wanted` passage ("<id>~<spans>"), and the Document tab selected.

    (Not named `request`: the role check of assistant/server adds a `gr.Request` parameter of that name.)"""
    pid, spans = parse_request(wanted)
    if not pid:
        return gr.update(), gr.update()
    return viewer_html(bot, pid, spans, serve_files(bot, corpus_dir)), gr.Tabs(selected="document")
