"""Hybrid search: dense (Chroma) + BM25, fused with llama-index's QueryFusionRetriever, plus filters,
record lookup (motions by number or name) and an optional lexical rerank.

Every stage is switchable by `RetrievalConfig` so the evaluation suite can show what each one adds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from .index import Index
from .model import Measure, Motion, Passage
from .settings import RetrievalConfig
from .text import content_words, tokenize

MOTION_NUMBER = re.compile(r"\b(\d{4}-\d{2,3}[A-Za-z]?)\b")


@dataclass
class Filters:
    kinds: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    doc_ids: list[str] = field(default_factory=list)

    @classmethod
    def from_any(cls, value) -> "Filters | None":
        if value is None or isinstance(value, Filters):
            return value
        if isinstance(value, dict):
            v = dict(value)
            for key in ("kinds", "doc_ids"):
                if isinstance(v.get(key), str):
                    v[key] = [v[key]]
            if "kind" in v:
                v.setdefault("kinds", []).extend([v.pop("kind")] if isinstance(v.get("kind"), str) else v.pop("kind"))
            return cls(**v)
        raise TypeError("filters moet een dict of Filters zijn (filters must be a dict or Filters)")

    def empty(self) -> bool:
        return not (self.kinds or self.doc_ids or self.year_from or self.year_to)

    def accepts(self, p: Passage) -> bool:
        if self.kinds and p.kind not in self.kinds:
            return False
        if self.doc_ids and p.doc_id not in self.doc_ids:
            return False
        year = p.year
        if self.year_from and (year is None or year < self.year_from):
            return False
        if self.year_to and (year is None or year > self.year_to):
            return False
        return True

    def to_llama(self):
        """The same filter as Chroma metadata filters (through llama-index)."""
        from llama_index.core.vector_stores.types import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters

        parts = []
        if self.kinds:
            parts.append(MetadataFilter(key="kind", value=list(self.kinds), operator=FilterOperator.IN))
        if self.doc_ids:
            parts.append(MetadataFilter(key="doc_id", value=list(self.doc_ids), operator=FilterOperator.IN))
        if self.year_from:
            parts.append(MetadataFilter(key="year", value=int(self.year_from), operator=FilterOperator.GTE))
        if self.year_to:
            parts.append(MetadataFilter(key="year", value=int(self.year_to), operator=FilterOperator.LTE))
        return MetadataFilters(filters=parts, condition=FilterCondition.AND) if parts else None


class Retriever:
    def __init__(self, index: Index, embedder, config: RetrievalConfig | None = None):
        self.index = index
        self.embedder = embedder
        self.config = config or RetrievalConfig()

    def with_config(self, **changes) -> "Retriever":
        return Retriever(self.index, self.embedder, replace(self.config, **changes))

    # -- stages -------------------------------------------------------------

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        filters = filters if filters and not filters.empty() else None
        ranked = self._fused(query, filters)
        if self.config.records:
            ranked = self._records_first(query, ranked, filters)
        if self.config.rerank:
            ranked = rerank(query, ranked[: max(k, 10)]) + ranked[max(k, 10) :]
        return ranked[:k]

    def _fused(self, query: str, filters: Filters | None) -> list[Passage]:
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever

        retrievers, weights = [], []
        if self.config.dense:
            retrievers.append(_DenseRetriever(self, filters))
            weights.append(self.config.dense_weight)
        if self.config.sparse:
            retrievers.append(_SparseRetriever(self, filters))
            weights.append(1 - self.config.dense_weight if self.config.dense else 1.0)
        if len(retrievers) == 1:
            nodes = retrievers[0].retrieve(query)
        else:
            fusion = QueryFusionRetriever(
                retrievers,
                llm=MockLLM(),  # num_queries=1: no query generation, so no LLM is ever called
                mode=self.config.mode,
                similarity_top_k=self.config.candidates,
                num_queries=1,
                use_async=False,
                retriever_weights=weights,
            )
            nodes = fusion.retrieve(query)
        out = []
        for n in nodes:
            p = replace(self.index.passages[n.node.node_id], score=float(n.score or 0.0))
            out.append(p)
        return out

    def _records_first(self, query: str, ranked: list[Passage], filters: Filters | None) -> list[Passage]:
        """A question naming a motion (by number or name) or a measure gets that record's passage on top;
        a question about a measure's progress also gets the later report's section on it."""
        ids = [m.passage_id for m in find_motions(self.index.motions, query)]
        for m in find_measures(self.index.measures, query):
            progress = self._section_passages(m.progress_doc_id, m.progress_section)
            first = [m.passage_id] + [p.id for p in progress[:1]]
            ids += first[::-1] if PROGRESS.search(query) else first
        if not ids:
            return ranked
        top_score = ranked[0].score if ranked else 1.0
        front = []
        for pid in dict.fromkeys(ids):
            p = self.index.passages.get(pid)
            if p and (filters is None or filters.accepts(p)):
                front.append(replace(p, score=top_score + 1.0 - 0.01 * len(front)))
        seen = {p.id for p in front}
        return front + [p for p in ranked if p.id not in seen]

    def _section_passages(self, doc_id: str, section: str) -> list[Passage]:
        if not doc_id:
            return []
        return [p for p in self.index.passages.values() if p.doc_id == doc_id and p.section == section]

    def motion_rows(self, query: str, filters: Filters | None = None) -> list[Passage]:
        """The table rows of the motions a listing question asks for (see `motion_listing`)."""
        rows = [self.index.passages.get(m.passage_id) for m in motion_listing(self.index.motions, query)]
        return [replace(p, score=1.0) for p in rows if p and (filters is None or filters.accepts(p))]


OPEN = re.compile(r"\b(niet afgedaan|nog niet|open|openstaand\w*|lopend\w*|nog te doen|uitstaand\w*)\b", re.I)
DONE = re.compile(r"\b(afgedaan|afgehandeld|afgerond)\b", re.I)
PROGRESS = re.compile(
    r"\b(inmiddels|gebeurd|stand van zaken|voortgang|terechtgekomen|opgeleverd|resultaten?|hoe staat|hoe gaat|"
    r"hoe verder|nu|update|2022|uitgevoerd|gerealiseerd)\b",
    re.I,
)
GENERIC = frozenset("maatregel maatregelen jeugdhulp jeugd actieplan 2019 plan wat hield hield houdt inhoud".split())


def motion_listing(motions: list[Motion], query: str) -> list[Motion]:
    """"Welke moties zijn nog niet afgedaan?": all motions with that status (no motion named)."""
    if not re.search(r"\bmoties\b|\bwelke motie", query, re.I) or find_motions(motions, query):
        return []
    if OPEN.search(query):
        return [m for m in motions if not m.done]
    if DONE.search(query):
        return [m for m in motions if m.done]
    return []


def find_measures(measures: list[Measure], query: str) -> list[Measure]:
    """Measures whose title the question names (most of its content words)."""
    words = set(content_words(query)) - GENERIC
    out = []
    for m in measures:
        title = set(content_words(m.title)) - GENERIC
        if title and len(words & title) / len(title) >= 0.6:
            out.append((len(words & title) / len(title), m))
    out.sort(key=lambda x: -x[0])
    return [m for s, m in out if s == out[0][0]][:2] if out else []


def find_motions(motions: list[Motion], query: str) -> list[Motion]:
    numbers = {n.upper() for n in MOTION_NUMBER.findall(query)}
    by_number = [m for m in motions if m.number.upper() in numbers]
    if by_number or numbers:
        return by_number
    words = set(content_words(query)) - {"motie", "moties", "status", "afgedaan", "jeugdzorg", "jeugd"}
    scored = []
    for m in motions:
        title = set(content_words(m.title)) - {"jeugdzorg", "jeugd"}
        overlap = words & title
        # All of a short name, or most of a long one ("motie Burgervoogd", "motie over wachttijden").
        if title and overlap and len(overlap) / len(title) >= 0.5:
            scored.append((len(overlap) / len(title), m))
    scored.sort(key=lambda x: -x[0])
    return [m for s, m in scored if s == scored[0][0]][:3] if scored else []


def rerank(query: str, passages: list[Passage]) -> list[Passage]:
    """Second stage without a model: the best sentence's coverage of the question's content words,
    combined with the fused score and a heading match."""
    from .text import split_sentences

    q = set(content_words(query))
    if not q or not passages:
        return passages
    top = max(p.score for p in passages) or 1.0
    scored = []
    for p in passages:
        best = 0.0
        for s, e in split_sentences(p.text):
            words = set(tokenize(p.text[s:e]))
            best = max(best, len(q & words) / len(q))
        heading = len(q & set(tokenize(p.section_title))) / len(q)
        scored.append((0.5 * p.score / top + 0.35 * best + 0.15 * heading, p))
    scored.sort(key=lambda x: -x[0])
    return [replace(p, score=s) for s, p in scored]


# -- llama-index retrievers over our index --------------------------------------------------------


def _node(p: Passage):
    from llama_index.core.schema import TextNode

    # Built the same way by both retrievers so QueryFusionRetriever (which de-duplicates by node hash)
    # sees one node per passage.
    return TextNode(id_=p.id, text=p.text)


@functools.cache  # defined on first use: llama-index is imported only when a search runs
def _make_retriever_classes():
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore

    class DenseRetriever(BaseRetriever):
        def __init__(self, owner: Retriever, filters: Filters | None):
            super().__init__()
            self._owner, self._filters = owner, filters

        def _retrieve(self, query_bundle):
            o = self._owner
            vector = o.embedder.embed_query(query_bundle.query_str)
            hits = o.index.dense(vector, o.config.candidates, self._filters.to_llama() if self._filters else None)
            return [NodeWithScore(node=_node(o.index.passages[i]), score=s) for i, s in hits if i in o.index.passages]

    class SparseRetriever(BaseRetriever):
        """BM25 over our own Dutch tokens. llama-index's BM25Retriever is not used because on reload
        it drops the tokenizer settings and falls back to English stemming and stopwords."""

        def __init__(self, owner: Retriever, filters: Filters | None):
            super().__init__()
            self._owner, self._filters = owner, filters

        def _retrieve(self, query_bundle):
            o = self._owner
            wanted = o.config.candidates
            query = query_bundle.query_str
            if o.config.thesaurus:
                from .thesaurus import expand_query

                query = expand_query(query)
            hits = o.index.sparse(query, wanted if not self._filters else len(o.index.passages))
            out = []
            for i, s in hits:
                p = o.index.passages[i]
                if self._filters is None or self._filters.accepts(p):
                    out.append(NodeWithScore(node=_node(p), score=s))
                if len(out) >= wanted:
                    break
            return out

    return DenseRetriever, SparseRetriever


def _DenseRetriever(owner, filters):
    return _make_retriever_classes()[0](owner, filters)


def _SparseRetriever(owner, filters):
    return _make_retriever_classes()[1](owner, filters)
