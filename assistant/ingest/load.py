"""Read a file into pages of raw text. PDFs keep their page numbers (one record per page).

Every failure of one file ends as a `LoadError` with a reason, never as another exception: the
caller skips that file and ingests the rest. A page whose text extraction crashes falls back to
another extraction mode, then to an empty page with a warning. Scanned pages (no text layer, or a
poor OCR layer over page images) are OCR'd in Dutch when an engine is installed (see `ocr.py`).
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED = {".txt", ".md", ".pdf"}
# A PDF page with fewer letters than this is treated as having no text layer.
MIN_LETTERS_PER_PDF = 20
# An existing text layer over page images is judged only with enough words to measure.
MIN_WORDS_TO_JUDGE = 40


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
    warnings: list[str] = field(default_factory=list)  # per page problems that did not stop the file
    ocr: dict = field(default_factory=dict)  # {"pages": [...], "seconds": s, "cached": [...]} when OCR'd


def load(path: Path, ocr_cache: Path | None = None, sha256: str = "", root: Path | None = None) -> RawDocument:
    """The pages of `path`. `ocr_cache`: folder for OCR results (by `sha256` of the file). `root`: the
    corpus folder; then only a regular file inside it is read (see `read_inside`).

    The file is read once; parsing and OCR work on those bytes, never on the path again."""
    suffix = path.suffix.lower()
    try:
        if suffix in {".txt", ".md"}:
            return RawDocument(path, [RawPage(None, _read_text(read_inside(path, root)))])
        if suffix == ".pdf":
            return _load_pdf(path, read_inside(path, root), ocr_cache, sha256)
    except LoadError:
        raise
    except OSError as exc:
        raise LoadError(f"onleesbaar (unreadable): {exc.strerror or exc}") from exc
    except Exception as exc:  # one bad file must never stop the ingest of the others
        raise LoadError(f"onverwachte fout bij lezen (unexpected error): {type(exc).__name__}: {exc}") from exc
    raise LoadError(f"bestandstype {suffix or '(geen)'} wordt niet ondersteund (unsupported file type)")


# Not text: a .txt/.md that is binary data without NUL bytes (an image or archive renamed). Measured
# on 2,900 text files (corpus/, realdocs and lawcorpus Markdown, Debian and Python package docs): not
# one control character or U+FFFD, letters >= 56 % of the non-space characters in every document;
# 300 binaries with their NULs removed, random bytes and zlib data: 5-43 % control characters
# (or none at all: those are scripts, i.e. text). The limits sit far from both.
MAX_CONTROL_SHARE = 0.01
MIN_LETTER_SHARE = 0.25
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]+")  # not \t \n \v \f \r; U+FFFD: undecodable
_LETTERS = re.compile(r"[^\W\d_]+")
_SPACE = re.compile(r"\s+")


OUTSIDE_REASON = "buiten de corpusmap (outside the corpus folder)"
SWAPPED = "gewijzigd tijdens het inlezen: nu een koppeling (replaced by a symbolic link while reading)"


def read_inside(path: Path, root: Path | None) -> bytes:
    """The bytes of `path`, and with `root` only if what is opened is a regular file inside `root`.

    The scan checked every path, but a file can be swapped for a link to /etc/passwd between that
    check and this read. So the name is resolved again, and the file is then opened one name at a
    time from the open `root` folder with O_NOFOLLOW at every step: a link put anywhere on the way
    after the check makes the open fail, and what is opened lies inside `root` whatever changes. (Our
    own walk: Python has no openat2(RESOLVE_BENEATH); pathlib and open() follow links.) O_NONBLOCK
    keeps a FIFO swapped in from blocking the ingest; only a regular file is read."""
    if root is None:
        return path.read_bytes()
    root = root.resolve()
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # gone, a broken link or a loop
        raise LoadError(f"onleesbaar (unreadable): verdwenen of verbroken koppeling ({exc})") from exc
    if real == root or not real.is_relative_to(root):
        raise LoadError(f"{OUTSIDE_REASON}: {real}")
    *folders, name = real.relative_to(root).parts
    nofollow = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for folder in folders:
            inner = os.open(folder, nofollow | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        file_fd = os.open(name, nofollow | os.O_NONBLOCK, dir_fd=fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):  # a link where the check saw none
            raise LoadError(SWAPPED) from exc
        raise
    finally:
        os.close(fd)
    with os.fdopen(file_fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise LoadError("geen gewoon bestand (not a regular file)")
        return fh.read()


def _read_text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise LoadError("binair bestand, geen tekst (binary file, not text)")
    text = decode_text(data)
    problem = not_text(text)
    if problem:
        raise LoadError(f"binair of onleesbaar bestand, geen tekst (binary data, not text): {problem}")
    return text


def decode_text(data: bytes) -> str:
    """UTF-8; a UTF-8 file with a few broken bytes keeps its UTF-8 (the bytes become U+FFFD); anything
    else is read as Windows-1252 (older municipal exports)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    if len(text) - len(text.encode("ascii", errors="ignore")) - broken > broken:
        return text.removeprefix("\ufeff")
    return data.decode("cp1252", errors="replace")


def _share(pattern: re.Pattern, text: str) -> int:
    """How many characters of `text` match `pattern` (linear, without a list per character)."""
    return len(text) - len(pattern.sub("", text))


def not_text(text: str) -> str:
    """Why a decoded file is not text ("" when it is): control characters or undecodable bytes, or
    hardly any letters."""
    if not text.strip():
        return ""
    control = _share(_CONTROL, text) / len(text)
    if control > MAX_CONTROL_SHARE:
        return f"{control:.0%} stuurtekens of onleesbare bytes (control characters or invalid bytes)"
    visible = len(text) - _share(_SPACE, text)
    letters = _share(_LETTERS, text) / max(1, visible)
    if letters < MIN_LETTER_SHARE:
        return f"maar {letters:.0%} letters (hardly any letters)"
    return ""


def _page_text(page) -> str:
    """The text of one pypdf page (the one place a page's text is extracted)."""
    return page.extract_text() or ""


def _safe_page_text(page, number: int, warnings: list[str]) -> str:
    """`_page_text`, falling back to layout mode and then to an empty page: never the whole document."""
    try:
        return _page_text(page)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on odd content streams
        first = f"{type(exc).__name__}: {exc}"
    try:
        text = page.extract_text(extraction_mode="layout") or ""
        warnings.append(f"pagina {number}: tekst via layout-modus (text extraction fell back: {first})")
        return text
    except Exception as exc:  # noqa: BLE001
        warnings.append(
            f"pagina {number} overgeslagen, tekst onleesbaar (page text unreadable: {first}; {type(exc).__name__}: {exc})"
        )
        return ""


def _open_pdf(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many "encrypted" PDFs (AES too) only restrict printing and open with an empty user password.
            try:
                ok = reader.decrypt("")
            except DependencyError as exc:
                raise LoadError(
                    "versleutelde PDF (AES): installeer het Python-pakket 'cryptography' "
                    f"(encrypted PDF needs cryptography: {exc})"
                ) from exc
            if not ok:
                raise LoadError("versleutelde PDF met wachtwoord (encrypted PDF, password required)")
        return reader, list(reader.pages)
    except LoadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise LoadError(f"beschadigde of onleesbare PDF (corrupt PDF: {type(exc).__name__}: {exc})") from exc


def _load_pdf(path: Path, data: bytes, ocr_cache: Path | None, sha256: str) -> RawDocument:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader, pdf_pages = _open_pdf(data)
    if not pdf_pages:
        raise LoadError("PDF zonder pagina's (PDF has no pages)")
    warnings: list[str] = []
    pages = [RawPage(i + 1, _safe_page_text(p, i + 1, warnings)) for i, p in enumerate(pdf_pages)]
    meta = {}
    with contextlib.suppress(Exception):  # metadata is optional; a broken info dict must not cost the text
        info = reader.metadata
        if info is not None and info.title:
            meta["title"] = str(info.title)
    doc = RawDocument(path, pages, meta, warnings)
    images = [_has_images(pdf) for pdf in pdf_pages]
    scanned = [p.number for p, img in zip(pages, images) if needs_ocr(p.text, img)]
    if scanned:  # a scan's pages too short to judge (a signature page) are read the same way
        scanned = [
            p.number
            for p, img in zip(pages, images)
            if p.number in scanned or (img and text_quality(p.text)["words"] < MIN_WORDS_TO_JUDGE)
        ]
    if scanned:
        _ocr(doc, data, scanned, ocr_cache, sha256)
    if sum(ch.isalpha() for p in doc.pages for ch in p.text) < MIN_LETTERS_PER_PDF:
        raise LoadError(
            "PDF zonder tekstlaag, eerst OCR nodig (no text layer: scanned PDF needs OCR)"
            + (f"; {doc.warnings[-1]}" if doc.warnings else "")
        )
    return doc


def _ocr(doc: RawDocument, data: bytes, numbers: list[int], cache: Path | None, sha256: str) -> None:
    """Replace the text of the scanned pages `numbers` of the PDF `data` by Dutch OCR; without an
    engine, warn and keep them."""
    from . import ocr

    if not sha256:
        import hashlib

        sha256 = hashlib.sha256(data).hexdigest()
    t0 = time.perf_counter()
    try:
        result = ocr.ocr_pdf_pages(data, numbers, sha256, cache)
    except ocr.OcrUnavailable as exc:
        doc.warnings.append(f"pagina {_ranges(numbers)} zonder bruikbare tekstlaag niet ge-OCR'd: {exc}")
        return
    except (RuntimeError, OSError) as exc:
        doc.warnings.append(f"OCR van pagina {_ranges(numbers)} mislukt (OCR failed): {exc}")
        return
    for page in doc.pages:
        if page.number in result.pages:
            page.text = result.pages[page.number]
    doc.ocr = {
        "pages": numbers,
        "seconds": result.seconds,
        "cached": result.cached,
        "wall_seconds": round(time.perf_counter() - t0, 2),
    }


def _has_images(page, depth: int = 0) -> bool:
    """Does the page draw an image? (A scan is one or more page images, sometimes cut into strips.)"""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for x in xobjects.get_object().values() if xobjects else []:
            x = x.get_object()
            if x.get("/Subtype") == "/Image" or (x.get("/Subtype") == "/Form" and depth < 2 and _has_images(x, depth + 1)):
                return True
    except Exception:  # noqa: BLE001 - an odd resource dictionary only means "not judged a scan"
        return False
    return False


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,:/-]\d+)*")
_EDGE = ".,;:!?()[]\"'“”‘’«»"


def text_quality(text: str) -> dict:
    """Simple statistics of a text layer: word count, share of clean word tokens, punctuation per word.

    Measured on realdocs (pages with >= 40 words): born-digital pages have 0.89-1.00 clean tokens and
    0.04-0.30 sentence punctuation marks per word; the FineReader layer of the Financiën scan has
    0.00 punctuation ("Oaarnaast", "Bijiagen", no full stops), Tesseract's own OCR of it 0.08.
    """
    tokens = [t.strip(_EDGE) for t in text.split()]
    tokens = [t for t in tokens if t]
    clean = sum(bool(_WORD.fullmatch(t)) for t in tokens)
    punct = sum(text.count(c) for c in ".,;:?")
    n = max(1, len(tokens))
    return {"words": len(tokens), "clean": clean / n, "punctuation": punct / n}


def needs_ocr(text: str, has_images: bool) -> bool:
    """A scanned page: page images with hardly any letters, or with a poor OCR layer.

    A page without images is never OCR'd: it is blank or born-digital, and born-digital text is never
    replaced, however odd it looks (tables, lists).
    """
    if not has_images:
        return False
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS_PER_PDF:
        return True
    q = text_quality(text)
    return q["words"] >= MIN_WORDS_TO_JUDGE and (q["clean"] < 0.8 or not 0.02 <= q["punctuation"] <= 0.5)


def _ranges(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)
