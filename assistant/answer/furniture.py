"""Units of a document that are meeting metadata or letterhead, never the answer to a question about its content.

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


# A letterhead's address block ("Spui 70 2500 DJ Den Haag", "Retouradres: Postbus 12600"): a Dutch postcode or a
# postbox in a short unit. It names the sender's city, so it matched questions about anything in that city and was
# shown as the closest sentence (realdocs: "tot wanneer loopt het welzijnsbeleid van Den Haag nu?").
_ADDRESS = re.compile(r"\b\d{4}\s?[A-Z]{2}\b|\bPostbus\s+\d+|\bRetouradres\b")
ADDRESS_CHARS = 160
# "waar" / "waarheen" ask a place; "waarom", "waarvoor", "waarde" do not.
ASKS_ADDRESS = re.compile(r"\b(adres\w*|postbus|postcode|waar|waarheen)\b", re.I)


def is_address(unit: str) -> bool:
    """A short unit with a postcode or a postbox: a letterhead's address, not a statement."""
    return len(unit) <= ADDRESS_CHARS and bool(_ADDRESS.search(unit))


def quotable(unit: str, question: str) -> bool:
    """False for an attendance list unless the question asks who was there, and for an address block unless
    it asks where."""
    if is_address(unit) and not ASKS_ADDRESS.search(question):
        return False
    return not is_roster(unit) or bool(ASKS_ATTENDANCE.search(question))
