"""The request and response models of the HTTP APIs (pydantic), and validation errors in Dutch.

Responses reuse the dataclasses of `assistant.model` (FastAPI turns them into schemas), so the JSON
has the same field names as the Python API. Limits on the history bound what a client can make the
server do (issue 13, item 2): a follow-up question copies the previous turn into the search.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

MAX_QUESTION = 1000  # as `assistant.api`: longer questions are refused there with a message
MAX_TURNS = 20  # history items per request
MAX_MESSAGE = 4000  # characters per history item
MAX_HISTORY = 20_000  # characters of history in all
MAX_K = 50
STATUSES = ("alle", "afgedaan", "open")


def no_surrogates(value: str) -> str:
    """Refuse lone surrogates (JSON "\\ud800"): they cannot be encoded and once gave a 500."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("de tekst bevat ongeldige tekens (lone surrogates)") from None
    return value


Text = Annotated[str, AfterValidator(no_surrogates)]
Year = Annotated[int, Field(ge=1000, le=9999)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Turn(Strict):
    """An earlier message of the conversation."""

    role: Literal["user", "assistant"]
    content: Annotated[Text, Field(max_length=MAX_MESSAGE)]


def check_history_size(turns: list) -> None:
    total = sum(len(t.content) for t in turns)
    if total > MAX_HISTORY:
        raise ValueError(f"de geschiedenis is te lang ({total} tekens; maximaal {MAX_HISTORY})")


class FilterSpec(Strict):
    """Restrict the passages: document kinds, years (inclusive) and document ids. Empty means all."""

    kinds: Annotated[list[Text], Field(max_length=50)] = []
    year_from: Year | None = None
    year_to: Year | None = None
    doc_ids: Annotated[list[Text], Field(max_length=500)] = []
    organisations: Annotated[list[Text], Field(max_length=50)] = []

    def as_dict(self) -> dict | None:
        f = {k: v for k, v in self.model_dump().items() if v}
        return f or None


class AskRequest(Strict):
    question: Annotated[Text, Field(min_length=1, max_length=MAX_QUESTION)]
    history: Annotated[list[Turn], Field(max_length=MAX_TURNS)] = []
    filters: FilterSpec | None = None

    @model_validator(mode="after")
    def _history_size(self):
        check_history_size(self.history)
        return self


class Document(BaseModel):
    doc_id: str
    title: str
    date: str
    kind: str
    pages: int
    passages: int
    source: str = ""
    organisation: str = ""


class Context(BaseModel):
    before: str
    passage: str
    after: str
    page: int | None
    doc_id: str
    title: str


class Problem(BaseModel):
    """An error: `detail` is a Dutch message."""

    detail: str


# ---- validation errors in Dutch -------------------------------------------------------------------

_DUTCH = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_parsing": "moet true of false zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "literal_error": "ongeldige waarde; toegestaan: {expected}",
    "enum": "ongeldige waarde; toegestaan: {expected}",
    "string_too_short": "te kort (minstens {min_length} teken(s))",
    "string_too_long": "te lang (hoogstens {max_length} tekens)",
    "too_short": "te weinig elementen (minstens {min_length})",
    "too_long": "te veel elementen (hoogstens {max_length})",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than_equal": "mag hoogstens {le} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than": "moet kleiner zijn dan {lt}",
    "json_invalid": "ongeldige JSON",
    "string_unicode": "ongeldige tekst (geen geldige UTF-8)",
    "union_tag_invalid": "ongeldige waarde",
}


def dutch_errors(errors) -> list[dict]:
    """pydantic/FastAPI errors with a Dutch `msg` (same shape: loc, msg, type), no echo of the input."""
    out = []
    for e in errors:
        kind = e.get("type", "")
        ctx = {k: str(v) for k, v in (e.get("ctx") or {}).items()}
        if kind in ("too_long", "too_short") and ctx.get("field_type") != "List":
            kind = "string_" + kind  # a length constraint on text (pydantic reports it as a value)
        if kind == "value_error":
            msg = str((e.get("ctx") or {}).get("error") or e.get("msg", ""))
        else:
            try:
                msg = _DUTCH[kind].format(**ctx) if kind in _DUTCH else f"ongeldige waarde ({e.get('msg', kind)})"
            except (KeyError, IndexError):
                msg = "ongeldige waarde"
        out.append({"loc": [str(x) for x in e.get("loc", ())], "msg": msg[:300], "type": kind})
    return out


def describe(errors: list[dict]) -> str:
    """One line for a message or a log: "body.question: te lang (…); query.k: …"."""
    return "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)[:1000]


__all__ = [
    "MAX_HISTORY",
    "MAX_K",
    "MAX_MESSAGE",
    "MAX_QUESTION",
    "MAX_TURNS",
    "STATUSES",
    "AskRequest",
    "Context",
    "Document",
    "FilterSpec",
    "Problem",
    "Text",
    "Turn",
    "Year",
    "check_history_size",
    "describe",
    "dutch_errors",
    "no_surrogates",
]
