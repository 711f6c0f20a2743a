"""`Assistant`: the one public entry point. The CLI, the web app and the evaluation suite are clients."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace

from .answer import AnswerConfig, Answerer, resolve_followup
from .filters import Filters
from .index import Index
from .model import Answer, Measure, Motion, Passage
from .records import find_motions
from .retrieve import RetrievalConfig, Retriever
from .settings import Settings, apply_offline_env
from .text import tokenize

log = logging.getLogger(__name__)
MAX_QUESTION = 1000
ENGLISH = frozenset("the what which who how does is are of and to in for with about when where why".split())
DUTCH = frozenset("de het een van en wat hoe welke wie is zijn wordt voor met over wanneer waarom niet ook".split())


class Assistant:
    def __init__(
        self,
        settings: Settings,
        index: Index,
        embedder,
        retrieval: RetrievalConfig | None = None,
        answering: AnswerConfig | None = None,
    ):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, embedder, retrieval or settings.retrieval)
        self.answerer = Answerer(
            list(index.passages.values()), answering or settings.answer, index.documents, index.token_counts()
        )
        self.llm = None  # set by load() when an LLM backend is configured
        # CPU-bound work (retrieval, the extractive answer) runs at most `[retrieval] workers` at once;
        # a call to the LLM happens outside this slot, so a slow model never stalls searches (issue 13).
        self._cpu = threading.BoundedSemaphore(max(1, settings.retrieval.workers))
        # One thread opens a new build; the others wait for it (two at once raced inside Chroma's client
        # and failed the question: 2 errors per index swap in benchmarks/soak.py).
        self._reload = threading.Lock()

    @classmethod
    def load(cls, settings: Settings | None = None, **overrides) -> "Assistant":
        """Open the live index (raises IndexMissing with instructions when there is none)."""
        apply_offline_env()
        settings = settings or Settings.load(**overrides)
        index = Index.open(settings)
        from .embed import make_embedder

        assistant = cls(settings, index, make_embedder(settings))
        if settings.llm.url:
            from .llm import LLMBackend

            assistant.llm = LLMBackend.from_settings(settings)
        return assistant

    def refresh(self) -> bool:
        """Reopen the index when another process swapped in a new build (CURRENT changed)."""
        from .index import live_build

        with self._reload:
            build = live_build(self.settings)
            if build is None or build == self.index.path:
                return False
            index = Index(self.settings, build)
            self.index = index
            self.retriever = Retriever(index, self.embedder, self.retriever.config)
            self.answerer = Answerer(list(index.passages.values()), self.answerer.config, index.documents, index.token_counts())
        log.info("index reloaded: %s", build.name)
        return True

    # ---- search -------------------------------------------------------------------------------

    def search(self, query: str, k: int | None = None, filters=None) -> list[Passage]:
        """Passages for `query`, best first; `k` defaults to `[retrieval] top_k`, at most 100."""
        self.refresh()
        k = self.settings.retrieval.top_k if k is None else max(1, min(int(k), 100))
        problem = _check_question(query)
        if problem:
            return []
        with self._cpu:
            return self.retriever.search(query.strip(), k=k, filters=Filters.from_any(filters))

    # ---- ask ----------------------------------------------------------------------------------

    def ask(self, question: str, history: list | None = None, filters=None, use_llm: bool | None = None) -> Answer:
        """Answer in Dutch with [n] citations; `answered` is False when the documents hold no answer."""
        question = question if isinstance(question, str) else str(question or "")
        problem = _check_question(question)
        if problem:
            return Answer(question, problem, False, notice=problem)
        question = question.strip()
        self.refresh()
        search_query = resolve_followup(question, history)
        filters = Filters.from_any(filters)
        with self._cpu:
            ranked = self.retriever.search(search_query, k=max(10, self.answerer.config.passages + 4), filters=filters)
            rows = self.retriever.motion_rows(search_query, filters)
            if rows:  # "Welke moties zijn nog niet afgedaan?" is answered from the motion records
                answer = self.answerer.compose_rows(question, search_query, rows)
            else:
                filtered = filters is not None and not filters.empty()
                answer = self.answerer.compose(question, search_query, ranked, filtered=filtered)
        if _looks_english(question):
            answer.notice = (
                "De documenten zijn Nederlandstalig; stel uw vraag bij voorkeur in het Nederlands. "
                "(The documents are in Dutch; answers quote them in Dutch.)"
            )
        if (use_llm if use_llm is not None else self.llm is not None) and self.llm is not None:
            answer = self.llm.answer(question, search_query, ranked, fallback=answer)
        answer.ranked = list(ranked)
        return answer

    # ---- records and documents ---------------------------------------------------------------

    def motions(self, query: str = "") -> list[Motion]:
        return find_motions(self.index.motions, query) if query else list(self.index.motions)

    def measures(self) -> list[Measure]:
        return list(self.index.measures)

    def documents(self) -> list[dict]:
        return [
            {
                "doc_id": d,
                "title": m["title"],
                "date": m["date"],
                "kind": m["kind"],
                "pages": m["pages"],
                "passages": m["passages"],
                "source": m.get("source", ""),
                "organisation": m.get("organisation", ""),
            }
            for d, m in sorted(self.index.documents.items(), key=lambda kv: kv[1]["date"])
        ]

    def passage(self, passage_id: str) -> Passage | None:
        p = self.index.passages.get(passage_id)
        return replace(p) if p else None

    def context(self, passage_id: str, chars: int = 1200) -> dict:
        """The passage inside its page's cleaned text, with `chars` of text either side."""
        p = self.index.passages.get(passage_id)
        if p is None:
            raise KeyError(passage_id)
        pages = self.index.pages[p.doc_id]
        page = next((pg for pg in pages if pg["number"] == p.page), pages[0])
        text = page["text"]
        start, end = max(0, p.start - chars), min(len(text), p.end + chars)
        return {
            "before": text[start : p.start],
            "passage": text[p.start : p.end],
            "after": text[p.end : end],
            "page": p.page,
            "doc_id": p.doc_id,
            "title": p.title,
        }


def _check_question(question: str) -> str:
    """A Dutch message for input we cannot answer, or "" when the question is fine."""
    q = (question or "").strip()
    if not q:
        return "Stel een vraag over de documenten, bijvoorbeeld over een besluit, een motie of een maatregel."
    if len(q) > MAX_QUESTION:
        return (
            f"Uw vraag is te lang ({len(q)} tekens; maximaal {MAX_QUESTION}). "
            "Stel een kortere vraag of splits hem in meerdere vragen."
        )
    if not re.search(r"[0-9A-Za-zÀ-ÿ]", q):
        return "Uw vraag bevat geen woorden. Stel een vraag in gewone taal."
    try:
        q.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: undecodable bytes that reached us as text
        return "Uw vraag bevat tekens die geen geldige tekst zijn. Typ de vraag opnieuw."
    return ""


def _looks_english(question: str) -> bool:
    words = tokenize(question)
    return sum(w in ENGLISH for w in words) >= 2 and not any(w in DUTCH - ENGLISH for w in words)


__all__ = ["Assistant"]
