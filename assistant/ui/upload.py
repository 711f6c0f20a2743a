"""The "Documenten toevoegen" tab: its handlers (module level, testable with a fake service) and
`upload_tab`, which builds its components and wires them (called by `layout.build_app`).

The files go to `assistant.upload_jobs.UploadService` (shared with the REST API); the page polls the
job with a `gr.Timer` that runs only while a job does, so the ingest never holds an event worker.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import gradio as gr

from ..upload_jobs import UploadBusy, service_for
from ..uploads import ADDED, SKIPPED, Item, known_kinds
from .filterform import filter_choices

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0
AUTO = ("automatisch (uit de tekst)", "")
STATUS_LABELS = {ADDED: "Toegevoegd", SKIPPED: "Overgeslagen"}


def esc(value) -> str:
    return html.escape(str(value or ""), quote=True)


def progress_html(job=None, message: str = "") -> str:
    """The Dutch progress bar with stage and percentage, or a message (an error, a refusal)."""
    if job is None:
        body = f'<p class="upload-melding">{esc(message)}</p>' if message else ""
        return f'<div class="upload-voortgang" role="status" aria-live="polite">{body}</div>'
    state = {"bezig": "bezig", "klaar": "klaar", "mislukt": "mislukt"}.get(job.state, "bezig")
    bar = (
        f'<progress max="100" value="{job.percent}" aria-label="Voortgang van de verwerking">{job.percent} %</progress>'
        if job.state != "mislukt"
        else ""
    )
    return (
        f'<div class="upload-voortgang upload-{state}" role="status" aria-live="polite">{bar}'
        f'<p class="upload-stap">{esc(job.message())}</p>'
        + (f'<p class="upload-melding">{esc(message)}</p>' if message else "")
        + "</div>"
    )


def results_html(job=None) -> str:
    """One row per file: toegevoegd (as which document) or overgeslagen with the reason."""
    if job is None or not job.files:
        return ""
    rows = []
    for f in job.files:
        status = STATUS_LABELS.get(f.status, "Wacht op verwerking")
        if f.status == ADDED:
            detail = f"als “{esc(f.title)}” ({f.passages} passage{'s' if f.passages != 1 else ''})"
            detail += "".join(f"<br>Let op: {esc(w)}" for w in f.warnings[:3])
        else:
            detail = esc(f.reason)
        rows.append(
            f'<tr class="upload-{esc(f.status.split()[0])}"><td>{esc(f.name)}</td>'
            f"<td><strong>{status}</strong></td><td>{detail}</td></tr>"
        )
    added = sum(f.status == ADDED for f in job.files)
    return (
        '<table class="upload-resultaat"><caption>Resultaat per bestand: '
        f"{added} van {len(job.files)} toegevoegd</caption>"
        '<thead><tr><th scope="col">Bestand</th><th scope="col">Resultaat</th><th scope="col">Toelichting</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _items(files, title: str, date: str, kind: str, organisation: str) -> list[Item]:
    paths = [Path(getattr(f, "name", f)) for f in (files if isinstance(files, list) else [files] if files else [])]
    # one title for several files would name them all alike: it applies to a single file only
    title = title if len(paths) == 1 else ""
    return [Item(p.name, p.read_bytes(), title or "", date or "", kind or "", organisation or "") for p in paths]


def on_upload(bot, files, title, date, kind, organisation, user: gr.Request = None):
    """Store the chosen files and start their ingest -> progress, results, job id, timer, file input.

    (The request parameter is not named `request`: the role check adds one of that name.)"""
    name = getattr(user, "username", None) or ""
    try:
        job = service_for(bot).submit(_items(files, title, date, kind, organisation), user=name)
    except (UploadBusy, ValueError) as exc:
        return progress_html(message=str(exc)), gr.update(), gr.update(), gr.Timer(active=False), gr.update()
    except OSError as exc:
        log.warning("upload mislukt: %s", exc)
        message = "De bestanden konden niet worden opgeslagen. Probeer het opnieuw of meld het aan de beheerder."
        return progress_html(message=message), "", "", gr.Timer(active=False), gr.update()
    return progress_html(job), results_html(job), job.id, gr.Timer(active=job.running), None


def on_upload_status(bot, job_id):
    """The timer's poll -> progress, results, timer (off once finished), and the chat's filter
    choices (kinds, documents, organisations) refreshed when the new documents are in."""
    job = service_for(bot).job(job_id or "")
    unchanged = (gr.update(), gr.update(), gr.update())
    if job is None:
        return gr.update(), gr.update(), gr.Timer(active=False), *unchanged
    if job.running:
        return progress_html(job), results_html(job), gr.update(), *unchanged
    choices = filter_choices(bot.documents())
    orgs = choices["organisations"]
    return (
        progress_html(job),
        results_html(job),
        gr.Timer(active=False),
        gr.update(choices=choices["kinds"]),
        gr.update(choices=choices["documents"]),
        gr.update(choices=orgs, visible=len(orgs) > 1),
    )


def on_upload_resume(bot):
    """Page load: a job that is still running (after a reload, or someone else's) is shown and polled."""
    job = service_for(bot).current()
    if job is None:
        return gr.update(), gr.update(), gr.update(), gr.update()
    return progress_html(job), results_html(job), job.id, gr.Timer(active=True)


def upload_tab(demo, bot, settings, bind, filters_out: list, events: dict) -> None:
    """The tab's components and events, inside the caller's `gr.Tab` of `demo`. `bind`: layout's binder of a
    handler's first arguments; `filters_out`: the chat's kind, document and organisation filters (their
    choices follow new documents); `events`: the queue options of the events."""
    gr.Markdown(
        "Voeg PDF-, TXT- of MD-bestanden toe aan de documenten. Ze worden op de server opgeslagen in de map "
        "`uploads/` van de documentenmap en daarna verwerkt; als de voortgang op 100 % staat, beantwoordt de "
        "assistent er vragen uit. Een bestand dat niet gelezen kan worden, wordt overgeslagen met de reden.",
        elem_id="upload-uitleg",
    )
    # No `file_types`: Gradio would refuse other files with an English message; `uploads.check` gives
    # each one a Dutch reason in the result table instead.
    files = gr.File(
        label="Bestanden (PDF, TXT of MD)", file_count="multiple", type="filepath", height=170, elem_id="upload-bestanden"
    )
    with gr.Row():
        title = gr.Textbox(
            label="Titel", info="Leeg: uit het bestand. Geldt alleen als u één bestand kiest.", max_length=300, scale=3
        )
        date = gr.Textbox(label="Datum", placeholder="JJJJ-MM-DD", info="Leeg: uit de tekst.", max_length=20, scale=1)
    with gr.Row():
        kind = gr.Dropdown([AUTO, *known_kinds(bot.documents())], value="", label="Soort document", scale=1)
        organisation = gr.Textbox(
            value=settings.organisation, label="Organisatie", info="De uitgever van het document.", max_length=200, scale=2
        )
    send = gr.Button("Toevoegen", variant="primary", elem_id="upload-toevoegen")
    progress = gr.HTML(progress_html(), elem_id="upload-voortgang")
    results = gr.HTML("", elem_id="upload-resultaat")
    job_id = gr.State("")
    timer = gr.Timer(POLL_SECONDS, active=False)

    send.click(
        bind(on_upload, bot),
        [files, title, date, kind, organisation],
        [progress, results, job_id, timer, files],
        api_name="ui_upload",
        **events,
    )
    polls = {**events, "api_visibility": "private"}
    timer.tick(bind(on_upload_status, bot), [job_id], [progress, results, timer, *filters_out], **polls)
    demo.load(bind(on_upload_resume, bot), None, [progress, results, job_id, timer], **polls)


__all__ = ["on_upload", "on_upload_resume", "on_upload_status", "progress_html", "results_html", "upload_tab"]
