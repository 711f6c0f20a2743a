"""Find the documents in the corpus folder and give each its metadata (manifest, else inferred)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .ingest.load import SUPPORTED

MANIFEST = "manifest.toml"
IGNORED = {"readme.md", MANIFEST}
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "januari februari maart april mei juni juli augustus september oktober november december".split()
    )
}
KINDS = [  # first match wins; checked against the first part of the text
    ("raadsbesluit", r"\braadsbesluit\b|\bde raad van de gemeente\b.*\bbesluit\b"),
    ("raadsvoorstel", r"\braadsvoorstel\b"),
    ("motie", r"^\s*motie\b"),
    ("raadsinformatiebrief", r"\braadsinformatiebrief\b|\braadsbrief\b"),
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

    def to_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def discover(corpus_dir: Path) -> list[Path]:
    """Supported files below `corpus_dir`, in a stable order."""
    if corpus_dir.is_file():
        return [corpus_dir]
    return sorted(
        p
        for p in corpus_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED
        and p.name.lower() not in IGNORED
        and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
    )


def read_manifest(corpus_dir: Path) -> dict[str, dict]:
    path = (corpus_dir if corpus_dir.is_dir() else corpus_dir.parent) / MANIFEST
    if not path.is_file():
        return {}
    with open(path, "rb") as fh:
        try:
            return tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: ongeldige manifest (invalid TOML): {exc}") from exc


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def doc_id_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"


def describe(path: Path, corpus_dir: Path, manifest: dict, text: str, meta: dict | None = None) -> DocumentInfo:
    """Metadata from the manifest entry (by file name or relative path), else inferred from the text."""
    rel = str(path.relative_to(corpus_dir)) if corpus_dir.is_dir() and path.is_relative_to(corpus_dir) else path.name
    entry = manifest.get(rel) or manifest.get(path.name) or {}
    meta = meta or {}
    return DocumentInfo(
        doc_id=str(entry.get("id") or doc_id_for(path)),
        path=path,
        title=str(entry.get("title") or meta.get("title") or infer_title(text) or path.stem),
        date=str(entry.get("date") or infer_date(text)),
        kind=str(entry.get("kind") or infer_kind(text)),
        source=str(entry.get("source") or rel),
        sha256=file_hash(path),
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
    for kind, pattern in KINDS:
        if re.search(pattern, head, re.S):
            return kind
    return "document"
