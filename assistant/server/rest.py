"""The REST API under /api: the `Assistant`'s methods as JSON, for staff tools and scripts.

Field names are those of the Python API (`assistant.model`). Retrieval calls run in worker threads
behind one limiter of RETRIEVAL_WORKERS, like the web app's queue: more at once only slows each down
on two cores (see `assistant/ui/layout.py`).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, HTTPException, Query, Request

from ..model import Answer, Measure, Motion, Passage
from .guard import CanChat, CanReadDocuments, CanReadRecords, CanSearch
from .schemas import MAX_K, MAX_QUESTION, AskRequest, Context, Document, FilterSpec, Problem, Text, Year

RETRIEVAL_WORKERS = 2
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 429: {"model": Problem}}

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


def bot(request: Request):
    return request.app.state.bot


async def in_worker(request: Request, fn, *args, **kwargs):
    """Run a blocking call of the `Assistant` in a worker thread, at most RETRIEVAL_WORKERS at once."""
    state = request.app.state
    if getattr(state, "retrieval_limiter", None) is None:  # made here: it belongs to the running event loop
        state.retrieval_limiter = anyio.CapacityLimiter(RETRIEVAL_WORKERS)
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=state.retrieval_limiter)


async def in_chat_worker(request: Request, fn, *args, **kwargs):
    """A question: its own limiter (it may wait on an LLM; the Assistant bounds its CPU part), so a
    hanging model server never holds the slots that searches use."""
    state = request.app.state
    if getattr(state, "chat_limiter", None) is None:
        settings = state.bot.settings
        workers = settings.llm.workers if settings.llm.url else settings.retrieval.workers
        state.chat_limiter = anyio.CapacityLimiter(max(1, workers))
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=state.chat_limiter)


@router.get("/search", response_model=list[Passage], summary="Passages voor een zoekvraag, beste eerst")
async def search(
    request: Request,
    who: CanSearch,
    q: Annotated[Text, Query(min_length=1, max_length=MAX_QUESTION, description="de zoekvraag")],
    k: Annotated[int, Query(ge=1, le=MAX_K, description="aantal passages")] = 10,
    kinds: Annotated[list[Text], Query(max_length=50, description="soorten document")] = [],  # noqa: B006
    year_from: Annotated[Year | None, Query()] = None,
    year_to: Annotated[Year | None, Query()] = None,
    doc_ids: Annotated[list[Text], Query(max_length=500)] = [],  # noqa: B006
    organisations: Annotated[list[Text], Query(max_length=50)] = [],  # noqa: B006
):
    filters = FilterSpec(
        kinds=kinds, year_from=year_from, year_to=year_to, doc_ids=doc_ids, organisations=organisations
    ).as_dict()
    return await in_worker(request, bot(request).search, q, k=k, filters=filters)


@router.post("/ask", response_model=Answer, summary="Beantwoord een vraag met geciteerde passages")
async def ask(request: Request, who: CanChat, body: AskRequest):
    history = [t.model_dump() for t in body.history]
    filters = body.filters.as_dict() if body.filters else None
    return await in_chat_worker(request, bot(request).ask, body.question, history=history, filters=filters)


@router.get("/motions", response_model=list[Motion], summary="Moties, op nummer of titelwoorden, en status")
def motions(
    request: Request,
    who: CanReadRecords,
    q: Annotated[Text, Query(max_length=MAX_QUESTION, description="motienummer of woorden uit de titel")] = "",
    status: Annotated[Literal["alle", "afgedaan", "open"], Query()] = "alle",
):
    found = bot(request).motions(q.strip())
    return [m for m in found if status == "alle" or m.done == (status == "afgedaan")]


@router.get("/measures", response_model=list[Measure], summary="Maatregelen van de actieplannen, met voortgang")
def measures(request: Request, who: CanReadRecords):
    return bot(request).measures()


@router.get("/documents", response_model=list[Document], summary="De geïndexeerde documenten")
def documents(request: Request, who: CanReadDocuments):
    return bot(request).documents()


@router.get("/documents/{doc_id}", response_model=Document, responses={404: {"model": Problem}}, summary="Eén document")
def document(request: Request, who: CanReadDocuments, doc_id: Text):
    found = next((d for d in bot(request).documents() if d["doc_id"] == doc_id), None)
    if found is None:
        raise HTTPException(404, "Onbekend document.")
    return found


@router.get("/passages/{passage_id}", response_model=Passage, responses={404: {"model": Problem}}, summary="Eén passage")
def passage(request: Request, who: CanSearch, passage_id: Text):
    found = bot(request).passage(passage_id)
    if found is None:
        raise HTTPException(404, "Onbekende passage.")
    return found


@router.get(
    "/passages/{passage_id}/context",
    response_model=Context,
    responses={404: {"model": Problem}},
    summary="Een passage in de tekst van haar pagina",
)
def context(
    request: Request,
    who: CanSearch,
    passage_id: Text,
    chars: Annotated[int, Query(ge=0, le=5000, description="tekens ervoor en erna")] = 1200,
):
    try:
        return bot(request).context(passage_id, chars=chars)
    except KeyError:
        raise HTTPException(404, "Onbekende passage.") from None


__all__ = ["RETRIEVAL_WORKERS", "in_chat_worker", "in_worker", "router"]
