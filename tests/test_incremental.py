"""Re-ingest embeds only what changed; removed files lose their passages."""

import shutil

from assistant.index import Index, build_index
from assistant.settings import ROOT, Settings


def _corpus(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    for name in ("webpagina-jeugdhulp.txt", "informatieblad-raadslid.txt"):
        shutil.copy(ROOT / "corpus" / name, d / name)
    shutil.copy(ROOT / "corpus" / "manifest.toml", d / "manifest.toml")
    return d


def test_incremental_ingest(tmp_path):
    corpus = _corpus(tmp_path)
    settings = Settings.load(index_dir=tmp_path / "idx")
    first = build_index(settings, corpus)
    assert first.embedded == first.passages > 0 and not first.unchanged

    again = build_index(settings, corpus)
    assert again.unchanged and again.embedded == 0 and again.build_id == first.build_id

    # Change one document: only its new passages are embedded, the other document's are reused.
    web = corpus / "webpagina-jeugdhulp.txt"
    web.write_text(web.read_text() + "\n\nNieuwe alinea over de wachttijden voor jeugdhulp in 2025.\n")
    changed = build_index(settings, corpus)
    assert changed.changed_docs == ["webpagina-jeugdhulp"]
    index = Index.open(settings)
    web_passages = [p for p in index.passages.values() if p.doc_id == "webpagina-jeugdhulp"]
    assert 0 < changed.embedded <= len(web_passages)
    assert changed.reused >= first.passages - len(web_passages)
    assert any("wachttijden voor jeugdhulp in 2025" in p.text for p in web_passages)

    # Remove a document: its passages disappear, nothing is embedded.
    web.unlink()
    removed = build_index(settings, corpus)
    assert removed.removed_docs == ["webpagina-jeugdhulp"] and removed.embedded == 0
    index = Index.open(settings)
    assert {p.doc_id for p in index.passages.values()} == {"informatieblad-raadslid"}
    assert index.collection.count() == len(index.passages)
    # Old builds are cleaned up: only the live one and the one before it (for processes still on it) remain.
    assert sorted(b.name for b in (settings.index_dir / "builds").iterdir()) == sorted([removed.build_id, changed.build_id])


def test_a_running_assistant_follows_a_new_build(tmp_path):
    """Several app processes share one indexes/ folder: each picks up a new build on its next question."""
    from assistant import Assistant

    corpus = _corpus(tmp_path)
    settings = Settings.load(index_dir=tmp_path / "idx")
    build_index(settings, corpus)
    bot = Assistant.load(settings)
    assert not bot.ask("Wat is de status van motie 2106-18?").answered
    shutil.copy(ROOT / "corpus" / "update-actieplan-2022.txt", corpus / "update-actieplan-2022.txt")
    build_index(settings, corpus)  # as another process would
    r = bot.ask("Wat is de status van motie 2106-18?")
    assert r.answered and "31-12-2023" in r.answer
