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

from ..organisations import derived
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
# Words that say which one or whose, not what: ordinals and everyday adjectives ("De documenten noemen eerste",
# "… noemen eigen"). Named only when the question has no other word in the text.
WEAK = frozenset("eerste tweede derde laatste vorige volgende eigen nieuw nieuwe oud oude huidige hele goed goede".split())


def subject_name(
    entities: list[str], subject: list[str], text: str, idf: Callable[[str], float], publisher: frozenset[str] = frozenset()
) -> str:
    """The subject of a question as written in `text` (the passages shown): a required name there,
    else the rarest subject word there, never an adverb or a mere first part of the asked compound.
    What says where or which rather than what (the `publisher`'s name written as a name: every one of its
    documents names it; an ordinal) is named only when nothing else of the question is there."""
    words = re.findall(r"[\w’'-]+", text)
    # (says what, rarity, is a whole name, as written): the rarest names the subject best; a name over its word.
    found: list[tuple[int, float, int, str]] = []
    for e in entities:
        m = re.search(r"\b" + re.escape(e) + r"\b", text, re.I)
        if m:
            where = all(_of_publisher(w, publisher) for w in tokenize(e))
            found.append((int(not where), round(max(idf(w) for w in tokenize(e)), 6), 1, m.group(0)))
    for t in set(subject):
        if t.isdigit() or t in ADVERBS or t in DETAIL_WORDS or t in MODALS:
            continue
        # The word, an inflection or a compound of it names it; a mere first part of it does not.
        hit = next((w for w in words if w.lower() == t or (same_stem(t, w.lower()) and len(w) >= len(t) - 3)), None)
        # A part of a hyphenated compound names it as written ("berichtenverkeer": "Wmo-berichtenverkeer")
        hit = hit or next((w for w in words if "-" in w and any(p.lower() == t for p in w.split("-"))), None)
        if hit:
            # The publisher's name written as a name, not a common noun it contains ("een kamer" of a "Kamer")
            weak = t in WEAK or (_of_publisher(t, publisher) and hit[:1].isupper())
            found.append((int(not weak), round(idf(t), 6), 0, hit))
    if not found:
        return NAMELESS
    best = max(found)
    return best[3] if best[2] else _with_following(best[3], text, subject)


def _of_publisher(word: str, publisher: frozenset[str]) -> bool:
    """`word` is a word of the publisher's name or its adjective or demonym (`organisations.derived`)."""
    return word in publisher or any(derived(p, {word}) for p in publisher)


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
