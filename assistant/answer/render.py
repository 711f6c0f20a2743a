"""Rendering an extractive answer: cited units in reading order under a heading per document, and
the few fixed Dutch framing sentences that are the only words not quoted from a document.

Framing (see `is_framing`, which the faithfulness evaluation uses to accept exactly these lines):
  "Volgens <titel> (<datum>):"                       heading per document
  "Volgens <titel> (stand per <datum>):"             heading for a status question
  "De documenten noemen <onderwerp>, maar <detail>."  partial answer (subject present, detail absent)
  "Hierover staat niets in de (gekozen) documenten." not found
  "Ik geef geen advies of mening; ik laat zien wat de documenten zeggen."  opinion or advice asked
"""

from __future__ import annotations

import re

from ..model import Citation, Passage
from ..text import dutch_date, sentence_key

NO_ANSWER = "Hierover staat niets in de documenten."
NO_ANSWER_FILTERED = "Hierover staat niets in de gekozen documenten."
OPINION_NOTE = "Ik geef geen advies of mening; ik laat zien wat de documenten zeggen."
# What a partial answer says is missing, per asked type ("De documenten noemen X, maar geen bedrag.").
MISSING_DETAIL = {
    "bedrag": "geen bedrag",
    "percentage": "geen percentage",
    "getal": "geen aantal",
    "datum": "geen datum",
    "persoon": "geen naam",
    "besluit": "geen besluit hierover",
    "status": "geen status",
    "uitkomst": "geen uitkomst",
}
DEFAULT_DETAIL = "geen antwoord op precies deze vraag"
_PARTIAL = re.compile(
    r"^De (?:gekozen )?documenten noemen [^.:\[\]\n]{1,80}, maar (?:geen [\w ]{1,40}|niets over [^.\[\]\n]{1,60})\.$"
)


def partial_sentence(subject: str, detail: str, filtered: bool = False) -> str:
    return f"De {'gekozen ' if filtered else ''}documenten noemen {subject}, maar {detail}."


def is_framing(line: str) -> bool:
    """One of the fixed framing lines above (checked by the evaluation's faithfulness test)."""
    t = (line or "").strip()
    if t.startswith("Volgens ") and t.endswith(":"):
        return True
    return t in {NO_ANSWER, NO_ANSWER_FILTERED, OPINION_NOTE} or bool(_PARTIAL.match(t))


def heading(p: Passage, status: bool = False) -> str:
    if not p.date:
        return f"Volgens {p.title}:"
    return f"Volgens {p.title} (stand per {dutch_date(p.date)}):" if status else f"Volgens {p.title} ({dutch_date(p.date)}):"


def render(
    pool: list[Passage],
    chosen: list[tuple],
    by_date: bool = False,
    status: bool = False,
    lead: dict[int, tuple[int, int]] | None = None,
) -> tuple[str, list[Citation]]:
    """Cited units grouped per passage (in order of the best unit, or by document date for a
    development over time), a heading per document, in reading order within a passage except that
    `lead` (passage -> span) puts the answering sentence of that passage first. A sentence is quoted
    once, at its first (best) place in `chosen`, however often the pages repeat it."""
    by_passage: dict[int, list[tuple[int, int]]] = {}
    order: list[int] = []
    quoted: set[str] = set()
    for c in chosen:
        i, span = c[2], c[3]
        key = sentence_key(pool[i].text[span[0] : span[1]])
        if key in quoted:
            continue
        quoted.add(key)
        if i not in by_passage:
            by_passage[i] = []
            order.append(i)
        by_passage[i].append(span)
    if by_date:
        rank = {i: k for k, i in enumerate(order)}
        order.sort(key=lambda i: (pool[i].date or "9999", rank[i]))
    citations: list[Citation] = []
    paragraphs: list[str] = []
    previous_doc = None
    for n, i in enumerate(order, start=1):
        p = pool[i]
        spans = sorted(by_passage[i])
        if lead and lead.get(i) in spans:
            spans.remove(lead[i])
            spans.insert(0, lead[i])
        sentences = join_units(p.text, spans, n)
        if p.doc_id == previous_doc:  # same document as the paragraph before: no repeated heading
            paragraphs[-1] += "\n" + sentences
        else:
            paragraphs.append(f"{heading(p, status)}\n{sentences}")
        previous_doc = p.doc_id
        citations.append(Citation.of(n, p, sorted(spans)))
    return "\n\n".join(paragraphs), citations


def join_units(text: str, spans: list[tuple[int, int]], n: int) -> str:
    """Cited sentences in reading order; list items (and other text without a full stop) get a line
    of their own, so every line still reads as one cited unit."""
    out = ""
    for s, e in spans:
        unit = " ".join(text[s:e].split())
        item = text[max(0, s - 2) : s] == "• " or not re.search(r"[.!?]['\"’”)]*$", unit)
        piece = f"{'• ' if text[max(0, s - 2) : s] == '• ' else ''}{unit} [{n}]"
        if not out:
            out = piece
        elif item or out.endswith("\x00"):
            out += "\n" + piece
        else:
            out += " " + piece
        if item:
            out += "\x00"  # what follows a list item starts on a new line too
    return out.replace("\x00", "")
