"""Issue 13, ingestion probes reproduced with real files, links and processes: links out of the corpus,
binary data without NUL bytes, a 20 MB one-line text, a size limit, a moved corpus folder, and
undecodable bytes in a question."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from assistant.corpus import DocumentInfo, scan
from assistant.ingest.chunk import Page, chunk
from assistant.ingest.clean import clean_document
from assistant.ingest.layout import _leader, toc_entry
from assistant.ingest.load import load, not_text
from assistant.ingest.pipeline import prepare
from assistant.settings import ROOT, Settings

TEXT = "Raadsinformatiebrief over de wachttijden in de jeugdhulp van de gemeente Voorbeeld. " * 8


def _cli(*args: str | bytes, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", **(env or {})},
    )


def test_a_link_to_a_file_outside_the_corpus_is_never_ingested(tmp_path):
    """The probe: `ln -s /etc/passwd corpus/passwd.txt` was ingested and quoted ("root:x:0:0")."""
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "geheim.txt").write_text("Geheim salarisoverzicht van de directie. " * 10)
    (corpus / "brief.txt").write_text(TEXT)
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    os.symlink(outside / "geheim.txt", corpus / "geheim.txt")
    os.symlink(outside, corpus / "elders")  # a linked folder is not walked
    os.symlink("../brief.txt", corpus / "sub" / "zelfde.txt")  # inside the corpus: the same document
    os.symlink(corpus / "weg.txt", corpus / "kapot.txt")  # broken

    run = _cli("ingest", str(corpus), "--json", env={"ASSISTANT_INDEX_DIR": str(tmp_path / "idx")})
    assert run.returncode == 0, run.stderr.decode()
    report = json.loads(run.stdout)
    assert report["documents"] == 1 and report["added_docs"] == ["brief"]
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert "buiten de corpusmap" in reasons["passwd.txt"] and "/etc/passwd" in reasons["passwd.txt"]
    assert "buiten de corpusmap" in reasons["geheim.txt"] and "buiten de corpusmap" in reasons["elders"]
    assert "dubbel" in reasons["zelfde.txt"] and "verbroken" in reasons["kapot.txt"]
    build = tmp_path / "idx" / "builds" / (tmp_path / "idx" / "CURRENT").read_text().strip()
    stored = (build / "passages.jsonl").read_text() + (build / "pages.json").read_text()
    assert "root:x:0" not in stored and "salarisoverzicht" not in stored and "wachttijden" in stored

    # Human-readable output names the reason too.
    run = _cli("ingest", str(corpus), env={"ASSISTANT_INDEX_DIR": str(tmp_path / "idx")})
    assert re.search(r"OVERGESLAGEN \(skipped\) \S+passwd\.txt: buiten de corpusmap", run.stdout.decode())


def test_a_link_inside_the_corpus_is_a_document(tmp_path):
    (tmp_path / "archief").mkdir()
    (tmp_path / "archief" / "brief-2019.txt").write_text(TEXT)
    os.symlink("archief/brief-2019.txt", tmp_path / "actueel.txt")
    (tmp_path / "README.md").write_text("x")
    os.symlink("README.md", tmp_path / "info.txt")  # a link to a file that is not read itself
    docs, other = scan(tmp_path)
    assert [d.name for d in docs] == ["brief-2019.txt", "info.txt"]
    assert [Path(o["path"]).name for o in other] == ["README.md", "actueel.txt"]  # actueel: duplicate of the archive copy


def _binary_without_nul(n: int, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(1, 256) for _ in range(n))


def test_binary_data_without_nul_bytes_is_skipped_with_a_reason(tmp_path):
    """The probe: random bytes in a .txt became a document titled 'Ñ-íÍá\\x19'."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(TEXT)
    (corpus / "foto.txt").write_bytes(_binary_without_nul(20_000))
    png = (ROOT / "docs" / "screenshot-chat.png").read_bytes().replace(b"\x00", b"")
    (corpus / "plaatje.md").write_bytes(png)
    (corpus / "oud.txt").write_bytes(("Café en coördinatie van jeugdhulp, € 5. " * 20).encode("cp1252"))
    (corpus / "half.txt").write_bytes(("Coördinatie van jeugdhulp in België. " * 20).encode() + b"\xff kapot")

    out = prepare(
        Settings(index_dir=tmp_path / "i"), corpus, None, SimpleNamespace(window=512, count_tokens=lambda t: len(t.split()))
    )
    reasons = {Path(s["path"]).name: s["reason"] for s in out.skipped}
    assert set(reasons) == {"foto.txt", "plaatje.md"}
    assert all("geen tekst" in r and "stuurtekens" in r for r in reasons.values())
    assert sorted(out.documents) == ["brief", "half", "oud"]
    assert "Café en coördinatie" in out.pages["oud"][0]["text"]  # Windows-1252 still read
    assert "Coördinatie van jeugdhulp in België" in out.pages["half"][0]["text"]  # UTF-8 kept, not mojibake


def test_no_real_text_document_is_taken_for_binary():
    shared = Path(os.environ.get("ASSISTANT_SHARED_DIR", "/work/shared"))
    files = [*ROOT.joinpath("corpus").glob("*.txt"), *shared.glob("realdocs/*.md"), *shared.glob("seeds/*.txt")]
    files += sorted(shared.glob("lawcorpus/*.md"))[::50]
    assert len(files) >= 5
    for f in files:
        assert load(f).pages[0].text, f  # raises LoadError when judged binary
    assert not_text("Tabel 1: 12 34 56 jeugd") == ""
    assert "letters" in not_text("1 2 3 4 5 6 7 8 9 10\n" * 50)


def _cpu_rate(text: str) -> float:
    """MB of text per CPU second through clean_document and chunk (the CPU is shared: not wall time)."""
    info = DocumentInfo("groot", Path("groot.txt"), "Groot", "2024", "document", "groot.txt", "")
    t0 = time.process_time()
    cleaned = clean_document([text])
    passages = chunk(info, [Page(None, cleaned.pages[0])], lambda t: int(len(t.split()) * 1.7) + 2)
    seconds = time.process_time() - t0
    assert passages and sum(len(p.text) for p in passages) > 0.9 * len(text)
    return len(text.encode()) / 1e6 / seconds


def _words(n_bytes: int) -> list[str]:
    words = (ROOT / "corpus" / "actieplan-2019.txt").read_text().split()
    out, size = [], 0
    while size < n_bytes:
        for w in words:
            out.append(w)
            size += len(w.encode()) + 1
    return out


def test_a_20_mb_one_line_text_is_cleaned_and_chunked_at_over_1_mb_per_second():
    """The probe: a 20 MB single-line text was still being chunked after 150 s (~10 s per MB)."""
    assert _cpu_rate(" ".join(_words(20_000_000))) >= 1.0


def test_a_long_multi_line_text_without_blank_lines_is_linear():
    """One paragraph of 4 MB wrapped at 12 words: joining its lines used to copy it once per line."""
    words = _words(4_000_000)
    assert _cpu_rate("\n".join(" ".join(words[i : i + 12]) for i in range(0, len(words), 12))) >= 1.0


def test_toc_line_rules_equal_the_old_regular_expressions():
    """toc_entry/_leader replaced two backtracking regexes; same answers on lines of every shape."""
    old_entry = re.compile(r"^(?P<title>.*[A-Za-zÀ-ÿ].*?)[\s.…_]+(?P<page>\d{1,3})$")
    old_leader = re.compile(r"(?:\.\s?){4,}\s*\d{1,3}\s*$|…{2,}\s*\d{1,3}\s*$|_{4,}\s*\d{1,3}\s*$")
    rng = random.Random(7)
    lines = ["1.1 Inleiding ........ 3", "Bijlage 2 … 14", "Inhoud", "Artikel 12", "Hoofdstuk 3 1234", "a____ 7", "é 1"]
    lines += ["".join(rng.choice("a1 .…_é\t×Ω٣Z9\u00a0)-") for _ in range(rng.randint(0, 14))) for _ in range(30_000)]
    for line in (ln.strip() for ln in lines):
        m = old_entry.match(line)
        assert toc_entry(line) == ((m.group("title"), int(m.group("page"))) if m else None), line
        assert _leader(line) == bool(old_leader.search(line)), line


def test_files_over_the_size_limit_are_listed_not_read(tmp_path):
    (tmp_path / "klein.txt").write_text(TEXT)
    (tmp_path / "groot.txt").write_text("jeugdhulp " * 150_000)  # 1.5 MB
    docs, other = scan(tmp_path, max_mb=1)
    assert [d.name for d in docs] == ["klein.txt"]
    assert "te groot" in other[0]["reason"] and "1.5 MB" in other[0]["reason"] and "max_file_mb" in other[0]["reason"]
    assert Settings.load(path="/nonexistent").index.max_file_mb == 50
    assert Settings.load(path="/nonexistent", max_file_mb="0.5").index.max_file_mb == 0.5


class _Counter:
    window = 512

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _live(prepared, corpus):
    manifest = {
        "documents": prepared.documents,
        "skipped": prepared.skipped,
        "corpus": str(corpus.resolve()),
        "manifest_hash": prepared.manifest_hash,
        "passages": len(prepared.passages),
    }
    return SimpleNamespace(manifest=manifest, passages={p.id: p for p in prepared.passages}, pages=prepared.pages)


def test_moving_the_corpus_folder_changes_nothing(tmp_path):
    """The probe: after `mv corpus elders`, every document was reported both new and removed."""
    corpus = tmp_path / "corpus"
    (corpus / "moties").mkdir(parents=True)
    (corpus / "brief.txt").write_text(TEXT)
    (corpus / "moties" / "motie-12.txt").write_text("Motie 12 over de wachtlijst van de jeugdhulp. " * 10)
    (corpus / "kapot.pdf").write_bytes(b"geen pdf")
    settings = Settings(index_dir=tmp_path / "i")
    first = prepare(settings, corpus, None, _Counter())
    moved = corpus.rename(tmp_path / "elders")
    again = prepare(settings, moved, _live(first, corpus), _Counter())
    assert not again.unchanged  # a new build records the new paths ...
    assert (again.added_docs, again.changed_docs, again.removed_docs) == ([], [], [])  # ... and nothing else
    assert [p.id for p in again.passages] == [p.id for p in first.passages]
    assert again.documents["brief"]["path"] == str(moved / "brief.txt")
    assert prepare(settings, moved, _live(again, moved), _Counter()).unchanged

    # A file moved to another folder of the corpus keeps its passages and is reported as moved.
    (moved / "moties" / "motie-12.txt").rename(moved / "motie-12.txt")
    within = prepare(settings, moved, _live(again, moved), _Counter())
    assert within.moved_docs == ["motie-12"] and (within.added_docs, within.removed_docs) == ([], [])
    assert within.documents["motie-12"]["source"] == "motie-12.txt"


def test_an_old_build_with_absolute_paths_is_matched_by_relative_path(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(TEXT)
    settings = Settings(index_dir=tmp_path / "i")
    first = prepare(settings, corpus, None, _Counter())
    for d in first.documents.values():
        d.pop("rel")  # as builds before this change stored them
    moved = corpus.rename(tmp_path / "nieuw")
    again = prepare(settings, moved, _live(first, corpus), _Counter())
    assert (again.added_docs, again.removed_docs) == ([], [])


def test_undecodable_bytes_in_a_question_give_a_message(tmp_path):
    """The probe: `assistant ask` with invalid UTF-8 printed a raw codec error."""
    for command in ("ask", "search"):
        run = _cli(command, b"Wat is \xff\xfe jeugdhulp?", env={"ASSISTANT_INDEX_DIR": str(tmp_path / "leeg")})
        err = run.stderr.decode()
        assert run.returncode == 2 and "geen geldige tekst" in err and "codec" not in err and "Traceback" not in err
