"""Endpoints for the `beheerder` role under /api/admin: the users and their roles, and re-indexing.

Re-indexing runs `assistant ingest` in a child process, as `assistant start` does: embedding may use
every core there, while this server keeps its one encoder thread per request; the new build is
swapped in atomically and the running assistant picks it up (`Assistant.refresh`). Users are added
and removed with `assistant users` on the server itself (passwords are not sent over HTTP).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from .guard import Principal, require
from .rest import ERRORS, in_worker

log = logging.getLogger(__name__)
CanAdmin = Annotated[Principal, Depends(require("admin"))]
INGEST_TIMEOUT = 3600  # seconds

router = APIRouter(prefix="/api/admin", tags=["beheer"], responses=ERRORS)


class UserRole(BaseModel):
    name: str
    role: str
    hashed: bool


@router.get("/users", response_model=list[UserRole], summary="De gebruikers en hun rollen")
def users(request: Request, who: CanAdmin):
    access = request.app.state.access
    return [UserRole(name=u.name, role=u.role, hashed=bool(u.hash)) for u in access.users.values()]


@router.post(
    "/reindex",
    summary="Werk de index bij vanuit de documentenmap en laad hem",
    responses={409: {"description": "er loopt al een ingest"}},
)
async def reindex(request: Request, who: CanAdmin) -> dict:
    bot = request.app.state.bot
    settings = bot.settings
    cmd = [
        sys.executable,
        "-m",
        "assistant.cli",
        "--index-dir",
        str(settings.index_dir),
        "ingest",
        "--json",
        str(settings.corpus_dir),
    ]
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    log.info("herindexeren gestart door %s", who.name)
    with anyio.fail_after(INGEST_TIMEOUT):
        done = await anyio.run_process(cmd, env=env, check=False)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["onbekende fout"]
        status = 409 if "al een ingest" in reason[0] else 500
        raise HTTPException(status, f"Herindexeren mislukt: {reason[0][:300]}")
    report = json.loads(done.stdout)
    report["reloaded"] = await in_worker(request, bot.refresh)
    return report


__all__ = ["CanAdmin", "router"]
