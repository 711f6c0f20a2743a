"""The plain fusion (assistant/fusion.py) against llama-index's QueryFusionRetriever on hand-made
score lists: same order and the same scores, in every mode, with weights and with an empty list."""

from __future__ import annotations

import random

import pytest

from assistant.fusion import MODES, Z_SCORE, confidence_weights, fuse


def _llama(rankings, weights, mode, top_k, texts=None):
    from llama_index.core.llms import MockLLM
    from llama_index.core.retrievers import BaseRetriever, QueryFusionRetriever
    from llama_index.core.schema import NodeWithScore, TextNode

    texts = texts or {}

    class Fixed(BaseRetriever):
        def __init__(self, hits):
            super().__init__()
            self.hits = hits

        def _retrieve(self, query_bundle):
            return [NodeWithScore(node=TextNode(id_=i, text=texts.get(i, f"tekst van {i}")), score=s) for i, s in self.hits]

    fusion = QueryFusionRetriever(
        [Fixed(r) for r in rankings],
        llm=MockLLM(),
        mode=mode,
        similarity_top_k=top_k,
        num_queries=1,
        use_async=False,
        retriever_weights=weights,
    )
    return [(n.node.node_id, n.score) for n in fusion.retrieve("vraag")]


def _same(ours, theirs):
    """Same ids in the same order, and the same scores to the last bit."""
    assert [i for i, _ in ours] == [i for i, _ in theirs]
    assert [s for _, s in ours] == [s for _, s in theirs]


def _random_ranking(rng, ids, n, spread):
    hits = [(i, round(rng.uniform(*spread), rng.choice([2, 6]))) for i in rng.sample(ids, n)]
    return sorted(hits, key=lambda h: -h[1])


@pytest.mark.parametrize("mode", MODES)
def test_plain_fusion_equals_query_fusion_retriever(mode):
    rng = random.Random(7)
    ids = [f"p{i}" for i in range(40)]
    for trial in range(40):
        dense = _random_ranking(rng, ids, rng.randint(1, 30), (0.7, 0.95))  # compressed E5-like scores
        sparse = _random_ranking(rng, ids, rng.randint(1, 30), (0.0, 25.0))  # BM25-like scores, with ties
        weights = rng.choice([[0.5, 0.5], [0.3, 0.7], [0.8, 0.2]])
        top_k = rng.choice([5, 10, 30])
        _same(fuse([dense, sparse], weights, mode, top_k), _llama([dense, sparse], weights, mode, top_k))


@pytest.mark.parametrize("mode", MODES)
def test_one_list_empty_and_equal_scores(mode):
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.8)]
    for rankings in ([dense, []], [[], dense], [[("x", 2.0), ("y", 2.0)], dense]):
        _same(fuse(rankings, [0.5, 0.5], mode, 10), _llama(rankings, [0.5, 0.5], mode, 10))
    # One empty list: relative scores follow the other list alone (ties keep their order).
    if mode == "relative_score":
        assert fuse([dense, []], [0.5, 0.5], mode, 10) == [("a", 0.5), ("b", 0.0), ("c", 0.0)]


def test_weights_decide_and_scores_are_min_max_scaled():
    dense = [("a", 0.90), ("b", 0.85), ("c", 0.80)]
    sparse = [("c", 12.0), ("b", 6.0), ("d", 0.0)]
    assert fuse([dense, sparse], [0.9, 0.1], "relative_score", 10)[0][0] == "a"
    assert fuse([dense, sparse], [0.1, 0.9], "relative_score", 10)[0][0] == "c"
    # Weights are normalised: 1:1 is 0.5:0.5. b: 0.5 * 0.5 + 0.5 * 0.5; a and c: 0.5 each.
    fused = dict(fuse([dense, sparse], [1, 1], "relative_score", 10))
    assert fused == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.0})
    assert len(fuse([dense, sparse], None, "relative_score", 2)) == 2
    with pytest.raises(ValueError, match="fusiemethode"):
        fuse([dense], None, "gemiddeld", 10)


@pytest.mark.parametrize("mode", MODES)
def test_merge_key_reproduces_the_node_hash(mode):
    """QueryFusionRetriever merges nodes by a hash of their text; `key` reproduces that exactly."""
    texts = {"a": "Niet van toepassing.", "b": "Niet van toepassing.", "c": "Iets anders.", "d": "Nog iets."}
    dense = [("a", 0.9), ("b", 0.9), ("c", 0.7)]
    sparse = [("d", 3.0), ("b", 2.0), ("c", 1.0)]
    ours = fuse([dense, sparse], [0.5, 0.5], mode, 10, key=texts.get)
    _same(ours, _llama([dense, sparse], [0.5, 0.5], mode, 10, texts))
    assert len(ours) == 3  # a and b are one entry


def _z_sum(rankings, weights):
    """z_score written out directly: per list z = (s - mean) / std, shifted to 0 at the list's lowest
    candidate, weighted by weight x the z of the list's top; an entry missing from a list gets 0 there."""
    out = {}
    for ranking, weight in zip(rankings, weights):
        scores = [s for _, s in ranking]
        mean = sum(scores) / len(scores)
        std = (sum((x - mean) ** 2 for x in scores) / len(scores)) ** 0.5
        for pid, s in ranking:
            out[pid] = out.get(pid, 0.0) + weight * (max(scores) - mean) / std * (s - min(scores)) / std
    return out


def test_z_score_is_a_confidence_weighted_sum_of_z_scores():
    rng = random.Random(11)
    ids = [f"p{i}" for i in range(40)]
    for _ in range(30):
        dense = _random_ranking(rng, ids, rng.randint(2, 30), (0.8, 0.92))
        sparse = _random_ranking(rng, ids, rng.randint(2, 30), (0.5, 25.0))
        if len({s for _, s in dense}) < 2 or len({s for _, s in sparse}) < 2:
            continue
        fused = fuse([dense, sparse], [0.5, 0.5], Z_SCORE, 40)
        direct = _z_sum([dense, sparse], [0.5, 0.5])
        best = max(direct.values())
        # Same values up to one factor per query (fused scores are scaled so that the top of every list scores 1).
        factor = fused[0][1] / best
        assert {pid: s for pid, s in fused} == pytest.approx({pid: factor * v for pid, v in direct.items()})
        assert 0 < fused[0][1] <= 1.0 + 1e-12


def test_z_score_trusts_the_list_whose_top_stands_out():
    # Dense: 30 compressed scores, no clear winner. BM25: one passage far ahead of the rest.
    # "s" is the BM25 winner and the last dense candidate, "a" the dense top and BM25's second.
    dense = [("a", 0.900)] + [(f"d{i}", 0.899 - 0.001 * i) for i in range(28)] + [("s", 0.870)]
    sparse = [("s", 20.0), ("a", 6.0)] + [(f"b{i}", 5.9 - 0.1 * i) for i in range(28)]
    assert fuse([dense, sparse], [0.5, 0.5], "relative_score", 5)[0][0] == "a"  # min-max: 0.5 + 0.5 * 0.2 > 0.5
    assert fuse([dense, sparse], [0.5, 0.5], Z_SCORE, 5)[0][0] == "s"
    dense_w, sparse_w = confidence_weights([dense, sparse], [0.5, 0.5])
    assert sparse_w > 2 * dense_w and dense_w + sparse_w == pytest.approx(1.0)
    # ... and the other way round when the dense top is the one that stands out.
    sharp = [("a", 0.95)] + [(f"d{i}", 0.80 - 0.001 * i) for i in range(29)]
    flat = [(f"b{i}", 6.0 - 0.01 * i) for i in range(30)]
    assert fuse([sharp, flat], [0.5, 0.5], Z_SCORE, 5)[0][0] == "a"
    assert confidence_weights([sharp, flat], [0.5, 0.5])[0] > 0.5


def test_confidence_weights_without_spread_fall_back_to_the_given_weights():
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    assert confidence_weights([dense, [("x", 2.0)]], [0.3, 0.7]) == pytest.approx([0.3, 0.7])  # one hit
    assert confidence_weights([dense, [("x", 2.0), ("y", 2.0)]], [1, 1]) == pytest.approx([0.5, 0.5])  # ties
    assert confidence_weights([dense, []], [0.5, 0.5]) == pytest.approx([1.0, 0.0])  # empty list: no say
    assert confidence_weights([[], []], [0.5, 0.5]) == pytest.approx([0.5, 0.5])
    # Then z_score is relative_score exactly.
    for rankings in ([dense, [("x", 2.0)]], [dense, [("x", 2.0), ("y", 2.0)]], [[], []]):
        assert fuse(rankings, [0.5, 0.5], Z_SCORE, 10) == fuse(rankings, [0.5, 0.5], "relative_score", 10)
    with pytest.raises(ValueError, match="z_score"):
        fuse([dense], None, "zscore", 10)
