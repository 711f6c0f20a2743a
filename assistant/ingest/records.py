"""Structured records found in the passages: council motions (moties) and measures (maatregelen)."""

from __future__ import annotations

import re

from ..model import Measure, Motion, Passage
from ..records import MOTION_ROW
from ..text import content_words

_DATE = re.compile(r"\b(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b")
PLAN_KINDS = {"actieplan", "beleidsplan", "uitvoeringsplan"}
PROGRESS_KINDS = {"voortgangsrapportage", "rapportage", "evaluatie"}


def motions(passages: list[Passage]) -> list[Motion]:
    found: dict[tuple[str, str], Motion] = {}
    for p in passages:
        first, _, rest = p.text.partition("\n")
        m = MOTION_ROW.search(first)
        if not m:
            continue
        status = " ".join(rest.split())
        dates = _DATE.findall(status)
        date = f"{dates[-1][2]}-{int(dates[-1][1]):02d}-{int(dates[-1][0]):02d}" if dates else ""
        found.setdefault(
            (p.doc_id, m.group(1)),
            Motion(
                number=m.group(1),
                title=first[: m.start()].strip(" -–"),
                status=status,
                done=status.lower().startswith("afgedaan"),
                date=date,
                doc_id=p.doc_id,
                page=p.page,
                section=p.section,
                passage_id=p.id,
            ),
        )
    return sorted(found.values(), key=lambda r: r.number)


def _heading(p: Passage) -> str:
    """The numbered heading of the passage's own section, without its number."""
    for part in reversed(p.section_title.split(" > ")):
        if part.startswith(p.section + " ") or part.startswith(p.section + ". "):
            return part[len(p.section) :].strip(" .\\")
    return ""


def _leaf_sections(passages: list[Passage], chapter: str = "2") -> dict[str, list[Passage]]:
    """Numbered sections inside `chapter` that have no numbered subsections: one measure each."""
    by_section: dict[str, list[Passage]] = {}
    for p in passages:
        if p.section.startswith(chapter + ".") and _heading(p):
            by_section.setdefault(p.section, []).append(p)
    return {s: ps for s, ps in by_section.items() if not any(o.startswith(s + ".") for o in by_section)}


def measures(passages: list[Passage]) -> list[Measure]:
    docs: dict[str, list[Passage]] = {}
    for p in passages:
        docs.setdefault(p.doc_id, []).append(p)
    plans = [ps for ps in docs.values() if ps[0].kind in PLAN_KINDS]
    reports = [ps for ps in docs.values() if ps[0].kind in PROGRESS_KINDS]
    out: list[Measure] = []
    for plan in plans:
        for section, ps in sorted(_leaf_sections(plan).items(), key=lambda kv: _key(kv[0])):
            first = ps[0]
            measure = Measure(section, _heading(first), first.doc_id, first.title, first.date, first.id)
            _attach_progress(measure, reports)
            out.append(measure)
    return out


def _attach_progress(measure: Measure, reports: list[list[Passage]]) -> None:
    """Find the section of a later report whose heading names the same measure (word overlap)."""
    words = set(content_words(measure.title))
    best, best_score = None, 0.0
    for report in reports:
        if report[0].date[:4] < measure.date[:4]:
            continue
        for section, ps in _leaf_sections(report).items():
            other = set(content_words(_heading(ps[0])))
            score = len(words & other) / max(1, len(words | other))
            if score > best_score:
                best, best_score = ps, score
    if best and best_score >= 0.34:
        measure.progress_doc_id = best[0].doc_id
        measure.progress_section = best[0].section
        measure.progress_title = _heading(best[0])
        measure.progress_summary = " ".join(" ".join(p.text for p in best).split())[:600]


def _key(section: str) -> list:
    return [int(x) if x.isdigit() else x for x in re.split(r"[.]", section)]
