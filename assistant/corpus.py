"""Find the documents in the corpus folder and give each its metadata (manifest, else inferred)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .ingest.load import OUTSIDE_REASON, SUPPORTED
from .settings import DEFAULT_IGNORE

MANIFEST = "manifest.toml"  # the metadata of a corpus folder: never a document itself
MANIFEST_KEYS = {"id", "title", "date", "kind", "source", "organisation"}
IGNORED_REASON = "genegeerd (ignored)"
MONTHS = {
    m: i + 1
    for i, m in enumerate("januari februari maart april mei juni juli augustus september oktober november december".split())
}
KINDS = [  # the pattern found earliest in the opening of the text wins (list order breaks ties)
    ("besluitenlijst", r"\bbesluitenlijst\b"),
    ("notulen", r"\bnotulen\b|\bvergadering (?:van de )?(?:gemeente)?raad\b.{0,60}\bgehouden op\b"),
    ("raadsbesluit", r"\braadsbesluit\b|\bde raad van de gemeente\b.*\bbesluit\b"),
    ("raadsvoorstel", r"\braadsvoorstel\b|\bvoorstel van het college\b"),
    ("motie", r"^\s*motie\b|\n\s*motie\b"),
    ("raadsinformatiebrief", r"\braadsinformatiebrief\b|\braadsbrief\b|\bcollegebrief\b"),
    ("voortgangsrapportage", r"\bupdate\b|\bvoortgang"),
    ("actieplan", r"\bactieplan\b"),
    ("beleidsplan", r"\bbeleidsplan\b|\bbeleidskader\b"),
]


@dataclass
class DocumentInfo:
    doc_id: str
    path: Path
    title: str
    date: str  # ISO: YYYY, YYYY-MM or YYYY-MM-DD ("" if unknown)
    kind: str
    source: str
    sha256: str
    organisation: str = ""  # publisher, e.g. "gemeente Den Haag" (manifest, else inferred from the text)
    warnings: list[str] = field(default_factory=list)  # manifest problems of this file

    def to_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def scan(corpus_dir: Path, ignore: tuple[str, ...] | list[str] | None = None, max_mb: float = 0) -> tuple[list[Path], list[dict]]:
    """The documents below `corpus_dir` in a stable order, and the other files as {"path", "reason"}.

    `ignore`: glob patterns (default: settings.DEFAULT_IGNORE), plus the manifest's `ignore = [...]`.
    Names starting with "." are always ignored; hidden folders are reported once and not walked into
    (a `.git` folder holds thousands of files). Every path is resolved: a link whose target lies outside
    the corpus folder (`passwd.txt -> /etc/passwd`) is never a document, a link to a document that is
    already read is a duplicate, and linked folders are not walked (os.walk does not follow them).
    `max_mb`: larger files are listed with the reason, never read (0: no limit).
    """
    if corpus_dir.is_file():
        return _within_size([corpus_dir], [], max_mb)
    root = corpus_dir.resolve()
    patterns = [p.lower() for p in (DEFAULT_IGNORE if ignore is None else ignore)]
    patterns += [p.lower() for p in manifest_ignore(corpus_dir)]
    found: list[Path] = []
    other: list[dict] = []
    for folder, dirs, names in os.walk(corpus_dir):
        base = Path(folder)
        for d in sorted(dirs):
            rel = (base / d).relative_to(corpus_dir).as_posix()
            if d.startswith(".") or _matches(d, rel, patterns):
                other.append({"path": str((base / d).resolve()), "reason": f"{IGNORED_REASON}: map {rel}/"})
            elif (base / d).is_symlink():
                other.append(
                    _link_note(
                        base / d, root, f"{IGNORED_REASON}: gekoppelde map {rel}/ niet gelezen (linked folder not followed)"
                    )
                )
        dirs[:] = sorted(
            d for d in dirs if not (d.startswith(".") or _matches(d, (base / d).relative_to(corpus_dir).as_posix(), patterns))
        )
        for name in sorted(names):
            path = base / name
            rel = path.relative_to(corpus_dir).as_posix()
            if rel == MANIFEST:
                continue
            if name.startswith(".") or _matches(name, rel, patterns):
                other.append({"path": str(path.absolute()), "reason": IGNORED_REASON})
            elif path.suffix.lower() not in SUPPORTED:
                other.append(
                    {
                        "path": str(path.absolute()),
                        "reason": f"bestandstype {path.suffix or '(geen)'} wordt niet ondersteund (unsupported file type)",
                    }
                )
            elif path.is_symlink():
                note = _link_note(path, root, "")
                (other.append(note) if note["reason"] else found.append(path))
            elif path.is_file():
                found.append(path)
    docs, other = _within_size(*_without_duplicates(sorted(found), other), max_mb)
    return docs, sorted(other, key=lambda o: o["path"])


def _within_size(docs: list[Path], other: list[dict], max_mb: float) -> tuple[list[Path], list[dict]]:
    if not max_mb:
        return docs, other
    kept = []
    for path in docs:
        size = path.stat().st_size / 1e6
        if size > max_mb:
            other.append(
                {
                    "path": str(path.absolute()),
                    "reason": f"te groot (file too large): {size:.1f} MB, "
                    f"de grens is {max_mb:g} MB (setting [index] max_file_mb)",
                }
            )
        else:
            kept.append(path)
    return kept, other


def _link_note(path: Path, root: Path, inside_reason: str) -> dict:
    """{"path", "reason"} of a symbolic link: outside the corpus, broken, or `inside_reason` ("" = a document)."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a broken link or a loop
        return {"path": str(path.absolute()), "reason": "verbroken koppeling (broken symbolic link)"}
    if not target.is_relative_to(root):
        return {"path": str(path.absolute()), "reason": f"{OUTSIDE_REASON}: koppeling naar {target}"}
    return {"path": str(path.absolute()), "reason": inside_reason}


def _without_duplicates(docs: list[Path], other: list[dict]) -> tuple[list[Path], list[dict]]:
    """One document per real file: a link to a file that is read anyway is reported, not read twice."""
    seen: dict[Path, Path] = {}
    for path in sorted(docs, key=lambda p: (p.is_symlink(), p)):  # the real file keeps its own name
        real = path.resolve()
        if real in seen:
            other.append(
                {
                    "path": str(path.absolute()),
                    "reason": f"{IGNORED_REASON}: dubbel, koppeling naar {seen[real].name} (duplicate link)",
                }
            )
        else:
            seen[real] = path
    return sorted(seen.values()), other


def _matches(name: str, rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), p) or fnmatch.fnmatchcase(rel.lower(), p) for p in patterns)


def discover(corpus_dir: Path, ignore: tuple[str, ...] | list[str] | None = None) -> list[Path]:
    """Supported, not ignored files below `corpus_dir`, in a stable order."""
    return scan(corpus_dir, ignore)[0]


def manifest_ignore(corpus_dir: Path) -> list[str]:
    """The manifest's `ignore = [...]` patterns (or `[ignore] patterns = [...]`)."""
    value = _read_toml(corpus_dir).get("ignore")
    if isinstance(value, dict):
        value = value.get("patterns")
    return [str(v) for v in value] if isinstance(value, list) else []


def _read_toml(corpus_dir: Path) -> dict:
    path = (corpus_dir if corpus_dir.is_dir() else corpus_dir.parent) / MANIFEST
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def read_manifest(corpus_dir: Path) -> dict[str, dict]:
    """Manifest entries by file name. Invalid TOML raises ValueError (the CLI shows it as a message)."""
    path = (corpus_dir if corpus_dir.is_dir() else corpus_dir.parent) / MANIFEST
    if not path.is_file():
        return {}
    with open(path, "rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: ongeldige manifest (invalid TOML): {exc}") from exc
    # Unquoted TOML dates (date = 2019-04-01) become ISO strings here, so every reader gets JSON-able text.
    return {
        k: {kk: _iso(vv) for kk, vv in v.items()} if isinstance(v, dict) else v
        for k, v in data.items()
        if not (k == "ignore" and (isinstance(v, list) or "patterns" in v))
    }


def _iso(value):
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else value


def manifest_values(entry) -> tuple[dict[str, str], list[str]]:
    """A manifest entry as strings, and its problems by key. Unquoted TOML dates become ISO strings."""
    if not isinstance(entry, dict):
        return {}, [f"manifest: verwacht een tabel met sleutels, kreeg {type(entry).__name__} (entry is not a table)"]
    values: dict[str, str] = {}
    problems: list[str] = []
    for key, value in entry.items():
        if key not in MANIFEST_KEYS:
            problems.append(f"manifest: onbekende sleutel '{key}' genegeerd (unknown key)")
            continue
        value = _iso(value)
        if isinstance(value, (dict, list, bool)):
            problems.append(f"manifest: sleutel '{key}' moet tekst zijn (must be a string), kreeg {value!r}")
            continue
        value = str(value).strip()
        if key == "date" and value and not re.fullmatch(r"(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", value):
            iso = infer_date(value)
            problems.append(
                f"manifest: sleutel 'date' = {value!r} is geen ISO-datum (not YYYY[-MM[-DD]])"
                + (f"; gelezen als {iso}" if iso else "; afgeleid uit de tekst")
            )
            value = iso
        if value:
            values[key] = value
    return values, problems


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def doc_id_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"


def manifest_entry(manifest: dict, corpus_dir: Path, path: Path):
    """The manifest entry of `path`: keyed by relative path or file name, with or without extension."""
    rel = path.relative_to(corpus_dir) if corpus_dir.is_dir() and path.is_relative_to(corpus_dir) else Path(path.name)
    for key in (str(rel), path.name, str(rel.with_suffix("")), path.stem):
        if key in manifest:
            return manifest[key]
    return {}


def describe(path: Path, corpus_dir: Path, manifest: dict, text: str, meta: dict | None = None) -> DocumentInfo:
    """Metadata from the manifest entry (by file name or relative path), else inferred from the text."""
    rel = str(path.relative_to(corpus_dir)) if corpus_dir.is_dir() and path.is_relative_to(corpus_dir) else path.name
    entry, problems = manifest_values(manifest_entry(manifest, corpus_dir, path))
    meta = meta or {}
    return DocumentInfo(
        doc_id=entry.get("id") or doc_id_for(path),
        path=path,
        title=entry.get("title") or meta.get("title") or infer_title(text) or path.stem,
        date=entry.get("date") or infer_date(text),
        kind=entry.get("kind") or infer_kind(text),
        source=entry.get("source") or rel,
        sha256=file_hash(path),
        organisation=entry.get("organisation") or infer_organisation(text),
        warnings=problems,
    )


def infer_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" \t•-–:")
        if len(re.findall(r"[A-Za-zÀ-ÿ]{2,}", line)) >= 1 and len(line) >= 4:
            return line[:120]
    return ""


def infer_date(text: str) -> str:
    """The first full date, else month and year, else year in the opening of the text."""
    head = text[:3000].lower()
    m = re.search(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d\d)\b", head)
    if m:
        return f"{m.group(3)}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
    m = re.search(r"\b(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b", head)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    m = re.search(r"\b(" + "|".join(MONTHS) + r")\s+((?:19|20)\d\d)\b", head)
    if m:
        return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    m = re.search(r"\b((?:19|20)\d\d)\b", head)
    return m.group(1) if m else ""


def infer_kind(text: str) -> str:
    head = text[:1500].lower()
    found = [(m.start(), i, kind) for i, (kind, pattern) in enumerate(KINDS) for m in [re.search(pattern, head, re.DOTALL)] if m]
    return min(found)[2] if found else "document"


# A place name: an optional article, capitalised words joined by hyphens, optionally "X aan/op/bij (de) Y"
# ("Den Haag", "Leidschendam-Voorburg", "'s-Hertogenbosch", "Bergen op Zoom", "Alphen aan den Rijn").
_PLACE = (
    r"((?:'s-|(?:Den|De|Het|Sint) )?[A-Z][a-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)*"
    r"(?: (?:aan|op|bij|in) (?:de |den |het )?[A-Z][a-zà-ÿ]+)?)"
)
_ORGANISATION = [  # (pattern, weight): evidence of who published the text; the best-supported name wins
    (re.compile(r"\b[Rr]aad van de gemeente " + _PLACE), 4),  # "De raad van de gemeente X, ... besluit"
    (re.compile(r"(?m)^\s*Gemeente " + _PLACE), 3),  # letterhead
    (re.compile(r"\b(?:[Bb]urgemeester en wethouders|[Gg]emeenteraad|[Cc]ollege) van " + _PLACE), 2),
    (re.compile(r"\b[Gg]emeenteraad " + _PLACE), 2),
    (re.compile(r"\b[Gg]emeente " + _PLACE), 1),
]
# A ministry letterhead, its name possibly wrapped: "Ministerie van Landbouw,\nNatuur en Voedselkwaliteit".
_MINISTRY = re.compile(r"(?m)^\s*(Ministerie van [A-Z][^\n]*?(?:(?:,| en)\s*\n[^\n]+?)?)\s*$")
_NATIONAL = re.compile(r"(?m)^\s*(Vereniging van Nederlandse Gemeenten|(?:Tweede|Eerste) Kamer der Staten-Generaal)\s*$")
_SHORT = {"Vereniging van Nederlandse Gemeenten": "VNG"}
# A council web address ("gemeentedenhaag.…", "raad.delft.nl") names the municipality in a slug;
# a bare "www.x.nl" does not (www.rijksoverheid.nl).
_SITE = re.compile(r"https?://(?:www\.)?(?:gemeenteraad|gemeente|raad)[-.]?([a-z]+(?:-[a-z]+)*)\.")
ORGANISATION_HEAD = 20_000  # characters read: the letterhead and the opening pages, not quotations deep inside


def infer_organisation(text: str) -> str:
    """The publisher named in the opening of the text: a ministry letterhead, a chamber, or a municipality.

    Nothing is known in advance: any "gemeente X" is a candidate, weighted by where it appears
    (a decision formula or letterhead counts more than a passing mention).
    """
    head = text[:ORGANISATION_HEAD]
    m = _MINISTRY.search(head[:1500])
    if m:
        return " ".join(m.group(1).split()).rstrip(",")
    m = _NATIONAL.search(head[:1500])
    if m:
        return _SHORT.get(m.group(1), m.group(1))
    scores: dict[str, float] = {}
    for pattern, weight in _ORGANISATION:
        for m in pattern.finditer(head):
            name = m.group(1)
            scores[name] = scores.get(name, 0) + weight - m.start() / (10 * ORGANISATION_HEAD)  # earlier wins ties
    if not scores:  # only a web address: a place name of the text that spells its slug
        slugs = {m.group(1).replace("-", "") for m in _SITE.finditer(head)}
        for m in re.finditer(_PLACE, head):
            if re.sub(r"[^a-z]", "", m.group(1).lower()) in slugs:
                scores[m.group(1)] = 0.5
                break
    if scores:
        return "gemeente " + max(scores, key=scores.get)
    return ""
