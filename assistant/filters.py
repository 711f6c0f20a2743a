"""`Filters`: which passages a search may return (document kinds, years, documents, organisations).

Our own type, so retrieval, the vector store and the API share one meaning of a filter; each store
translates it into its own query language (see `stores.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .model import Passage


@dataclass
class Filters:
    kinds: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    doc_ids: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)  # publisher, as in `Passage.organisation`

    @classmethod
    def from_any(cls, value) -> Filters | None:
        if value is None or isinstance(value, Filters):
            return value
        if isinstance(value, dict):
            v = dict(value)
            for key in ("kinds", "doc_ids", "organisations"):
                if isinstance(v.get(key), str):
                    v[key] = [v[key]]
            if "kind" in v:
                v.setdefault("kinds", []).extend([v.pop("kind")] if isinstance(v.get("kind"), str) else v.pop("kind"))
            if "organisation" in v:
                org = v.pop("organisation")
                v.setdefault("organisations", []).extend([org] if isinstance(org, str) else org)
            return cls(**v)
        raise TypeError("filters moet een dict of Filters zijn (filters must be a dict or Filters)")

    def empty(self) -> bool:
        return not (self.kinds or self.doc_ids or self.organisations or self.year_from or self.year_to)

    def accepts(self, p: Passage) -> bool:
        if self.kinds and p.kind not in self.kinds:
            return False
        if self.doc_ids and p.doc_id not in self.doc_ids:
            return False
        if self.organisations and p.organisation not in self.organisations:
            return False
        year = p.year
        if self.year_from and (year is None or year < self.year_from):
            return False
        if self.year_to and (year is None or year > self.year_to):
            return False
        return True

    def mask(self, passages: Iterable[Passage]) -> np.ndarray:
        """`accepts` over `passages` as a boolean array in their order (the rows of BM25 and vectors.npy)."""
        return np.fromiter(map(self.accepts, passages), bool)
