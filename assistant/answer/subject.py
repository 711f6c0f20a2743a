"""The subject a partial answer names: "De documenten noemen <subject>, maar …".

The name must be the question's subject as the documents write it: a required name found in the
passages, else the rarest question word found there. Two things made the sentence wrong before
(seen on the dev answers): an adverb of the question counted as its subject ("De documenten noemen
bijvoorbeeld", "… noemen Opvallend"), and a compound of the question matched only its first part in
the passage ("jeugdhulpaanbieders" named as "Jeugd"). Dutch has no tagger offline here, so adverbs are
a closed list of common Dutch adverbs and degree words, the same for every corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..text import same_stem, tokenize

# Adverbs, degree words and adjectives of manner that a question uses to frame its subject.
ADVERBS = frozenset(
    """
    bijvoorbeeld namelijk eigenlijk uiteindelijk opvallend opvallende tegelijk tegelijkertijd allemaal allerlei
    vooral echt gewoon zelf zelfs ongeveer precies meestal vaak soms altijd nooit ooit weer opnieuw alweer
    steeds daarnaast daarom daarbij bovendien overigens inderdaad misschien waarschijnlijk zeker vroeger later
    eerder straks binnenkort inmiddels intussen ondertussen totaal helemaal volledig vooraf achteraf nogal
    behoorlijk enorm erg heel veel weinig meer minder meest minst extra ander andere verschillende diverse
    """.split()
)
# Words that name the asked detail, not the subject ("Wat was de uitkomst van de evaluatie?" is about the
# evaluation; "…, maar geen uitkomst" says the detail).
DETAIL_WORDS = frozenset(
    "uitkomst uitkomsten resultaat resultaten conclusie conclusies bedrag bedragen aantal percentage datum status naam".split()
)
# Modal verbs never name a subject ("De documenten noemen mag, …").
MODALS = frozenset(
    "mag mogen mocht mochten moet moeten moest moesten kan kunnen kon konden wil willen wilde zal zullen zou zouden".split()
)
NAMELESS = "dit onderwerp"


def subject_name(entities: list[str], subject: list[str], text: str, idf: Callable[[str], float]) -> str:
    """The subject of a question as written in `text` (the passages shown): a required name there,
    else the rarest subject word there, never an adverb or a mere first part of the asked compound."""
    words = re.findall(r"[\w’'-]+", text)
    # (rarity, is a whole name, as written): the rarest names the subject best; a name over its word.
    found: list[tuple[float, int, str]] = []
    for e in entities:
        m = re.search(r"\b" + re.escape(e) + r"\b", text, re.I)
        if m:
            found.append((round(max(idf(w) for w in tokenize(e)), 6), 1, m.group(0)))
    for t in set(subject):
        if t.isdigit() or t in ADVERBS or t in DETAIL_WORDS or t in MODALS:
            continue
        # The word, an inflection or a compound of it names it; a mere first part of it does not.
        hit = next((w for w in words if w.lower() == t or (same_stem(t, w.lower()) and len(w) >= len(t) - 3)), None)
        if hit:
            found.append((round(idf(t), 6), 0, hit))
    if not found:
        return NAMELESS
    best = max(found)
    return best[2] if best[1] else _with_following(best[2], text, subject)


def _with_following(word: str, text: str, subject: list[str]) -> str:
    """The word with the question's words that follow it in the text: the noun after an adjective
    ("virtuele G20 top", not "virtuele"), the rest of a name ("Kansrijke Start"); a place name's "Den"."""
    asked = set(subject)
    m = re.search(r"(?:\b(Den|Ter|Ten)\s+)?(?<![\w-])" + re.escape(word) + r"((?:[ \t]+[\w’'-]+){0,3})", text)
    if not m:
        return word
    phrase = f"{m.group(1)} {word}" if m.group(1) else word  # "Den Haag", "Den Helder", not "Haag"
    for w in m.group(2).split():
        tokens = tokenize(w)
        if not tokens or not all(t in asked or any(same_stem(t, a) for a in asked) for t in tokens):
            break
        phrase += " " + w
    return phrase
