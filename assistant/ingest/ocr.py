"""Dutch OCR of scanned PDF pages with Tesseract (Debian: tesseract-ocr, tesseract-ocr-nld, ghostscript).

Pages are rendered with Ghostscript (300 dpi, grey) and read by the `tesseract` command. Measured on
the 4-page Financiën scan of realdocs (shared 2-core machine): `ocrmypdf -l nld --force-ocr --jobs 1
--sidecar` took 35-51 s wall / 16 CPU-s, Ghostscript + Tesseract 7.5 s wall / 4 CPU-s, with the same
text (a handful of differing characters), because OCRmyPDF also rebuilds and checks an output PDF we
do not need. OCRmyPDF's Debian package pulls in both tools, so either package is enough to install.

Results are cached per file hash and page in `cache_dir` (inside the index folder): a re-ingest
never OCRs the same page twice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

LANG = "nld"
DPI = 300
PACKAGES = "tesseract-ocr tesseract-ocr-nld ghostscript (of: ocrmypdf)"
TIMEOUT = 300  # seconds per page: a pathological page must not hang the ingest


class OcrUnavailable(Exception):
    """No OCR engine with Dutch language data is installed; the message names the Debian packages."""


@dataclass
class OcrResult:
    pages: dict[int, str]  # 1-based page number -> text
    seconds: float = 0.0  # OCR time spent now (0 when everything came from the cache)
    cached: list[int] = field(default_factory=list)


def engine() -> tuple[str, str]:
    """Paths of (ghostscript, tesseract) when both are installed with Dutch data, else OcrUnavailable."""
    gs, tess = shutil.which("gs"), shutil.which("tesseract")
    if not gs or not tess:
        missing = " en ".join(n for n, p in (("ghostscript", gs), ("tesseract", tess)) if not p)
        raise OcrUnavailable(
            f"geen OCR: {missing} ontbreekt; installeer de Debian-pakketten {PACKAGES} (no OCR engine installed)"
        )
    try:
        langs = subprocess.run([tess, "--list-langs"], capture_output=True, text=True, timeout=30, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"tesseract werkt niet ({exc}); installeer {PACKAGES}") from exc
    if LANG not in langs:
        raise OcrUnavailable(
            "geen Nederlandse OCR-taaldata; installeer het Debian-pakket tesseract-ocr-nld "
            "(Dutch language data for tesseract missing)"
        )
    return gs, tess


def available() -> bool:
    try:
        engine()
    except OcrUnavailable:
        return False
    return True


def ocr_pdf_pages(data: bytes, numbers: list[int], sha256: str, cache_dir: Path | None) -> OcrResult:
    """Text of the given 1-based pages of the PDF `data`, from the cache or by OCR.

    The bytes, not a path: they are what `load` read and checked (a path could point elsewhere by now)."""
    cache = _read_cache(cache_dir, sha256)
    result = OcrResult({n: cache[str(n)] for n in numbers if str(n) in cache})
    result.cached = sorted(result.pages)
    todo = [n for n in numbers if n not in result.pages]
    if not todo:
        return result
    gs, tess = engine()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        path = Path(tmp) / "bron.pdf"
        path.write_bytes(data)
        for n in todo:
            png = Path(tmp) / f"p{n}.png"
            _run(
                [
                    gs,
                    "-q",
                    "-dSAFER",
                    "-dBATCH",
                    "-dNOPAUSE",
                    "-sDEVICE=pnggray",
                    f"-r{DPI}",
                    f"-dFirstPage={n}",
                    f"-dLastPage={n}",
                    f"-sOutputFile={png}",
                    str(path),
                ]
            )
            # Tesseract uses OpenMP; one thread is faster on a shared machine (see NOTES-stack).
            out = _run([tess, str(png), "stdout", "-l", LANG, "--psm", "3"], env={"OMP_THREAD_LIMIT": "1"})
            result.pages[n] = out.replace("\f", "").strip()
    result.seconds = round(time.perf_counter() - t0, 2)
    cache.update({str(n): result.pages[n] for n in todo})
    _write_cache(cache_dir, sha256, cache)
    return result


def _run(cmd: list[str], env: dict | None = None) -> str:
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False, env={**os.environ, **(env or {})}
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{Path(cmd[0]).name}: te traag (timeout after {TIMEOUT} s)") from exc
    if done.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} faalde (failed): {done.stderr.strip()[:300]}")
    return done.stdout


def _cache_file(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.{LANG}.json"


def _read_cache(cache_dir: Path | None, sha256: str) -> dict[str, str]:
    if cache_dir is None:
        return {}
    try:
        return json.loads(_cache_file(cache_dir, sha256).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_cache(cache_dir: Path | None, sha256: str, pages: dict[str, str]) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = _cache_file(cache_dir, sha256)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)  # atomic: a crashed ingest never leaves half a cache file
