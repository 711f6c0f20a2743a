"""Files the user exports (CSV of the tables, Markdown of a conversation), written only on request.

They go to one folder under the system temp dir; files older than EXPORT_MAX_AGE are removed on
every export, so the folder never grows. CSV cells are neutralised against formula injection.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from ..spreadsheet import write_csv

EXPORT_MAX_AGE = 3600  # seconds an exported file stays in the export folder
FOLDER_NAME = "raadsassistent-export"


def export_folder(folder: Path | None = None) -> Path:
    """The export folder, created if needed, with exports older than EXPORT_MAX_AGE removed."""
    folder = Path(folder) if folder else Path(tempfile.gettempdir()) / FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.iterdir():
        try:
            if old.is_file() and now - old.stat().st_mtime > EXPORT_MAX_AGE:
                old.unlink()
        except OSError:  # another worker removed it first
            pass
    return folder


def rows_csv(headers: list[str], rows: list[list], stem: str, folder: Path | None = None) -> str:
    """Write rows to a new CSV file in the export folder; returns its path."""
    fd, path = tempfile.mkstemp(prefix=f"{stem}-", suffix=".csv", dir=export_folder(folder))
    with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens UTF-8 correctly
        write_csv(fh, headers, rows)
    return path
