"""Dense and sparse search and their fusion (assistant/retrieve.py) on a few hand-made passages, with
a real BM25 and a temporary embedded Chroma holding hand-made vectors (no embedder model)."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from assistant.filters import Filters
from assistant.index import Index, bm25_tokens
from assistant.model import Passage
from assistant.retrieve import DenseSearch, RetrievalConfig, Retriever, SparseSearch, top_rows
from assistant.settings import Settings
from assistant.stores import ChromaStore, ExactVectors, passage_metadata


def passage(pid, kind, date, text):
    return Passage(pid, pid.split("#")[0], "Document", date, kind, None, "", "", text)


PASSAGES = [
    passage("a#1", "raadsbesluit", "2024-05", "De raad besluit tot stevige lokale teams in elke wijk."),
    passage("b#1", "actieplan", "2019-04", "Kansrijke Start ondersteunt gezinnen rond de geboorte."),
    passage("b#2", "actieplan", "2019-04", "Wachttijden voor jeugdhulp moeten korter; wachttijden worden gemeten."),
    passage("c#1", "voortgangsrapportage", "2022-10", "De wachttijden zijn in 2022 gedaald."),
    passage("d#1", "webpagina", "2023-01", "Het Centrum voor Jeugd en Gezin helpt ouders met opvoedvragen."),
]
# Hand-made "embeddings": the dense search prefers a#1, then d#1 for the test query.
VECTORS = np.array([[1, 0, 0], [0, 1, 0], [0, 0.2, 1], [0, 0, 1], [0.8, 0.6, 0]], dtype=np.float32)
QUERY_VECTORS = {"wachttijden jeugdhulp": [0.9, 0.1, 0.1], "xyz onbekend": [0, 1, 0.05]}


class FakeEmbedder:
    def embed_query(self, text):
        return np.array(QUERY_VECTORS[text], dtype=np.float32)


class HandMadeIndex:
    """What the searches use of an `Index`, built from the passages above."""

    dense = Index.dense

    def __init__(self, tmp_path, exact: bool = False):
        self.passages = {p.id: p for p in PASSAGES}
        self.order = list(self.passages)
        self.bm25 = bm25s.BM25()
        self.bm25.index([bm25_tokens(p) for p in PASSAGES], show_progress=False)
        self.store = ChromaStore.create(Settings(index_dir=tmp_path), tmp_path, "t")
        self.store.add(self.order, VECTORS, [passage_metadata(p) for p in PASSAGES])
        self.motions, self.measures = [], []
        self.exact = ExactVectors(self.order, VECTORS) if exact else None


@pytest.fixture(params=[False, True], ids=["chroma", "exact"])
def retriever(tmp_path, request):
    """Every search test runs on both dense paths: Chroma's HNSW and the exact scan must agree here."""
    index = HandMadeIndex(tmp_path, exact=request.param)
    return Retriever(index, FakeEmbedder(), RetrievalConfig(records=False, thesaurus=False))


def test_dense_and_sparse_search_have_the_same_shape(retriever):
    dense = DenseSearch(retriever.index, retriever.embedder).search("wachttijden jeugdhulp", 3)
    sparse = SparseSearch(retriever.index, thesaurus=False).search("wachttijden jeugdhulp", 3)
    assert [p.id for p in dense] == ["a#1", "d#1", "b#2"]
    assert [p.id for p in sparse] == ["b#2", "c#1"]  # only passages sharing a word score
    assert all(isinstance(p, Passage) and p.score > 0 for p in dense + sparse)
    assert sparse[0].score > sparse[1].score


def test_sparse_search_with_a_filter(retriever):
    sparse = SparseSearch(retriever.index, thesaurus=False)
    assert [p.id for p in sparse.search("wachttijden", 5, Filters(kinds=["voortgangsrapportage"]))] == ["c#1"]
    assert [p.id for p in sparse.search("wachttijden", 5, Filters(year_to=2020))] == ["b#2"]
    assert sparse.search("wachttijden", 5, Filters(kinds=["webpagina"])) == []
    assert sparse.search("", 5) == []


def test_fusion_order_and_weights(retriever):
    # The fixed-weight fusion (the default before issue 11 round 4); z_score is tested in test_fusion.py.
    rel = retriever.with_config(mode="relative_score")
    both = [p.id for p in rel.search("wachttijden jeugdhulp", k=5)]
    # b#2 tops BM25 and is third of dense; a#1 tops dense only.
    assert both[:2] == ["b#2", "a#1"] and set(both) == {"a#1", "b#2", "c#1", "d#1", "b#1"}
    dense_heavy = [p.id for p in rel.with_config(dense_weight=0.9).search("wachttijden jeugdhulp", k=3)]
    sparse_heavy = [p.id for p in rel.with_config(dense_weight=0.1).search("wachttijden jeugdhulp", k=3)]
    assert dense_heavy[:2] == ["a#1", "d#1"] and sparse_heavy[0] == "b#2"
    scores = [p.score for p in retriever.search("wachttijden jeugdhulp", k=5)]
    assert scores == sorted(scores, reverse=True) and scores[0] <= 1.0


def test_one_search_empty_leaves_the_other_ranking(retriever):
    dense_only = [p.id for p in retriever.with_config(sparse=False).search("xyz onbekend", k=5)]
    assert [p.id for p in retriever.search("xyz onbekend", k=5)] == dense_only  # BM25 finds nothing
    assert [p.id for p in retriever.with_config(dense=False).search("xyz onbekend", k=5)] == []


def test_filters_apply_to_both_searches(retriever):
    for f in (Filters(kinds=["actieplan"]), Filters(year_from=2022), Filters(doc_ids=["c", "d"])):
        hits = retriever.search("wachttijden jeugdhulp", k=10, filters=f)
        assert hits and all(f.accepts(p) for p in hits), f
    assert {p.id for p in retriever.search("wachttijden jeugdhulp", 10, Filters(doc_ids=["c", "d"]))} == {"c#1", "d#1"}


def test_top_rows_equals_a_full_stable_sort():
    rng = np.random.default_rng(3)
    for _ in range(200):
        scores = rng.choice([0.0, 0.5, 1.0, 1.5, 2.25, 3.0], size=rng.integers(1, 40))
        k = int(rng.integers(1, 45))
        full = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0][:k]
        assert top_rows(scores, k) == full
