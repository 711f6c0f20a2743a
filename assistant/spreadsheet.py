"""CSV that is safe to open in a spreadsheet: cells that would run as a formula are neutralised.

Shared by the web app's exports and `assistant feedback export`; no Gradio import (the CLI stays fast).
"""

from __future__ import annotations

import csv

# OWASP "CSV injection": a cell starting with one of these is read as a formula by Excel/LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` for a CSV cell: text a spreadsheet would run as a formula gets a leading `'`.

    Numbers stay numbers (a negative number is data, not a formula)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(fh, headers: list[str], rows, delimiter: str = ";") -> None:
    """Header and rows with every cell neutralised."""
    writer = csv.writer(fh, delimiter=delimiter)
    writer.writerow([safe_cell(h) for h in headers])
    writer.writerows([safe_cell(v) for v in row] for row in rows)


__all__ = ["FORMULA_START", "safe_cell", "write_csv"]
