"""Patterns and lookups of the structured records (council motions, measures) in questions and text.

The one home of the motion-number patterns: ingestion (chunk, records), retrieval and answering
all recognise a motion the same way.
"""

from __future__ import annotations

import re

from .model import Measure, Motion
from .text import content_words

# A motion number as people write it in a question or an answer: "2106-18", "2203-07A".
MOTION_NUMBER = re.compile(r"\b(\d{4}-\d{2,3}[A-Za-z]?)\b")
# A table row that names a council motion: "Jeugdzorg - Bewezen effectief (2106-18)".
MOTION_ROW = re.compile(r"\((\d{4}-\d{2,3}[A-Za-z]?)\)\s*$")

OPEN = re.compile(r"\b(niet afgedaan|nog niet|open|openstaand\w*|lopend\w*|nog te doen|uitstaand\w*)\b", re.I)
DONE = re.compile(r"\b(afgedaan|afgehandeld|afgerond)\b", re.I)
PROGRESS = re.compile(
    r"\b(inmiddels|gebeurd|stand van zaken|voortgang|terechtgekomen|opgeleverd|resultaten?|hoe staat|hoe gaat|"
    r"hoe verder|nu|update|2022|uitgevoerd|gerealiseerd)\b",
    re.I,
)
GENERIC = frozenset("maatregel maatregelen jeugdhulp jeugd actieplan 2019 plan wat hield hield houdt inhoud".split())


def motion_listing(motions: list[Motion], query: str) -> list[Motion]:
    """ "Welke moties zijn nog niet afgedaan?": all motions with that status (no motion named)."""
    if not re.search(r"\bmoties\b|\bwelke motie", query, re.I) or find_motions(motions, query):
        return []
    if OPEN.search(query):
        return [m for m in motions if not m.done]
    if DONE.search(query):
        return [m for m in motions if m.done]
    return []


def find_measures(measures: list[Measure], query: str) -> list[Measure]:
    """Measures whose title the question names (most of its content words)."""
    words = set(content_words(query)) - GENERIC
    out = []
    for m in measures:
        title = set(content_words(m.title)) - GENERIC
        if title and len(words & title) / len(title) >= 0.6:
            out.append((len(words & title) / len(title), m))
    out.sort(key=lambda x: -x[0])
    return [m for s, m in out if s == out[0][0]][:2] if out else []


def find_motions(motions: list[Motion], query: str) -> list[Motion]:
    """Motions the question names by number, or else by (most of) their name."""
    numbers = {n.upper() for n in MOTION_NUMBER.findall(query)}
    by_number = [m for m in motions if m.number.upper() in numbers]
    if by_number or numbers:
        return by_number
    words = set(content_words(query)) - {"motie", "moties", "status", "afgedaan", "jeugdzorg", "jeugd"}
    scored = []
    for m in motions:
        title = set(content_words(m.title)) - {"jeugdzorg", "jeugd"}
        overlap = words & title
        # All of a short name, or most of a long one ("motie Burgervoogd", "motie over wachttijden").
        if title and overlap and len(overlap) / len(title) >= 0.5:
            scored.append((len(overlap) / len(title), m))
    scored.sort(key=lambda x: -x[0])
    return [m for s, m in scored if s == scored[0][0]][:3] if scored else []
