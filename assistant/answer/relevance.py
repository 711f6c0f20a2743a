"""Is the evidence about the motion a question asks after?

* `motion_subject`: for "de motie over X" without a number, the share of X covered by a sentence or
  table row that is about a motion. No such motion means nothing in the documents is about it; a
  sentence that shares X's words but names no motion is no evidence of one.

IDF weights over the index, no list of known motions or topics: the same code serves any council.
"""

from __future__ import annotations

import re

from ..model import Passage
from ..records import MOTION_ROW
from .evidence import Evidence

# "de motie over …", "die motie van …": one motion, named by its subject rather than its number.
ONE_MOTION = re.compile(r"\b(?:de|die|deze|een|die ene|dat) motie\b", re.I)
MOTION_WORD = re.compile(r"\bmoties?\b", re.I)
_MOTION_TOKENS = frozenset({"motie", "moties"})


def asks_one_motion(question: str, has_number: bool) -> bool:
    """The question is about one motion named by its subject ("Wat is er met de motie over X gebeurd?")."""
    return not has_number and bool(ONE_MOTION.search(question))


def motion_units(p: Passage, units: list[tuple[int, int]]) -> list[str]:
    """The texts of a passage that are about a motion: a motion table row or a passage under a heading
    that names a motion as a whole, or else its sentences that say "motie"."""
    if MOTION_ROW.search(p.text.split("\n", 1)[0]) or MOTION_WORD.search(p.section_title):
        return [f"{p.section_title} {p.text}"]
    return [p.text[s:e] for s, e in units if MOTION_WORD.search(p.text[s:e])]


def motion_subject(evidence: Evidence, subject: list[str], texts: list[str], synonyms=None) -> float:
    """The best IDF-weighted share of the motion's subject (the question's subject without the word
    "motie") covered by one text about a motion; 1.0 when the question names nothing but the motion."""
    words = [w for w in subject if w not in _MOTION_TOKENS]
    if not words:
        return 1.0
    return max((evidence.coverage(words, t, synonyms) for t in texts), default=0.0)
