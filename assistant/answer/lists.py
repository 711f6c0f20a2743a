"""What a chosen sentence brings along: the items of the list it introduces, the rest of a sentence
that a line break cut, a sentence that leans on it, and the sentence whose date it refers to.

Policy documents put their answers to "welke …" questions in lists: a lead line ending in ":" (or a
heading without punctuation) and bulleted or numbered items, sometimes running on into the next
passage of the same section. Quoting the lead alone answers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..model import Passage

# A sentence opening with one of these leans on the sentence before it ("Wel ligt het percentage …", "In zulke
# gevallen wordt het gezin aangemeld …"), as one saying "immers" does ("Aanbieders konden immers niet …").
CONNECTIVE = re.compile(
    r"^(wel|maar|echter|daardoor|hierdoor|tegelijkertijd|desondanks|toch|in (?:zulke|dergelijke|die|deze|dat|zo'n) geval(?:len)?|"
    r"zulke|dergelijke)\b|^[^.;:]{0,80}\bimmers\b",
    re.I,
)
# "De oude regeling wordt per die datum ingetrokken": the date is in the sentence before. (Any opening
# "Dit/Deze …" measured: the same gain, but sentence fragments and loose context added to other answers.)
SAME_DATE = re.compile(r"\b(?:die|deze|dezelfde|diezelfde) datum\b|\b(?:dat|datzelfde) (?:moment|tijdstip)\b", re.I)
# "Daarom wordt voorgesteld …": the reason is the sentence before.
THEREFORE = re.compile(r"(?:daarom|hierom|om (?:die|deze) redenen?|dat is (?:ook )?(?:de reden|waarom))\b", re.I)
# Lines in lower case that start a block of their own, not the rest of the line before: a signature
# ("de griffier, de voorzitter,") or a decision header ("besluit 1.").
BLOCK_LINE = re.compile(r"^(?:de (?:griffier|voorzitter|secretaris|burgemeester)\b|besluit(?:en)?\b)", re.I)
MAX_ITEMS = 6  # items of one list quoted at most: an answer, not the whole appendix
# A line of at least this many characters that ends without punctuation was cut by the page width.
WRAP_WIDTH = 50
_ENUMERATOR = re.compile(r"^(\d+[a-z]?(\.\d+)*\.?|[a-z]\))\s")
_END = re.compile(r"[.!?;:)\]”\"']$")

Span = tuple[int, int]


def starts_line(text: str, s: int) -> bool:
    return s == 0 or text[s - 1] == "\n" or text[max(0, s - 2) : s] == "• "


def is_bullet(text: str, s: int) -> bool:
    return text[max(0, s - 2) : s] == "• "


def list_items(text: str, following: list[Span], bulleted_only: bool = False) -> tuple[list[Span], bool]:
    """The items of the list whose lead comes just before `following` (the units after it, in order),
    and whether the list runs on to the end of the text. An item is a unit that starts a line (a
    bullet or a paragraph of its own); a further sentence of an item on the same line belongs to it.
    The list ends at the next sub-heading ending in ":", after `MAX_ITEMS` items, or (for a lead
    without ":", `bulleted_only`) at the first line that is not a bullet."""
    items: list[Span] = []
    count = 0
    for s, e in following:
        line = starts_line(text, s)
        if text[s:e].rstrip().endswith(":") or (line and bulleted_only and not is_bullet(text, s)):
            return items, False
        if line:
            count += 1
            if count > MAX_ITEMS:
                return items, False
        elif not items:
            return items, False  # the lead runs on in prose: no list
        items.append((s, e))
    return items, True


def introduces_list(text: str, span: Span, following: list[Span]) -> tuple[bool, bool]:
    """(leads a list, bullets only): a unit ending in ":"; or a line without closing punctuation (a
    heading such as "4. Jeugdhulp in een medisch centrum") followed by a bullet."""
    unit = text[span[0] : span[1]].rstrip()
    if unit.endswith(":"):
        return True, False
    heading = not _END.search(unit) and starts_line(text, span[0]) and not is_bullet(text, span[0])
    return bool(heading and following and is_bullet(text, following[0][0])), True


def line_cut(text: str, span: Span, nxt: Span) -> bool:
    """The page width cut the line at the end of `span`: a full line (`WRAP_WIDTH`) without closing
    punctuation, and `nxt` on the next line. `split_sentences` ends a unit at every line break, which PDF
    text keeps wherever the page width wrapped a line."""
    gap, line = text[span[1] : nxt[0]], text[text.rfind("\n", 0, span[1]) + 1 : span[1]]
    return gap.count("\n") == 1 and not gap.strip() and not _END.search(line.rstrip()) and len(line) >= WRAP_WIDTH


def wrapped_rest(text: str, span: Span, following: list[Span]) -> list[Span]:
    """The rest of a sentence that a line break cut in two ("• … naar een speciaal" / "MultiDisciplinair
    Overleg (MDO) waar …"): the next unit, when this one ends a cut line (`line_cut`) and is a bullet item
    (a heading such as "1a.4 Teams dragen bij" or a signature line is no bullet; a new item starts with
    its bullet or number)."""
    if not following or not line_cut(text, span, following[0]):
        return []
    s, e = following[0]
    if is_bullet(text, s) or _ENUMERATOR.match(text[s:e]):
        return []
    return [(s, e)] if is_bullet(text, span[0]) else []


def runs_on(text: str, span: Span, nxt: Span) -> bool:
    """`nxt` is the rest of the sentence that a page-width line break cut after `span` (`line_cut`): it
    goes on in lower case and does not start a block of its own (`BLOCK_LINE`)."""
    if not line_cut(text, span, nxt):
        return False
    return text[nxt[0] : nxt[0] + 1].islower() and not BLOCK_LINE.match(text[nxt[0] : nxt[1]])


def pool_index(pool: list[Passage], passage: Passage, score: float) -> int:
    """Where `passage` is in the answer pool; appended (scored `score`, cited like the others) when the
    ranking did not bring it."""
    j = next((k for k, p in enumerate(pool) if p.id == passage.id), None)
    if j is None:
        pool.append(replace(passage, score=score))
        j = len(pool) - 1
    return j


def unwrap(text: str, units: list[Span]) -> list[Span]:
    """Units joined where a line break cut a sentence (`runs_on`): "… het college opdracht" / "te geven om: …"."""
    out: list[Span] = []
    for s, e in units:
        if out and runs_on(text, out[-1], (s, e)):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _statement(text: str, span: Span) -> bool:
    """A whole sentence of some length, not a heading or a fragment left by the layout."""
    unit = text[span[0] : span[1]].strip()
    return unit.endswith(".") and unit[:1].isupper() and len(unit.split()) >= 6


def continuations(
    pool: list[Passage],
    chosen: list[tuple],
    units: Callable[[Passage], list[Span]],
    next_passage: Callable[[Passage], Passage | None],
) -> tuple[list[Passage], list[tuple]]:
    """The chosen units with what each brings along (each scored just below it): a list's items,
    also from the next passage of the same section when the list runs on past the passage's end;
    the rest of a sentence cut by a line break; a following sentence that leans on it. Returns the
    pool (with any next passage appended, cited like the others) and the units."""
    pool = list(pool)
    out = list(chosen)
    taken = {(c[2], c[3]) for c in chosen}

    def add(score, cov, i, spans):
        for u in spans:
            if (i, u) not in taken:
                taken.add((i, u))
                out.append((score - 1e-6, cov, i, u))

    for score, cov, i, (s, e) in chosen:
        text = pool[i].text
        following = [u for u in units(pool[i]) if u[0] >= e]
        leads, bulleted = introduces_list(text, (s, e), following)
        if leads:
            items, runs_on = list_items(text, following, bulleted)
            add(score, cov, i, items)
            nxt = next_passage(pool[i]) if runs_on else None
            if nxt is not None and nxt.section_title == pool[i].section_title:
                more, _ = list_items(nxt.text, units(nxt), bulleted_only=True)  # prose there is no item
                if more:
                    j = pool_index(pool, nxt, pool[i].score)
                    add(score, cov, j, more[: max(0, MAX_ITEMS - len(items))])
        elif rest := wrapped_rest(text, (s, e), following):
            add(score, cov, i, rest)
        elif following and CONNECTIVE.match(text[following[0][0] : following[0][1]]):
            add(score, cov, i, following[:1])
        before = [u for u in units(pool[i]) if u[1] <= s]
        if before and (SAME_DATE.search(text[s:e]) or (THEREFORE.match(text[s:e]) and _statement(text, before[-1]))):
            add(score, cov, i, before[-1:])
    return pool, _rejoined(pool, out, units)


def _rejoined(pool: list[Passage], chosen: list[tuple], units: Callable[[Passage], list[Span]]) -> list[tuple]:
    """Each chosen unit that a page-width line break cut (`runs_on`) quoted whole: its span runs on over the
    next line(s). Applied after the choice, so it changes what is shown, not which sentences are chosen
    (joining before scoring changed the choice: evals/README.md, round 7)."""
    out, covered = [], set()
    for c in chosen:
        i, (s, e) = c[2], c[3]
        if (i, (s, e)) in covered:
            continue
        for u in [u for u in units(pool[i]) if u[0] >= e][:3]:
            if not runs_on(pool[i].text, (s, e), u):
                break
            covered.add((i, u))
            e = u[1]
        out.append((c[0], c[1], i, (s, e)))
    return [c for c in out if (c[2], c[3]) not in covered]
