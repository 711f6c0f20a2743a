"""Structured records found in the passages: council motions (moties) and measures (maatregelen).

Motions come in three shapes: a progress table row of an update ("Titel (2106-18)" + status), a
decision-list table row ("321647 Motie Q.1 HvDH Titel Aangenomen"), and a narrative decision list
("amendement (A8.1) … De raad besluit …: het amendement te aanvaarden").
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..model import Measure, Motion, Passage
from ..records import MOTION_ROW
from ..text import content_words

_DATE = re.compile(r"\b(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b")
PLAN_KINDS = {"actieplan", "beleidsplan", "uitvoeringsplan"}
PROGRESS_KINDS = {"voortgangsrapportage", "rapportage", "evaluatie"}


def motions(passages: list[Passage]) -> list[Motion]:
    found: dict[tuple[str, str], Motion] = {}
    _tracked_motions(passages, found)
    _voted_motions(passages, found)
    return sorted(found.values(), key=lambda r: r.number)


def _tracked_motions(passages: list[Passage], found: dict[tuple[str, str], Motion]) -> None:
    """Rows of a motion progress table: the first line names the motion and its number."""
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
                organisation=p.organisation,
                doc_date=p.date,
            ),
        )


# NOTE for the merge: the record patterns below belong with MOTION_NUMBER / MOTION_ROW in
# assistant/records.py (the lead moves them there).
_RESULT = r"(?:[Aa]angenomen|[Vv]erworpen|[Aa]angehouden|[Ii]ngetrokken|[Ss]temmen staken|[Vv]ervallen)"
_RESULT_CELL = r"(?:Aangenomen|Verworpen|Aangehouden|Ingetrokken|Stemmen staken|Vervallen)"  # a table cell
# The start of a decision-list table row: "321647 Motie Q.1 HvDH …". pypdf sometimes puts the result
# column before the kind ("321630 Aangehouden Motie K.10 GL …"); otherwise the result ends the row.
# Cleaned text may run rows together, so a row ends at the next row start, a line end or its result.
MOTION_TABLE_ROW = re.compile(
    rf"(?<![\w.])(?P<number>\d{{4,8}})[ \t]+(?:(?P<pre>{_RESULT_CELL})[ \t]+)?"
    r"(?P<kind>(?:(?:[Gg]ewijzigde?|[Aa]angepaste?|[Gg]eamendeerde?)[ \t]+)?(?:[Mm]otie|[Aa]mendement))[ \t]+"
    r"(?P<label>[A-Z]{1,3}\.(?:\d{1,3}|[A-Z]{1,2}))[ \t]+"
)
_ROW_END = re.compile(rf"(?:^|[ \t])(?P<post>{_RESULT_CELL})\b")
# "amendement (A8.1)", "motie (M12)" in running text, and an agenda item that is a motion ("16. Motie met …").
MOTION_MENTION = re.compile(r"\b(?P<kind>[Mm]otie|[Aa]mendement)\s*\((?P<label>[A-Z]{0,2}\d{1,3}(?:\.\d{1,3})?)\)")
AGENDA_MOTION = re.compile(r"(?m)^[ \t]*(?P<label>\d{1,3})\.[ \t]+(?P<kind>Motie|Amendement)\b[ \t]*(?P<title>[^\n.]*)")
_OUTCOMES = [  # how a narrative decision list words the outcome; the first one after the mention counts
    ("aangenomen", r"\bte aanvaarden\b|\baanvaardt\b|\baangenomen\b"),
    ("verworpen", r"\bte verwerpen\b|\bverwerpt\b|\bverworpen\b"),
    ("aangehouden", r"\baan te houden\b|\baangehouden\b"),
    ("ingetrokken", r"\bin te trekken\b|\bingetrokken\b"),
    ("staken", r"\bstemmen staken\b"),
]
_VOTES = re.compile(r"(\d+) stemmen voor en (\d+) stemmen tegen")
NARRATIVE_KINDS = {"besluitenlijst", "notulen"}
_SEGMENT = 1500  # characters after a mention in which its outcome is looked for


def _voted_motions(passages: list[Passage], found: dict[tuple[str, str], Motion]) -> None:
    docs: dict[str, list[Passage]] = {}
    for p in passages:
        docs.setdefault(p.doc_id, []).append(p)
    for doc_passages in docs.values():
        ordered = sorted(doc_passages, key=lambda p: (p.page or 0, p.start))
        starts, parts, pos, heading = [], [], 0, None
        for p in ordered:
            # A numbered item taken for a heading ("16. Motie met …") lives only in section_title.
            part = p.text if p.section_title == heading else f"{p.section_title.split(' > ')[-1]}\n{p.text}"
            heading = p.section_title
            starts.append(pos)
            parts.append(part)
            pos += len(part) + 1
        text = "\n".join(parts)
        at = _locator(ordered, starts)

        rows = list(MOTION_TABLE_ROW.finditer(text))
        for i, m in enumerate(rows):
            limit = min(rows[i + 1].start() if i + 1 < len(rows) else len(text), m.end() + 300)
            line_end = text.find("\n", m.end(), limit)
            body = text[m.end() : line_end if line_end >= 0 else limit]
            status = m.group("pre") or ""
            if not status and (post := _ROW_END.search(body)):
                body, status = body[: post.start()], post.group("post")
            party, _, title = body.strip(" -\t").partition(" ")
            if title.startswith("("):  # "GL (ondt) Titel": a note that belongs to the party
                note, _, title = title.partition(") ")
                party = f"{party} {note})"
            _add(found, at(m.start()), m.group("number"), m.group("label"), m.group("kind"), party, title, status)
        if ordered[0].kind not in NARRATIVE_KINDS:
            continue
        mentions = sorted([*MOTION_MENTION.finditer(text), *AGENDA_MOTION.finditer(text)], key=lambda m: m.start())
        for i, m in enumerate(mentions):
            end = min([m.end() + _SEGMENT] + [n.start() for n in mentions[i + 1 :] if n.group("label") != m.group("label")])
            segment = text[m.end() : end]
            result = _outcome(segment, agenda_item="title" in m.groupdict())
            if not result:
                continue
            title = m.group("title") if "title" in m.groupdict() else _sentence_rest(segment)
            votes = _VOTES.search(segment)
            motion = _add(
                found, at(m.start()), m.group("label"), m.group("label"), m.group("kind"), "", title.strip(" .:"), result
            )
            if motion and votes:
                motion.votes = f"{votes.group(1)} voor, {votes.group(2)} tegen"


def _locator(ordered: list[Passage], starts: list[int]):
    """offset in the joined text -> the passage it lies in."""
    return lambda offset: ordered[bisect_right(starts, offset) - 1]


def _outcome(segment: str, agenda_item: bool) -> str:
    """The first outcome worded in `segment`; for an agenda item that is a motion, "De raad besluit …"
    (the council adopts what follows) also means adopted."""
    hits = [(m.start(), result) for result, pattern in _OUTCOMES for m in [re.search(pattern, segment)] if m]
    if hits:
        return min(hits)[1]
    if agenda_item and re.search(r"\bDe raad besluit\b", segment):
        return "aangenomen"
    return ""


def _sentence_rest(segment: str) -> str:
    """What the mention's own sentence says about it: "in inhoudende X." -> "X"."""
    sentence = re.split(r"(?<=[.!?])\s", " ".join(segment.split()), maxsplit=1)[0]
    return re.sub(r"^(?:in\s+)?(?:inhoudende|over|om|tot)\s+", "", sentence)[:200]


def _add(found, p: Passage, number: str, label: str, kind: str, party: str, title: str, status: str) -> Motion | None:
    key = (p.doc_id, number)
    if key in found:
        return None
    result = " ".join(status.lower().split()).replace("stemmen staken", "staken")
    found[key] = Motion(
        number=number,
        title=" ".join(title.split()),
        status=status.strip(),
        done=False,
        date="",
        doc_id=p.doc_id,
        page=p.page,
        section=p.section,
        passage_id=p.id,
        label=label,
        result=result,
        kind="amendement" if "mendement" in kind else "motie",
        party=party,
        organisation=p.organisation,
        doc_date=p.date,
    )
    return found[key]


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
