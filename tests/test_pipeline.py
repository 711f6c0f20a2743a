"""`ingest.pipeline.prepare` on a tiny temporary corpus with a fake token counter (no embedder model):
passages and records from files, unreadable files skipped, and reuse of the live build's passages."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.ingest.pipeline import prepare
from assistant.settings import Settings

MOTIONS = """Moties jeugd

Dit overzicht noemt de moties over jeugdhulp
die de raad de afgelopen jaren heeft aangenomen,
met voor elke motie haar nummer en de stand
van zaken bij het opstellen van deze rapportage.
Een motie is afgedaan wanneer het college
de raad heeft geïnformeerd over de uitvoering.

Jeugdzorg - Bewezen effectief (2106-18)

afgedaan op 15-12-2021

Burgervoogd (2111-30A)

de afdoening van deze motie volgt uiterlijk 31-12-2023
"""
PLAN = (
    """Actieplan jeugd 2019

Dit actieplan beschrijft hoe de gemeente de jeugdhulp dichtbij organiseert. """
    + "Wijkteams helpen gezinnen snel. " * 30
)


class Counter:
    """Counts words as tokens and remembers what it was asked, so a test can see what was re-chunked."""

    window = 512

    def __init__(self):
        self.seen: list[str] = []

    def count_tokens(self, text: str) -> int:
        self.seen.append(text)
        return len(text.split())


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "moties.txt").write_text(MOTIONS)
    (corpus / "plan.txt").write_text(PLAN)
    (corpus / "kapot.pdf").write_bytes(b"dit is geen pdf")
    (corpus / "manifest.toml").write_text('["plan.txt"]\ntitle = "Actieplan"\ndate = "2019-04"\nkind = "actieplan"\n')
    return corpus


def _live(prepared, corpus):
    """The live build as `build_index` would have written it from `prepared`."""
    manifest = {
        "documents": prepared.documents,
        "skipped": prepared.skipped,
        "corpus": str(corpus.resolve()),
        "manifest_hash": prepared.manifest_hash,
        "passages": len(prepared.passages),
    }
    return SimpleNamespace(manifest=manifest, passages={p.id: p for p in prepared.passages}, pages=prepared.pages)


def test_prepare_reads_chunks_and_extracts_records(tmp_path):
    corpus = _corpus(tmp_path)
    steps = []
    out = prepare(Settings(index_dir=tmp_path / "i"), corpus, None, Counter(), lambda *a: steps.append(a))
    assert not out.unchanged
    assert sorted(out.documents) == ["moties", "plan"] and sorted(out.added_docs) == ["moties", "plan"]
    assert out.documents["plan"]["title"] == "Actieplan" and out.documents["plan"]["kind"] == "actieplan"
    assert [s["path"].endswith("kapot.pdf") for s in out.skipped] == [True] and out.skipped[0]["reason"]
    assert {p.doc_id for p in out.passages} == {"moties", "plan"}
    assert len({p.id for p in out.passages}) == len(out.passages)
    assert all(p.text in out.pages[p.doc_id][0]["text"] for p in out.passages)
    assert [(m.number, m.done) for m in out.motions] == [("2106-18", True), ("2111-30A", False)]
    assert steps and steps[0][0] == "lezen"


def test_chunks_fit_the_counters_window(tmp_path):
    corpus = _corpus(tmp_path)
    settings = Settings.load(path="/nonexistent", index_dir=tmp_path / "i", chunk_words=400)
    counter = Counter()
    counter.window = 60
    out = prepare(settings, corpus, None, counter)
    assert all(len(p.embed_text().split()) <= 58 for p in out.passages)


def test_prepare_reuses_the_live_build(tmp_path):
    corpus = _corpus(tmp_path)
    settings = Settings(index_dir=tmp_path / "i")
    first = prepare(settings, corpus, None, Counter())
    live = _live(first, corpus)

    assert prepare(settings, corpus, live, Counter()).unchanged
    assert not prepare(settings, corpus, live, Counter(), rebuild=True).unchanged

    (corpus / "moties.txt").write_text(MOTIONS + "\nEen nieuwe alinea over moties en toezeggingen.\n")
    counter = Counter()
    changed = prepare(settings, corpus, live, counter)
    assert changed.changed_docs == ["moties"] and changed.added_docs == [] and changed.removed_docs == []
    plan_before = [p for p in first.passages if p.doc_id == "plan"]
    assert [p for p in changed.passages if p.doc_id == "plan"] == plan_before  # reused, not re-chunked
    assert not any("Wijkteams" in t for t in counter.seen)

    (corpus / "plan.txt").unlink()
    removed = prepare(settings, corpus, live, Counter())
    assert removed.removed_docs == ["plan"] and "plan" not in removed.documents
