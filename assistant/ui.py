"""The web app (Gradio 6): a chat for council members and search/tables for staff.

Only presentation lives here: every answer, passage and record comes from `Assistant`
(`ask`, `search`, `motions`, `measures`, `documents`, `context`). Document text and user text are
HTML-escaped before they are shown.

API endpoints (for `gradio_client`, see `benchmarks/load_test.py` and `tests/test_ui.py`):
  /ask       (question, history, kinds, year_from, year_to, doc_ids) -> dict with answer, citations, …
  /search    (query, k, kinds, year_from, year_to, doc_ids)          -> list of passages
  /motions   (query, status)                                          -> list of motions
  /measures  ()                                                       -> list of measures
  /documents ()                                                       -> list of documents
  /context   (passage_id)                                             -> the passage in its page
  /feedback  (question, answer, citations, rating, comment)           -> {"stored": True, "id": …}
The events behind the screens are callable too but undocumented (`/ui_chat`, `/ui_search`, …).
"""

import csv
import hmac
import html
import json
import logging
import os
import re
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from . import feedback as feedback_store
from .answer import dutch_date
from .cli import source_line

log = logging.getLogger(__name__)

TITLE = "Raadsassistent Jeugd"
EXAMPLES = [
    "Wat is de status van motie 2106-18?",
    "Welke maatregelen staan in het Actieplan van 2019 voor preventie?",
    "Wat besloot de raad op 7 oktober 2024?",
    "Hoe is het met Kansrijke Start gegaan sinds 2019?",
]
ERROR_MESSAGE = (
    "Er ging iets mis bij het beantwoorden van uw vraag. Probeer het opnieuw, of stel de vraag anders. "
    "Blijft het misgaan, meld het dan aan de beheerder."
)
STATUS_CHOICES = ["alle", "afgedaan", "open"]
SEARCH_HEADERS = ["titel", "datum", "soort", "sectie", "pagina", "fragment", "score"]
MOTION_HEADERS = ["nummer", "titel", "status", "datum", "afgedaan", "document"]
MEASURE_HEADERS = ["sectie", "maatregel", "document", "datum", "voortgang"]
FRAGMENT_CHARS = 300
RELATED_CHARS = 600
CONTEXT_CHARS = 350  # text shown before and after a passage in "Toon in context"
EXPORT_MAX_AGE = 3600  # seconds an exported CSV stays in the temp folder

# ---- queue -------------------------------------------------------------------------------------
# `bot.ask` / `bot.search` take ~50 ms of CPU each, mostly pure Python under the GIL (the query
# embedder runs with 1 thread), on a 2-core machine. Running more of them at once does not raise
# throughput, it only makes every running request slower and uses more memory; running 2 lets one
# request use the second core while the other is inside numpy/torch/SQLite code that releases the
# GIL. So the retrieval events share one concurrency group of 2 workers. With 10 users asking at the
# same moment the last one waits about 5 × 50 ms: well under a second.
# The cheap events (tables, context, feedback: a few ms, no model) get their own group, so they never
# wait behind a burst of questions.
# MAX_QUEUE bounds the backlog: beyond it a user gets "queue full" at once instead of a multi-second
# wait that looks like a hang (64 ≈ 6 pending requests per user for 10 users, ~2 s to drain).
# Measured (benchmarks/load_test.py, 10 users asking back to back, load generator on the same 2 cores):
# ~30 answers/s, p50 ~230 ms / p95 ~300 ms over plain HTTP; 1 vs 2 vs 4 workers were within the
# noise of a shared machine, so the choice follows the core count.
RETRIEVAL_WORKERS = 2
LIGHT_WORKERS = 4
MAX_QUEUE = 64
RETRIEVAL = {"concurrency_id": "retrieval", "concurrency_limit": RETRIEVAL_WORKERS}
LIGHT = {"concurrency_id": "light", "concurrency_limit": LIGHT_WORKERS}

CSS = """
.gradio-container { max-width: 1400px !important; }
#bronnen { font-size: 0.95rem; line-height: 1.45; }
#bronnen h3, #context h3 { margin: 0.2em 0 0.5em 0; font-size: 1.05rem; font-weight: 600; }
#gesprek strong { font-weight: 600; }
#bronnen .bron { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6em 0.8em; margin-bottom: 0.7em; background: var(--background-fill-secondary); }
#bronnen .bron-kop { font-weight: 600; }
#bronnen .bron-nr { display: inline-block; min-width: 2em; color: var(--color-accent); }
#bronnen .bron-meta, #context .context-meta { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 0.15em 0 0.4em 0; }
#bronnen .bron-tekst, #context .context-tekst { white-space: pre-wrap; margin: 0; padding-left: 0.7em; border-left: 3px solid var(--border-color-accent); }
#bronnen mark, #context mark { background: #ffe98a; color: #1f2937; padding: 0 1px; border-radius: 2px; }
#bronnen .uitleg, #context .uitleg { color: var(--body-text-color-subdued); font-size: 0.85rem; }
#context .context-passage { background: #eef4ff; color: #1f2937; }
#melding .melding { background: #fff7d6; color: #5b4600; border: 1px solid #f0d264; border-radius: 8px; padding: 0.5em 0.8em; }
"""


# ---- formatting (pure functions, tested directly) ---------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_~$|\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)
_CITE_MARK = re.compile(r"\[\d+\]")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def _esc(text) -> str:
    return html.escape(str(text or ""), quote=True)


def chat_text(text: str) -> str:
    """Text for a chat bubble, shown literally: no HTML and no Markdown from documents or users.

    Only what Markdown or HTML would interpret is escaped (so the bubble stays readable as text):
    `< >`, entity-like `&`, inline markup characters, and block markers at the start of a line.
    Citation markers [n] are kept as they are."""
    text = str(text or "")
    out, pos = [], 0
    for m in _CITE_MARK.finditer(text):
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


def highlight(text: str, spans) -> str:
    """`text` escaped, with the (start, end) spans wrapped in <mark>."""
    text = str(text or "")
    out, pos = [], 0
    for start, end in sorted((int(s), int(e)) for s, e in (spans or [])):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out.append(_esc(text[pos:start]))
        out.append(f"<mark>{_esc(text[start:end])}</mark>")
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _get(obj, key, default=None):
    return obj.get(key, default) if isinstance(obj, dict) else getattr(obj, key, default)


def _ns(obj):
    """Attribute access for dicts (source_line reads attributes)."""
    return SimpleNamespace(**obj) if isinstance(obj, dict) else obj


def _section(item) -> str:
    title = _get(item, "section_title") or ""
    return title.split(" > ")[-1] if title else (_get(item, "section") or "")


def _meta(item) -> str:
    parts = [_get(item, "kind") or ""]
    if _get(item, "date"):
        parts.append(dutch_date(_get(item, "date")))
    if _section(item):
        parts.append(f"§ {_section(item)}")
    if _get(item, "page"):
        parts.append(f"p. {_get(item, 'page')}")
    return " · ".join(_esc(p) for p in parts if p)


def _clip(text: str, n: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def sources_html(answer) -> str:
    """The sources panel: the citations (cited sentences marked) or, without an answer, the closest passages."""
    if answer is None:
        return (
            '<div class="uitleg">Hier verschijnen de bronnen van het antwoord: de geciteerde passages, '
            "met de aangehaalde zinnen gemarkeerd.</div>"
        )
    citations = _get(answer, "citations") or []
    related = _get(answer, "related") or []
    parts = []
    if citations:
        parts.append("<h3>Bronnen</h3>")
        for c in citations:
            n = int(_get(c, "n"))
            parts.append(
                f'<div class="bron" id="bron-{n}">'
                f'<div class="bron-kop"><span class="bron-nr">[{n}]</span>{_esc(_get(c, "title"))}</div>'
                f'<div class="bron-meta">{_meta(c)}</div>'
                f'<blockquote class="bron-tekst">{highlight(_get(c, "text"), _get(c, "spans"))}</blockquote>'
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
                f'<div class="bron-kop">{_esc(_get(p, "title"))}</div>'
                f'<div class="bron-meta">{_meta(p)}</div>'
                f'<blockquote class="bron-tekst">{_esc(_clip(_get(p, "text"), RELATED_CHARS))}</blockquote>'
                "</div>"
            )
    else:
        parts.append('<div class="uitleg">Geen bronnen bij dit antwoord.</div>')
    return "\n".join(parts)


def notice_html(notice: str) -> str:
    return f'<div class="melding" role="status">ℹ️ {_esc(notice)}</div>' if notice else ""


def context_choices(answer) -> list[tuple[str, str]]:
    """Dropdown choices (label, passage_id) for "Toon in context"."""
    if answer is None:
        return []
    citations = _get(answer, "citations") or []
    if citations:
        return [
            (_clip(f"[{_get(c, 'n')}] {source_line(_ns(c))}", 140), _get(c, "passage_id")) for c in citations
        ]
    return [(_clip(source_line(_ns(p)), 140), _get(p, "id")) for p in (_get(answer, "related") or [])]


def context_html(ctx: dict, spans=None, passage_text: str | None = None, chars: int = CONTEXT_CHARS) -> str:
    """A passage inside its page: text before and after, the passage shaded, cited sentences marked."""
    passage = ctx.get("passage", "")
    if spans and passage_text is not None and passage_text == passage:
        inner = highlight(passage, spans)
    else:
        inner = _esc(passage)
    page = f"pagina {ctx['page']}" if ctx.get("page") else "pagina onbekend (document zonder paginanummers)"
    before, after = str(ctx.get("before") or ""), str(ctx.get("after") or "")
    lead = "…" if len(before) >= chars else ""  # shorter: the page starts there
    tail = "…" if len(after) >= chars else ""
    return (
        f"<h3>{_esc(ctx.get('title'))}</h3>"
        f'<div class="context-meta">{_esc(page)} · de passage is blauw, geciteerde zinnen geel</div>'
        f'<div class="context-tekst">{lead}{_esc(before)}'
        f'<span class="context-passage">{inner}</span>{_esc(after)}{tail}</div>'
    )


def copy_text(answer) -> str:
    """The answer with its numbered sources as plain text, for pasting into a council note."""
    if answer is None:
        return ""
    lines = [str(_get(answer, "answer") or "")]
    citations = _get(answer, "citations") or []
    if citations:
        lines += ["", "Bronnen:"]
        lines += [f"[{_get(c, 'n')}] {source_line(_ns(c))}" for c in citations]
    return "\n".join(lines)


def make_filters(kinds=None, year_from=None, year_to=None, doc_ids=None) -> dict | None:
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

    f = {"kinds": strings(kinds), "doc_ids": strings(doc_ids), "year_from": year(year_from), "year_to": year(year_to)}
    f = {k: v for k, v in f.items() if v}
    return f or None


def plain_history(history) -> list[dict]:
    """A chat history as [{"role", "content"}] with string contents (accepts JSON text, too)."""
    if isinstance(history, str):
        history = json.loads(history) if history.strip() else []
    out = []
    for item in history or []:
        if isinstance(item, dict) and item.get("role") in ("user", "assistant"):
            content = item.get("content")
            if isinstance(content, list):
                content = " ".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
            out.append({"role": item["role"], "content": str(content or "")})
    return out


def _rows_csv(headers: list[str], rows: list[list], stem: str) -> str:
    """Write rows to a new CSV file in the app's export folder; returns its path."""
    folder = Path(tempfile.gettempdir()) / "raadsassistent-export"
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.csv"):
        try:
            if now - old.stat().st_mtime > EXPORT_MAX_AGE:
                old.unlink()
        except OSError:
            pass
    fd, path = tempfile.mkstemp(prefix=f"{stem}-", suffix=".csv", dir=folder)
    with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens UTF-8 correctly
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def read_users(path) -> dict[str, str]:
    """Users file: one `naam:wachtwoord` per line; blank lines and # comments are ignored."""
    users = {}
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, password = line.partition(":")
        if not sep or not name.strip() or not password:
            raise ValueError(f"{path}, regel {number}: verwacht 'naam:wachtwoord' (expected 'name:password')")
        users[name.strip()] = password.strip()
    if not users:
        raise ValueError(f"{path}: geen gebruikers gevonden (no users found)")
    return users


def auth_checker(users: dict[str, str]):
    def check(name: str, password: str) -> bool:
        expected = users.get(name or "")
        # compare_digest: no timing hint about how much of the password matched
        return expected is not None and hmac.compare_digest(expected.encode(), str(password or "").encode())

    return check


def launch_options() -> dict:
    """Look and safety options for `launch()` (Gradio 6: theme and css belong there)."""
    return {
        # system fonts: nothing is fetched from a font CDN, and no font files are needed offline
        "theme": gr.themes.Default(
            primary_hue="blue",
            secondary_hue="slate",
            font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            font_mono=["ui-monospace", "Consolas", "Menlo", "monospace"],
        ),
        "css": CSS,
        "ssr_mode": False,  # no Node server
        "mcp_server": False,
        "pwa": False,
        "footer_links": ["api"],
        "show_error": False,  # errors are shown as Dutch messages by the handlers
    }


# ---- the app ----------------------------------------------------------------------------------


def build_app(bot, settings) -> gr.Blocks:
    """The Gradio app around `bot` (an `Assistant`); feedback goes to `settings.feedback_db`."""
    documents = bot.documents()
    kinds = sorted({d["kind"] for d in documents if d.get("kind")})
    years = sorted({int(d["date"][:4]) for d in documents if str(d.get("date", ""))[:4].isdigit()})
    doc_titles = {d["doc_id"]: d["title"] for d in documents}
    doc_choices = [
        (f"{d['title']} ({dutch_date(d['date'])})" if d.get("date") else d["title"], d["doc_id"]) for d in documents
    ]
    year_min, year_max = (years[0], years[-1]) if years else (1990, 2100)

    # ---- handlers -----------------------------------------------------------------------------

    def run_ask(question, history, kinds_, year_from, year_to, doc_ids):
        return bot.ask(question or "", history=plain_history(history),
                       filters=make_filters(kinds_, year_from, year_to, doc_ids))

    def on_chat(question, turns, kinds_, year_from, year_to, doc_ids):
        """Chat event: returns chatbot, textbox, turns, last answer, notice, sources, context choices/html, copy."""
        turns = list(turns or [])
        question = str(question or "")
        keep = gr.update()
        if not question.strip():
            problem = "Typ eerst een vraag, of kies een van de voorbeeldvragen."
            return keep, keep, keep, keep, notice_html(problem), keep, keep, keep, keep
        try:
            answer = run_ask(question, turns, kinds_, year_from, year_to, doc_ids)
        except Exception:
            log.exception("ask failed for %r", question[:200])
            turns += [
                {"role": "user", "content": question, "display": chat_text(question)},
                {"role": "assistant", "content": "", "display": chat_text(ERROR_MESSAGE)},
            ]
            return (_display(turns), "", turns, None, notice_html(ERROR_MESSAGE), sources_html(None),
                    gr.update(choices=[], value=None), "", "")
        shown = chat_answer(answer.answer)
        if answer.notice and answer.notice != answer.answer:
            shown = f"_{chat_text(answer.notice)}_\n\n{shown}"
        turns += [
            {"role": "user", "content": question, "display": chat_text(question)},
            {"role": "assistant", "content": answer.answer, "display": shown},
        ]
        return (
            _display(turns),
            "",
            turns,
            answer,
            notice_html(answer.notice),
            sources_html(answer),
            gr.update(choices=context_choices(answer), value=None),
            "",
            "",
        )

    def on_context(passage_id, answer):
        if not passage_id:
            return ""
        try:
            ctx = bot.context(passage_id, chars=CONTEXT_CHARS)
        except KeyError:
            return '<div class="uitleg">Deze passage staat niet (meer) in de index.</div>'
        cited = next((c for c in (_get(answer, "citations") or []) if _get(c, "passage_id") == passage_id), None)
        if cited is not None:
            return context_html(ctx, _get(cited, "spans"), _get(cited, "text"))
        return context_html(ctx)

    def on_copy(answer):
        return copy_text(answer) if answer is not None else "Er is nog geen antwoord om te kopiëren."

    def on_feedback(rating, comment, answer):
        if answer is None:
            return "Er is nog geen antwoord om te beoordelen.", gr.update()
        try:
            feedback_store.store(settings, answer.question, answer.answer, answer.citations, rating, comment)
        except Exception:
            log.exception("feedback not stored")
            return "Uw beoordeling kon niet worden opgeslagen. Probeer het later opnieuw.", gr.update()
        label = "positieve" if rating > 0 else "negatieve"
        return f"Bedankt! Uw {label} beoordeling van het laatste antwoord is opgeslagen.", ""

    def on_clear():
        return [], "", [], None, "", sources_html(None), gr.update(choices=[], value=None), "", "", ""

    def search_rows(query, k, kinds_, year_from, year_to, doc_ids):
        passages = bot.search(query or "", k=int(k or 20), filters=make_filters(kinds_, year_from, year_to, doc_ids))
        return [
            [p.title, p.date, p.kind, _section(p), p.page if p.page else "", _clip(p.text, FRAGMENT_CHARS), round(p.score, 3)]
            for p in passages
        ]

    def on_search(query, k, kinds_, year_from, year_to, doc_ids):
        if not str(query or "").strip():
            return _frame([], SEARCH_HEADERS), gr.update(value=None), "Typ een zoekterm."
        rows = search_rows(query, k, kinds_, year_from, year_to, doc_ids)
        status = f"{len(rows)} passages gevonden." if rows else "Geen passages gevonden; probeer andere woorden of minder filters."
        return _frame(rows, SEARCH_HEADERS), _rows_csv(SEARCH_HEADERS, rows, "zoekresultaten") if rows else None, status

    def motion_rows(query, status):
        q = str(query or "").strip().lower()
        rows = []
        for m in bot.motions():
            if status == "afgedaan" and not m.done or status == "open" and m.done:
                continue
            if q and q not in f"{m.number} {m.title} {m.status}".lower():
                continue
            where = doc_titles.get(m.doc_id, m.doc_id) + (f", § {m.section}" if m.section else "") + (f", p. {m.page}" if m.page else "")
            rows.append([m.number, m.title, m.status, m.date, "ja" if m.done else "nee", where])
        return rows

    def on_motions(query, status):
        rows = motion_rows(query, status)
        return _frame(rows, MOTION_HEADERS), _rows_csv(MOTION_HEADERS, rows, "moties")

    measures = bot.measures()
    progress_years = {(doc_date(documents, m.progress_doc_id) or "")[:4] for m in measures if m.progress_doc_id}
    progress_header = f"voortgang {progress_years.pop()}" if len(progress_years) == 1 else "voortgang"
    measure_headers = MEASURE_HEADERS[:-1] + [progress_header]

    def measure_rows():
        rows = []
        for m in bot.measures():
            progress = ""
            if m.progress_doc_id:
                head = " ".join(x for x in (f"§ {m.progress_section}" if m.progress_section else "", m.progress_title) if x)
                progress = f"{head}: {_clip(m.progress_summary, 240)}" if m.progress_summary else head
            else:
                progress = "(geen voortgang gevonden in latere documenten)"
            rows.append([m.section, m.title, m.doc_title, m.date, progress])
        return rows

    def on_measures():
        rows = measure_rows()
        return _frame(rows, measure_headers), _rows_csv(measure_headers, rows, "maatregelen")

    # ---- API endpoints (JSON in, JSON out) ----------------------------------------------------

    def ask(
        question: str,
        history: list | str | None = None,
        kinds: list[str] | None = None,
        year_from: float | None = None,
        year_to: float | None = None,
        doc_ids: list[str] | None = None,
    ) -> dict:
        """Answer a Dutch question. history: [{"role", "content"}] (or its JSON text) of earlier turns.
        Returns the answer with [n] markers, `answered`, `notice`, `citations` (each with `source` and
        the cited `spans`), `related` (closest passages when not answered) and the updated `history`."""
        try:
            history = plain_history(history)
            filters = make_filters(kinds, year_from, year_to, doc_ids)
        except (ValueError, TypeError, AttributeError) as exc:
            raise gr.Error(f"Ongeldige invoer (invalid input): {exc}") from exc
        try:
            answer = bot.ask(question if isinstance(question, str) else "", history=history, filters=filters)
        except Exception as exc:
            log.exception("ask failed for %r", str(question)[:200])
            raise gr.Error(ERROR_MESSAGE) from exc
        out = answer.to_dict()
        for c, raw in zip(out["citations"], answer.citations):
            c["source"] = source_line(raw)
            c["spans"] = [list(s) for s in raw.spans]
        for p, raw in zip(out["related"], answer.related):
            p["source"] = source_line(raw)
        out["text_with_sources"] = copy_text(answer)
        out["history"] = history + [
            {"role": "user", "content": str(question or "")},
            {"role": "assistant", "content": answer.answer},
        ]
        return out

    def search(
        query: str,
        k: int = 10,
        kinds: list[str] | None = None,
        year_from: float | None = None,
        year_to: float | None = None,
        doc_ids: list[str] | None = None,
    ) -> list:
        """Passages for a query, best first."""
        k = max(1, min(int(k or 10), 100))
        return [p.to_dict() for p in bot.search(query or "", k=k, filters=make_filters(kinds, year_from, year_to, doc_ids))]

    def motions(query: str = "", status: str = "alle") -> list:
        """The motions table; query filters on number/title/status text, status is alle, afgedaan or open."""
        if status not in STATUS_CHOICES:
            raise gr.Error(f"status moet een van {', '.join(STATUS_CHOICES)} zijn")
        wanted = {r[0] for r in motion_rows(query, status)}
        return [m.to_dict() for m in bot.motions() if m.number in wanted]

    def measures_api() -> list:
        """The measures of the action plan with their reported progress."""
        return [m.to_dict() for m in bot.measures()]

    def documents_api() -> list:
        """The indexed documents."""
        return bot.documents()

    def context_api(passage_id: str, chars: int = 1200) -> dict:
        """A passage inside its page's text (before, passage, after, page)."""
        try:
            return bot.context(passage_id, chars=max(0, min(int(chars), 5000)))
        except KeyError as exc:
            raise gr.Error(f"Onbekende passage: {passage_id}") from exc

    def feedback_api(question: str, answer: str, citations: list | None = None, rating: int = 1, comment: str = "") -> dict:
        """Store a rating (+1 or -1) of an answer."""
        try:
            row = feedback_store.store(settings, question, answer, citations or [], rating, comment)
        except ValueError as exc:
            raise gr.Error(str(exc)) from exc
        return {"stored": True, "id": row}

    # ---- layout -------------------------------------------------------------------------------

    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown(
            f"## {TITLE}\n"
            "Vragen over het jeugdhulpbeleid van Zoetermeer, beantwoord met letterlijke zinnen uit de "
            "beleidsdocumenten. Elk antwoord noemt zijn bronnen [n]; controleer ze in het bronnenpaneel."
        )
        with gr.Accordion("Filters (gelden voor Chat en Zoeken)", open=False):
            with gr.Row():
                f_kinds = gr.CheckboxGroup(kinds, label="Soort document", info="Niets aangevinkt: alle soorten.")
                f_from = gr.Number(label="Vanaf jaar", value=None, precision=0, minimum=year_min, maximum=year_max,
                                   info=f"Leeg: geen ondergrens ({year_min}–{year_max}).")
                f_to = gr.Number(label="Tot en met jaar", value=None, precision=0, minimum=year_min, maximum=year_max,
                                 info="Leeg: geen bovengrens.")
            f_docs = gr.Dropdown(doc_choices, value=[], multiselect=True, label="Alleen deze documenten",
                                 info="Leeg: alle documenten.")
        filters = [f_kinds, f_from, f_to, f_docs]

        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                turns = gr.State([])
                last = gr.State(None)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label="Gesprek",
                            height=520,
                            elem_id="gesprek",
                            placeholder="**Stel een vraag over het jeugdhulpbeleid.** Of kies een voorbeeld:",
                            examples=[{"text": q} for q in EXAMPLES],
                            feedback_options=None,  # rating is done with the buttons below (stored with the sources)
                            buttons=[],  # "Kopieer antwoord met bronnen" gives the text with its sources
                            latex_delimiters=[],  # document text is never LaTeX
                            sanitize_html=True,
                            render_markdown=True,
                            line_breaks=True,
                            autoscroll=True,
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                label="Uw vraag", placeholder="Bijvoorbeeld: Wat is de status van motie 2106-18?",
                                lines=1, max_lines=4, scale=5, elem_id="vraag", autofocus=True,
                                max_length=2000,
                            )
                            send = gr.Button("Vraag", variant="primary", scale=1, elem_id="verstuur")
                        with gr.Row():
                            clear = gr.Button("Nieuw gesprek", size="sm")
                        with gr.Group():
                            gr.Markdown("**Was het laatste antwoord nuttig?**", padding=True)
                            with gr.Row():
                                thumbs_up = gr.Button("👍 Nuttig", size="sm", elem_id="duim-op")
                                thumbs_down = gr.Button("👎 Niet nuttig", size="sm", elem_id="duim-neer")
                            comment = gr.Textbox(label="Toelichting (optioneel)", lines=1, max_length=2000, elem_id="feedback-opmerking",
                                                 placeholder="Wat klopte er niet, of wat miste u?")
                            feedback_status = gr.Markdown("", elem_id="feedback-status", padding=True)
                    with gr.Column(scale=2):
                        notice = gr.HTML("", elem_id="melding")
                        sources = gr.HTML(sources_html(None), elem_id="bronnen", label="Bronnen", padding=True,
                                          max_height=620)
                        with gr.Accordion("Toon in context", open=True):
                            context_pick = gr.Dropdown([], value=None, label="Bron", elem_id="context-keuze",
                                                       info="Kies een bron om de passage in de omringende tekst te zien.")
                            context = gr.HTML("", elem_id="context", padding=True, max_height=420)
                        with gr.Accordion("Kopieer antwoord met bronnen", open=False):
                            copy_btn = gr.Button("Kopieer antwoord met bronnen", size="sm", elem_id="kopieer")
                            copy_box = gr.Textbox(label="Antwoord met bronnen (platte tekst)", lines=8,
                                                  buttons=["copy"], interactive=False, elem_id="kopieer-tekst")

            with gr.Tab("Zoeken", id="zoeken"):
                with gr.Row():
                    query = gr.Textbox(label="Zoekterm", placeholder="bijvoorbeeld: wachttijden", scale=5)
                    k = gr.Slider(5, 50, value=20, step=5, label="Aantal resultaten", scale=2)
                    search_btn = gr.Button("Zoek", variant="primary", scale=1)
                search_status = gr.Markdown("")
                results = gr.Dataframe(value=_frame([], SEARCH_HEADERS), headers=SEARCH_HEADERS, interactive=False,
                                       wrap=True, max_height=600, label="Passages",
                                       column_widths=["18%", "7%", "9%", "14%", "6%", "40%", "6%"])
                search_csv = gr.DownloadButton("Exporteer als CSV", value=None, size="sm")

            with gr.Tab("Moties", id="moties"):
                with gr.Row():
                    motion_query = gr.Textbox(label="Filter op tekst", placeholder="nummer, titel of status", scale=3)
                    motion_status = gr.Radio(STATUS_CHOICES, value="alle", label="Status", scale=2)
                first = motion_rows("", "alle")
                motion_table = gr.Dataframe(value=_frame(first, MOTION_HEADERS), headers=MOTION_HEADERS,
                                            interactive=False, wrap=True, label="Moties (klik op een kolomkop om te sorteren)",
                                            column_widths=["9%", "27%", "30%", "10%", "8%", "16%"])
                motion_csv = gr.DownloadButton("Exporteer als CSV", value=_rows_csv(MOTION_HEADERS, first, "moties"), size="sm")

            with gr.Tab("Maatregelen", id="maatregelen"):
                m_rows = measure_rows()
                measure_table = gr.Dataframe(value=_frame(m_rows, measure_headers), headers=measure_headers,
                                             interactive=False, wrap=True, max_height=700,
                                             label="Maatregelen uit het actieplan en de gerapporteerde voortgang",
                                             column_widths=["7%", "23%", "20%", "8%", "42%"])
                measure_csv = gr.DownloadButton("Exporteer als CSV", value=_rows_csv(measure_headers, m_rows, "maatregelen"),
                                                size="sm")

        # ---- events -----------------------------------------------------------------------------
        chat_outputs = [chatbot, question, turns, last, notice, sources, context_pick, context, copy_box]
        chat_inputs = [question, turns, *filters]
        send.click(on_chat, chat_inputs, chat_outputs, api_name="ui_chat", api_visibility="undocumented", **RETRIEVAL)
        question.submit(on_chat, chat_inputs, chat_outputs, api_visibility="private", **RETRIEVAL)

        def pick_example(evt: gr.SelectData):
            value = evt.value if isinstance(evt.value, dict) else {}
            return value.get("text", "")

        chatbot.example_select(pick_example, None, question, api_visibility="private", queue=False).then(
            on_chat, chat_inputs, chat_outputs, api_visibility="private", **RETRIEVAL
        )
        clear_outputs = [chatbot, question, turns, last, notice, sources, context_pick, context, copy_box, feedback_status]
        clear.click(on_clear, None, clear_outputs, api_visibility="private", queue=False)
        chatbot.clear(on_clear, None, clear_outputs, api_visibility="private", queue=False)  # its bin icon
        context_pick.change(on_context, [context_pick, last], context, api_name="ui_context",
                            api_visibility="undocumented", **LIGHT)
        copy_btn.click(on_copy, last, copy_box, api_visibility="private", **LIGHT)
        thumbs_up.click(lambda c, a: on_feedback(1, c, a), [comment, last], [feedback_status, comment],
                        api_visibility="private", **LIGHT)
        thumbs_down.click(lambda c, a: on_feedback(-1, c, a), [comment, last], [feedback_status, comment],
                          api_visibility="private", **LIGHT)

        search_inputs = [query, k, *filters]
        search_outputs = [results, search_csv, search_status]
        search_btn.click(on_search, search_inputs, search_outputs, api_name="ui_search",
                         api_visibility="undocumented", **RETRIEVAL)
        query.submit(on_search, search_inputs, search_outputs, api_visibility="private", **RETRIEVAL)
        motion_query.change(on_motions, [motion_query, motion_status], [motion_table, motion_csv],
                            api_name="ui_motions", api_visibility="undocumented", **LIGHT)
        motion_status.change(on_motions, [motion_query, motion_status], [motion_table, motion_csv],
                             api_visibility="private", **LIGHT)
        demo.load(on_measures, None, [measure_table, measure_csv], api_name="ui_measures",
                  api_visibility="undocumented", **LIGHT)

        gr.api(ask, api_name="ask", **RETRIEVAL)
        gr.api(search, api_name="search", **RETRIEVAL)
        gr.api(motions, api_name="motions", **LIGHT)
        gr.api(measures_api, api_name="measures", **LIGHT)
        gr.api(documents_api, api_name="documents", **LIGHT)
        gr.api(context_api, api_name="context", **LIGHT)
        gr.api(feedback_api, api_name="feedback", **LIGHT)

    # Gradio recomputes a pandas summary of up to 10 000 past events after *every* event (for its
    # local monitoring page; nothing is sent anywhere): 6-11 ms of CPU, a fifth of an answer. Every
    # 50 events is plenty. Read when the queue is created, so set before demo.queue().
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "50")
    demo.queue(default_concurrency_limit=RETRIEVAL_WORKERS, max_size=MAX_QUEUE)
    return demo


def _display(turns: list[dict]) -> list[dict]:
    return [{"role": t["role"], "content": t["display"]} for t in turns]


def _frame(rows: list[list], headers: list[str]) -> dict:
    return {"headers": headers, "data": rows}


def doc_date(documents: list[dict], doc_id: str) -> str:
    return next((d["date"] for d in documents if d["doc_id"] == doc_id), "")


def serve(settings=None, host: str = "127.0.0.1", port: int = 7860, auth_file: str | None = None) -> None:
    """Start the web app (blocks). Login is required when a users file is given (or ASSISTANT_AUTH_FILE)."""
    from .api import Assistant
    from .settings import Settings, apply_offline_env

    apply_offline_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own startup requests
    settings = settings or Settings.load()
    bot = Assistant.load(settings)
    launch(build_app(bot, settings), host=host, port=port, auth_file=auth_file)


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, auth_file: str | None = None,
           block: bool = True):
    """Launch `demo` on host:port, with login from `auth_file` (or env ASSISTANT_AUTH_FILE) when given.

    Never shares publicly; analytics are off (apply_offline_env). `block=False` returns at once (tests)."""
    auth_file = auth_file or os.environ.get("ASSISTANT_AUTH_FILE") or None
    auth = None
    if auth_file:
        users = read_users(auth_file)
        auth = auth_checker(users)
        log.info("inloggen verplicht: %d gebruiker(s) uit %s", len(users), auth_file)
    elif host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("De app luistert op %s zonder inlog (geen --auth-file): iedereen op het netwerk kan hem gebruiken.", host)
    result = demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="Log in met uw gebruikersnaam en wachtwoord." if auth else None,
        share=False,
        inbrowser=False,
        prevent_thread_lock=True,
        quiet=True,  # Gradio's own banner suggests share=True; we print our own line
        **launch_options(),
    )
    if block:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        print(f"{TITLE}: http://{shown}:{port}/  (stoppen: Ctrl-C)", flush=True)
        demo.block_thread()  # until Ctrl-C, then closes the server
    return result


__all__ = ["build_app", "serve", "launch", "launch_options", "read_users", "sources_html", "copy_text", "make_filters"]
