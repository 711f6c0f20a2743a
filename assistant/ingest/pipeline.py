"""Files → documents, pages, passages and records, reusing what the live build already has.

`prepare` discovers the corpus files, diffs them against the live build by content hash (and by
their manifest entry), and loads, cleans and chunks only the new or changed ones. It neither embeds
nor writes: `index.build_index` does that with the result. Token counting is passed in, so a test
can run the pipeline without an embedder model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..corpus import describe, file_hash, manifest_entry, read_manifest, scan
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
    files, out.ignored = scan(corpus, settings.index.ignore)
    hashes = {str(f.resolve()): file_hash(f) for f in files}
    if live_manifest and not rebuild and _same_sources(live_manifest, corpus, out.manifest_hash, hashes):
        out.unchanged = True
        return out

    live_by_path = {d["path"]: (doc_id, d) for doc_id, d in live_docs.items()}
    live_by_doc: dict[str, list[Passage]] = {}
    for p in (live.passages.values() if live else ()):
        live_by_doc.setdefault(p.doc_id, []).append(p)

    entries = {str(f.resolve()): manifest_entry(manifest, corpus, f) for f in files}

    def reused(key: str):
        prev = live_by_path.get(key)
        return prev if prev and prev[1]["sha256"] == hashes[key] and prev[1].get("meta") == entries[key] else None

    # ---- scale hook: the files to read may be read elsewhere first (e.g. on a Ray cluster)
    fetched = prefetch([f for f in files if not reused(str(f.resolve()))], manifest, hashes) if prefetch else {}
    for i, f in enumerate(files):
        key = str(f.resolve())
        if progress:
            progress("lezen", i, len(files))
        entry, prev = entries[key], live_by_path.get(key)
        if reused(key):
            doc_id, meta = prev
            out.passages += live_by_doc.get(doc_id, [])
            out.pages[doc_id] = live.pages[doc_id]
            out.documents[doc_id] = meta
            continue
        doc, reason = fetched.get(key) or (None, "")
        # A file read elsewhere did not know the doc_ids taken before it: read it again here on a clash.
        if not reason and (doc is None or doc[0].doc_id in out.documents):
            doc, reason = read_one(settings, corpus, f, manifest, hashes[key], set(out.documents), counter)
        if doc is None:  # unreadable or no passages: nothing to index
            out.skipped.append({"path": key, "reason": reason, "sha256": hashes[key]})
            continue
        info, pages, doc_passages, layout, raw = doc
        out.passages += doc_passages
        out.pages[info.doc_id] = [{"number": p.number, "text": p.cleaned.text, "urls": p.cleaned.urls} for p in pages]
        out.documents[info.doc_id] = {
            **info.to_dict(), "path": key, "pages": len(pages), "passages": len(doc_passages), "meta": entry,
            "layout": layout, "warnings": raw.warnings + info.warnings, "ocr": raw.ocr,
        }
        (out.changed_docs if prev else out.added_docs).append(info.doc_id)
    seen_paths = {d["path"] for d in out.documents.values()}
    out.removed_docs = [doc_id for doc_id, d in live_docs.items() if d["path"] not in seen_paths]
    out.motions, out.measures = motions(out.passages), measures(out.passages)
    return out


def read_one(settings: Settings, corpus: Path, f: Path, manifest: dict, sha256: str, taken: set[str],
             counter: TokenCounter) -> tuple[tuple | None, str]:
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


def _read_file(settings: Settings, corpus: Path, f: Path, manifest: dict, sha256: str, taken: set[str],
               counter: TokenCounter):
    """(DocumentInfo, pages, passages, layout report, raw document) of one file: load, describe, clean, chunk."""
    raw = load(f, settings.index_dir / "ocr", sha256)
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


def _same_sources(live_manifest: dict, corpus: Path, mhash: str, hashes: dict) -> bool:
    """Would a new build read exactly what the live one read?"""
    live_hashes = {d["path"]: d["sha256"] for d in live_manifest["documents"].values()}
    live_hashes |= {s["path"]: s["sha256"] for s in live_manifest["skipped"]}
    return (
        live_manifest.get("corpus") == str(corpus.resolve())
        and live_manifest.get("manifest_hash") == mhash
        and live_hashes == hashes
    )




def manifest_hash(corpus: Path) -> str:
    """Hash of the corpus's manifest.toml ("" without one): a changed title or date means a rebuild."""
    path = (corpus if corpus.is_dir() else corpus.parent) / "manifest.toml"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
