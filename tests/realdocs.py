"""Where the development corpus of real documents lives (`../shared/realdocs`), and reading it
without embedding: load -> clean -> chunk with a cheap token bound."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from assistant.settings import ROOT


def shared_dir() -> Path | None:
    """ASSISTANT_SHARED_DIR, else the folder beside the checkout, else /work/shared."""
    for candidate in (os.environ.get("ASSISTANT_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and Path(candidate, "realdocs").is_dir():
            return Path(candidate)
    return None


def realdocs() -> Path:
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared/realdocs ontbreekt (set ASSISTANT_SHARED_DIR): real-document tests skipped")
    return shared / "realdocs"


def bound_tokens(text: str) -> int:
    """An upper bound of multilingual-e5 tokens (Dutch runs at ~1.63 per word) without the model."""
    return int(len(text.split()) * 1.7) + 2


def has_text_layer(path: Path) -> bool:
    """False for an image-only PDF (it has nothing to measure before OCR)."""
    if path.suffix.lower() != ".pdf":
        return True
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    return any(len((p.extract_text() or "").strip()) > 20 for p in reader.pages)


@cache
def ingest(path: Path):
    """(cleaned document, pages, passages) of one file, as ingestion cuts them, without embedding."""
    from assistant.corpus import describe, read_manifest
    from assistant.ingest.chunk import Page, chunk
    from assistant.ingest.clean import clean_document
    from assistant.ingest.load import load

    raw = load(path)
    cleaned = clean_document([p.text for p in raw.pages])
    pages = [Page(p.number, c) for p, c in zip(raw.pages, cleaned.pages)]
    info = describe(path, path.parent, read_manifest(path.parent), "\n".join(p.text for p in raw.pages[:3]), raw.meta)
    return cleaned, pages, chunk(info, pages, bound_tokens)
