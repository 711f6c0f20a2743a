"""An OpenAI-compatible chat endpoint under /v1, so Open WebUI, LibreChat or any OpenAI client can
front the assistant: `GET /v1/models` (one model) and `POST /v1/chat/completions`.

The last user message is the question; the earlier user/assistant messages are the history (the
last MAX_TURNS of them, each cut to MAX_MESSAGE characters: a long chat must keep working, and only
the recent turns matter for a follow-up). System messages are ignored: the assistant does not take
instructions. The reply is the answer with its `[n]` markers and a "Bronnen" list in the text, and
the citations as data in the extra field `citations`. `stream: true` sends the same text as
server-sent-event chunks ending with `data: [DONE]`; the answer is composed whole first (it is
extractive and verified), so streaming only changes the wire format.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..present import format_answer
from .guard import CanChat
from .rest import ERRORS, in_chat_worker
from .schemas import MAX_MESSAGE, MAX_TURNS, FilterSpec, Text

MODEL = "raadsassistent"  # when the settings name none; else the slug of `settings.name`
MAX_MESSAGES = 500
MAX_CONTENT = 100_000  # characters of one message as sent; only the last MAX_MESSAGE are used
SOURCES_MARK = "\n\nBronnen:"

router = APIRouter(prefix="/v1", tags=["openai"], responses=ERRORS)


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: Text | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: Annotated[Text, Field(max_length=MAX_CONTENT)] | Annotated[list[ContentPart], Field(max_length=100)] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(p.text or "" for p in self.content if p.type in ("text", "input_text"))
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p, user, …: accepted and ignored
    model: Text = ""  # any name is accepted: there is one model
    messages: Annotated[list[Message], Field(min_length=1, max_length=MAX_MESSAGES)]
    stream: bool = False
    stream_options: dict | None = None
    filters: FilterSpec | None = None  # not OpenAI: the assistant's filters (openai client: extra_body)

    @model_validator(mode="after")
    def _ends_with_user(self):
        if self.messages[-1].role != "user":
            raise ValueError("het laatste bericht moet van de gebruiker (role 'user') zijn")
        return self

    def question(self) -> str:
        return self.messages[-1].text()

    def history(self) -> list[dict]:
        turns = []
        for m in self.messages[:-1]:
            if m.role in ("user", "assistant"):
                text = m.text().split(SOURCES_MARK)[0] if m.role == "assistant" else m.text()
                turns.append({"role": m.role, "content": text[-MAX_MESSAGE:]})
        return turns[-MAX_TURNS:]


def model_id(bot) -> str:
    """The model's name: the assistant's name from the settings, as a slug ("Raadsassistent Jeugd" →
    "raadsassistent-jeugd")."""
    name = getattr(getattr(bot, "settings", None), "name", "") or MODEL
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or MODEL


@router.get("/models", summary="Het ene model: de assistent")
def models(request: Request, who: CanChat):
    return {"object": "list", "data": [_model(request)]}


@router.get("/models/{name}", summary="Het model", responses={404: {"description": "onbekend model"}})
def model(request: Request, who: CanChat, name: str):
    if name != model_id(request.app.state.bot):
        raise HTTPException(404, f"Onbekend model: gebruik {model_id(request.app.state.bot)!r}.")
    return _model(request)


def _model(request: Request) -> dict:
    return {"id": model_id(request.app.state.bot), "object": "model", "created": 0, "owned_by": "raadsassistent"}


def citations(answer) -> list[dict]:
    """The answer's citations as data (the Python API's fields, plus `source`: one line naming it)."""
    from ..present import source_line

    return [{**c.to_dict(), "spans": [list(s) for s in c.spans], "source": source_line(c)} for c in answer.citations]


@router.post("/chat/completions", summary="Beantwoord het laatste gebruikersbericht (OpenAI-formaat)")
async def chat_completions(request: Request, who: CanChat, body: ChatRequest):
    bot = request.app.state.bot
    filters = body.filters.as_dict() if body.filters else None
    answer = await in_chat_worker(request, bot.ask, body.question(), history=body.history(), filters=filters)
    text = format_answer(answer)
    extra = {"citations": citations(answer), "answered": answer.answered, "notice": answer.notice}
    ident, created, name = f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), model_id(bot)
    usage = _usage(body, text)
    if body.stream:
        include_usage = bool((body.stream_options or {}).get("include_usage"))
        return StreamingResponse(
            _chunks(ident, created, name, text, extra, usage if include_usage else None),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    return {
        "id": ident,
        "object": "chat.completion",
        "created": created,
        "model": name,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop", "logprobs": None}],
        "usage": usage,
        **extra,
    }


def _usage(body: ChatRequest, text: str) -> dict:
    """Word counts: there is no tokenizer, and nothing is billed."""
    prompt = sum(len(m.text().split()) for m in body.messages)
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def pieces(text: str) -> list[str]:
    """The text in sentence- and line-sized pieces that join back to exactly `text`."""
    return [p for p in re.split(r"(?<=[.!?:\n])(?=\s)", text) if p] or [""]


def _chunks(ident: str, created: int, name: str, text: str, extra: dict, usage: dict | None):
    def event(delta: dict, finish=None, **more) -> str:
        chunk = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": name,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **more,
        }
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for piece in pieces(text):
        yield event({"content": piece})
    yield event({}, "stop", **extra)
    if usage is not None:
        last = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": name, "choices": [], "usage": usage}
        yield f"data: {json.dumps(last)}\n\n"
    yield "data: [DONE]\n\n"


__all__ = ["MODEL", "ChatRequest", "Message", "citations", "model_id", "pieces", "router"]
