"""CSV files of the tables, for the "Exporteer als CSV" buttons (semicolons and a BOM: Excel opens them)."""

from __future__ import annotations

import csv
import os
import tempfile
import time
from pathlib import Path

EXPORT_MAX_AGE = 3600  # seconds an exported CSV stays in the export folder
FOLDER_NAME = "raadsassistent-export"


def rows_csv(headers: list[str], rows: list[list], stem: str, folder: Path | None = None) -> str:
    """Write rows to a new CSV file in the export folder (old exports are removed); returns its path."""
    folder = Path(folder) if folder else Path(tempfile.gettempdir()) / FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.csv"):
        try:
            if now - old.stat().st_mtime > EXPORT_MAX_AGE:
                old.unlink()
        except OSError:  # another worker removed it first
            pass
    fd, path = tempfile.mkstemp(prefix=f"{stem}-", suffix=".csv", dir=folder)
    with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens UTF-8 correctly
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(headers)
        writer.writerows(rows)
    return path
