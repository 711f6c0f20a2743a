"""The whole path (ingest, load, ask) works in a network namespace with no network at all."""

import os
import shutil
import subprocess
import sys

import pytest

from assistant.settings import ROOT


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="unshare -n needs root (CI runs as root)")
def test_ingest_and_ask_without_any_network(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("webpagina-jeugdhulp.txt", "manifest.toml"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "GRADIO_", "ASSISTANT_"))}
    env["ASSISTANT_INDEX_DIR"] = str(tmp_path / "idx")
    # Check the namespace really has no network before trusting the result.
    probe = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 53), timeout=2)"],
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0
    cli = [sys.executable, "-m", "assistant.cli"]
    ingest = subprocess.run(
        ["unshare", "-n", *cli, "ingest", str(corpus), "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    assert ingest.returncode == 0, ingest.stderr
    ask = subprocess.run(
        ["unshare", "-n", *cli, "ask", "Met hoeveel gemeenten koopt Zoetermeer jeugdhulp in?", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ask.returncode == 0, ask.stderr
    assert '"answered": true' in ask.stdout and "negen" in ask.stdout
