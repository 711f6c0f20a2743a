"""The sentences an answer is chosen from: the units of a passage and their scores for a question.

A unit is a sentence (a bullet without its "• "), or a whole table row for a motion with its status. Its
score weighs how much of the question it covers (0.6), how well its passage ranked (0.3) and its heading's
coverage (0.1): lexical evidence first, the ranking as a tie-breaker between passages (measured in issue 11,
evals/README: without the ranking, or with E5 sentence similarity added, dev facts fell).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Passage
from ..records import MOTION_ROW
from ..text import sentence_key, split_sentences, tokenize
from .furniture import quotable

ASKS_FOR_QUESTIONS = re.compile(r"\bvra(?:ag|gen)\b", re.I)


def units(p: Passage) -> list[tuple[int, int]]:
    """Sentences of a passage; a table row (a motion with its status) is one unit."""
    if MOTION_ROW.search(p.text.split("\n", 1)[0]):
        return [(0, len(p.text))]
    return [(s + 2, e) if p.text.startswith("• ", s) else (s, e) for s, e in split_sentences(p.text)]


def candidates(
    question: str,
    pool: list[Passage],
    coverage: Callable[[str], float],
    prefer: Callable[[str], bool] | None = None,
    bonus: float = 0.0,
) -> list[tuple]:
    """(score, coverage, passage index, (start, end)) for every distinct unit of the pool, best first.
    `coverage(text)` is the question's coverage of a text; a unit for which `prefer` holds scores `bonus` more.

    A sentence the pool holds more than once (a page repeats it, two passages overlap), or restates with
    nearly all its words (`_restates`), keeps only its best-scored place, so a repeat never takes the slot of
    another sentence."""
    top = max(p.score for p in pool) or 1.0
    asks_for_questions = bool(ASKS_FOR_QUESTIONS.search(question))
    scored = []
    for i, p in enumerate(pool):
        heading_cov = coverage(p.section_title)
        for span in units(p):
            unit = p.text[span[0] : span[1]]
            if not quotable(unit, question):  # an attendance list (furniture.py)
                continue
            cov = coverage(unit)
            score = 0.6 * cov + 0.3 * (p.score / top) + 0.1 * heading_cov
            if unit.rstrip().endswith("?") and not asks_for_questions:
                score *= 0.5  # a question in a document states nothing; quote it only when questions are asked for
            if prefer is not None and prefer(unit):
                score += bonus
            scored.append((score, cov, i, span))
    scored.sort(key=lambda c: -c[0])
    seen: set[str] = set()
    kept_words: list[tuple[set[str], int]] = []
    distinct = []
    for c in scored:
        text = pool[c[2]].text[c[3][0] : c[3][1]]
        key = sentence_key(text)
        words = set(tokenize(text))
        if key in seen or _restates(words, len(text), kept_words):
            continue
        seen.add(key)
        kept_words.append((words, len(text)))
        distinct.append(c)
    return distinct


# A sentence whose words (numbers included) are nearly all in a sentence already kept restates it: a summary
# and its section say "vanaf 2027 ongeveer € 6,8 mln." twice in other words around the same figures.
RESTATED_SHARE = 0.9
RESTATED_MIN_WORDS = 6
RESTATED_LENGTH = 2


def _restates(words: set[str], length: int, kept: list[tuple[set[str], int]]) -> bool:
    """`words` (of a unit `length` characters long) restate a kept unit (its words, its length)."""
    if len(words) < RESTATED_MIN_WORDS:
        return False
    # Of about its own length: a long unit (a page of minutes listing every agenda item) holds most words of an item
    # without saying what the item adds ("… (RIS321402) Aangenomen").
    return any(len(words & k) >= RESTATED_SHARE * len(words) and size <= RESTATED_LENGTH * length for k, size in kept)
