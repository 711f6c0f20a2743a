"""Files → documents, pages, passages and records, reusing what the live build already has.

`prepare` discovers the corpus files, diffs them against the live build by their path relative to
the corpus folder, content hash and manifest entry (so a moved corpus folder changes nothing), and
loads, cleans and chunks only the new or changed ones. It neither embeds
nor writes: `index.build_index` does that with the result. Token counting is passed in, so a test
can run the pipeline without an embedder model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..corpus import describe, doc_id_for, file_hash, manifest_entry, read_manifest, scan
from ..model import Measure, Motion, Passage
from ..settings import Settings
from .chunk import Page, chunk
from .clean import clean_document
from .coverage import document_report
from .load import LoadError, load
from .records import measures, motions


class TokenCounter(Protocol):
    """What chunking needs of the embedder (an `embed.Embedder` is one)."""

    window: int  # the model's token window

    def count_tokens(self, text: str) -> int: ...


class Prefetch(Protocol):
    """Reads files before `prepare` assembles them: {resolved path: `read_one`'s result}."""

    def __call__(self, files: list[Path], manifest: dict, hashes: dict[str, str]) -> dict[str, tuple]: ...


class LiveBuild(Protocol):
    """What the pipeline reads of the live build (`index.Build` is one)."""

    manifest: dict
    passages: dict[str, Passage]  # by id, in the build's order
    pages: dict[str, list[dict]]  # by doc_id


@dataclass
class Prepared:
    """The passages of a new build, with what changed since the live one."""

    unchanged: bool = False  # same files, manifest and store as the live build: nothing to do
    passages: list[Passage] = field(default_factory=list)
    pages: dict[str, list[dict]] = field(default_factory=dict)  # doc_id -> [{"number", "text", "urls"}]
    documents: dict[str, dict] = field(default_factory=dict)  # doc_id -> DocumentInfo + path, sha256, counts
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason", "sha256"}
    ignored: list[dict] = field(default_factory=list)  # {"path", "reason"}: files that are not documents
    added_docs: list[str] = field(default_factory=list)
    changed_docs: list[str] = field(default_factory=list)
    removed_docs: list[str] = field(default_factory=list)
    moved_docs: list[str] = field(default_factory=list)  # same content and name, another folder
    motions: list[Motion] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    manifest_hash: str = ""


def prepare(
    settings: Settings,
    corpus: Path,
    live: LiveBuild | None,
    counter: TokenCounter,
    progress: Callable[[str, int, int], None] | None = None,
    rebuild: bool = False,
    prefetch: Prefetch | None = None,
) -> Prepared:
    """Passages of `corpus`, reusing the live build's for files whose content and manifest entry
    did not change. `live` is None when nothing may be reused (no build, other embedder or chunking);
    `rebuild` asks for a new build even when nothing changed (e.g. the vector store moved);
    `prefetch` reads the files to (re)read elsewhere, e.g. on a Ray cluster (`ingest/distributed.py`)."""
    out = Prepared(manifest_hash=manifest_hash(corpus))
    live_manifest = live.manifest if live else None
    live_docs: dict = live_manifest["documents"] if live_manifest else {}
    manifest = read_manifest(corpus)
    files, out.ignored = scan(corpus, settings.index.ignore, settings.index.max_file_mb)
    keys = {f: str(f.resolve()) for f in files}  # how a file is named to a prefetcher and in the build
    rels = {f: relative(f, corpus) for f in files}  # its identity in the corpus
    hashes = {keys[f]: file_hash(f) for f in files}
    if (
        live_manifest
        and not rebuild
        and _same_sources(live_manifest, corpus, out.manifest_hash, {rels[f]: hashes[keys[f]] for f in files})
    ):
        out.unchanged = True
        return out

    live_corpus = Path(live_manifest.get("corpus", "")) if live_manifest else None
    live_by_rel = {_live_rel(d, live_corpus): (doc_id, d) for doc_id, d in live_docs.items()}
    present = set(rels.values())
    gone = {d["sha256"]: rel for rel, (_, d) in live_by_rel.items() if rel not in present}
    live_by_doc: dict[str, list[Passage]] = {}
    for p in live.passages.values() if live else ():
        live_by_doc.setdefault(p.doc_id, []).append(p)

    entries = {keys[f]: manifest_entry(manifest, corpus, f) for f in files}
    previous: dict[Path, tuple] = {}  # file -> (the live document it continues or None, moved?)
    for f in files:
        prev = live_by_rel.get(rels[f])
        old = gone.get(hashes[keys[f]]) if prev is None else None
        if old is not None and live_by_rel[old][0] == doc_id_for(f):  # the same file in another folder
            previous[f] = (live_by_rel[gone.pop(hashes[keys[f]])], True)
        else:
            previous[f] = (prev, False)

    def reused(f: Path):
        prev = previous[f][0]
        return prev if prev and prev[1]["sha256"] == hashes[keys[f]] and prev[1].get("meta") == entries[keys[f]] else None

    followed: set[str] = set()  # live documents that a file of this build continues (reused or changed)
    # ---- scale hook: the files to read may be read elsewhere first (e.g. on a Ray cluster)
    fetched = prefetch([f for f in files if not reused(f)], manifest, hashes) if prefetch else {}
    for i, f in enumerate(files):
        key, rel = keys[f], rels[f]
        if progress:
            progress("lezen", i, len(files))
        entry, (prev, moved) = entries[key], previous[f]
        if reused(f):
            doc_id, meta = prev
            followed.add(doc_id)
            out.passages += live_by_doc.get(doc_id, [])
            out.pages[doc_id] = live.pages[doc_id]
            out.documents[doc_id] = {**meta, "path": key, "rel": rel}
            if moved:
                out.moved_docs.append(doc_id)
                out.documents[doc_id]["source"] = entry.get("source") or rel
            continue
        if moved:
            prev = None  # moved and changed: a new document; the old one is removed
        doc, reason = fetched.get(key) or (None, "")
        # A file read elsewhere did not know the doc_ids taken before it: read it again here on a clash.
        if not reason and (doc is None or doc[0].doc_id in out.documents):
            doc, reason = read_one(settings, corpus, f, manifest, hashes[key], set(out.documents), counter)
        if doc is None:  # unreadable or no passages: nothing to index
            out.skipped.append({"path": key, "rel": rel, "reason": reason, "sha256": hashes[key]})
            continue
        info, pages, doc_passages, layout, raw = doc
        out.passages += doc_passages
        out.pages[info.doc_id] = [{"number": p.number, "text": p.cleaned.text, "urls": p.cleaned.urls} for p in pages]
        out.documents[info.doc_id] = {
            **info.to_dict(),
            "path": key,
            "rel": rel,
            "pages": len(pages),
            "passages": len(doc_passages),
            "meta": entry,
            "layout": layout,
            "warnings": raw.warnings + info.warnings,
            "ocr": raw.ocr,
        }
        (out.changed_docs if prev else out.added_docs).append(info.doc_id)
        if prev:
            followed.add(prev[0])
    out.removed_docs = [doc_id for doc_id in live_docs if doc_id not in followed]
    out.motions, out.measures = motions(out.passages), measures(out.passages)
    return out


def read_one(
    settings: Settings, corpus: Path, f: Path, manifest: dict, sha256: str, taken: set[str], counter: TokenCounter
) -> tuple[tuple | None, str]:
    """(document, "") of one file, or (None, reason) when it yields nothing to index."""
    # ---- per-file errors: the one place where a file that cannot be read becomes a `skipped` entry
    try:
        doc = _read_file(settings, corpus, f, manifest, sha256, taken, counter)
    except LoadError as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"onleesbaar (unreadable): {exc}"
    except Exception as exc:  # noqa: BLE001 - cleaning, chunking or metadata crashed on this file only
        return None, f"onverwachte fout (unexpected error): {type(exc).__name__}: {exc}"
    return (doc, "") if doc[2] else (None, "geen tekst gevonden (no text found)")


def _read_file(settings: Settings, corpus: Path, f: Path, manifest: dict, sha256: str, taken: set[str], counter: TokenCounter):
    """(DocumentInfo, pages, passages, layout report, raw document) of one file: load, describe, clean, chunk."""
    raw = load(f, settings.index_dir / "ocr", sha256, root=corpus if corpus.is_dir() else None)
    info = describe(f, corpus, manifest, "\n".join(p.text for p in raw.pages), raw.meta)
    if info.doc_id in taken:
        info.doc_id = f"{info.doc_id}-{sha256[:6]}"
    cleaned = clean_document([p.text for p in raw.pages])
    pages = [Page(p.number, c) for p, c in zip(raw.pages, cleaned.pages)]
    max_tokens = min(settings.index.max_tokens, counter.window - 2)
    passages = chunk(info, pages, counter.count_tokens, settings.index.chunk_words, max_tokens)
    for p in passages:
        p.organisation = info.organisation
    return info, pages, passages, document_report(pages, passages, cleaned.removed, cleaned.number), raw


def relative(path: Path, corpus: Path) -> str:
    """A file's identity in the corpus: its path relative to the corpus folder (POSIX), so moving or
    renaming the folder itself changes nothing. A corpus that is one file is identified by its name."""
    if corpus.is_dir() and path.absolute().is_relative_to(corpus.absolute()):
        return path.absolute().relative_to(corpus.absolute()).as_posix()
    return path.name


def _live_rel(entry: dict, live_corpus: Path | None) -> str:
    """The relative path of a live build's document or skipped file (older builds stored absolute paths)."""
    if entry.get("rel"):
        return entry["rel"]
    path = Path(entry["path"])
    if live_corpus and path.is_relative_to(live_corpus) and path != live_corpus:
        return path.relative_to(live_corpus).as_posix()
    return path.name


def _same_sources(live_manifest: dict, corpus: Path, mhash: str, hashes: dict) -> bool:
    """Would a new build read exactly what the live one read (same folder, files and manifest)?"""
    live_corpus = Path(live_manifest.get("corpus", ""))
    live_hashes = {_live_rel(d, live_corpus): d["sha256"] for d in live_manifest["documents"].values()}
    live_hashes |= {_live_rel(s, live_corpus): s["sha256"] for s in live_manifest["skipped"]}
    return (
        live_manifest.get("corpus") == str(corpus.resolve())
        and live_manifest.get("manifest_hash") == mhash
        and live_hashes == hashes
    )


def manifest_hash(corpus: Path) -> str:
    """Hash of the corpus's manifest.toml ("" without one): a changed title or date means a rebuild."""
    path = (corpus if corpus.is_dir() else corpus.parent) / "manifest.toml"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
