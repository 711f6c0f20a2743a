"""What keeps load time flat as the corpus grows: the answerer's token counts (overall and per
document) come from the BM25 index instead of tokenizing every passage at load."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from assistant.answer import Answerer
from assistant.index import Index
from assistant.text import tokenize

pytestmark = pytest.mark.slow


def test_token_counts_from_bm25_equal_counting(seed_settings):
    index = Index.open(seed_settings)
    counted, per_doc = Counter(), defaultdict(Counter)
    for p in index.passages.values():
        words = set(tokenize(p.embed_text()))
        counted.update(words)
        per_doc[p.doc_id].update(words)
    df, docs = index.token_counts()
    assert df == dict(counted) and len(df) > 1000
    assert docs == {d: dict(c) for d, c in per_doc.items()}
    passages = list(index.passages.values())
    fast = Answerer(passages, documents=index.documents, counts=(df, docs))
    slow = Answerer(passages, documents=index.documents)
    for token in ["jeugdhulp", "kansrijke", "motie", "onbekendwoord"]:
        assert fast.idf(token) == pytest.approx(slow.idf(token))
    assert fast.evidence.doc_words == slow.evidence.doc_words and fast.evidence.vocabulary == slow.evidence.vocabulary
