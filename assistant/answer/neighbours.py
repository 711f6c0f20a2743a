"""The asked figure in the sentence next to the one about the subject.

Documents often name the subject in one sentence and give its figure in the next, with few of the
question's words ("Het aantal cliënten van de verlengde jeugdhulp is stabiel. In 2024 waren dit 469
cliënten met een financiële omvang van € 12,3 mln."). A sentence chosen for a typed question
(amount, percentage, count, date) may lack the figure while its neighbour in the same passage holds
it. Unlike the round-2 "typed figure fallback" (any sentence with a figure in a passage about the
question: near misses were answered with another figure, evals/README.md), the neighbour is taken
only next to a sentence that itself covers the question's subject. A "welke …?" question takes the
same way to an enumeration after a colon in the next sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .lead import Candidate

# A short enumeration closing a sentence after a colon ("… gegaan: Kracht en rondomJou."), items of
# at most four words: what a "welke …?" question asks for when the chosen sentence only leads to it.
ENUMERATION = re.compile(
    r":\s*(?:[^\s,:;.]+(?: [^\s,:;.]+){0,3}, )*[^\s,:;.]+(?: [^\s,:;.]+){0,3} (?:en|of) [^\s,:;.]+(?: [^\s,:;.]+){0,3}\.?$"
)

# A sentence that gives a reason or a purpose: what "waarom …?" / "waardoor …?" asks for. General Dutch
# connectives; a reason often follows the sentence that states the fact ("… gedaald. Dit komt doordat …").
CAUSE = re.compile(
    r"\b(?:omdat|doordat|vanwege|want|daardoor|hierdoor|daarom|oorzaa?k\w*|redenen?|als gevolg van|"
    r"gevolg van|komt door|komen door|te wijten|toe te schrijven|verklaa?r\w*|zodat|met als doel|"
    r"bedoeld om|teneinde|namelijk)\b",
    re.I,
)

# A duration or period: what "hoe lang …?" asks for ("tweeënhalf jaar", "8 weken", "2025 t/m 2028"); not
# hours, which minutes use for clock times ("13.30 uur").
PERIOD = re.compile(
    r"\b(?:\d+(?:[.,]\d+)?|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|anderhalf|twee\w{0,3}half)\s+"
    r"(?:dagen|dag|weken|week|maanden|maand|jaren|jaar|kwartalen|kwartaal|werkdagen)\b|\bt/m\b|\btot en met\b",
    re.I,
)

# A sentence that reports a vote: who voted for or against, or the count ("Tegen het voorstel stemden de
# fracties van …", "aangenomen met 36 tegen 8 stemmen"). Minutes and decision lists put it right after the
# decision it belongs to, without repeating the subject. "In te stemmen met" (to agree) is no vote.
VOTE = re.compile(
    r"\b(?:tegen|voor)\b[^.;]{0,60}\b(?:stemden|stemde|gestemd)\b|\b(?:stemden|stemde|gestemd)\s+(?:\S+\s+){0,8}?(?:tegen|voor)\b|"
    r"\bmet \d+ (?:tegen|voor) \d+\b|\b\d+ stemmen\b",
    re.I,
)

# The agent of a passive sentence, named: "Dit onderzoek is gedaan door het Utrecht Centre …", "ingediend
# door mevrouw Verdonk". What "wie heeft … gedaan/opgesteld/ingediend?" asks for.
AGENT = re.compile(r"\bdoor (?:de |het |een |mevrouw |de heer |het lid |)[A-Z][\w'’-]+")
# "Wie heeft/hebben … gedaan?", "door wie is … opgesteld?": asks who did it, which a passive sentence names.
WHO_DID = re.compile(r"^\s*(?:(?:en|maar) )?(?:wie (?:heeft|hebben|had|hadden)\b|door wie\b)", re.I)


def typed_neighbour(
    chosen: Sequence[Candidate],
    units: Callable[[int], list[tuple[int, int]]],
    text_of: Callable[[int], str],
    has_type: Callable[[str], bool],
    about_subject: Callable[[str], bool],
) -> tuple[Candidate, Candidate] | None:
    """(neighbour with the asked type, the chosen sentence it follows) or None.

    `units(i)` are the sentence spans of pool passage i, `text_of(i)` its text; `has_type(sentence)`
    tells whether a sentence holds a value of the asked type, `about_subject(sentence)` whether it
    covers the question's subject. Only the sentence right after a chosen one is looked at: the
    figure continues what its predecessor introduced ("… dit", "daarvan"); the sentence before a
    chosen one belongs to another statement as often as not."""
    for c in chosen:
        score, cov, i, span = c
        text = text_of(i)
        if not about_subject(text[span[0] : span[1]]):
            continue
        after = [u for u in units(i) if u[0] >= span[1]]
        if after and has_type(text[after[0][0] : after[0][1]]):
            return (score + 1e-6, cov, i, after[0]), c
    return None
