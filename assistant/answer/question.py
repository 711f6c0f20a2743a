"""Question analysis: what a Dutch question asks for, and follow-ups resolved against the chat history.

Rules, not a model (no Dutch question classifier ships offline): the patterns below name the kind of
answer a question wants (an amount, a percentage, a count, a date, a development over time), and a
follow-up ("En in 2022?") borrows the subject of the previous turn.
"""

from __future__ import annotations

import re

from ..retrieve import MOTION_NUMBER
from ..text import content_words, tokenize

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
TIMELINE = re.compile(
    r"\b(ontwikkel\w*|verloop|door de jaren|in de loop|tijdlijn|veranderd|veranderingen|achtereenvolgens|"
    r"geschiedenis|evolutie|van (?:19|20)\d\d tot|sinds\w*|terechtgekomen|inmiddels|stand van zaken|"
    r"hoe st(?:aat|ond) het|nog steeds|ooit|hoe is .* gegaan)\b",
    re.IGNORECASE,
)
FOLLOWUP_START = re.compile(r"^(en|maar|ook|dus|en wat|en hoe|en wanneer|waarom dan)\b", re.IGNORECASE)
QUANTITY = re.compile(r"\b(hoeveel|hoe (?:hoog|groot|veel)|welk bedrag|wat kost(?:te|en)?)\b", re.I)
MONEY_Q = re.compile(r"\b(wat kost(?:te|en)?|hoeveel geld|welk bedrag|in euro'?s|hoeveel euro|hoe duur)\b")
MONEY = re.compile(r"€|\beuro\b|\bmln\b|\bmld\b|\bmiljoen\b|\bmiljard\b", re.I)
PERCENT_Q = re.compile(r"\b(welk percentage|hoeveel procent|welk deel|welk aandeel)\b")
WHEN = re.compile(r"\b(wanneer|op welke datum|in welk jaar|per wanneer|welke datum)\b", re.I)
NUMBER_WORDS = frozenset(
    "twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig vijftig honderd duizend "
    "miljoen miljard half helft derde kwart procent tweeënhalf".split()
)
DATE_WORDS = frozenset(MONTHS) | {"kwartaal", "zomer", "najaar", "voorjaar", "begin", "eind", "medio", "jaar"}
ANAPHORA = frozenset("die dat deze dit hij zij ze het hem hun daar daarvan ervan hiervan daarmee dezelfde ervoor daarna".split())


def is_timeline(question: str) -> bool:
    """A question about how something developed ("Hoe stond het daar in 2022 mee?")."""
    return bool(TIMELINE.search(question))


def is_followup(question: str) -> bool:
    words = tokenize(question)
    return bool(FOLLOWUP_START.match(question.strip())) or (
        len(content_words(question)) <= 3 and any(w in ANAPHORA for w in words)
    )


def resolve_followup(question: str, history: list | None) -> str:
    """Carry the subject of the previous turn into a follow-up question, without an LLM."""
    turns = _turns(history)
    if not turns or not is_followup(question):
        return question
    last_user = next((t["content"] for t in reversed(turns) if t["role"] == "user"), "")
    last_answer = next((t["content"] for t in reversed(turns) if t["role"] == "assistant"), "")
    carried = content_words(last_user)
    carried += [n for n in MOTION_NUMBER.findall(last_answer) if n not in carried]
    return f"{question} {' '.join(carried)}".strip()


def _turns(history) -> list[dict]:
    out = []
    for item in history or []:
        if isinstance(item, dict) and "role" in item:
            content = item.get("content")
            if isinstance(content, list):  # Gradio may send content parts
                content = " ".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
            out.append({"role": item["role"], "content": str(content or "")})
        elif isinstance(item, (list, tuple)) and len(item) == 2:  # (user, assistant) pairs
            out += [{"role": "user", "content": str(item[0] or "")}, {"role": "assistant", "content": str(item[1] or "")}]
    return out
