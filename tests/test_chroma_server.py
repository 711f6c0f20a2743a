"""The Chroma client/server path: a real `chroma run` on loopback, compared with embedded mode.

The seed corpus is ingested through the server (its vectors are reused from the session's embedded
seed build: the embedding work is identical, the store is what is under test), then answers and
citations must be identical to embedded mode. A re-ingest of a changed corpus swaps collections on
the server and deletes the old one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import free_port, stop

from assistant.index import build_index, live_build
from assistant.settings import ROOT, Settings

pytestmark = pytest.mark.slow

QUESTIONS = [
    ("Wat is de status van motie 2106-18?", None),  # a motion
    ("Wat is de status van motie Burgervoogd?", None),
    ("Wat is Kansrijke Start?", None),  # a measure
    ("Hoeveel gemeenten werken samen in de jeugdregio Haaglanden?", None),
    ("Hoeveel pleeggezinnen zijn er in Zoetermeer?", None),  # refusal
    ("Wat besloot de raad over stevige lokale teams?", {"kinds": ["raadsbesluit"]}),  # filter by kind
    ("Wat is Kansrijke Start?", {"kinds": ["voortgangsrapportage"]}),
    ("Hoe is de jeugdhulp georganiseerd?", {"year_from": 2022, "year_to": 2024}),
]


def _heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as resp:
            return resp.status == 200 and "heartbeat" in resp.read().decode()
    except OSError:
        return False


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A `chroma run` subprocess on 127.0.0.1 (telemetry off), stopped at the end of the module."""
    chroma = Path(sys.executable).with_name("chroma")
    assert chroma.exists(), f"chroma CLI not found next to {sys.executable}"
    root = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
    for attempt in range(3):  # the free port could be taken between picking and binding it
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(root / f"server-{attempt}.log", "w")
        proc = subprocess.Popen(
            [str(chroma), "run", "--path", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=root,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None and not _heartbeat(url):
            time.sleep(0.2)
        if proc.poll() is None and _heartbeat(url):
            break
        stop(proc)
        log.close()
    else:
        pytest.fail("chroma server did not start:\n" + (root / "server-2.log").read_text()[-2000:])
    try:
        yield url
    finally:
        stop(proc)
        log.close()


def _client(url: str):
    from assistant.stores import chroma_client

    return chroma_client(Settings().with_chroma(url))


@pytest.fixture(scope="module")
def server_settings(seed_settings, chroma_server, tmp_path_factory) -> Settings:
    """The seed corpus ingested through the Chroma server into a fresh index_dir."""
    index_dir = tmp_path_factory.mktemp("server-index")
    # Start from a copy of the embedded seed build so its vectors are reused, not embedded again.
    seed_build = live_build(seed_settings)
    (index_dir / "builds").mkdir()
    shutil.copytree(seed_build, index_dir / "builds" / seed_build.name)
    (index_dir / "CURRENT").write_text(seed_build.name)
    settings = Settings.load(
        index_dir=index_dir, corpus_dir=ROOT / "corpus", feedback_db=index_dir / "fb.sqlite3", chroma_url=chroma_server
    )
    report = build_index(settings)
    seed_passages = json.loads((seed_build / "manifest.json").read_text())["passages"]
    # Moving to a server is a rebuild (not "unchanged"), with every vector reused.
    assert not report.unchanged and report.embedded == 0 and report.reused == report.passages == seed_passages
    return settings


@pytest.fixture(scope="module")
def server_bot(server_settings):
    from assistant import Assistant

    return Assistant.load(server_settings)


def test_ingest_through_the_server_creates_one_collection_per_build(server_settings, server_bot, chroma_server, seed_settings):
    build = live_build(server_settings)
    manifest = json.loads((build / "manifest.json").read_text())
    assert manifest["chroma_url"] == chroma_server
    assert manifest["collection"] == f"passages_{build.name}"
    assert not (build / "chroma").exists()  # no embedded store for a server build
    # The live build plus the one before it (kept one generation for processes still using it).
    assert sorted(b.name for b in (server_settings.index_dir / "builds").iterdir()) == sorted(
        [build.name, live_build(seed_settings).name]
    )
    client = _client(chroma_server)
    names = {c.name for c in client.list_collections()}
    assert manifest["collection"] in names
    assert client.get_collection(manifest["collection"]).count() == manifest["passages"]
    # The app talks to the server, not to a local file.
    from chromadb.api.fastapi import FastAPI

    assert isinstance(server_bot.index.collection._client, FastAPI)
    assert server_bot.index.collection.name == manifest["collection"]
    # The embedded seed index is untouched.
    assert json.loads((live_build(seed_settings) / "manifest.json").read_text())["chroma_url"] == ""


def test_answers_and_citations_are_identical_to_embedded_mode(bot, server_bot):
    for question, filters in QUESTIONS:
        a = bot.ask(question, filters=filters, use_llm=False)
        b = server_bot.ask(question, filters=filters, use_llm=False)
        assert (a.answer, a.answered, a.notice, a.search_query) == (b.answer, b.answered, b.notice, b.search_query), question
        assert [(c.n, c.passage_id, c.doc_id, c.text, c.spans, c.kind) for c in a.citations] == [
            (c.n, c.passage_id, c.doc_id, c.text, c.spans, c.kind) for c in b.citations
        ], question
        for ca, cb in zip(a.citations, b.citations):
            assert ca.score == pytest.approx(cb.score, abs=1e-3), question
        assert [p.id for p in a.related] == [p.id for p in b.related], question
        if filters and filters.get("kinds"):
            assert all(c.kind in filters["kinds"] for c in b.citations)
    assert any(bot.ask(q, filters=f, use_llm=False).answered for q, f in QUESTIONS)
    assert not server_bot.ask("Hoeveel pleeggezinnen zijn er in Zoetermeer?").answered


def test_search_and_dense_hits_are_identical_to_embedded_mode(bot, server_bot):
    for query, filters in [
        ("kansrijke start", None),
        ("wachttijden jeugdzorg", {"kinds": ["voortgangsrapportage"]}),
        ("resultaatgericht inkopen", {"year_from": 2019, "year_to": 2020}),
    ]:
        a = bot.search(query, k=10, filters=filters)
        b = server_bot.search(query, k=10, filters=filters)
        assert [p.id for p in a] == [p.id for p in b], query
        assert [p.score for p in a] == pytest.approx([p.score for p in b], abs=1e-4), query
        vector = bot.embedder.embed_query(query)
        da, db = bot.index.dense(vector, 20), server_bot.index.dense(vector, 20)
        assert len(da) == 20 and [i for i, _ in da] == [i for i, _ in db], query
        assert [s for _, s in da] == pytest.approx([s for _, s in db], abs=1e-4), query
    assert [m.to_dict() for m in bot.motions()] == [m.to_dict() for m in server_bot.motions()]


def test_a_process_without_the_setting_follows_current_to_the_server(server_settings, chroma_server):
    """Several app processes share one indexes/ folder: CURRENT names the build, the build its collection."""
    from assistant import Assistant

    other = Assistant.load(Settings.load(index_dir=server_settings.index_dir, chroma_url=""))
    assert other.index.collection.name == f"passages_{live_build(server_settings).name}"
    r = other.ask("Wat is de status van motie 2106-18?")
    assert r.answered and "2106-18" in r.citations[0].text


def test_reingest_swaps_collections_and_deletes_them_two_generations_later(chroma_server, server_settings, tmp_path):
    from assistant import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "webpagina-jeugdhulp.txt", corpus)
    shutil.copy(ROOT / "corpus" / "manifest.toml", corpus)
    settings = Settings.load(
        index_dir=tmp_path / "index", corpus_dir=corpus, feedback_db=tmp_path / "fb.sqlite3", chroma_url=chroma_server
    )
    client = _client(chroma_server)
    first = build_index(settings)
    assert first.embedded == first.passages > 0
    old_collection = f"passages_{first.build_id}"
    assert old_collection in {c.name for c in client.list_collections()}
    assert build_index(settings).unchanged  # same corpus, same server: nothing to do

    with open(corpus / "webpagina-jeugdhulp.txt", "a") as fh:
        fh.write("\n\nNieuw jeugdpunt\n\nIn 2025 opent de gemeente een nieuw jeugdpunt in het Stadshart voor alle jongeren.\n")
    second = build_index(settings)
    assert not second.unchanged and second.build_id != first.build_id
    assert second.changed_docs == ["webpagina-jeugdhulp"] and second.reused > 0
    names = {c.name for c in client.list_collections()}
    assert f"passages_{second.build_id}" in names
    # The previous build and its collection stay one generation, for app processes still on it.
    assert old_collection in names
    with open(corpus / "webpagina-jeugdhulp.txt", "a") as fh:
        fh.write("\n\nNog een alinea over het jeugdpunt en de openingstijden in 2026.\n")
    third = build_index(settings)
    names = {c.name for c in client.list_collections()}
    assert old_collection not in names  # two generations old: deleted with its build
    assert {f"passages_{second.build_id}", f"passages_{third.build_id}"} <= names
    # Other index folders on the same server keep their collections.
    assert f"passages_{live_build(server_settings).name}" in names
    assert (settings.index_dir / "CURRENT").read_text().strip() == third.build_id
    assert sorted(b.name for b in (settings.index_dir / "builds").iterdir()) == sorted([second.build_id, third.build_id])
    assert client.get_collection(f"passages_{third.build_id}").count() == third.passages

    bot = Assistant.load(settings)  # a restarted process serves the new build
    hits = bot.search("nieuw jeugdpunt in het Stadshart", k=3)
    assert hits and "Stadshart" in hits[0].text


def test_unreachable_server_gives_a_clear_error(server_settings, tmp_path):
    from assistant import Assistant

    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(RuntimeError, match="niet bereikbaar"):
        build_index(Settings.load(index_dir=tmp_path / "i", corpus_dir=ROOT / "corpus", chroma_url=dead))
    assert not (tmp_path / "i" / "CURRENT").exists()
    # A build whose server is gone: Assistant.load says so instead of a bare traceback.
    build = live_build(server_settings)
    copy = tmp_path / "copy"
    shutil.copytree(build, copy / "builds" / build.name)
    (copy / "CURRENT").write_text(build.name)
    manifest = json.loads((build / "manifest.json").read_text())
    (copy / "builds" / build.name / "manifest.json").write_text(json.dumps({**manifest, "chroma_url": dead}))
    with pytest.raises(RuntimeError, match="niet bereikbaar"):
        Assistant.load(Settings.load(index_dir=copy))
