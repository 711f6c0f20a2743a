"""Ingestion on a real Ray cluster (`assistant ingest --ray`) against a real Chroma server.

A two-node cluster is started with the `ray` CLI on 127.0.0.1 (a head and a worker, one CPU each,
`--block` so each node is one process of ours that takes its Ray daemons down when stopped), and a
`chroma run` server. Two files of the bundled corpus are ingested locally (embedded Chroma) and
through Ray (vectors on the server): passages, vectors and answers must agree. Then a file is
added (only its passages are embedded) and a crash before the swap leaves the live build answering.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import free_port
from test_chroma_server import chroma_server  # noqa: F401 - the fixture: a real `chroma run` on loopback

from assistant.index import build_index, live_build
from assistant.settings import ROOT, Settings

pytestmark = pytest.mark.slow
pytest.importorskip("ray", reason="Ray is the optional extra `scale`")
# Loopback only, so no token: without this, a ~/.ray/auth_token left by an earlier Ray puts the head
# in token mode while `ray status` and the driver stay in the default mode, and they cannot connect.
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}

FILES = ["raadsbesluit-2024-086688.txt", "informatieblad-raadslid.txt"]
QUESTIONS = [
    "Wat besloot de raad over stevige lokale teams?",
    "Hoeveel gemeenten werken samen in de jeugdregio Haaglanden?",
    "Wat moet een raadslid weten over jeugdhulp?",
    "Hoeveel pleeggezinnen zijn er in Zoetermeer?",  # refusal
]


def _start_node(args: list[str], log: Path) -> subprocess.Popen:
    ray = Path(sys.executable).with_name("ray")
    env = {**os.environ, **RAY_ENV, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    # A session of its own: the node and every daemon it starts can be stopped by this group id.
    return subprocess.Popen(
        [str(ray), "start", "--block", "--disable-usage-stats", "--num-cpus=1", "--node-ip-address=127.0.0.1", *args],
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )


def _stop_node(proc: subprocess.Popen) -> None:
    """SIGTERM to the node's own process group (never `ray stop`, which stops every Ray on the machine)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _nodes_alive(address: str) -> int:
    out = subprocess.run(
        [str(Path(sys.executable).with_name("ray")), "status", f"--address={address}"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **RAY_ENV},
    )
    return out.stdout.count("node_") if out.returncode == 0 else 0


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory):
    """`ray start --head` plus one worker on 127.0.0.1; yields the address."""
    root = tmp_path_factory.mktemp("ray")
    saved = {k: os.environ.get(k) for k in RAY_ENV}
    os.environ.update(RAY_ENV)  # for the driver (RayEngine) in this process
    port = free_port()
    address = f"127.0.0.1:{port}"
    head = _start_node(["--head", f"--port={port}", "--include-dashboard=false", f"--temp-dir={root / 't'}"], root / "head.log")
    procs = [head]
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and head.poll() is None and _nodes_alive(address) < 1:
            time.sleep(1)
        assert head.poll() is None and _nodes_alive(address) >= 1, (root / "head.log").read_text()[-3000:]
        procs.append(_start_node([f"--address={address}"], root / "worker.log"))
        while time.monotonic() < deadline and _nodes_alive(address) < 2:
            time.sleep(1)
        assert _nodes_alive(address) >= 2, (root / "worker.log").read_text()[-3000:]
        yield address
    finally:
        for proc in reversed(procs):
            _stop_node(proc)
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ray-corpus")
    for name in [*FILES, "manifest.toml"]:
        shutil.copy(ROOT / "corpus" / name, folder / name)
    return folder


def _settings(index_dir: Path, corpus: Path, **kw) -> Settings:
    return Settings.load(index_dir=index_dir, corpus_dir=corpus, feedback_db=index_dir / "fb.sqlite3", **kw)


def _answers(settings: Settings) -> list[tuple]:
    from assistant import Assistant

    bot = Assistant.load(settings)
    out = []
    for q in QUESTIONS:
        a = bot.ask(q, use_llm=False)
        out.append((q, a.answered, a.answer, [c.passage_id for c in a.citations]))
    return out


@pytest.fixture(scope="module")
def both(ray_cluster, chroma_server, corpus, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    from assistant.ingest.distributed import RayEngine

    local = _settings(tmp_path_factory.mktemp("local-index"), corpus)
    build_index(local, corpus)
    distributed = _settings(tmp_path_factory.mktemp("ray-index"), corpus, chroma_url=chroma_server)
    with RayEngine(distributed, corpus, ray_cluster) as engine:
        report = build_index(distributed, corpus, engine=engine)
    return local, distributed, report


def test_same_passages_vectors_and_answers(both, chroma_server):  # noqa: F811
    from assistant.index import Build
    from assistant.stores import chroma_client

    local, distributed, report = both
    a, b = Build(live_build(local)), Build(live_build(distributed))
    assert report.embedded == report.passages == len(a.passages) > 30
    assert list(a.passages) == list(b.passages)
    assert [p.to_dict() for p in a.passages.values()] == [p.to_dict() for p in b.passages.values()]
    assert json.loads((a.path / "records.json").read_text()) == json.loads((b.path / "records.json").read_text())
    va, vb = a.vectors(), b.vectors()
    cos = [float(va[i] @ vb[i] / np.linalg.norm(va[i]) / np.linalg.norm(vb[i])) for i in a.passages]
    assert min(cos) >= 0.999
    assert b.manifest["embedder_name"] == a.manifest["embedder_name"] != ""
    # The vectors live on the Chroma server, in the build's own collection.
    collection = chroma_client(distributed).get_collection(b.manifest["collection"])
    assert b.manifest["chroma_url"] == chroma_server and collection.count() == len(b.passages)
    got = collection.get(ids=list(b.passages)[:5], include=["embeddings"])
    for i, v in zip(got["ids"], got["embeddings"]):
        assert float(np.dot(v, va[i])) >= 0.999
    assert _answers(local) == _answers(distributed)


def test_incremental_and_crash_safe(both, corpus, ray_cluster):
    from assistant.ingest.distributed import RayEngine

    _, distributed, first = both
    shutil.copy(ROOT / "corpus" / "webpagina-jeugdhulp.txt", corpus / "webpagina-jeugdhulp.txt")
    before = live_build(distributed)

    class Crash(RayEngine):
        def embed(self, todo):
            super().embed(todo)
            raise KeyboardInterrupt  # the driver dies after the cluster's work, before the swap

    with Crash(distributed, corpus, ray_cluster) as engine, pytest.raises(KeyboardInterrupt):
        build_index(distributed, corpus, engine=engine)
    assert live_build(distributed) == before  # the old build still answers
    with RayEngine(distributed, corpus, ray_cluster) as engine:
        report = build_index(distributed, corpus, engine=engine)
    assert report.added_docs == ["webpagina-jeugdhulp"]
    assert 0 < report.embedded < 10 and report.reused == first.passages
    assert report.passages == first.passages + report.embedded
    assert not list(distributed.index_dir.glob(".tmp-*"))


def test_ray_missing_or_unreachable_is_a_clear_message(tmp_path, corpus, monkeypatch, capsys):
    from assistant.cli import main
    from assistant.ingest.distributed import RayEngine

    settings = _settings(tmp_path / "idx", corpus)
    with RayEngine(settings, corpus, f"127.0.0.1:{free_port()}") as engine, pytest.raises(RuntimeError, match="Ray-cluster"):
        build_index(settings, corpus, engine=engine)
    assert live_build(settings) is None
    monkeypatch.setitem(sys.modules, "ray", None)  # as in the default install, without the `scale` extra
    assert main(["--index-dir", str(tmp_path / "idx"), "ingest", str(corpus), "--ray", "local", "--quiet"]) != 0
    err = capsys.readouterr().err
    assert "raadsassistent-jeugd[scale]" in err and "Traceback" not in err
    assert live_build(settings) is None
