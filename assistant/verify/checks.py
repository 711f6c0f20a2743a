"""The position checks of rule B (see `judge`) that look beyond single words: numbers side by side
(B.1 pairs), a number anchored by its neighbouring words (B.1), another number of the same kind in a
sentence that lends words to the claim (B.1), swapped terms (B.5), and the tightest matched span
that the negation check (B.2) reads around."""

from __future__ import annotations

from .analysis import Text, is_content
from .lexicon import Number, number_type, shown

PAIR_SENTENCE, PAIR_PASSAGE = 1, 2  # adjacency of two numbers (content words apart, units/months not counted)


def sentence_items(sent: Text, word_pos, chosen_numbers, in_window) -> list[tuple[int, str, list[int]]]:
    """Content items of the sentence in order: (cpos, label, passage cpos of their matches in the window)."""
    items = []
    for w, idx in sent.words.items():
        where = [i for i in word_pos[w] if in_window(i)]
        for i in idx:
            items.append((sent.tokens[i].cpos, w, where))
    for n, local in zip(sent.numbers, chosen_numbers):
        items.append((n.cpos, n.text, [m.pos for m in local]))
    items.sort(key=lambda x: x[0])
    return items


def anchor_problems(sent: Text, doc: Text, word_pos, chosen_numbers, in_window) -> list[str]:
    """A number must stand near (≤ PAIR_PASSAGE + 1 content words) one of the found words or numbers
    next to it in the sentence: "(2106-18) is afgedaan" needs "afgedaan" by 2106-18 in the passage."""
    problems = []
    items = sentence_items(sent, word_pos, chosen_numbers, in_window)
    for n, local in zip(sent.numbers, chosen_numbers):
        if not local:
            continue
        neighbours = [where for cpos, label, where in items if where and label != n.text and 0 < abs(cpos - n.cpos) <= 2]
        if not neighbours:
            continue
        near = any(abs(doc.tokens[i].cpos - m.cpos) <= PAIR_PASSAGE + 1 for m in local for where in neighbours for i in where)
        if not near:
            problems.append(f"getal {shown(n)} staat in de passage bij iets anders")
    return problems


def competing_numbers(sent: Text, doc: Text, word_pos, chosen_numbers, in_window) -> list[str]:
    """A window of several passage sentences: a sentence that lends words to the claim must not hold
    another number of the same kind ("33%" there, "40%" in the claim from the sentence before)."""
    problems = []
    word_units: set[int] = set()
    for w in sent.words:
        word_units |= {doc.tokens[i].unit for i in word_pos[w] if in_window(i)}
    values = {n.value for n in sent.numbers} | {p for n in sent.numbers for p in n.parts}
    for n, local in zip(sent.numbers, chosen_numbers):
        if not local:
            continue
        own = {doc.tokens[m.pos].unit for m in local}
        kind = number_type(n)
        for m in doc.numbers:
            u = doc.tokens[m.pos].unit
            if u in own or u not in word_units or not in_window(m.pos):
                continue
            if number_type(m) == kind and m.value not in values:
                problems.append(f"getal {shown(n)}: de passage noemt daar {shown(m)}")
                break
    return problems


def substitutions(sent: Text, doc: Text, word_pos, chosen_numbers, in_window, missing: set[str]) -> list[str]:
    """A missing word whose place in the passage (between the same found neighbours) holds another
    content word: a swapped term ("primair onderwijs" for "voortgezet onderwijs")."""
    if not missing:
        return []
    matched = {i for w in sent.words for i in word_pos[w] if in_window(i)}
    matched |= {m.pos for local in chosen_numbers for m in local}
    by_cpos = {t.cpos: i for i, t in enumerate(doc.tokens) if t.cpos >= 0 and (i == 0 or doc.tokens[i - 1].cpos != t.cpos)}
    items = sentence_items(sent, word_pos, chosen_numbers, in_window)
    problems = []
    for k, (cpos, label, where) in enumerate(items):
        if label not in missing or where:
            continue
        prev = next((it for it in reversed(items[:k]) if it[2]), None)
        nxt = next((it for it in items[k + 1 :] if it[2]), None)
        if not prev or not nxt or nxt[0] - prev[0] > 3:
            continue
        best = None
        for a in prev[2]:
            for b in nxt[2]:
                gap = doc.tokens[b].cpos - doc.tokens[a].cpos
                if 0 < gap <= nxt[0] - prev[0] + 1 and (best is None or gap < best[0]):
                    best = (gap, a, b)
        if best is None:
            continue
        _, a, b = best
        others = [
            doc.tokens[i].raw
            for c in range(doc.tokens[a].cpos + 1, doc.tokens[b].cpos)
            if (i := by_cpos.get(c)) is not None and i not in matched and is_content(doc.tokens[i])
        ]
        if others:
            problems.append(f"woord vervangen: '{label}' in zin, '{' '.join(others)}' in passage")
    return problems


def pair_problems(sent: Text, local: list[list[Number]]) -> list[str]:
    """Two numbers side by side in the sentence must stand side by side in the passage too."""
    problems = []
    nums = sent.numbers
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            a, b = nums[i], nums[j]
            if "ord" in (a.kind, b.kind) or b.cpos - a.cpos > PAIR_SENTENCE or a.value == b.value:
                continue
            if not local[i] or not local[j]:
                continue  # already reported
            same_unit = bool(a.unit) and a.unit == b.unit
            ok = any(
                abs(y.cpos - x.cpos) <= PAIR_PASSAGE and (not same_unit or x.cpos < y.cpos or x.pos < y.pos)
                for x in local[i]
                for y in local[j]
                if x is not y
            )
            if not ok:
                problems.append(f"getallen {shown(a)} en {shown(b)} horen in de passage niet bij elkaar")
    return problems


def tightest_span(sent: Text, word_pos, chosen_numbers, in_window) -> tuple[int, int]:
    """Smallest token span of the window that holds one match of every found word and number."""
    events: list[tuple[int, int]] = []
    groups = 0
    for w in sent.words:
        pos = [i for i in word_pos[w] if in_window(i)]
        if pos:
            events += [(i, groups) for i in pos]
            groups += 1
    for local in chosen_numbers:
        if local:
            events += [(m.pos, groups) for m in local]
            groups += 1
    events.sort()
    counts = [0] * groups
    have = 0
    best = (events[0][0], events[-1][0])
    left = 0
    for right, (pos, g) in enumerate(events):
        if counts[g] == 0:
            have += 1
        counts[g] += 1
        while have == groups:
            if pos - events[left][0] < best[1] - best[0]:
                best = (events[left][0], pos)
            lg = events[left][1]
            counts[lg] -= 1
            if counts[lg] == 0:
                have -= 1
            left += 1
    return best
