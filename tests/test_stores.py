"""The vector store (assistant/stores.py) on a temporary embedded Chroma with tiny hand-made vectors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from chromadb.errors import NotFoundError

from assistant.filters import Filters
from assistant.model import Passage
from assistant.settings import Settings
from assistant.stores import ChromaStore, ExactVectors, chroma_where, passage_metadata


def passage(pid, doc_id, kind, date, text="tekst"):
    return Passage(pid, doc_id, f"Titel {doc_id}", date, kind, None, "", "", text)


PASSAGES = [
    passage("a#1", "a", "raadsbesluit", "2024-05-01"),
    passage("a#2", "a", "raadsbesluit", "2024-05-01"),
    passage("b#1", "b", "actieplan", "2019-04"),
    passage("c#1", "c", "voortgangsrapportage", "2022-10"),
    passage("d#1", "d", "webpagina", ""),  # no year
]
VECTORS = np.array([[1, 0, 0], [0.8, 0.6, 0], [0, 1, 0], [0, 0.6, 0.8], [0, 0, 1]], dtype=np.float32)


@pytest.fixture()
def store(tmp_path):
    s = ChromaStore.create(Settings(index_dir=tmp_path), tmp_path, "b1")
    s.add([p.id for p in PASSAGES], VECTORS, [passage_metadata(p) for p in PASSAGES])
    return s


def test_query_returns_nearest_first_with_exp_distance_similarity(store):
    q = np.array([1, 0.1, 0], dtype=np.float32)
    hits = store.query(q, 3)
    assert [i for i, _ in hits] == ["a#1", "a#2", "b#1"]
    cosine = VECTORS[:3] @ q / (np.linalg.norm(VECTORS[:3], axis=1) * np.linalg.norm(q))
    assert [s for _, s in hits] == pytest.approx([math.exp(-(1 - c)) for c in cosine], abs=1e-5)
    assert store.count() == len(PASSAGES)


def test_filters_are_applied_inside_the_store(store):
    q = np.array([1, 0, 0], dtype=np.float32)

    def ids(f):
        return [i for i, _ in store.query(q, 10, f)]

    assert ids(Filters(kinds=["actieplan", "voortgangsrapportage"])) == ["b#1", "c#1"]
    assert ids(Filters(doc_ids=["c", "d"])) == ["c#1", "d#1"]
    assert set(ids(Filters(year_from=2020))) == {"a#1", "a#2", "c#1"}
    assert set(ids(Filters(kinds=["raadsbesluit"], year_from=2020, year_to=2024))) == {"a#1", "a#2"}
    assert ids(Filters(kinds=["bestaat-niet"])) == []
    assert len(ids(Filters())) == len(PASSAGES)  # an empty filter filters nothing


def test_where_clause_translation():
    assert chroma_where(None) is None and chroma_where(Filters()) is None
    assert chroma_where(Filters(kinds=["x"])) == {"kind": {"$in": ["x"]}}
    assert chroma_where(Filters(doc_ids=["d"], year_from=2020, year_to=2022)) == {
        "$and": [{"doc_id": {"$in": ["d"]}}, {"year": {"$gte": 2020}}, {"year": {"$lte": 2022}}]
    }


def test_reopen_and_drop(store, tmp_path):
    settings = Settings(index_dir=tmp_path)
    again = ChromaStore.open(settings, tmp_path, {"collection": store.collection.name, "chroma_url": ""})
    assert [i for i, _ in again.query(np.array([0, 0, 1], dtype=np.float32), 1)] == ["d#1"]
    again.drop()
    with pytest.raises(NotFoundError):
        ChromaStore.open(settings, tmp_path, {"collection": store.collection.name, "chroma_url": ""})


def test_exact_vectors_answer_on_chromas_scale_and_never_miss(tmp_path):
    """The exact scan reports Chroma's similarity (exp(-cosine distance)) for the ids both find, returns
    the true top k every time (Chroma's HNSW may miss one), ties in row order, and honours a filter mask."""
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(600, 32)).astype(np.float32)
    ids = [f"p{i}" for i in range(600)]
    chroma = ChromaStore.create(Settings(index_dir=tmp_path), tmp_path, "ex")
    chroma.add(ids, matrix, [{"doc_id": "d"}] * 600)
    exact = ExactVectors(ids, matrix)
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    for _ in range(10):
        q = rng.normal(size=32).astype(np.float32)
        truth = [ids[i] for i in np.argsort(-(unit @ (q / np.linalg.norm(q))), kind="stable")[:20]]
        hits = exact.query(q, 20)
        assert [i for i, _ in hits] == truth
        found = dict(chroma.query(q, 20))
        for pid, score in hits:
            if pid in found:
                assert math.isclose(score, found[pid], rel_tol=1e-4)
    accept = np.zeros(600, bool)
    accept[[3, 5, 8]] = True
    assert sorted(i for i, _ in exact.query(q, 10, accept)) == ["p3", "p5", "p8"]
    assert exact.query(q, 10, np.zeros(600, bool)) == []
    twins = ExactVectors(["x", "y"], np.ones((2, 4), np.float32))
    assert [i for i, _ in twins.query(np.ones(4), 2)] == ["x", "y"]
