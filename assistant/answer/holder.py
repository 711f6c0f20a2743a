"""Whose view a question asks for ("Wat vindt de adviesraad van de plannen?", "Hoe reageerde de
wethouder op de motie?").

Such a question is answered only by a sentence that names the holder and gives a view (an opinion verb
or noun: "adviseert", "onderschrijft", "is van mening", "zegde toe"): sentences about the plans that
merely mention the adviesraad ("de adviesraad wordt betrokken") would present someone else's words as its
view. Without one the answer is `partial` ("… maar niets over het oordeel van de adviesraad"). The
holder is the noun phrase between the opinion verb and "van/over/op"; a question asking the assistant
itself ("wat vindt u …") is an opinion question (`question.OPINION`), not this. Rules over general Dutch
wording, the same for every corpus.
"""

from __future__ import annotations

import re

from ..model import Passage
from ..text import content_words, same_stem, tokenize

# The holder runs up to the preposition its verb governs: "reageren op", "vinden van / over", "denken over / van",
# "oordelen over"; a "van" before it belongs to the holder ("hoe reageerden de medewerkers *van jeugd- en
# gezinshulp* op de plannen").
HOLDER = re.compile(
    r"\b(?:wat|hoe)\s+(?:"
    r"(?:reageert|reageerde|reageren|reageerden)\s+(?P<reacting>.{2,60}?)\s+(?:op|erop|daarop)"
    r"|(?:vindt|vond|vinden|vonden|denkt|dacht|denken|dachten|oordeelt|oordeelde)\s+(?P<holder>.{2,60}?)\s+"
    r"(?:van|over|op|ervan|erover|erop|daarvan|daarover|daarop))\b",
    re.I,
)
# A sentence that gives a view: an opinion verb, noun or evaluative word.
VIEW = re.compile(
    r"\b(?:vind\w*|vond\w*|mening|standpunt\w*|oordee\w*|advies|adviezen|advise\w*|geadviseerd|reactie\w*|reageer\w*|"
    r"gereageerd|onderschrij\w*|onderschre\w*|steun\w*|gesteund|pleit\w*|bepleit|zorg(?:en)?\s+over|kritiek\w*|"
    r"kritisch\w*|positief|positieve|negatief|negatieve|(?:is|zijn|was|waren)\s+(?:van\s+mening|het\s+(?:niet\s+)?eens)|"
    r"geeft\s+aan|gaf\s+aan|geven\s+aan|gaven\s+aan|benadrukt\w*|waarschuw\w*|verzoek\w*|vraagt|vroeg|"
    r"tevreden|ontevreden|blij|bezorgd|toezeg\w*|toegezegd|(?:zegt|zegde|zeggen|zegden)\s+toe|ontra\w*|antwoord\w*|"
    r"verwelkom\w*|veroordee\w*|betreur\w*|verheugd|teleurgesteld|(?:on)?toelaatbaar|(?:on)?aanvaardbaar|"
    r"(?:on)?acceptabel|(?:on)?wenselijk|roept\s+op|riep\s+op|roepen\s+op)\b",
    re.I,
)
PRONOUNS = frozenset("u jij je jullie ik wij we men iemand ze zij hij het".split())
# Where the holder ends before "van/over/op": "wat vonden *de aanbieders* belangrijk toen het plan van 2019 …"
# asks what they considered important; a clause ("toen", "dat"), a predicate adjective or a filler adverb
# ("wat vindt de g20 *eigenlijk* van …") closes the holder.
HOLDER_END = re.compile(
    r"\s+(?:belangrijk\w*|goed|slecht|nodig|noodzakelijk|wenselijk|nuttig|lastig|moeilijk|positief|negatief|"
    r"toen|als|wanneer|dat|die|waar|omdat|eigenlijk|nou|precies|nu|toch|zelf)\b.*$",
    re.I,
)


def holder_phrase(question: str) -> str:
    """The phrase naming whose view is asked ("het Nederlands Jeugdinstituut", "u"), "" when none is."""
    m = HOLDER.search(question)
    return HOLDER_END.sub("", m.group("reacting") or m.group("holder")) if m else ""


def named_holder(holder: str) -> str:
    """`holder` (a `holder_phrase`) unless it is a pronoun ("u", "het") or has no content word."""
    words = holder.lower().split()
    if not words or words[0] in PRONOUNS or not content_words(holder):
        return ""
    return holder


def gives_view(sentence: str, holder: str) -> bool:
    """`sentence` names the holder (every content word, inflections counted) and gives a view; a view
    word that is part of the holder's name ("Adviesraad") does not count."""
    named, words = content_words(holder), content_words(sentence)
    views = [m.group(0).lower() for m in VIEW.finditer(sentence)]
    return any(v not in named for v in views) and all(any(h == w or same_stem(h, w) for w in words) for h in named)


def view_of(sentence: str, holder: str, passage: Passage) -> bool:
    """`gives_view`, except that in the holder's own document (its title or publisher names the holder) a
    view needs no name: "hoe reageerde den helder op …" is answered by Den Helder's decision list."""
    own = set(tokenize(f"{passage.title} {getattr(passage, 'organisation', '')}"))
    return gives_view(sentence, "" if set(content_words(holder)) <= own else holder)


def view_detail(holder: str) -> str | None:
    """What a partial answer says is missing ("niets over het oordeel van de adviesraad"); None (the
    default wording) when the holder is too long for the fixed sentence."""
    return f"niets over het oordeel van {holder}" if len(holder) <= 44 else None
