"""The second evaluation corpus: real documents of other municipalities and governments (realdocs).

Questions with `"corpus": "realdocs"` are asked of an index of that folder (`../shared/realdocs` next to
the checkout, or `--realdocs DIR`). The gate uses a smaller index: documents longer than
`GATE_MAX_PAGES` pages (the 155-page minutes of a council meeting) are left out, which saves most of
the embedding time, and questions whose evidence is only in a left-out document are not asked. The
full folder is for the report (`--realdocs-full`).
"""

from __future__ import annotations

from pathlib import Path

from ..settings import ROOT, Settings

# Next to the checkout (CI: ../shared/realdocs), or one level up for a worktree (as check_questions.py).
REALDOCS = next(
    (p for p in (ROOT.parent / "shared" / "realdocs", ROOT.parent.parent / "shared" / "realdocs") if p.is_dir()),
    ROOT.parent / "shared" / "realdocs",
)
GATE_MAX_PAGES = 100


def page_count(path: Path) -> int:
    """Pages of a PDF (0 when it cannot be read: the ingest reports such files itself); 1 otherwise."""
    if path.suffix.lower() != ".pdf":
        return 1
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(path)).pages)
    except Exception:  # an unreadable file is the ingest's to report, not the suite's
        return 0


def gate_subset(source: Path, target: Path, max_pages: int = GATE_MAX_PAGES) -> list[str]:
    """Fill `target` with copies of the files of `source` except those over `max_pages` pages; returns
    the doc ids (file stems) left out. Copies, not links: the ingest never reads a link that points
    outside its corpus folder. Unchanged copies are kept, so a later ingest is incremental."""
    import shutil

    from ..corpus import discover, doc_id_for

    target.mkdir(parents=True, exist_ok=True)
    left_out = []
    wanted = set()
    for path in discover(source):
        if page_count(path) > max_pages:
            left_out.append(doc_id_for(path))
            continue
        wanted.add(path.name)
    wanted |= {p.name for p in source.iterdir() if p.name.lower() == "manifest.toml"}
    for old in target.iterdir():
        if old.name not in wanted or old.is_symlink():
            old.unlink()
    for name in wanted:
        copy, original = target / name, source / name
        if not copy.exists() or copy.stat().st_size != original.stat().st_size:
            shutil.copyfile(original, copy)
    return sorted(left_out)


def realdocs_settings(base: Settings, source: Path, index_dir: Path | None, full: bool) -> tuple[Settings, list[str]]:
    """Settings of the realdocs index (built or updated on the way) and the doc ids left out of it."""
    index_dir = Path(index_dir or base.index_dir.parent / f"{base.index_dir.name}-realdocs{'-full' if full else ''}")
    corpus, left_out = source, []
    if not full:
        corpus = index_dir.parent / f"{index_dir.name}.corpus"
        left_out = gate_subset(source, corpus)
    settings = Settings.load(index_dir=index_dir, corpus_dir=corpus, chroma_url=base.index.chroma_url or None)
    return settings, left_out


def build(settings: Settings, progress=None):
    """Build or update the realdocs index (incremental: unchanged documents are not embedded again)."""
    from ..index import build_index

    return build_index(settings, progress=progress)


def askable(questions: list[dict], left_out: list[str]) -> list[dict]:
    """The questions whose evidence is not only in left-out documents (unanswerable ones always are)."""
    out = []
    for q in questions:
        docs = {g.get("doc_id") for g in q.get("gold") or [] if isinstance(g, dict)}
        if not docs or docs - set(left_out):
            out.append(q)
    return out
