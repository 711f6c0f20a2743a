"""Build, update and open the index: Chroma vectors + BM25 + passages + records, swapped in atomically.

Layout under `index_dir`:
    CURRENT                 the live build's id (replaced atomically with os.replace)
    builds/<id>/            manifest.json, passages.jsonl, vectors.npy, pages.json, records.json, bm25/, chroma/
    .tmp-<id>/              a build in progress; never read; removed by the next ingest
A build is written beside the live one and only becomes live when CURRENT is replaced, so an
interrupted ingest leaves the previous index answering. Vectors are cached per passage id (a hash of
the passage), so unchanged passages are never embedded twice.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .corpus import describe, discover, file_hash, read_manifest
from .model import Measure, Motion, Passage
from .settings import Settings, apply_offline_env
from .text import tokenize

FORMAT = 1
COLLECTION = "passages"


class IndexMissing(Exception):
    """No index has been built yet."""


@dataclass
class Report:
    documents: int = 0
    pages: int = 0
    passages: int = 0
    embedded: int = 0
    reused: int = 0
    added_docs: list[str] = field(default_factory=list)
    changed_docs: list[str] = field(default_factory=list)
    removed_docs: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    unchanged: bool = False
    build_id: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# ---------------------------------------------------------------- chroma


def chroma_client(settings: Settings, path: Path | None = None):
    """Embedded PersistentClient at `path`, or an HttpClient when `chroma_url` is set."""
    apply_offline_env()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.index.chroma_url:
        from urllib.parse import urlparse

        u = urlparse(settings.index.chroma_url if "://" in settings.index.chroma_url else "http://" + settings.index.chroma_url)
        return chromadb.HttpClient(
            host=u.hostname or "localhost", port=u.port or 8000, ssl=u.scheme == "https", settings=chroma_settings
        )
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def same_server(a: str | None, b: str | None) -> bool:
    """Do two chroma_url values name the same server? ("" = embedded; scheme, case and "/" ignored.)"""
    return _server_key(a) == _server_key(b)


def _server_key(url: str | None) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    from urllib.parse import urlparse

    u = urlparse(url if "://" in url else "http://" + url)
    return f"{u.scheme}://{(u.hostname or 'localhost').lower()}:{u.port or 8000}"


def _collection_name(build_id: str, settings: Settings) -> str:
    # A server is shared: each build gets its own collection, swapped in with CURRENT.
    return f"{COLLECTION}_{build_id}" if settings.index.chroma_url else COLLECTION


def _node_metadata(p: Passage) -> dict:
    return {
        "doc_id": p.doc_id,
        "title": p.title,
        "date": p.date,
        "year": p.year or 0,
        "kind": p.kind,
        "page": p.page or 0,
        "section": p.section,
    }


# ---------------------------------------------------------------- build


def _embedder_signature(settings: Settings) -> dict:
    return {
        "embedder": settings.index.embedder,
        "model_path": settings.index.embed_model_path,
        "chunk_words": settings.index.chunk_words,
        "max_tokens": settings.index.max_tokens,
        "format": FORMAT,
    }


def live_build(settings: Settings) -> Path | None:
    current = settings.index_dir / "CURRENT"
    if not current.is_file():
        return None
    build = settings.index_dir / "builds" / current.read_text().strip()
    return build if (build / "manifest.json").is_file() else None


def build_index(
    settings: Settings,
    corpus: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    embedder=None,
) -> Report:
    """Ingest `corpus` (default: settings.corpus_dir) into a new build and make it live."""
    t0 = time.perf_counter()
    corpus = Path(corpus or settings.corpus_dir)
    if not corpus.exists():
        raise FileNotFoundError(f"corpus niet gevonden (corpus not found): {corpus}")
    if settings.index.chroma_url:
        try:  # fail before any embedding work when the server is not there
            chroma_client(settings).heartbeat()
        except Exception as exc:
            raise RuntimeError(
                f"Chroma-server {settings.index.chroma_url} niet bereikbaar (Chroma server unreachable): {exc}"
            ) from exc
    root = settings.index_dir
    (root / "builds").mkdir(parents=True, exist_ok=True)
    with open(root / "ingest.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RuntimeError("er loopt al een ingest op deze index (another ingest is running)") from exc
        for stale in root.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        report = _build(settings, corpus, progress, embedder)
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


def _build(settings: Settings, corpus: Path, progress, embedder) -> Report:
    from .ingest.chunk import Page, chunk
    from .ingest.clean import clean
    from .ingest.load import LoadError, load
    from .ingest.records import measures, motions

    report = Report()
    live = live_build(settings)
    live_manifest = json.loads((live / "manifest.json").read_text()) if live else None
    if live_manifest and live_manifest.get("signature") != _embedder_signature(settings):
        live, live_manifest = None, None  # other embedder or chunking: nothing can be reused
    live_docs: dict = live_manifest["documents"] if live_manifest else {}
    live_by_path = {d["path"]: (doc_id, d) for doc_id, d in live_docs.items()}

    manifest = read_manifest(corpus)
    files = discover(corpus)
    hashes = {str(f.resolve()): file_hash(f) for f in files}
    if (
        live_manifest
        and same_server(live_manifest.get("chroma_url"), settings.index.chroma_url)  # moved to/from a server: rebuild
        and live_manifest.get("corpus") == str(corpus.resolve())
        and live_manifest.get("manifest_hash") == _manifest_hash(corpus)
        and {d["path"]: d["sha256"] for d in live_docs.values()} | {s["path"]: s["sha256"] for s in live_manifest["skipped"]}
        == hashes
    ):
        report.unchanged = True
        report.build_id = live_manifest["build_id"]
        report.documents = len(live_docs)
        report.pages = sum(d["pages"] for d in live_docs.values())
        report.passages = live_manifest["passages"]
        report.reused = report.passages
        report.skipped = live_manifest["skipped"]
        return report

    live_passages = _read_passages(live) if live else {}
    live_pages = json.loads((live / "pages.json").read_text()) if live else {}
    passages: list[Passage] = []
    pages_out: dict[str, list[dict]] = {}
    docs_out: dict[str, dict] = {}
    skipped: list[dict] = []
    count_tokens = None
    for i, f in enumerate(files):
        key = str(f.resolve())
        if progress:
            progress("lezen", i, len(files))
        prev = live_by_path.get(key)
        if prev and prev[1]["sha256"] == hashes[key] and prev[1].get("meta") == _manifest_entry(manifest, corpus, f):
            doc_id, meta = prev
            passages += [p for p in live_passages.values() if p.doc_id == doc_id]
            pages_out[doc_id] = live_pages[doc_id]
            docs_out[doc_id] = meta
            continue
        try:
            raw = load(f)
        except LoadError as exc:
            skipped.append({"path": key, "reason": str(exc), "sha256": hashes[key]})
            continue
        except OSError as exc:
            skipped.append({"path": key, "reason": f"onleesbaar (unreadable): {exc}", "sha256": hashes[key]})
            continue
        info = describe(f, corpus, manifest, "\n".join(p.text for p in raw.pages[:3]), raw.meta)
        if info.doc_id in docs_out:
            info.doc_id = f"{info.doc_id}-{hashes[key][:6]}"
        pages = [Page(p.number, clean(p.text)) for p in raw.pages]
        if embedder is None:
            embedder = _make_ingest_embedder(settings)
        count_tokens = count_tokens or embedder.count_tokens
        doc_passages = chunk(info, pages, count_tokens, settings.index.chunk_words, min(settings.index.max_tokens, embedder.window - 2))
        if not doc_passages:
            skipped.append({"path": key, "reason": "geen tekst gevonden (no text found)", "sha256": hashes[key]})
            continue
        passages += doc_passages
        pages_out[info.doc_id] = [{"number": p.number, "text": p.cleaned.text, "urls": p.cleaned.urls} for p in pages]
        docs_out[info.doc_id] = {
            **info.to_dict(),
            "path": key,
            "pages": len(pages),
            "passages": len(doc_passages),
            "meta": _manifest_entry(manifest, corpus, f),
        }
        (report.changed_docs if prev else report.added_docs).append(info.doc_id)
    seen_paths = {d["path"] for d in docs_out.values()}
    report.removed_docs = [doc_id for doc_id, d in live_docs.items() if d["path"] not in seen_paths]

    # Embeddings: reuse every vector whose passage id (a content hash) the live build already has.
    cached = _read_vectors(live, list(live_passages)) if live else {}
    todo = [p for p in passages if p.id not in cached]
    vectors = dict(cached)
    if todo:
        if embedder is None:
            embedder = _make_ingest_embedder(settings)
        batch = 8
        for start in range(0, len(todo), batch):
            if progress:
                progress("embedden", start, len(todo))
            part = todo[start : start + batch]
            for p, v in zip(part, embedder.embed_batch([p.embed_text() for p in part])):
                vectors[p.id] = v
        if progress:
            progress("embedden", len(todo), len(todo))
    report.embedded = len(todo)
    report.reused = len(passages) - len(todo)

    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = settings.index_dir / f".tmp-{build_id}"
    tmp.mkdir(parents=True)
    matrix = np.stack([vectors[p.id] for p in passages]).astype(np.float32) if passages else np.zeros((0, 0))
    _write_build(settings, tmp, build_id, passages, matrix, pages_out, motions(passages), measures(passages))
    manifest_out = {
        "build_id": build_id,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "signature": _embedder_signature(settings),
        "embedder_name": embedder.name if embedder else (live_manifest or {}).get("embedder_name", ""),
        "dim": int(matrix.shape[1]) if passages else 0,
        "corpus": str(corpus.resolve()),
        "manifest_hash": _manifest_hash(corpus),
        "chroma_url": settings.index.chroma_url,
        "collection": _collection_name(build_id, settings),
        "documents": docs_out,
        "skipped": skipped,
        "passages": len(passages),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest_out, ensure_ascii=False, indent=1))
    final = settings.index_dir / "builds" / build_id
    os.replace(tmp, final)
    _fsync_dir(final.parent)
    _swap_current(settings.index_dir, build_id)
    # Keep the previous build one generation longer: app processes still on it keep answering
    # until they notice CURRENT changed (Assistant reloads on its next question).
    _remove_old_builds(settings, keep={build_id, live.name} if live else {build_id})

    report.build_id = build_id
    report.documents = len(docs_out)
    report.pages = sum(d["pages"] for d in docs_out.values())
    report.passages = len(passages)
    report.skipped = skipped
    return report


def _make_ingest_embedder(settings: Settings):
    from .embed import make_embedder

    return make_embedder(settings, threads=settings.index.ingest_threads or os.cpu_count() or 1)


def _manifest_entry(manifest: dict, corpus: Path, f: Path) -> dict:
    rel = str(f.relative_to(corpus)) if corpus.is_dir() else f.name
    return manifest.get(rel) or manifest.get(f.name) or {}


def _manifest_hash(corpus: Path) -> str:
    import hashlib

    path = (corpus if corpus.is_dir() else corpus.parent) / "manifest.toml"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _write_build(settings, tmp: Path, build_id, passages, matrix, pages, motion_records, measure_records) -> None:
    import bm25s

    with open(tmp / "passages.jsonl", "w") as fh:
        for p in passages:
            fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", matrix)
    (tmp / "pages.json").write_text(json.dumps(pages, ensure_ascii=False))
    (tmp / "records.json").write_text(
        json.dumps(
            {"motions": [m.to_dict() for m in motion_records], "measures": [m.to_dict() for m in measure_records]},
            ensure_ascii=False,
            indent=1,
        )
    )
    retriever = bm25s.BM25()
    retriever.index([bm25_tokens(p) for p in passages] or [["leeg"]], show_progress=False)
    retriever.save(str(tmp / "bm25"), show_progress=False)
    _write_chroma(settings, tmp, build_id, passages, matrix)


def bm25_tokens(p: Passage) -> list[str]:
    return tokenize(p.embed_text())


def _write_chroma(settings: Settings, tmp: Path, build_id: str, passages: list[Passage], matrix) -> None:
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chroma_client(settings, tmp / "chroma")
    name = _collection_name(build_id, settings)
    collection = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
    store = ChromaVectorStore(chroma_collection=collection)
    nodes = [
        TextNode(id_=p.id, text=p.text, embedding=matrix[i].tolist(), metadata=_node_metadata(p))
        for i, p in enumerate(passages)
    ]
    for start in range(0, len(nodes), 256):
        store.add(nodes[start : start + 256])


def _swap_current(root: Path, build_id: str) -> None:
    tmp = root / f"CURRENT.{uuid.uuid4().hex[:6]}"
    with open(tmp, "w") as fh:
        fh.write(build_id)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / "CURRENT")
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_old_builds(settings: Settings, keep: set[str]) -> None:
    for build in (settings.index_dir / "builds").iterdir():
        if build.name in keep:
            continue
        try:
            manifest = json.loads((build / "manifest.json").read_text())
        except (OSError, ValueError):
            manifest = {}
        if manifest.get("chroma_url"):
            # The old build's collection lives on the server it was built on (maybe not today's setting).
            try:
                chroma_client(settings.with_chroma(manifest["chroma_url"])).delete_collection(manifest["collection"])
            except Exception:  # an old collection left on the server is harmless
                pass
        shutil.rmtree(build, ignore_errors=True)


def _read_passages(build: Path) -> dict[str, Passage]:
    out = {}
    with open(build / "passages.jsonl") as fh:
        for line in fh:
            p = Passage(**json.loads(line))
            out[p.id] = p
    return out


def _read_vectors(build: Path, ids: list[str]) -> dict[str, np.ndarray]:
    """Vectors of a build by passage id (`ids` in passages.jsonl order: row i is ids[i])."""
    matrix = np.load(build / "vectors.npy")
    return dict(zip(ids, matrix)) if len(ids) == len(matrix) else {}


# ---------------------------------------------------------------- open


class Index:
    """A read-only view of the live build."""

    def __init__(self, settings: Settings, build: Path):
        import bm25s
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.settings = settings
        self.path = build
        self.manifest = json.loads((build / "manifest.json").read_text())
        self.passages = _read_passages(build)
        self.order = list(self.passages)  # row i of BM25 / vectors.npy is self.order[i]
        self.pages: dict[str, list[dict]] = json.loads((build / "pages.json").read_text())
        records = json.loads((build / "records.json").read_text())
        self.motions = [Motion(**m) for m in records["motions"]]
        self.measures = [Measure(**m) for m in records["measures"]]
        self.bm25 = bm25s.BM25.load(str(build / "bm25"), show_progress=False)
        # The build knows where its vectors live (embedded under the build, or a collection on a server):
        # follow it rather than the current setting, so a CURRENT written by another process is served as built.
        built_on = self.manifest.get("chroma_url") or ""
        try:
            client = chroma_client(settings.with_chroma(built_on), build / "chroma")
            self.collection = client.get_collection(self.manifest["collection"])
        except Exception as exc:
            if not built_on:
                raise
            raise RuntimeError(
                f"Chroma-server {built_on} niet bereikbaar of collectie {self.manifest['collection']} ontbreekt "
                f"(Chroma server unreachable or collection missing): {exc}. Start de server of bouw de index "
                f"opnieuw met: assistant ingest --chroma-url {built_on}"
            ) from exc
        self.store = ChromaVectorStore(chroma_collection=self.collection)

    @classmethod
    def open(cls, settings: Settings) -> "Index":
        build = live_build(settings)
        if build is None:
            raise IndexMissing(
                f"Er is nog geen index in {settings.index_dir}. Bouw die eerst met: assistant ingest "
                f"(no index yet; build it with `assistant ingest`)"
            )
        return cls(settings, build)

    @property
    def documents(self) -> dict[str, dict]:
        return self.manifest["documents"]

    def dense(self, vector: np.ndarray, k: int, filters=None) -> list[tuple[str, float]]:
        from llama_index.core.vector_stores.types import VectorStoreQuery

        if not self.passages:
            return []
        result = self.store.query(
            VectorStoreQuery(query_embedding=vector.tolist(), similarity_top_k=k, filters=filters)
        )
        return list(zip(result.ids or [], result.similarities or []))

    def sparse(self, query: str, k: int) -> list[tuple[str, float]]:
        tokens = tokenize(query)
        if not tokens or not self.passages:
            return []
        scores = self.bm25.get_scores(tokens)
        top = np.argsort(-scores)[:k]
        return [(self.order[i], float(scores[i])) for i in top if scores[i] > 0]
