"""The systems the evaluation compares, behind one interface: `run(question, history) -> Output`.

* ``full``   - the product: `Assistant.ask` (hybrid retrieval, record lookup, extractive answerer);
               with ``use_llm=True`` the LLM backend's answer.
* ``bm25``   - BM25 only (`Retriever.with_config(dense=False, records=False, rerank=False)`), answers
               composed by the same answerer from that ranking.
* ``dense``  - dense only (`with_config(sparse=False, records=False, rerank=False)`), same answerer.
* ``llama``  - the llama-index default pipeline: `SentenceSplitter()` with its default size over the
               raw corpus files (one `Document` per file), `VectorStoreIndex` in memory with the same
               embedder, top-10 retrieval; the "answer" is the top-3 chunks concatenated (so it always
               answers and cites nothing). Built once per process and cached.

Each system also exposes its `pool`: every passage/chunk it can retrieve, normalised, so retrieval
metrics know how many relevant passages exist in *that* system's collection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .matching import normalize

RETRIEVE_K = 10


@dataclass
class Output:
    answer: str
    answered: bool
    citations: list[dict] | None  # None: the system does not cite; else {n, passage_id, doc_id, title, text}
    ranked: list[tuple[str, str]]  # top RETRIEVE_K (id, text) in rank order
    seconds: float  # time to produce the answer (what a user waits for)
    search_query: str = ""
    mode: str = ""
    notice: str = ""
    error: str = ""  # the exception a system raised on this question (counted as no answer)
    kind: str = ""  # "answer" | "partial" | "not_found"; "" for a system without kinds
    interpreted_as: str = ""  # how a follow-up was read


@dataclass
class System:
    name: str
    label: str
    cites: bool = True
    build_seconds: float | None = None
    _pool: list[str] = field(default_factory=list, repr=False)

    @property
    def pool(self) -> list[str]:
        return self._pool

    def run(self, question: str, history: list | None) -> Output:  # pragma: no cover - interface
        raise NotImplementedError


def _citations(answer) -> list[dict]:
    return [
        {
            "n": c.n,
            "passage_id": c.passage_id,
            "doc_id": c.doc_id,
            "title": c.title,
            "date": c.date,
            "page": c.page,
            "section_title": c.section_title,
            "text": c.text,
        }
        for c in answer.citations
    ]


def _pool_of(bot) -> list[str]:
    return [normalize(p.text) for p in bot.index.passages.values()]


class FullPipeline(System):
    """`bot.ask` as users see it. Retrieval metrics use the ranking the answer was composed from
    (`Answer.ranked`, top 10)."""

    def __init__(self, bot, use_llm: bool = False, name: str = "full", label: str = "Full pipeline"):
        super().__init__(name, label + (" (LLM)" if use_llm else ""), True, None, _pool_of(bot))
        self.bot, self.use_llm = bot, use_llm

    def run(self, question: str, history: list | None) -> Output:
        t0 = time.perf_counter()
        try:
            a = self.bot.ask(question, history=history, use_llm=self.use_llm)
        except Exception as exc:  # a crash is scored as "no answer" and listed, not fatal to the run
            return Output("", False, [], [], time.perf_counter() - t0, question.strip(), error=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - t0
        ranked = [(p.id, p.text) for p in a.ranked[:RETRIEVE_K]]
        return Output(
            a.answer,
            bool(a.answered),
            _citations(a),
            ranked,
            seconds,
            a.search_query or question,
            a.mode,
            a.notice,
            kind=a.kind,
            interpreted_as=a.interpreted_as,
        )


class RetrieverBaseline(System):
    """One retrieval stage only; the product's answerer composes the answer from its ranking."""

    def __init__(self, bot, name: str, label: str, **config):
        super().__init__(name, label, True, None, _pool_of(bot))
        self.bot = bot
        self.retriever = bot.retriever.with_config(records=False, rerank=False, **config)

    def run(self, question: str, history: list | None) -> Output:
        from ..answer import resolve_followup

        t0 = time.perf_counter()
        query = resolve_followup(question.strip(), history)
        ranked = self.retriever.search(query, k=max(RETRIEVE_K, self.bot.answerer.config.passages))
        a = self.bot.answerer.compose(question.strip(), query, ranked)
        seconds = time.perf_counter() - t0
        return Output(
            a.answer,
            bool(a.answered),
            _citations(a),
            [(p.id, p.text) for p in ranked[:RETRIEVE_K]],
            seconds,
            query,
            "extractive",
            kind=a.kind,
        )


_LLAMA_CACHE: dict[tuple, tuple] = {}


def build_llama_index(corpus_dir: Path, embedder):
    """The llama-index defaults over the raw corpus: (retriever, nodes, seconds). Cached per
    (corpus, embedder) for the lifetime of the process; never touches an LLM or the network."""
    key = (str(Path(corpus_dir).resolve()), id(embedder))
    if key in _LLAMA_CACHE:
        return _LLAMA_CACHE[key]
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from ..corpus import discover

    t0 = time.perf_counter()
    docs = []
    for path in discover(Path(corpus_dir)):
        if path.suffix.lower() not in {".txt", ".md"}:
            continue  # the default pipeline reads text; PDFs would need a reader (none in the corpus today)
        docs.append(Document(text=path.read_text(encoding="utf-8"), id_=path.stem, metadata={"doc_id": path.stem}))
    nodes = SentenceSplitter().get_nodes_from_documents(docs)  # default chunk_size / chunk_overlap
    # embed_model passed explicitly and no query engine is built, so llama-index never resolves
    # Settings.llm / Settings.embed_model (whose defaults are OpenAI).
    index = VectorStoreIndex(nodes, embed_model=embedder.as_llama(), show_progress=False)
    retriever = index.as_retriever(similarity_top_k=RETRIEVE_K)
    result = (retriever, nodes, time.perf_counter() - t0)
    _LLAMA_CACHE[key] = result
    return result


class LlamaDefault(System):
    def __init__(self, bot, corpus_dir: Path | None = None, top_n: int = 3):
        retriever, nodes, seconds = build_llama_index(corpus_dir or bot.settings.corpus_dir, bot.embedder)
        super().__init__(
            "llama", "llama-index default (top-3 chunks)", False, seconds, [normalize(n.get_content()) for n in nodes]
        )
        self.retriever, self.top_n = retriever, top_n
        self.chunks = len(nodes)

    def run(self, question: str, history: list | None) -> Output:
        t0 = time.perf_counter()
        hits = self.retriever.retrieve(question.strip())
        answer = "\n\n".join(h.node.get_content() for h in hits[: self.top_n])
        seconds = time.perf_counter() - t0
        ranked = [(h.node.node_id, h.node.get_content()) for h in hits[:RETRIEVE_K]]
        return Output(answer, True, None, ranked, seconds, question.strip(), "top-chunks", kind="answer")


def make_systems(bot, baselines: bool = False, use_llm: bool = False) -> list[System]:
    systems: list[System] = [FullPipeline(bot, use_llm=use_llm)]
    if baselines:
        systems += [
            RetrieverBaseline(bot, "bm25", "BM25 only", dense=False, sparse=True),
            RetrieverBaseline(bot, "dense", "Dense only", dense=True, sparse=False),
            LlamaDefault(bot),
        ]
    return systems
