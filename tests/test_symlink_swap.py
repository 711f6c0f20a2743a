"""A corpus file swapped for a link to an outside file after the scan checked it (time of check to
time of use) is never read: the read itself stays inside the corpus folder (`load.read_inside`)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.ingest import load as load_module
from assistant.ingest import pipeline
from assistant.ingest.load import LoadError, read_inside
from assistant.settings import Settings

TEXT = "Raadsinformatiebrief over de wachttijden in de jeugdhulp van de gemeente Voorbeeld. " * 8
SECRET = "Geheim salarisoverzicht van de directie. " * 10
COUNTER = SimpleNamespace(window=512, count_tokens=lambda t: len(t.split()))


@pytest.fixture
def corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "brief.txt").write_text(TEXT)
    (corpus / "sub" / "notitie.txt").write_text(TEXT.replace("Raadsinformatiebrief", "Notitie"))
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "brief.txt").write_text(SECRET)
    (outside / "notitie.txt").write_text(SECRET)
    return corpus


def _swap_for_link(path: Path, target: Path) -> None:
    """Replace `path` (a file or folder) by a symbolic link to `target`, as an attacker would."""
    if path.is_dir():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    else:
        path.unlink()
    os.symlink(target, path)


def test_a_file_swapped_for_a_link_after_the_scan_is_skipped_with_a_reason(corpus, monkeypatch):
    outside = corpus.parent / "elders"
    real_scan = pipeline.scan

    def scan_then_swap(*args, **kwargs):  # the hook between the check (scan) and the read
        found = real_scan(*args, **kwargs)
        assert {p.name for p in found[0]} == {"brief.txt", "notitie.txt"}  # both passed the check
        _swap_for_link(corpus / "brief.txt", outside / "brief.txt")
        _swap_for_link(corpus / "sub", outside)  # a folder on the way, too
        return found

    monkeypatch.setattr(pipeline, "scan", scan_then_swap)
    out = pipeline.prepare(Settings(index_dir=corpus.parent / "i"), corpus, None, COUNTER)
    assert out.passages == [] and out.documents == {}
    reasons = {Path(s["path"]).name: s["reason"] for s in out.skipped}
    assert set(reasons) == {"brief.txt", "notitie.txt"}
    assert all(r.startswith("buiten de corpusmap (outside the corpus folder)") for r in reasons.values()), reasons
    assert str(outside / "brief.txt") in reasons["brief.txt"]


@pytest.mark.parametrize("swapped", ["brief.txt", "sub"])
def test_a_swap_between_the_second_check_and_the_open_is_refused(corpus, monkeypatch, swapped):
    """The narrowest window: after `read_inside` resolved the name, before it opens the file. The walk
    from the corpus folder without following links refuses the link (the outside file is never opened)."""
    name = "brief.txt" if swapped == "brief.txt" else "sub/notitie.txt"
    path = corpus / name
    real_open = os.open
    swapped_once = []

    def open_after_swap(target, flags, *args, **kwargs):
        if not swapped_once:  # the first open is the corpus folder: the name was resolved just before
            swapped_once.append(True)
            _swap_for_link(corpus / swapped, corpus.parent / "elders" / (swapped if swapped != "sub" else ""))
        return real_open(target, flags, *args, **kwargs)

    monkeypatch.setattr(load_module.os, "open", open_after_swap)
    with pytest.raises(LoadError, match="nu een koppeling"):
        read_inside(path, corpus)
    monkeypatch.undo()
    with pytest.raises(LoadError, match="buiten de corpusmap"):  # and once the swap is done, the check refuses it
        load_module.load(path, root=corpus)


def test_read_inside_reads_documents_and_links_inside_the_corpus(corpus, tmp_path):
    os.symlink("brief.txt", corpus / "koppeling.txt")  # a link within the corpus is a document (scan keeps it)
    assert read_inside(corpus / "sub" / "notitie.txt", corpus).decode().startswith("Notitie over")
    assert read_inside(corpus / "koppeling.txt", corpus) == TEXT.encode()
    assert load_module.load(corpus / "brief.txt", root=corpus).pages[0].text == TEXT
    os.mkfifo(corpus / "fifo.txt")  # a FIFO swapped in must not block the ingest
    with pytest.raises(LoadError, match="geen gewoon bestand"):
        read_inside(corpus / "fifo.txt", corpus)
    with pytest.raises(LoadError, match="verdwenen"):
        read_inside(corpus / "weg.txt", corpus)
    assert read_inside(tmp_path / "elders" / "brief.txt", None) == SECRET.encode()  # no root: a file given on its own
