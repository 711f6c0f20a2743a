"""Which quoted sentence an answer shows first when the question asks for no typed figure.

`render` quotes the sentences of one passage in reading order. When several chosen sentences come
from the same passage, the one that covers the question best could end up last ("… stevige lokale
teams … [1] … Kernwaarden zijn: dichtbij, integraal en met mandaat. [1]"), and which passage a sentence
shares depends on the retrieval order of near-equal passages. Leading with the best-covering sentence
makes the first line depend on the sentences themselves (measured: first sentence holds a fact, dev
seed 0.517 → 0.603, realdocs 0.478 → 0.565; evals/README.md "Answer-layer candidates").
"""

from __future__ import annotations

from collections.abc import Sequence

# (score, coverage, passage index, (start, end)): a scored sentence of the answer pool, best first.
Candidate = tuple


def best_first(chosen: Sequence[Candidate]) -> dict[int, tuple[int, int]] | None:
    """{passage index: span} of the best chosen sentence when it covers more of the question than
    every other chosen sentence of its passage (so reading order would not put it first), else None.
    A tie keeps reading order: the sentence before may introduce the one after."""
    if not chosen:
        return None
    best = chosen[0]
    rivals = [c[1] for c in chosen[1:] if c[2] == best[2]]
    return {best[2]: best[3]} if rivals and best[1] > max(rivals) else None
