"""Shared fixtures. The seed index is built once per test session (about 40 s) and reused.

A socket guard fails any test that connects anywhere but this machine: the product must work offline.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

from assistant.settings import ROOT, Settings, apply_offline_env

apply_offline_env()
os.environ.setdefault("OMP_NUM_THREADS", "1")

_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host in {"localhost"}
        if not local:
            raise AssertionError(f"network access attempted during tests: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def no_network():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> Settings:
    """Settings with a freshly built index of the bundled corpus (in a temp dir)."""
    from assistant.index import build_index

    index_dir = Path(os.environ.get("ASSISTANT_TEST_INDEX") or tmp_path_factory.mktemp("seed-index"))
    settings = Settings.load(index_dir=index_dir, corpus_dir=ROOT / "corpus", feedback_db=index_dir / "feedback.sqlite3")
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def realdocs_gate(seed_settings, tmp_path_factory):
    """(settings, left-out doc ids) of an index of ../shared/realdocs without its documents over 100 pages
    (CI: a few minutes of embedding the first time; set ASSISTANT_TEST_REALDOCS_INDEX to reuse one)."""
    from assistant.evals import corpora

    if not corpora.REALDOCS.is_dir():
        pytest.skip(f"no realdocs folder at {corpora.REALDOCS}")
    index_dir = os.environ.get("ASSISTANT_TEST_REALDOCS_INDEX") or tmp_path_factory.mktemp("realdocs") / "index"
    settings, left_out = corpora.realdocs_settings(seed_settings, corpora.REALDOCS, Path(index_dir), full=False)
    corpora.build(settings)
    return settings, left_out


@pytest.fixture(scope="session")
def bot(seed_settings):
    from assistant import Assistant

    return Assistant.load(seed_settings)


@pytest.fixture(scope="session")
def app_url(bot, seed_settings):
    """The web app on a free loopback port, launched as `assistant serve` launches it."""
    from helpers import free_port

    from assistant.ui import build_app, launch

    demo = build_app(bot, seed_settings)
    port = free_port()
    launch(demo, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


# Two municipalities that write about the same subject: a filter on one must cite only its documents.
TWO_ORGS = {
    "wachttijden-alfen.txt": (
        "gemeente Alphen aan den Rijn",
        "Wachttijden jeugdhulp Alphen aan den Rijn\n\n"
        "In 2023 wachtten kinderen in Alphen aan den Rijn gemiddeld twaalf weken op specialistische jeugdhulp. "
        "De gemeente zet extra jeugdconsulenten in om de wachttijden voor specialistische jeugdhulp te verkorten.\n\n"
        "Het budget voor jeugdhulp bedroeg in 2023 42 miljoen euro.",
    ),
    "wachttijden-delft.txt": (
        "gemeente Delft",
        "Wachttijden jeugdhulp Delft\n\n"
        "In 2023 wachtten kinderen in Delft gemiddeld zes weken op specialistische jeugdhulp. "
        "Delft spreekt met de aanbieders een maximale wachttijd af voor specialistische jeugdhulp.\n\n"
        "Het budget voor jeugdhulp bedroeg in 2023 31 miljoen euro.",
    ),
}


@pytest.fixture(scope="session")
def two_org_settings(tmp_path_factory) -> Settings:
    """Settings with an index of a small corpus of two organisations (manifest `organisation = ...`)."""
    from assistant.index import build_index

    root = tmp_path_factory.mktemp("two-orgs")
    corpus = root / "corpus"
    corpus.mkdir()
    manifest = []
    for name, (org, text) in TWO_ORGS.items():
        (corpus / name).write_text(text, encoding="utf-8")
        manifest.append(
            f'["{name}"]\ntitle = "{text.splitlines()[0]}"\ndate = "2024-01-15"\nkind = "brief"\norganisation = "{org}"\n'
        )
    (corpus / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    settings = Settings.load(index_dir=root / "index", corpus_dir=corpus, feedback_db=root / "feedback.sqlite3")
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def two_org_url(two_org_settings):
    """The web app over the two-organisation index on a free loopback port."""
    from helpers import served

    from assistant import Assistant

    with served(Assistant.load(two_org_settings), two_org_settings) as url:
        yield url + "/"
