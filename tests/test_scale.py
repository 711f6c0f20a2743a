"""What keeps load time flat as the corpus grows: the answerer's document frequencies come from the
BM25 index instead of tokenizing every passage at load."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.answer import Answerer
from assistant.index import Index
from assistant.text import tokenize

pytestmark = pytest.mark.slow


def test_document_frequencies_from_bm25_equal_counting(seed_settings):
    index = Index.open(seed_settings)
    counted = Counter()
    for p in index.passages.values():
        counted.update(set(tokenize(p.embed_text())))
    from_bm25 = index.document_frequencies()
    assert from_bm25 == dict(counted) and len(from_bm25) > 1000
    passages = list(index.passages.values())
    fast, slow = Answerer(passages, df=from_bm25), Answerer(passages)
    for token in ["jeugdhulp", "kansrijke", "motie", "onbekendwoord"]:
        assert fast.idf(token) == pytest.approx(slow.idf(token))
