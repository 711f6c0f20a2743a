"""A development over time ("Hoe is het met X gegaan sinds 2019?"): the later documents' sentences that
say what became of it.

The sentence telling the effect ("Het aantal … neemt af", "daalt echter nog niet") rarely repeats the
question's words, so word coverage ranks it below the sentences that restate the plan. From each
document dated after the earliest one quoted, the best-ranked sentence that states a change is added,
when its passage is about the question. The change vocabulary is general Dutch, not any document's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..model import Passage

# Words that state a development: a rise or fall, an effect or result, something (not) yet achieved.
DEVELOPMENT = re.compile(
    r"\b(daling|daalt|dalen|gedaald|stijging|stijgt|stijgen|gestegen|afname|afgenomen|afnemen|toename|toegenomen|"
    r"neemt (?:af|toe)|nemen (?:af|toe)|effect(?:en)?|resultaat|resultaten|nog (?:niet|steeds|geen)|inmiddels|"
    r"gerealiseerd|behaald|bereikt|verbeterd|verslechterd|gelukt)\b",
    re.I,
)


def later_developments(
    pool: list[Passage],
    candidates: list[tuple],
    chosen: list[tuple],
    about: Callable[[Passage], bool],
    per_doc: int = 1,
    since: list[str] = (),
) -> list[tuple]:
    """Candidates (score, coverage, passage index, span), best first, not yet `chosen`: per document
    dated after the earliest chosen one, or after the earliest year the question names ("het actieplan
    van 2019 …, werkte dat in 2022 nog?" when only 2022 sentences were chosen), the best sentence
    stating a change in a passage `about` the question."""
    dates = [pool[c[2]].date for c in chosen if pool[c[2]].date] + [f"{y}-12-31" for y in since]
    if not dates:
        return []
    earliest = min(dates)
    taken = {(c[2], c[3]) for c in chosen}
    added: Counter = Counter()
    out = []
    for c in candidates:
        p = pool[c[2]]
        if not p.date or p.date <= earliest or added[p.doc_id] >= per_doc or (c[2], c[3]) in taken:
            continue
        if DEVELOPMENT.search(p.text[c[3][0] : c[3][1]]) and about(p):
            out.append(c)
            added[p.doc_id] += 1
    return out
