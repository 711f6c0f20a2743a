"""Organisation preference (assistant/organisations.py, Retriever organisation_boost) on hand-made
passages: a question naming an organisation of the corpus prefers that organisation's documents."""

from __future__ import annotations

from dataclasses import replace

import bm25s
import numpy as np
import pytest

from assistant.index import Index, bm25_tokens
from assistant.model import Passage
from assistant.organisations import Organisations
from assistant.retrieve import RetrievalConfig, Retriever
from assistant.settings import Settings
from assistant.stores import ChromaStore, passage_metadata

ORGS = {"ha": "gemeente Den Haag", "he": "gemeente Den Helder", "vng": "VNG", "rijk": "Rijksoverheid (Buitenlandse Zaken)"}
TEXTS = {
    "ha": "In Den Haag is het tekort op jeugdhulp in 2024 opgelopen tot 40 miljoen.",
    "he": "Het tekort op jeugdhulp in Den Helder was in 2024 kleiner dan verwacht, zo is helder geworden.",
    "vng": "De VNG maakt afspraken over het tekort op jeugdhulp met alle gemeenten.",
    "rijk": "Het tekort op jeugdhulp wordt besproken met buitenlandse zaken en andere zaken.",
}
PASSAGES = [Passage(f"{k}#1", k, "Document", "2024-01-01", "brief", None, "", "", TEXTS[k], organisation=ORGS[k]) for k in ORGS]


def test_names_come_from_capitalised_words_the_documents_write_capitalised():
    orgs = Organisations(ORGS.values(), TEXTS.values())
    assert orgs.words["gemeente Den Haag"] == {"den", "haag"}
    assert orgs.words["VNG"] == {"vng"}
    assert "zaken" not in orgs.words.get("Rijksoverheid (Buitenlandse Zaken)", set())  # lower case in the text


@pytest.mark.parametrize(
    "question, named",
    [
        ("Hoe groot is het tekort in Den Haag?", {"gemeente Den Haag"}),
        ("hoe groot is het tekort in den haag?", {"gemeente Den Haag"}),
        ("Wat doet de Haagse raad aan het tekort?", {"gemeente Den Haag"}),
        ("Wat deed Den Helder?", {"gemeente Den Helder"}),
        ("Wat zegt de VNG?", {"VNG"}),
        ("Is het tekort helder?", set()),  # the adjective, not the municipality
        ("Wat doet Eindhoven?", set()),  # not in the corpus
    ],
)
def test_named(question, named):
    assert Organisations(ORGS.values(), TEXTS.values()).named(question) == named


class HandMadeIndex:
    dense = Index.dense

    def __init__(self, tmp_path):
        self.passages = {p.id: p for p in PASSAGES}
        self.order = list(self.passages)
        self.documents = {p.doc_id: {"organisation": p.organisation} for p in PASSAGES}
        self.bm25 = bm25s.BM25()
        self.bm25.index([bm25_tokens(p) for p in PASSAGES], show_progress=False)
        self.store = ChromaStore.create(Settings(index_dir=tmp_path), tmp_path, "t")
        # Every vector the same: the dense search cannot tell the passages apart.
        self.store.add(self.order, np.ones((len(PASSAGES), 3), dtype=np.float32), [passage_metadata(p) for p in PASSAGES])
        self.motions, self.measures = [], []
        self.exact = None  # Chroma's search (`Index.dense` reads it since exact_dense)


class FakeEmbedder:
    def embed_query(self, text):
        return np.ones(3, dtype=np.float32)


def test_boost_puts_the_named_organisation_first(tmp_path):
    base = Retriever(
        HandMadeIndex(tmp_path), FakeEmbedder(), RetrievalConfig(records=False, thesaurus=False, organisation_boost=0.0)
    )
    question = "Hoe groot was het tekort op jeugdhulp in 2024 volgens Den Helder?"
    without = base.search(question, k=4)
    with_boost = base.with_config(organisation_boost=0.2).search(question, k=4)
    assert with_boost[0].doc_id == "he"
    assert with_boost[0].score == pytest.approx(next(p.score for p in without if p.doc_id == "he") + 0.2)
    # the others keep their order and scores: a boost, not a filter
    rest = [replace(p) for p in with_boost[1:]]
    assert [(p.id, p.score) for p in rest] == [(p.id, p.score) for p in without if p.doc_id != "he"]


def test_no_organisation_named_changes_nothing(tmp_path):
    base = Retriever(
        HandMadeIndex(tmp_path), FakeEmbedder(), RetrievalConfig(records=False, thesaurus=False, organisation_boost=0.0)
    )
    question = "Hoe groot was het tekort op jeugdhulp?"
    assert [p.id for p in base.search(question, k=4)] == [
        p.id for p in base.with_config(organisation_boost=0.5).search(question, k=4)
    ]
