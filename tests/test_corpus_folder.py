"""A municipality's document folder: ignore list, hidden files, and a manifest with mistakes."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.corpus import describe, read_manifest, scan
from assistant.settings import Settings

TEXT = "Raadsinformatiebrief over de wachttijden in de jeugdhulp van de gemeente Voorbeeld. " * 8


def _names(items) -> list[str]:
    return [Path(p if isinstance(p, (str, Path)) else p["path"]).name for p in items]


def test_ignore_list_hidden_files_and_unsupported_types(tmp_path):
    (tmp_path / "brief.txt").write_text(TEXT)
    (tmp_path / "README.md").write_text("# Over deze map")
    (tmp_path / "~$brief.docx").write_text("office lock file")
    (tmp_path / ".verborgen.txt").write_text(TEXT)
    (tmp_path / "begroting.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "concepten").mkdir()
    (tmp_path / "concepten" / "versie1.txt").write_text(TEXT)
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "a.txt").write_text("x")
    (tmp_path / "manifest.toml").write_text('ignore = ["concepten/*"]\n')
    docs, other = scan(tmp_path)
    assert _names(docs) == ["brief.txt"]
    reasons = {Path(o["path"]).name: o["reason"] for o in other}
    assert set(reasons) == {"README.md", "~$brief.docx", ".verborgen.txt", "begroting.xlsx", "versie1.txt", ".git"}
    assert all(r.startswith("genegeerd") for n, r in reasons.items() if n != "begroting.xlsx")
    assert "niet ondersteund" in reasons["begroting.xlsx"]
    assert "a.txt" not in reasons  # a hidden folder is reported once, not walked
    # settings replace the default patterns: README.md becomes a document
    docs, _ = scan(tmp_path, ignore=[])
    assert _names(docs) == ["README.md", "brief.txt"]
    assert Settings.load(ignore="a*, *.bak").index.ignore == ["a*", "*.bak"]


def test_manifest_mistakes_are_reported_by_file_and_key(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text(TEXT)
    (tmp_path / "manifest.toml").write_text(
        '"d.txt" = "geen tabel"\n\n["a.txt"]\ntitle = "Brief A"\ndate = 2019-04-01\norganisation = "gemeente Voorbeeld"\n\n'
        '["b.txt"]\ntitle = ["geen", "tekst"]\ndate = "13 maart 2025"\nauteur = "X"\n\n'
        '["c"]\ndate = 2020-02-03T10:00:00\n'
    )
    manifest = read_manifest(tmp_path)
    a = describe(tmp_path / "a.txt", tmp_path, manifest, TEXT)
    assert (a.title, a.date, a.organisation, a.warnings) == ("Brief A", "2019-04-01", "gemeente Voorbeeld", [])
    b = describe(tmp_path / "b.txt", tmp_path, manifest, TEXT)
    assert b.date == "2025-03-13" and b.title.startswith("Raadsinformatiebrief")
    assert any("'title'" in w for w in b.warnings) and any("'date'" in w for w in b.warnings)
    assert any("'auteur'" in w for w in b.warnings)
    c = describe(tmp_path / "c.txt", tmp_path, manifest, TEXT)  # key without extension
    assert c.date == "2020-02-03" and not c.warnings
    d = describe(tmp_path / "d.txt", tmp_path, manifest, TEXT)
    assert d.warnings and "tabel" in d.warnings[0]
    assert describe(tmp_path / "d.txt", tmp_path, {}, TEXT).organisation == "gemeente Voorbeeld"
    json.dumps(manifest)  # unquoted dates were made strings: the build manifest can store them


def test_ingest_reports_ignored_files_and_manifest_warnings(tmp_path):
    from assistant.index import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT)
    (corpus / "README.md").write_text("# Lees mij")
    (corpus / "manifest.toml").write_text('["a.txt"]\ndate = 2019-04-01\nkleur = "blauw"\n')
    settings = Settings.load(index_dir=tmp_path / "idx")
    report = build_index(settings, corpus)
    assert report.documents == 1
    assert [(Path(s["path"]).name, s["reason"]) for s in report.skipped] == [("README.md", "genegeerd (ignored)")]
    assert [Path(w["path"]).name for w in report.warnings] == ["a.txt"] and "kleur" in report.warnings[0]["reason"]
    again = build_index(settings, corpus)
    assert again.unchanged and len(again.skipped) == 1 and len(again.warnings) == 1
    # the organisation (here inferred: "… van de gemeente Voorbeeld") reaches passages, vectors and citations
    from assistant.index import Index
    from assistant.model import Citation

    index = Index.open(settings)
    passage = next(iter(index.passages.values()))
    assert passage.organisation == "gemeente Voorbeeld"
    assert index.collection.get(ids=[passage.id])["metadatas"][0]["organisation"] == "gemeente Voorbeeld"
    assert Citation.of(1, passage, []).organisation == "gemeente Voorbeeld"
