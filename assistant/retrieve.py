"""Hybrid search: dense (vector store) + sparse (BM25) searches fused into one ranking, plus filters,
record lookup (motions and measures named in the question) and an optional lexical rerank.

Both searches have the same shape, `search(query, k, filters) -> list[Passage]` (best first, `score`
set), as pyserini's searchers do. Every stage is switchable by `RetrievalConfig` so the evaluation
suite can show what each one adds.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np

from . import thesaurus as thesaurus_module
from .filters import Filters
from .fusion import fuse
from .index import Index
from .model import Passage
from .organisations import Organisations
from .records import MOTION_NUMBER, PROGRESS, find_measures, find_motions, motion_listing
from .settings import RetrievalConfig
from .text import char_ngrams, content_words, tokenize
from .thesaurus import Thesaurus

# answer.py still imports MOTION_NUMBER from here; its home is records.py.
__all__ = ["MOTION_NUMBER", "DenseSearch", "Filters", "RetrievalConfig", "Retriever", "SparseSearch", "rerank"]


class DenseSearch:
    """The question's embedding against the build's vector store."""

    def __init__(self, index: Index, embedder):
        self.index, self.embedder = index, embedder

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        hits = self.index.dense(self.embedder.embed_query(query), k, filters)
        passages = self.index.passages
        return [replace(passages[i], score=float(s)) for i, s in hits if i in passages]


class SparseSearch:
    """BM25 (bm25s) over our own Dutch tokens. llama-index's BM25Retriever is not used because on
    reload it drops the tokenizer settings and falls back to English stemming and stopwords."""

    def __init__(self, index: Index, thesaurus: bool | Thesaurus = True, ngram_weight: float = 0.0):
        self.index, self.ngram_weight = index, ngram_weight
        self.thesaurus = thesaurus_module.DEFAULT if thesaurus is True else thesaurus or None

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        if self.thesaurus is not None:
            query = self.thesaurus.expand_query(query)
        tokens = tokenize(query)
        index = self.index
        if not tokens or not index.passages:
            return []
        scores = index.bm25.get_scores(tokens)
        grams = getattr(index, "grams", None) if self.ngram_weight else None  # hand-made test indexes have none
        if grams is not None:
            # Both fields scaled to their best passage, kept in word-BM25 units (the UI shows shares of the best).
            extra = grams.get_scores(char_ngrams(tokens))
            top = scores.max() or 1.0
            scores = scores + self.ngram_weight * top * extra / (extra.max() or 1.0)
        if filters is not None:  # a rejected passage scores 0, and only positive scores count as hits
            accepted = filters.mask(index.passages[i] for i in index.order)
            scores = np.where(accepted, scores, 0.0)
        return [replace(index.passages[index.order[i]], score=float(scores[i])) for i in top_rows(scores, k)]


def top_rows(scores: np.ndarray, k: int) -> list[int]:
    """Rows of the `k` best positive scores, best first, ties by row: np.partition finds the k-th score
    without sorting every document, and the order stays the same whatever the partition picked."""
    positive = int(np.count_nonzero(scores > 0))
    k = min(k, positive)
    if k <= 0:
        return []
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    above = np.flatnonzero(scores > kth)
    rows = np.concatenate([above, np.flatnonzero(scores == kth)[: k - len(above)]])
    return rows[np.lexsort((rows, -scores[rows]))].tolist()


class Retriever:
    def __init__(self, index: Index, embedder, config: RetrievalConfig | None = None, entries: Thesaurus | None = None):
        self.index = index
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        self.entries = entries  # the thesaurus used when config.thesaurus is on (None: the default one)

    def with_config(self, entries: Thesaurus | None = None, **changes) -> Retriever:
        return Retriever(self.index, self.embedder, replace(self.config, **changes), entries or self.entries)

    # -- stages -------------------------------------------------------------

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        filters = filters if filters and not filters.empty() else None
        ranked = self._fused(query, filters)
        if self.config.organisation_boost:
            ranked = self._prefer_organisations(query, ranked)
        if self.config.records:
            ranked = self._records_first(query, ranked, filters)
        if self.config.rerank:
            ranked = rerank(query, ranked[: max(k, 10)]) + ranked[max(k, 10) :]
        return ranked[:k]

    def _fused(self, query: str, filters: Filters | None) -> list[Passage]:
        cfg = self.config
        runs, weights = [], []
        if cfg.dense:
            runs.append(DenseSearch(self.index, self.embedder).search(query, cfg.candidates, filters))
            weights.append(cfg.dense_weight)
        if cfg.sparse:
            runs.append(
                SparseSearch(self.index, cfg.thesaurus and (self.entries or True), cfg.ngram_weight).search(
                    query, cfg.candidates, filters
                )
            )
            weights.append(1 - cfg.dense_weight if cfg.dense else 1.0)
        if len(runs) <= 1:
            return runs[0] if runs else []
        passages = self.index.passages
        # Merged by text, as QueryFusionRetriever merges nodes by a hash of their text.
        fused = fuse(
            [[(p.id, p.score) for p in run] for run in runs], weights, cfg.mode, cfg.candidates, key=lambda i: passages[i].text
        )
        return [replace(passages[i], score=float(s or 0.0)) for i, s in fused]

    @functools.cached_property
    def organisations(self) -> Organisations:
        return Organisations.of_index(self.index)

    def _prefer_organisations(self, query: str, ranked: list[Passage]) -> list[Passage]:
        """Passages of the organisations the question names move up by `organisation_boost` (a fused
        score is at most 1). A boost, not a filter: the named organisation's documents may not hold the
        answer (a national figure asked about a municipality)."""
        named = self.organisations.named(query)
        if not named:
            return ranked
        boost = self.config.organisation_boost
        rescored = [replace(p, score=p.score + boost) if p.organisation in named else p for p in ranked]
        return sorted(rescored, key=lambda p: -p.score)

    def _records_first(self, query: str, ranked: list[Passage], filters: Filters | None) -> list[Passage]:
        """A question naming a motion (by number or name) or a measure gets that record's passage on top;
        a question about a measure's progress also gets the later report's section on it. The names of
        the corpus's organisations are left out of the name match: "Den Haag" in a question is where,
        not which motion ("Progressief boetesysteem, ook in Den Haag" is not named by it)."""
        named = self.organisations.without_names(query)
        ids = [m.passage_id for m in find_motions(self.index.motions, named)]
        for m in find_measures(self.index.measures, named):
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
        """The table rows of the motions a listing question asks for (see `records.motion_listing`)."""
        rows = [self.index.passages.get(m.passage_id) for m in motion_listing(self.index.motions, query)]
        return [replace(p, score=1.0) for p in rows if p and (filters is None or filters.accepts(p))]


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
