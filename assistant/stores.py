"""Vector stores: a small interface and its Chroma implementation. All Chroma wiring lives here.

A store holds one build's passage vectors with a little metadata to filter on (`passage_metadata`),
and answers `query(vector, k, filters)` with `(passage id, similarity)` pairs, best first.
Chroma runs embedded (a PersistentClient inside the build folder) or, when `chroma_url` is set, on a
server shared by several index folders, where each build gets its own collection.

The chromadb collection is used directly rather than through llama-index's ChromaVectorStore: that
wrapper overwrites our `doc_id` metadata with its own (always "None", so a document filter matched no
vector) and only adds a node round-trip; the similarity it reports, exp(-distance), is kept.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Protocol

import numpy as np

from .filters import Filters
from .model import Passage
from .settings import Settings, apply_offline_env

log = logging.getLogger(__name__)
COLLECTION = "passages"
BATCH = 256  # vectors per add() call (the HNSW graph depends on insertion order, not on batching)


class VectorStore(Protocol):
    def add(self, ids: list[str], vectors: np.ndarray, metadata: list[dict]) -> None: ...

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]: ...

    def count(self) -> int: ...

    def drop(self) -> None: ...


def passage_metadata(p: Passage) -> dict:
    """What a store keeps of a passage: the fields `Filters` may ask about, plus a few for inspection."""
    return {
        "doc_id": p.doc_id,
        "title": p.title,
        "date": p.date,
        "year": p.year or 0,
        "kind": p.kind,
        "page": p.page or 0,
        "section": p.section,
        "organisation": p.organisation,
    }


def chroma_where(filters: Filters | None) -> dict | None:
    """`filters` as a Chroma `where` clause (one condition alone, several under "$and")."""
    if filters is None:
        return None
    parts = []
    if filters.kinds:
        parts.append({"kind": {"$in": list(filters.kinds)}})
    if filters.doc_ids:
        parts.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if filters.organisations:
        parts.append({"organisation": {"$in": list(filters.organisations)}})
    if filters.year_from:
        parts.append({"year": {"$gte": int(filters.year_from)}})
    if filters.year_to:
        parts.append({"year": {"$lte": int(filters.year_to)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def chroma_client(settings: Settings, path: Path | None = None):
    """Embedded PersistentClient at `path`, or an HttpClient when `chroma_url` is set (telemetry off)."""
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


class ChromaStore:
    """One build's vectors in one Chroma collection (cosine space)."""

    def __init__(self, client, collection):
        self.client = client
        self.collection = collection

    @staticmethod
    def collection_name(build_id: str, settings: Settings) -> str:
        # A server is shared: each build gets its own collection, swapped in with CURRENT.
        return f"{COLLECTION}_{build_id}" if settings.index.chroma_url else COLLECTION

    @staticmethod
    def check_server(settings: Settings) -> None:
        """Fail early (before any embedding work) when the configured server is not there."""
        if not settings.index.chroma_url:
            return
        try:
            chroma_client(settings).heartbeat()
        except Exception as exc:
            raise RuntimeError(
                f"Chroma-server {settings.index.chroma_url} niet bereikbaar (Chroma server unreachable): {exc}"
            ) from exc

    @classmethod
    def create(cls, settings: Settings, build_dir: Path, build_id: str) -> ChromaStore:
        """The store of a new build: embedded under `build_dir/chroma`, or a new collection on the server."""
        client = chroma_client(settings, build_dir / "chroma")
        name = cls.collection_name(build_id, settings)
        return cls(client, client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"}))

    @classmethod
    def open(cls, settings: Settings, build_dir: Path, manifest: dict) -> ChromaStore:
        """The store of an existing build. The build knows where its vectors live (embedded, or a
        collection on a server): follow it rather than today's setting, so a CURRENT written by
        another process is served as built."""
        built_on = manifest.get("chroma_url") or ""
        try:
            client = chroma_client(settings.with_chroma(built_on), build_dir / "chroma")
            return cls(client, client.get_collection(manifest["collection"]))
        except Exception as exc:
            if not built_on:
                raise
            raise RuntimeError(
                f"Chroma-server {built_on} niet bereikbaar of collectie {manifest['collection']} ontbreekt "
                f"(Chroma server unreachable or collection missing): {exc}. Start de server of bouw de index "
                f"opnieuw met: assistant ingest --chroma-url {built_on}"
            ) from exc

    @staticmethod
    def drop_build(settings: Settings, manifest: dict) -> None:
        """Delete an old build's collection from the server it was built on (maybe not today's
        setting). Embedded stores go with their build folder; a collection left behind is harmless."""
        if not manifest.get("chroma_url"):
            return
        try:
            chroma_client(settings.with_chroma(manifest["chroma_url"])).delete_collection(manifest["collection"])
        except Exception as exc:  # noqa: BLE001 - server gone or collection already deleted: nothing to clean
            log.info("oude collectie %s niet verwijderd: %s", manifest.get("collection"), exc)

    def add(self, ids: list[str], vectors: np.ndarray, metadata: list[dict]) -> None:
        # Always with embeddings: Chroma would otherwise download its default ONNX embedder.
        for start in range(0, len(ids), BATCH):
            end = start + BATCH
            self.collection.add(
                ids=list(ids[start:end]),
                embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                metadatas=list(metadata[start:end]),
            )

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        where = chroma_where(filters)
        kwargs = {"where": where} if where else {}
        result = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()], n_results=k, include=["distances"], **kwargs
        )
        # exp(-distance), as llama-index's ChromaVectorStore reported it: the fusion and the answerer's
        # calibration were tuned on this scale.
        return [(i, math.exp(-d)) for i, d in zip(result["ids"][0], result["distances"][0])]

    def count(self) -> int:
        return self.collection.count()

    def drop(self) -> None:
        self.client.delete_collection(self.collection.name)


class ExactVectors:
    """A build's vectors held in memory and searched exactly (cosine), answering as `ChromaStore.query`.

    Why beside Chroma: Chroma's HNSW graph is approximate and, for an embedded build, put together
    again in every process that opens it; on the 856 vectors of the realdocs gate index it missed a
    neighbour of exact rank 17 (in the top 30 and even the top 100) in one of five process starts, so
    the same question got another answer after a restart. At municipal scale an exact scan is cheaper
    than that doubt (17,000 passages x 384 dims: a few ms, 26 MB). Chroma stays the store that is
    written, shared through a server and used for approximate search (`[retrieval] exact_dense = false`)
    when a corpus outgrows memory.
    """

    def __init__(self, ids: list[str], matrix: np.ndarray):
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.ids = ids
        self.matrix = np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)

    def query(self, vector: np.ndarray, k: int, accept: np.ndarray | None = None) -> list[tuple[str, float]]:
        v = np.asarray(vector, dtype=np.float32)
        cosine = self.matrix @ (v / max(float(np.linalg.norm(v)), 1e-12))
        if accept is not None:
            cosine = np.where(accept, cosine, -np.inf)
        k = min(k, int(np.count_nonzero(np.isfinite(cosine))))
        if k <= 0:
            return []
        rows = np.argpartition(-cosine, k - 1)[:k]
        rows = rows[np.lexsort((rows, -cosine[rows]))]  # best first, ties by row: the same order every time
        # exp(-distance) with Chroma's cosine distance 1 - cos: the scale the fusion was tuned on.
        return [(self.ids[r], math.exp(float(cosine[r]) - 1.0)) for r in rows]
