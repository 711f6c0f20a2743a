"""The command line: JSON field names, messages, exit codes."""

import json
import os
import subprocess
import sys


def run(*args, env=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_ask_and_search_json_use_the_api_field_names(seed_settings):
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(seed_settings.index_dir))
    r = run("ask", "Wat is de status van motie 2106-18?", "--json", env=env)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["answered"] is True and "[1]" in data["answer"]
    assert {"n", "doc_id", "title", "date", "kind", "section", "page", "text", "score", "spans"} <= set(data["citations"][0])
    s = run("search", "kansrijke start", "--json", "-k", "3", "--kind", "actieplan", env=env)
    hits = json.loads(s.stdout)
    assert len(hits) == 3 and {h["kind"] for h in hits} == {"actieplan"}
    assert {"doc_id", "title", "date", "kind", "section", "page", "text", "score"} <= set(hits[0])


def test_ingest_json_summary(seed_settings):
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(seed_settings.index_dir))
    r = run("ingest", "--json", env=env)
    data = json.loads(r.stdout)
    assert data["unchanged"] is True and data["documents"] == 5 and data["embedded"] == 0


def test_no_index_gives_instructions_not_a_traceback(tmp_path):
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(tmp_path / "leeg"))
    r = run("ask", "Wat is Kansrijke Start?", env=env)
    assert r.returncode == 2
    assert "assistant ingest" in r.stderr and "Traceback" not in r.stderr


def test_help_is_instant_and_dutch():
    r = run("--help")
    assert r.returncode == 0 and "commando" in r.stdout
    # --help must not import the heavy stack
    code = "import sys; from assistant.cli import main; main(['--help']) if False else None; print('chromadb' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False False"


def test_progress_bar_shows_stage_and_count_on_stderr(capsys):
    from assistant.cli import _Progress

    bar = _Progress(enabled=True)
    for i in range(4):
        bar("lezen", i, 3)
    bar("embedden", 10, 10)
    bar.done()
    err = capsys.readouterr().err
    assert "lezen" in err and "3/3" in err and "embedden" in err and "10/10" in err
    silent = _Progress(enabled=False)  # --json / --quiet
    silent("lezen", 1, 3)
    silent.done()
    assert capsys.readouterr() == ("", "")
