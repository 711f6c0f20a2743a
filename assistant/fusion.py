"""Fusion of several ranked lists of `(id, score)` into one, as llama-index's QueryFusionRetriever
does it with `num_queries=1` (same modes, same arithmetic, same tie order).

Plain code rather than QueryFusionRetriever itself: that one needs node objects, a (mock) LLM and an
import of llama-index (~2 s) on every process that searches, for a dozen lines of arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable

MODES = ("relative_score", "dist_based_score", "reciprocal_rerank", "simple")
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
    reciprocal_rerank: sum of 1/(60 + rank). simple: the best score per entry. Ties keep first-seen
    order. Hits with the same `key(id)` (default: the id) are one entry, reported under the first id
    seen (the last one for reciprocal_rerank), as llama-index does with its node hash.
    """
    if mode not in MODES:
        raise ValueError(f"onbekende fusiemethode '{mode}' (unknown fusion mode; use one of {', '.join(MODES)})")
    if weights is None:
        weights = [1.0 / len(rankings)] * len(rankings)
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
