"""Documents added from the web app (or `POST /api/documents`): check each file, store the good ones in
the corpus folder and give them a manifest entry. Building the index is `upload_jobs.py`'s job.

Uploaded files go to the subfolder `uploads/` of the corpus folder (UPLOAD_DIR), never beside the
curated documents: staff and the beheerder see at a glance what came in through the browser, a
name can never overwrite a curated file, and removing an upload is removing one file from one
folder. Their manifest key is the path relative to the corpus folder (`"uploads/naam.pdf"`), which
`corpus.manifest_entry` looks up first. The manifest is edited as text: new tables are appended and
a table of the same key is replaced, so existing entries and comments stay as they were; the result
is parsed before it atomically replaces the file.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import KINDS, MANIFEST, manifest_ignore
from .ingest.load import SUPPORTED, decode_text, not_text

UPLOAD_DIR = "uploads"
MAX_FILES = 50  # per upload: a larger batch belongs on the server (`assistant ingest`)
MAX_NAME = 120  # characters of a stored file name
MAX_TITLE = 300
MAX_ORGANISATION = 200
ADDED = "toegevoegd"
SKIPPED = "overgeslagen"
WAITING = "wacht op verwerking"


class ManifestError(ValueError):
    """The manifest cannot be edited (invalid TOML, an entry in an unusual form): a server problem."""


@dataclass
class Item:
    """One uploaded file with the metadata the user gave ("" = inferred from the file at ingest)."""

    name: str
    data: bytes = field(repr=False)
    title: str = ""
    date: str = ""
    kind: str = ""
    organisation: str = ""


@dataclass
class Outcome:
    """What became of one file: `status` ADDED, SKIPPED (with `reason`) or WAITING."""

    name: str  # the name as uploaded
    status: str = WAITING
    reason: str = ""
    stored: str = ""  # path relative to the corpus folder ("uploads/x.pdf"), once stored
    doc_id: str = ""
    title: str = ""
    passages: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def known_kinds(documents: list[dict] | None = None) -> list[str]:
    """The kinds a user may choose: those the ingest recognises, plus any the indexed documents have."""
    kinds = {k for k, _ in KINDS} | {"document"}
    kinds |= {d.get("kind", "") for d in documents or []} - {""}
    return sorted(kinds)


def safe_name(name: str) -> str:
    """The file name to store, or "" when none is usable. Path parts (`../x.pdf`, `C:\\x.pdf`) are
    dropped, characters outside letters, digits, space and `.,()&+-_` become `_`, long stems are cut."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", str(name or "")))[-1]
    base = re.sub(r"[^\w .,()&+\-]", "_", base)
    base = re.sub(r"\s+", " ", base).strip()
    if base in ("", ".", "..") or base.startswith("."):
        return ""
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        return base[:MAX_NAME]
    return f"{stem[: MAX_NAME - len(suffix) - 1].rstrip()}.{suffix}"


def name_problem(name: str, original: str, ignore: list[str]) -> str:
    """Why a stored name is refused ("" when it is fine)."""
    if not name:
        if re.split(r"[\\/]", str(original or ""))[-1].startswith("."):
            return "verborgen bestand (de naam begint met een punt)"
        return "ongeldige bestandsnaam"
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        return f"bestandstype {suffix or '(geen)'} wordt niet ondersteund: alleen PDF, TXT en MD"
    rel = f"{UPLOAD_DIR}/{name}".lower()
    hit = next((p for p in ignore if fnmatch.fnmatchcase(name.lower(), p.lower()) or fnmatch.fnmatchcase(rel, p.lower())), "")
    if hit:
        return f"een bestand met deze naam wordt bij het indexeren overgeslagen (patroon {hit!r}); geef het een andere naam"
    return ""


def content_problem(name: str, data: bytes, max_mb: float) -> str:
    """Why the bytes of a file cannot be a document of its type ("" when they may be)."""
    if not data:
        return "leeg bestand"
    if max_mb and len(data) / 1e6 > max_mb:
        return f"te groot: {len(data) / 1e6:.1f} MB, de grens is {max_mb:g} MB (instelling [index] max_file_mb)"
    if name.lower().endswith(".pdf"):
        # a PDF may carry up to 1 KB of junk before its header; pypdf accepts that too
        return "" if b"%PDF-" in data[:1024] else "geen PDF: het bestand begint niet met %PDF"
    if b"\x00" in data[:4096]:
        return "binair bestand, geen tekst"
    problem = not_text(decode_text(data))
    return f"binair of onleesbaar bestand, geen tekst: {problem}" if problem else ""


def iso_date(value: str) -> str | None:
    """`value` as YYYY, YYYY-MM or YYYY-MM-DD ("" for empty; also accepts DD-MM-YYYY); None when invalid."""
    value = str(value or "").strip()
    if not value:
        return ""
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
    if m:
        value = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            dt.date.fromisoformat(value)
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            dt.date.fromisoformat(value + "-01")
        elif not re.fullmatch(r"\d{4}", value):
            return None
    except ValueError:
        return None
    return value if 1900 <= int(value[:4]) <= 2100 else None


def clean_field(value: str, limit: int) -> str:
    """One line of text: control characters out, whitespace collapsed, at most `limit` characters."""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in str(value or ""))
    return " ".join(text.split())[:limit]


def check(
    items: list[Item], corpus: Path, settings, kinds: list[str], known_hashes: dict[str, str]
) -> list[tuple[Outcome, Item]]:
    """Each item with its outcome: SKIPPED with a Dutch reason, or WAITING with its `stored` path and
    its metadata cleaned. `known_hashes`: sha256 -> title of the documents already indexed."""
    ignore = [*settings.index.ignore, *manifest_ignore(corpus)]
    folder = corpus / UPLOAD_DIR
    present = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    seen: dict[str, str] = {}  # sha256 -> name, within this upload
    out = []
    for n, item in enumerate(items):
        outcome = Outcome(item.name)
        out.append((outcome, item))
        name = safe_name(item.name)
        date = iso_date(item.date)
        kind = clean_field(item.kind, 60)
        digest = hashlib.sha256(item.data).hexdigest()
        reason = (
            (f"te veel bestanden in één keer (maximaal {MAX_FILES})" if n >= MAX_FILES else "")
            or name_problem(name, item.name, ignore)
            or content_problem(name, item.data, settings.index.max_file_mb)
            or (
                f"er staat al een bestand {name!r} in {UPLOAD_DIR}/; geef het een andere naam"
                if name.casefold() in present
                else ""
            )
            or (f"dubbel: hetzelfde bestand als {seen[digest]!r} in deze upload" if digest in seen else "")
            or (f"staat al in de documenten (als {known_hashes[digest]!r})" if digest in known_hashes else "")
            or (f"ongeldige datum {clean_field(item.date, 40)!r}: gebruik JJJJ-MM-DD (of JJJJ-MM, JJJJ)" if date is None else "")
            or (f"onbekende soort {kind!r}: kies uit {', '.join(kinds)}" if kind and kind not in kinds else "")
        )
        if reason:
            outcome.status, outcome.reason = SKIPPED, reason
            continue
        present.add(name.casefold())
        seen[digest] = item.name
        outcome.stored = f"{UPLOAD_DIR}/{name}"
        item.title = clean_field(item.title, MAX_TITLE)
        item.date, item.kind = date, kind
        item.organisation = clean_field(item.organisation, MAX_ORGANISATION)
    return out


def store(corpus: Path, accepted: list[tuple[Outcome, Item]], note: str = "") -> None:
    """Write the files and their manifest entries (the manifest first: a file never lands without
    its metadata). `note` is put after each table header as a comment (who added it, when)."""
    entries = {o.stored: _entry(i) for o, i in accepted}
    write_manifest(corpus, entries, note)
    (corpus / UPLOAD_DIR).mkdir(parents=True, exist_ok=True)
    for outcome, item in accepted:
        _atomic_write(corpus / outcome.stored, item.data)


def remove(corpus: Path, stored: list[str]) -> None:
    """Take uploaded files (paths relative to the corpus) out again, with their manifest entries."""
    for rel in stored:
        (corpus / rel).unlink(missing_ok=True)
    write_manifest(corpus, dict.fromkeys(stored))


def _entry(item: Item) -> dict:
    values = {"title": item.title, "date": item.date, "kind": item.kind, "organisation": item.organisation}
    return {k: v for k, v in values.items() if v}


# ---- the manifest, edited as text ------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[(?!\[)(?P<key>.*)\]\s*(?:#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")


def write_manifest(corpus: Path, entries: dict[str, dict | None], note: str = "") -> None:
    """Set (a dict) or drop (None) the manifest table of each key, keeping all other text; atomic.

    ManifestError (Dutch) when the manifest is not valid TOML, or when a key is defined in a way this
    text edit cannot replace (then nothing is written)."""
    path = corpus / MANIFEST
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{MANIFEST} is geen geldige TOML ({exc}); laat de beheerder die eerst herstellen") from exc
    lines = text.splitlines()
    for key, entry in entries.items():
        block = _table(key, entry, note) if entry is not None else []
        span = _find_table(lines, key)
        if span:
            lines[span[0] : span[1]] = block
        elif key in before:
            raise ManifestError(f"{MANIFEST}: de sleutel {key!r} staat er in een vorm die niet automatisch te vervangen is")
        elif block:
            lines += ([""] if lines and lines[-1].strip() else []) + block
    new = "\n".join(lines).rstrip("\n") + "\n"
    after = tomllib.loads(new)  # never write a manifest the ingest cannot read
    for key, entry in entries.items():
        got = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in after.get(key, {}).items()}
        if entry is not None and got != entry or entry is None and key in after:
            raise ManifestError(f"{MANIFEST}: de vermelding van {key!r} kon niet worden geschreven")
    _atomic_write(path, new.encode("utf-8"))


def _table(key: str, entry: dict, note: str) -> list[str]:
    header = f"[{_string(key)}]" + (f"  # {clean_field(note, 200)}" if note else "")
    lines = [header]
    for k, v in entry.items():
        # a full date is written as a TOML date (as in the bundled manifest); YYYY and YYYY-MM as text
        lines.append(f"{k} = {v}" if k == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else f"{k} = {_string(v)}")
    return [*lines, ""]


def _string(value: str) -> str:
    """A TOML basic string: JSON's escapes are a subset of TOML's; DEL must be escaped too."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _find_table(lines: list[str], key: str) -> tuple[int, int] | None:
    """(first line, end) of the table `[key]`: its header up to the next header, without the blank
    lines and comments before that header (they introduce the next table)."""
    for start, line in enumerate(lines):
        m = _HEADER.match(line)
        if not m:
            continue
        try:
            parsed = tomllib.loads(f"[{m.group('key')}]\n")
        except tomllib.TOMLDecodeError:
            continue
        if list(parsed) != [key] or parsed[key] != {}:
            continue
        end = next((i for i in range(start + 1, len(lines)) if _ANY_HEADER.match(lines[i])), len(lines))
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        return start, end
    return None


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.upload-tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


__all__ = [
    "ADDED",
    "MAX_FILES",
    "SKIPPED",
    "UPLOAD_DIR",
    "WAITING",
    "Item",
    "ManifestError",
    "Outcome",
    "check",
    "iso_date",
    "known_kinds",
    "remove",
    "safe_name",
    "store",
    "write_manifest",
]
