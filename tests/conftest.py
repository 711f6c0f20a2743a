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
