"""Questions about an outcome ("Wat kwam er uit de expertmeeting?", "Wat heeft de evaluatie opgeleverd?").

Such a question is answered only by a sentence that reports a result. Without this test the sentences
that merely announce the meeting or evaluation ("Ik ben voornemens een expertmeeting te organiseren")
were presented as its outcome: the documents discuss the subject but not what came of it, which is a
partial answer. Rules over general Dutch wording of results, the same for every corpus.
"""

from __future__ import annotations

import re

# "wat kwam er uit", "wat is eruit gekomen", "wat heeft het opgeleverd", "wat levert het op",
# "wat was de uitkomst / het resultaat / de conclusie", "wat bleek uit".
OUTCOME_QUESTION = re.compile(
    r"\bwat (?:kwam|komt|kwamen) (?:er )?uit\b|\bwat is (?:er )?(?:uit|eruit) ?(?:gekomen|voortgekomen)\b|"
    r"\bwat (?:heeft|hebben) .{1,60}?opgeleverd\b|\bwat (?:levert|leverde|leveren|leverden) .{1,80}?\bop\b|"
    r"\bwat (?:was|is|waren|zijn) (?:de|het) (?:uitkomst|uitkomsten|resultaat|resultaten|conclusie|conclusies)\b|"
    r"\bwat bleek (?:er )?uit\b",
    re.I,
)
# A sentence that reports a result: findings, conclusions, yields, effects, amounts.
RESULT = re.compile(
    r"\b(?:blijkt|bleek|bleken|resultaat|resultaten|uitkomst\w*|opgeleverd|oplevert|opleverde|opbrengst\w*|"
    r"geconcludeerd|concludeer\w*|conclusie\w*|constateer\w*|geconstateerd|heeft geleid|hebben geleid|leidde|"
    r"laat zien|laten zien|toont aan|tonen aan|gerealiseerd|bespaard|effect\w*|afgesproken|overeengekomen|"
    r"aanbevel\w*|aanbevolen|advies|adviseert|geadviseerd)\b|€",
    re.I,
)

# A change reached ("werd … vergroot", "is grotendeels bereikt"), not one intended or expected ("de
# verwachting is dat … wordt verbeterd", "moet worden vergroot").
CHANGE = re.compile(
    r"\b(?:bereikt|behaald|vergroot|verbeterd|verminderd|gedaald|gestegen|toegenomen|afgenomen|verkort|versterkt)\b", re.I
)
INTENDED = re.compile(r"\b(?:wordt|worden|zal|zullen|moet|moeten|kan|kunnen|verwacht\w*|beoogd\w*)\b", re.I)

# A result noun after a preposition refers to the result without reporting it: "geïnformeerd over de
# uitkomsten", "onderzoek naar de effecten", "op basis van de resultaten", "in afwachting van het advies".
REFERENCE = re.compile(r"\b(?:over|naar|van|op|met|voor|om)\s+(?:de|het|deze|die|dit|dat|zijn|haar|hun)\s+(?:\w+\s+)?$", re.I)
NOUNS = re.compile(r"(?:resulta|uitkomst|opbrengst|conclusie|effect|aanbevel|advies)", re.I)


def reports_result(sentence: str, question: str = "") -> bool:
    """A result word in `sentence` other than the question's own ("Wat was de uitkomst …?" is not answered
    by "Op basis van de uitkomst zal … worden bijgestuurd"), and a result noun not merely referred to."""
    asked = set(re.findall(r"\w+", question.lower()))
    return any(
        m.group(0) == "€"
        or (m.group(0).lower() not in asked and not (NOUNS.match(m.group(0)) and REFERENCE.search(sentence[: m.start()])))
        for m in RESULT.finditer(sentence)
    ) or any(not INTENDED.search(sentence[: m.start()]) for m in CHANGE.finditer(sentence))
