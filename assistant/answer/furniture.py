"""Units of a document that are meeting metadata, never the answer to a question about its content.

Council minutes and decision lists open with the attendance: "Aanwezig zijn 44 leden: Ahraui (PvdA), Arp
(SP), Assad (D66), …" — one long unit without a full stop, full of the municipality's name ("Hart voor Den
Haag"). Its words matched questions about anything in that municipality, and it was quoted as the answer
(measured on the realdocs dev questions: "komt het schoolzwemmen in Den Haag terug?" answered with the
attendance list). Only a question about who was present may quote it. Rules over the general layout of
Dutch council documents (names with their party in brackets), the same for every corpus.
"""

from __future__ import annotations

import re

# "Ahraui (PvdA)", "Van Basten Batenburg (VVD)": a capitalised name followed by a short bracketed party.
_MEMBER = re.compile(r"\b[A-Z][\w'’-]+\s\([^()]{1,30}\)")
ROSTER_MEMBERS = 5  # a list names at least this many members
ASKS_ATTENDANCE = re.compile(r"\b(aanwezig\w*|afwezig\w*|wie|welke (?:leden|raadsleden)|deelnemers|presentielijst)\b", re.I)


def is_roster(unit: str) -> bool:
    """The unit lists members with their party, as an attendance list does."""
    return len(_MEMBER.findall(unit)) >= ROSTER_MEMBERS


def quotable(unit: str, question: str) -> bool:
    """False for an attendance list unless the question asks who was there."""
    return not is_roster(unit) or bool(ASKS_ATTENDANCE.search(question))
