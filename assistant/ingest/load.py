"""Read a file into pages of raw text. PDFs keep their page numbers (one record per page)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED = {".txt", ".md", ".pdf"}
# A PDF page with fewer letters than this is treated as having no text layer.
MIN_LETTERS_PER_PDF = 20


class LoadError(Exception):
    """A file that cannot be ingested; the message says why (Dutch, with English in brackets)."""


@dataclass
class RawPage:
    number: int | None  # 1-based PDF page; None for text files
    text: str


@dataclass
class RawDocument:
    path: Path
    pages: list[RawPage]
    meta: dict = field(default_factory=dict)  # e.g. title/date from PDF metadata


def load(path: Path) -> RawDocument:
    suffix = path.suffix.lower()
    if suffix in {".txt", ".md"}:
        return RawDocument(path, [RawPage(None, _read_text(path))])
    if suffix == ".pdf":
        return _load_pdf(path)
    raise LoadError(f"bestandstype {suffix or '(geen)'} wordt niet ondersteund (unsupported file type)")


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError("binair bestand, geen tekst (binary file, not text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older municipal exports are often Windows-1252.
        return data.decode("cp1252", errors="replace")


def _load_pdf(path: Path) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            # Many "encrypted" PDFs only restrict printing and open with an empty password.
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # pypdf raises DependencyError for AES without cryptography
                raise LoadError(f"versleutelde PDF, kan niet openen (encrypted PDF: {exc})") from exc
            if not ok:
                raise LoadError("versleutelde PDF met wachtwoord (encrypted PDF, password required)")
        pages = [RawPage(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
        meta = {}
        info = reader.metadata
        if info is not None and info.title:
            meta["title"] = str(info.title)
    except LoadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise LoadError(f"beschadigde of onleesbare PDF (corrupt PDF: {type(exc).__name__}: {exc})") from exc
    if not pages:
        raise LoadError("PDF zonder pagina's (PDF has no pages)")
    letters = sum(ch.isalpha() for p in pages for ch in p.text)
    if letters < MIN_LETTERS_PER_PDF:
        raise LoadError("PDF zonder tekstlaag, eerst OCR nodig (no text layer: scanned PDF needs OCR)")
    return RawDocument(path, pages, meta)
