"""An ingest killed mid-way (a real SIGKILL) leaves the previous index live and answering."""

import os
import shutil
import signal
import subprocess
import sys
import time

from assistant import Assistant
from assistant.index import build_index, live_build
from assistant.settings import ROOT, Settings


def test_killed_ingest_keeps_the_previous_index(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("webpagina-jeugdhulp.txt", "informatieblad-raadslid.txt", "manifest.toml"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    settings = Settings.load(index_dir=tmp_path / "idx")
    first = build_index(settings, corpus)
    question = "In hoeveel jeugdregio's werken gemeenten samen?"
    before = Assistant.load(settings).ask(question)
    assert before.answered and "42" in before.answer

    # A large new document gives the next ingest a minute of embedding work; kill it in the middle.
    shutil.copy(ROOT / "corpus" / "update-actieplan-2022.txt", corpus / "update-actieplan-2022.txt")
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(settings.index_dir), OMP_NUM_THREADS="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 120
    try:
        for line in proc.stderr:
            if "embedden" in line:
                break
            assert time.monotonic() < deadline, "ingest never started embedding"
        time.sleep(2)  # well inside the embedding phase
        assert proc.poll() is None, "ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert live_build(settings).name == first.build_id
    after = Assistant.load(settings).ask(question)
    assert after.answer == before.answer
    assert {c.doc_id for c in after.citations} <= {"webpagina-jeugdhulp", "informatieblad-raadslid"}

    # The next ingest completes, swaps in the new build and leaves no temporary build behind.
    done = build_index(settings, corpus)
    assert done.added_docs == ["update-actieplan-2022"]
    assert live_build(settings).name == done.build_id
    assert not list(settings.index_dir.glob(".tmp-*"))
