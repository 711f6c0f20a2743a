"""Build, update and open the index: vectors (a vector store) + BM25 + passages + records, swapped in
atomically.

Layout under `index_dir`:
    CURRENT                 the live build's id (replaced atomically with os.replace)
    builds/<id>/            manifest.json, passages.jsonl, vectors.npy, pages.json, records.json, bm25/, chroma/
    .tmp-<id>/              a build in progress; never read; removed by the next ingest
A build is written beside the live one and only becomes live when CURRENT is replaced, so an
interrupted ingest leaves the previous index answering. Vectors are cached per passage id (a hash of
the passage), so unchanged passages are never embedded twice. Which files become which passages is
the ingest pipeline's job (`ingest/pipeline.py`); this module embeds, writes and reads builds.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from .filters import Filters
from .model import Measure, Motion, Passage
from .settings import Settings
from .stores import ChromaStore, ExactVectors, passage_metadata, same_server
from .text import char_ngrams, tokenize

FORMAT = 2  # 2: layout-aware cleanup (furniture, TOC, numbered items) changes passages


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
    moved_docs: list[str] = field(default_factory=list)  # same file, another folder of the corpus
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    layout: dict[str, dict] = field(default_factory=dict)  # doc_id -> coverage, removed furniture, number
    low_coverage: list[str] = field(default_factory=list)  # doc_ids with text coverage below 95 %
    warnings: list[dict] = field(default_factory=list)  # {"path", "reason"}: problems that did not stop a file
    ocr: list[dict] = field(default_factory=list)  # {"path", "pages", "seconds", "cached"}: scanned pages read
    unchanged: bool = False
    build_id: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class Engine(Protocol):
    """Where new files are read and new passages embedded: in this process by default (`engine=None`),
    or on a Ray cluster (`ingest.distributed.RayEngine`). The build-then-swap around it is the same."""

    def prefetch(self, files: list[Path], manifest: dict, hashes: dict[str, str]) -> dict[str, tuple]:
        """{resolved path: `ingest.pipeline.read_one` result} of the files to read ({} = read here)."""

    def embed(self, todo: list[Passage]) -> dict[str, np.ndarray]:
        """Vectors of the passages that have none cached, by passage id."""


class Build:
    """One build folder; its files are read on first use."""

    def __init__(self, path: Path):
        self.path = path
        self.manifest: dict = json.loads((path / "manifest.json").read_text())

    @functools.cached_property
    def passages(self) -> dict[str, Passage]:
        """By id, in file order (row i of BM25 and vectors.npy is the i-th passage)."""
        out = {}
        with open(self.path / "passages.jsonl") as fh:
            for line in fh:
                p = Passage(**json.loads(line))
                out[p.id] = p
        return out

    @functools.cached_property
    def pages(self) -> dict[str, list[dict]]:
        return json.loads((self.path / "pages.json").read_text())

    def vectors(self) -> dict[str, np.ndarray]:
        """The build's vectors by passage id (empty when the files disagree)."""
        matrix = np.load(self.path / "vectors.npy")
        ids = list(self.passages)
        return dict(zip(ids, matrix)) if len(ids) == len(matrix) else {}


def live_build(settings: Settings) -> Path | None:
    current = settings.index_dir / "CURRENT"
    if not current.is_file():
        return None
    build = settings.index_dir / "builds" / current.read_text().strip()
    return build if (build / "manifest.json").is_file() else None


# ---------------------------------------------------------------- build


def _embedder_signature(settings: Settings) -> dict:
    return {
        "embedder": settings.index.embedder,
        "model_path": settings.index.embed_model_path,
        "chunk_words": settings.index.chunk_words,
        "max_tokens": settings.index.max_tokens,
        "format": FORMAT,
    }


def build_index(
    settings: Settings,
    corpus: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    embedder=None,
    engine: Engine | None = None,
) -> Report:
    """Ingest `corpus` (default: settings.corpus_dir) into a new build and make it live; `engine`
    reads and embeds elsewhere (e.g. a Ray cluster) instead of in this process."""
    t0 = time.perf_counter()
    corpus = Path(corpus or settings.corpus_dir)
    if not corpus.exists():
        raise FileNotFoundError(f"corpus niet gevonden (corpus not found): {corpus}")
    ChromaStore.check_server(settings)
    root = settings.index_dir
    (root / "builds").mkdir(parents=True, exist_ok=True)
    with open(root / "ingest.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RuntimeError("er loopt al een ingest op deze index (another ingest is running)") from exc
        for stale in root.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        report = _build(settings, corpus, progress, _LazyEmbedder(settings, embedder), engine)
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


class _LazyEmbedder:
    """The ingest embedder, loaded on first use: an unchanged corpus never needs the model."""

    def __init__(self, settings: Settings, embedder=None):
        self._settings, self.model = settings, embedder

    def get(self):
        if self.model is None:
            from .embed import make_embedder

            self.model = make_embedder(self._settings, threads=self._settings.index.ingest_threads or os.cpu_count() or 1)
        return self.model

    @property
    def window(self) -> int:
        return self.get().window

    def count_tokens(self, text: str) -> int:
        return self.get().count_tokens(text)


def _embed_here(embedder: _LazyEmbedder, progress, todo: list[Passage], batch: int = 8) -> dict[str, np.ndarray]:
    """The default embedding step: in this process, in small batches (for the progress bar)."""
    out = {}
    for start in range(0, len(todo), batch):
        if progress:
            progress("embedden", start, len(todo))
        part = todo[start : start + batch]
        out.update(zip((p.id for p in part), embedder.get().embed_batch([p.embed_text() for p in part])))
    if todo and progress:
        progress("embedden", len(todo), len(todo))
    return out


def _build(settings: Settings, corpus: Path, progress, embedder: _LazyEmbedder, engine: Engine | None = None) -> Report:
    from .ingest.coverage import low_coverage
    from .ingest.pipeline import prepare

    path = live_build(settings)
    live = Build(path) if path else None
    if live and live.manifest.get("signature") != _embedder_signature(settings):
        live = None  # other embedder or chunking: nothing can be reused
    moved = live is not None and not same_server(live.manifest.get("chroma_url"), settings.index.chroma_url)
    prepared = prepare(settings, corpus, live, embedder, progress, rebuild=moved, prefetch=engine.prefetch if engine else None)
    if prepared.unchanged:
        docs = live.manifest["documents"]
        return Report(
            unchanged=True,
            build_id=live.manifest["build_id"],
            documents=len(docs),
            pages=sum(d["pages"] for d in docs.values()),
            passages=live.manifest["passages"],
            reused=live.manifest["passages"],
            skipped=live.manifest["skipped"] + prepared.ignored,
            layout={d: m.get("layout", {}) for d, m in docs.items()},
            low_coverage=low_coverage(docs),
            **_notes(docs),
        )
    passages = prepared.passages

    # Embeddings: reuse every vector whose passage id (a content hash) the live build already has.
    vectors = live.vectors() if live else {}
    todo = [p for p in passages if p.id not in vectors]
    vectors.update(engine.embed(todo) if engine else _embed_here(embedder, progress, todo))

    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = settings.index_dir / f".tmp-{build_id}"
    tmp.mkdir(parents=True)
    matrix = np.stack([vectors[p.id] for p in passages]).astype(np.float32) if passages else np.zeros((0, 0))
    _write_build(settings, tmp, build_id, passages, matrix, prepared.pages, prepared.motions, prepared.measures)
    manifest_out = {
        "build_id": build_id,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "signature": _embedder_signature(settings),
        "embedder_name": (embedder.model.name if embedder.model else getattr(engine, "embedder_name", ""))
        or (live.manifest if live else {}).get("embedder_name", ""),
        "dim": int(matrix.shape[1]) if passages else 0,
        "corpus": str(corpus.resolve()),
        "manifest_hash": prepared.manifest_hash,
        "chroma_url": settings.index.chroma_url,
        "collection": ChromaStore.collection_name(build_id, settings),
        "documents": prepared.documents,
        "skipped": prepared.skipped,
        "passages": len(passages),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest_out, ensure_ascii=False, indent=1))
    final = settings.index_dir / "builds" / build_id
    os.replace(tmp, final)
    _fsync_dir(final.parent)
    _swap_current(settings.index_dir, build_id)
    # Keep the previous build one generation longer: app processes still on it keep answering
    # until they notice CURRENT changed (Assistant reloads on its next question).
    _remove_old_builds(settings, keep={build_id, live.path.name} if live else {build_id})

    return Report(
        documents=len(prepared.documents),
        pages=sum(d["pages"] for d in prepared.documents.values()),
        passages=len(passages),
        embedded=len(todo),
        reused=len(passages) - len(todo),
        added_docs=prepared.added_docs,
        changed_docs=prepared.changed_docs,
        removed_docs=prepared.removed_docs,
        moved_docs=prepared.moved_docs,
        skipped=prepared.skipped + prepared.ignored,
        build_id=build_id,
        layout={d: m.get("layout", {}) for d, m in prepared.documents.items()},
        low_coverage=low_coverage(prepared.documents),
        **_notes(prepared.documents),
    )


def _notes(docs: dict) -> dict:
    """Per-document warnings and OCR figures, as recorded in the build manifest."""
    return {
        "warnings": [{"path": d["path"], "reason": w} for d in docs.values() for w in d.get("warnings", [])],
        "ocr": [{"path": d["path"], **d["ocr"]} for d in docs.values() if d.get("ocr")],
    }


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
    store = ChromaStore.create(settings, tmp, build_id)
    store.add([p.id for p in passages], matrix, [passage_metadata(p) for p in passages])


def bm25_tokens(p: Passage) -> list[str]:
    return tokenize(p.embed_text())


def grams_index(passages: list[Passage]):
    """BM25 over the character 5-grams of each passage's BM25 tokens (measured: evals/README.md,
    "Retrieval variants")."""
    import bm25s

    grams = bm25s.BM25()
    grams.index([char_ngrams(bm25_tokens(p)) for p in passages] or [["leeg"]], show_progress=False)
    return grams


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
        ChromaStore.drop_build(settings, manifest)
        shutil.rmtree(build, ignore_errors=True)


# ---------------------------------------------------------------- open


class Index:
    """A read-only view of the live build."""

    def __init__(self, settings: Settings, build: Path):
        import bm25s

        self.settings = settings
        self.path = build
        files = Build(build)
        self.manifest = files.manifest
        self.passages = files.passages
        self.order = list(self.passages)  # row i of BM25 / vectors.npy is self.order[i]
        self.pages: dict[str, list[dict]] = files.pages
        records = json.loads((build / "records.json").read_text())
        self.motions = [Motion(**m) for m in records["motions"]]
        self.measures = [Measure(**m) for m in records["measures"]]
        self.bm25 = bm25s.BM25.load(str(build / "bm25"), show_progress=False)
        self.store = ChromaStore.open(settings, build, self.manifest)
        matrix = np.load(build / "vectors.npy") if settings.retrieval.exact_dense else np.zeros((0, 0))
        self.exact = ExactVectors(self.order, matrix) if len(matrix) == len(self.order) > 0 else None

    @classmethod
    def open(cls, settings: Settings) -> Index:
        build = live_build(settings)
        if build is None:
            raise IndexMissing(
                f"Er is nog geen index in {settings.index_dir}. Bouw die eerst met: assistant ingest "
                f"(no index yet; build it with `assistant ingest`)"
            )
        return cls(settings, build)

    @functools.cached_property
    def grams(self):
        """The character n-gram BM25 field, built on first use (0.5 s for a thousand passages) rather
        than stored: it is off by default ([retrieval] ngram_weight), so builds do not pay for it."""
        return grams_index(list(self.passages.values()))

    @property
    def documents(self) -> dict[str, dict]:
        return self.manifest["documents"]

    def token_counts(self) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
        """(passages holding each token, and the same per document), read off the BM25 index, whose
        columns are `bm25_tokens` (the answerer's tokens) and rows the passages in build order.
        Tokenizing every passage at load instead took 8 s at 23,000 passages (benchmarks/growth.py)."""
        if not self.passages:
            return {}, {}
        scores = self.bm25.scores  # stored column (token) by column, rows = passages with that token
        counts = np.diff(np.asarray(scores["indptr"]))
        rows = np.asarray(scores["indices"])
        token_of = {i: t for t, i in self.bm25.vocab_dict.items() if i < len(counts)}
        df = {token_of[i]: int(c) for i, c in enumerate(counts) if i in token_of}
        docs = sorted({p.doc_id for p in self.passages.values()})
        doc_index = {d: k for k, d in enumerate(docs)}
        doc_of_row = np.array([doc_index[self.passages[pid].doc_id] for pid in self.order])
        cols = np.repeat(np.arange(len(counts)), counts)
        pairs, n = np.unique(doc_of_row[rows] * len(counts) + cols, return_counts=True)
        per_doc: dict[str, dict[str, int]] = {d: {} for d in docs}
        for pair, c in zip(pairs.tolist(), n.tolist()):
            doc, col = divmod(pair, len(counts))
            if col in token_of:
                per_doc[docs[doc]][token_of[col]] = c
        return df, per_doc

    @property
    def collection(self):
        """The Chroma collection behind the store (for inspection and tests)."""
        return self.store.collection

    def dense(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(passage id, similarity) of the `k` nearest vectors that pass `filters`, best first."""
        if not self.passages:
            return []
        if self.exact is None:
            return self.store.query(vector, k, filters)
        accept = None if filters is None else filters.mask(self.passages[i] for i in self.order)
        return self.exact.query(vector, k, accept)
