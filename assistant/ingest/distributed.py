"""Ingestion on a Ray cluster, for corpora one machine cannot embed in time.

Two Ray Data stages around the driver's diff (`index.build_index(engine=RayEngine(...))`):
  1. `prefetch`: `ray.data.from_items(files)` → `map(_Reader)`: load, clean and chunk each new or
     changed file on the cluster (the same `pipeline.read_one` as a local ingest);
  2. `embed`: the passages without a cached vector (ids are content hashes; the driver decides, in
     one place, what is new) → `map_batches(_Embedder)`, an actor pool in which every actor loads the
     model once.
Everything else is the single-machine path: the build folder (passages, BM25, records, pages) is
written by the driver, vectors go to the configured store (the Chroma server with `chroma_url`), and
the build becomes live by the same atomic swap of CURRENT, so a crash leaves the old index answering.
The cluster's workers must see the corpus and the index folder at the same paths (a shared disk).

Ray is the optional extra `scale` and is imported only here.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Self

import numpy as np

from ..model import Passage
from ..settings import OFFLINE_ENV, Settings

log = logging.getLogger(__name__)
RAY_MISSING = (
    "Ray is niet geïnstalleerd (Ray is not installed): pip install 'raadsassistent-jeugd[scale]' "
    "of laat --ray weg voor een ingest op deze machine"
)
EMBED_BATCH = 16  # passages per actor call: large enough to keep the model busy, small for progress


def _ray():
    try:
        import ray
    except ImportError as exc:  # the default install has no Ray
        raise RuntimeError(RAY_MISSING) from exc
    return ray


class _Reader:
    """Ray Data UDF: one file → `read_one`'s result, pickled (Arrow has no type for our dataclasses)."""

    def __init__(self, settings: Settings, corpus: str, manifest: dict, hashes: dict[str, str]):
        from ..embed import make_embedder

        self.settings, self.corpus, self.manifest, self.hashes = settings, Path(corpus), manifest, hashes
        self.counter = make_embedder(settings, threads=1)  # chunking counts the embedder's own tokens

    def __call__(self, row: dict) -> dict:
        from .pipeline import read_one

        path = row["path"]
        result = read_one(self.settings, self.corpus, Path(path), self.manifest, self.hashes[path], set(), self.counter)
        return {"path": path, "result": pickle.dumps(result)}


class _Embedder:
    """Ray Data UDF on an actor pool: each actor loads the model once and embeds batches of passages."""

    def __init__(self, settings: Settings):
        from ..embed import make_embedder

        self.model = make_embedder(settings, threads=1)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.model.embed_batch([str(t) for t in batch["text"]])
        return {"id": batch["id"], "vector": vectors, "model": np.array([self.model.name] * len(vectors))}


class RayEngine:
    """An `index.Engine` on a Ray cluster at `address` ("local" starts a private one on this machine)."""

    def __init__(
        self,
        settings: Settings,
        corpus: Path,
        address: str,
        workers: int = 0,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.settings, self.corpus = settings, Path(corpus)
        self.address, self.workers, self.progress = address, workers, progress
        self.embedder_name = ""
        self._ray = None

    # ---- connection

    def connect(self):
        """Join the cluster (once). Workers get this checkout's `assistant` package and the offline env."""
        if self._ray is not None:
            return self._ray
        ray = _ray()
        import assistant

        env = {**OFFLINE_ENV, "OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE", "RAY_USAGE_STATS_ENABLED": "0"}
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        kwargs = {
            "runtime_env": {"py_modules": [str(Path(assistant.__file__).parent)], "env_vars": env, "excludes": ["__pycache__"]},
            "logging_level": logging.WARNING,
            "log_to_driver": False,
        }
        if self.address in ("", "local"):
            kwargs.update(address="local", num_cpus=self.workers or None, include_dashboard=False)
        else:
            kwargs["address"] = self.address
            host, _, port = self.address.removeprefix("ray://").rpartition(":")
            if host in ("127.0.0.1", "localhost"):
                kwargs["_node_ip_address"] = "127.0.0.1"  # else Ray probes a public address to find its own
        try:
            if self.address not in ("", "local", "auto"):
                # ray.init retries an absent cluster for minutes: one plain connection says it at once.
                socket.create_connection((host, int(port)), timeout=5).close()
            ray.init(**kwargs)
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError, ...
            raise RuntimeError(f"Ray-cluster {self.address} niet bereikbaar (Ray cluster unreachable): {exc}") from exc
        ray.data.DataContext.get_current().enable_progress_bars = False  # ours counts files and passages
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # after importing ray.data, which sets INFO
        self._ray = ray
        return ray

    def close(self) -> None:
        if self._ray is not None:
            self._ray.shutdown()
            self._ray = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _pool(self) -> int:
        return self.workers or max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    # ---- the two stages

    def prefetch(self, files: list[Path], manifest: dict, hashes: dict[str, str]) -> dict[str, tuple]:
        if not files:
            return {}
        ray = self.connect()
        items = [{"path": str(f.resolve())} for f in files]
        ds = ray.data.from_items(items, override_num_blocks=min(len(items), 8 * self._pool()))
        ds = ds.map(
            _Reader,
            fn_constructor_args=(self.settings, str(self.corpus), manifest, hashes),
            compute=ray.data.ActorPoolStrategy(size=min(self._pool(), len(items))),
            num_cpus=1,
        )
        out = {}
        for row in ds.iter_rows():
            out[row["path"]] = pickle.loads(row["result"])
            if self.progress:
                self.progress("lezen (Ray)", len(out), len(items))
        return out

    def embed(self, todo: list[Passage]) -> dict[str, np.ndarray]:
        if not todo:
            return {}
        ray = self.connect()
        items = [{"id": p.id, "text": p.embed_text()} for p in todo]
        blocks = max(1, min(len(items) // EMBED_BATCH, 64 * self._pool()))
        ds = ray.data.from_items(items, override_num_blocks=blocks)
        ds = ds.map_batches(
            _Embedder,
            fn_constructor_args=(self.settings,),
            batch_size=EMBED_BATCH,
            compute=ray.data.ActorPoolStrategy(size=min(self._pool(), blocks)),
            num_cpus=1,
        )
        out: dict[str, np.ndarray] = {}
        for batch in ds.iter_batches(batch_format="numpy", batch_size=None):
            out.update(zip((str(i) for i in batch["id"]), np.asarray(batch["vector"], dtype=np.float32)))
            self.embedder_name = str(batch["model"][0])
            if self.progress:
                self.progress("embedden (Ray)", len(out), len(todo))
        return out
