"""Fusion of several ranked lists of `(id, score)` into one, as llama-index's QueryFusionRetriever
does it with `num_queries=1` (same modes, same arithmetic, same tie order), plus one mode of our own,
`z_score` (see `confidence_weights`).

Plain code rather than QueryFusionRetriever itself: that one needs node objects, a (mock) LLM and an
import of llama-index (~2 s) on every process that searches, for a dozen lines of arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable

MODES = ("relative_score", "dist_based_score", "reciprocal_rerank", "simple")  # llama-index's
Z_SCORE = "z_score"  # ours: relative_score with per-query list weights (measured: evals/README.md)
RRF_K = 60.0  # reciprocal rank fusion constant (Cormack et al., as in llama-index)

Ranking = list[tuple[str, float]]


def fuse(
    rankings: list[Ranking],
    weights: list[float] | None = None,
    mode: str = "relative_score",
    top_k: int = 10,
    key: Callable[[str], object] | None = None,
) -> Ranking:
    """One ranking from several (each best first), cut at `top_k`.

    relative_score: per list min-max scaled to 0..1, times the list's weight (weights are normalised
    to sum 1), summed per entry. dist_based_score: the same with mean ± 3 std as the scale.
    reciprocal_rerank: sum of 1/(60 + rank). simple: the best score per entry. z_score:
    relative_score with each weight times the list's confidence (`confidence_weights`). Ties keep first-seen
    order. Hits with the same `key(id)` (default: the id) are one entry, reported under the first id
    seen (the last one for reciprocal_rerank), as llama-index does with its node hash.
    """
    if mode not in (*MODES, Z_SCORE):
        raise ValueError(f"onbekende fusiemethode '{mode}' (unknown fusion mode; use one of {', '.join((*MODES, Z_SCORE))})")
    if weights is None:
        weights = [1.0 / len(rankings)] * len(rankings)
    if mode == Z_SCORE:
        weights, mode = confidence_weights(rankings, weights), "relative_score"
    else:
        total = sum(weights)
        weights = [w / total for w in weights]
    key = key or (lambda pid: pid)
    fused: dict[object, float] = {}
    ids: dict[object, str] = {}
    if mode == "reciprocal_rerank":
        for ranking in rankings:
            for rank, (pid, _) in enumerate(sorted(ranking, key=lambda h: h[1] or 0.0, reverse=True)):
                k = key(pid)
                fused[k], ids[k] = fused.get(k, 0.0) + 1.0 / (rank + RRF_K), pid
    elif mode == "simple":
        for ranking in rankings:
            for pid, score in ranking:
                k = key(pid)
                fused[k] = max(score or 0.0, fused[k] or 0.0) if k in fused else score
                ids.setdefault(k, pid)
    else:
        for ranking, weight in zip(rankings, weights):
            low, high = _scale(ranking, mode == "dist_based_score")
            for pid, score in ranking:
                if high == low:
                    scaled = 1.0 if high > 0 else 0.0
                else:
                    scaled = (score - low) / (high - low)
                scaled = (scaled or 0.0) * weight
                k = key(pid)
                fused[k] = (fused[k] or 0.0) + scaled if k in fused else scaled
                ids.setdefault(k, pid)
    ranked = sorted(fused.items(), key=lambda h: h[1] or 0.0, reverse=True)[:top_k]
    return [(ids[k], score) for k, score in ranked]


def _scale(ranking: Ranking, dist_based: bool) -> tuple[float, float]:
    """The (min, max) a list's scores are scaled by."""
    if not ranking:
        return 0.0, 0.0
    scores = [s or 0.0 for _, s in ranking]
    if not dist_based:
        return min(scores), max(scores)
    mean = sum(scores) / len(scores)
    std = (sum((x - mean) ** 2 for x in scores) / len(scores)) ** 0.5
    return mean - 3 * std, mean + 3 * std


def confidence_weights(rankings: list[Ranking], weights: list[float]) -> list[float]:
    """Weights (summing to 1) for min-max scaled lists that make their sum a sum of z-scores, each list
    weighted by how far its best hit stands out from its candidates.

    Min-max scaling stretches every list to 0..1, so a dense list whose 30 candidates lie within 0.03
    of each other (E5 scores are compressed; long documents compress them more) weighs as much as a
    BM25 list with one clear winner. Scaled by the standard deviation instead, a list's 0..1 spans
    (max - min) / std units, and its weight is multiplied by the z-score of its top, (max - mean) / std.
    A list with no spread (one hit, equal scores) has no confidence to measure: then the weights
    are returned unchanged (normalised), i.e. relative_score.
    """
    out = []
    for ranking, weight in zip(rankings, weights):
        scores = [s or 0.0 for _, s in ranking]
        if not scores:
            out.append(0.0)
            continue
        mean = sum(scores) / len(scores)
        std = (sum((x - mean) ** 2 for x in scores) / len(scores)) ** 0.5
        if std == 0:
            out = list(weights)
            break
        out.append(weight * (max(scores) - min(scores)) / std * (max(scores) - mean) / std)
    if not sum(out):
        out = list(weights)
    total = sum(out)
    return [w / total for w in out]
