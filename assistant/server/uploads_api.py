"""`POST /api/documents` (multipart: files plus title/date/kind/organisation) and
`GET /api/documents/jobs/{id}`: the web app's "Documenten toevoegen" for scripts, with the same
service (`assistant.upload_jobs`), so one job runs at a time whichever way the files came. Needs the
`upload` right (medewerker and up); the body limit of this route is MAX_UPLOAD_BODY (`guard.py`),
checked after the role, so nobody without the right can make the server read a large body.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from pydantic import BaseModel

from ..upload_jobs import UploadBusy, service_for
from ..uploads import MAX_FILES, Item, ManifestError
from .guard import Principal, require
from .rest import ERRORS
from .schemas import Problem, Text

CanUpload = Annotated[Principal, Depends(require("upload"))]
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


class FileOutcome(BaseModel):
    name: str
    status: str  # "toegevoegd", "overgeslagen" or "wacht op verwerking"
    reason: str = ""
    stored: str = ""  # path in the corpus folder, e.g. "uploads/nota.pdf"
    doc_id: str = ""
    title: str = ""
    passages: int = 0
    warnings: list[str] = []


class UploadJob(BaseModel):
    id: str
    state: str  # "bezig", "klaar" or "mislukt"
    stage: str
    percent: int
    message: str
    done: int
    total: int
    files: list[FileOutcome]
    error: str = ""
    started: float
    finished: float = 0.0


@router.post(
    "/documents",
    status_code=202,
    response_model=UploadJob,
    responses={409: {"model": Problem, "description": "er worden al documenten verwerkt"}, 413: {"model": Problem}},
    summary="Voeg documenten toe (PDF, TXT, MD); ze worden op de achtergrond geïndexeerd",
)
async def add_documents(
    request: Request,
    who: CanUpload,
    files: Annotated[list[UploadFile], File(description=f"de bestanden (hoogstens {MAX_FILES})")],
    title: Annotated[Text, Form(max_length=300, description="titel (alleen bij één bestand); leeg = uit het bestand")] = "",
    date: Annotated[Text, Form(max_length=20, description="JJJJ-MM-DD; leeg = uit de tekst")] = "",
    kind: Annotated[Text, Form(max_length=60, description="soort document; leeg = uit de tekst")] = "",
    organisation: Annotated[Text, Form(max_length=200, description="de uitgever; leeg = uit de tekst")] = "",
):
    title = title if len(files) == 1 else ""  # as in the web app: one title would name every file alike
    items = [Item(f.filename or "", await f.read(), title, date, kind, organisation) for f in files]
    service = service_for(request.app.state.bot)
    try:
        job = await anyio.to_thread.run_sync(service.submit, items, who.name)
    except UploadBusy as exc:
        raise HTTPException(409, str(exc)) from None
    except ManifestError as exc:  # the server's manifest, not the request, is at fault
        raise HTTPException(500, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return job.to_dict()


@router.get(
    "/documents/jobs/{job_id}",
    response_model=UploadJob,
    responses={404: {"model": Problem}},
    summary="Voortgang en resultaat per bestand van het toevoegen",
)
def upload_job(request: Request, who: CanUpload, job_id: Text):
    job = service_for(request.app.state.bot).job(job_id)
    if job is None:
        raise HTTPException(404, "Onbekende taak.")
    return job.to_dict()


__all__ = ["CanUpload", "router"]
