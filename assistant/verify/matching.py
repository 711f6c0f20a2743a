"""Where a sentence's word or number is found in an analysed passage (rule B.3 of `judge`: exact,
same stem or root, compound head, OCR glue, separable verb, hedge synonym, one OCR error)."""

from __future__ import annotations

from ..text import SEPARABLE_PREFIXES, root, stem
from .analysis import Text
from .lexicon import BLOCKING_PREFIXES, CONTRAST_TERMS, GLUE, INFLECTIONS, SYNONYMS, Number

LOOSE_MIN = 5  # shortest word part that counts for a prefix/compound match
FUZZY_MIN = 9  # shortest word that may match with one OCR character error


def strict_pair(s: str, s_stem: str, p: str, p_stem: str) -> bool:
    """Same word up to inflection, a compound whose last part is the word, or one OCR error."""
    if s == p or s_stem == p_stem:
        return True
    short, long_ = (s, p) if len(s) <= len(p) else (p, s)
    if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in INFLECTIONS:
        return True
    # compound head: the passage word ends in the sentence word ("aanbieders" in "jeugdhulpaanbieders")
    for word in (s, s_stem):
        if len(word) >= LOOSE_MIN:
            for cand in (p, p_stem):
                if len(cand) > len(word) and cand.endswith(word):
                    rest = cand[: -len(word)]
                    if rest not in BLOCKING_PREFIXES and (len(rest) >= 3 or rest in GLUE):
                        return True
    # OCR glue in the sentence ("metingang" quoted, passage has "met ingang" or vice versa)
    if len(s) > len(p) and len(p) >= 4:
        for g in GLUE:
            if s.startswith(g) and s[len(g) :] in (p, p_stem) and len(s) - len(g) >= 4:
                return True
    if len(short) >= FUZZY_MIN and abs(len(s) - len(p)) <= 1 and one_edit(s, p):
        return s not in CONTRAST_TERMS and p not in CONTRAST_TERMS
    return False


def loose_pair(s: str, p: str) -> bool:
    """One word is a prefix of the other, the shorter one of at least LOOSE_MIN letters."""
    short, long_ = (s, p) if len(s) <= len(p) else (p, s)
    return len(short) >= LOOSE_MIN and long_.startswith(short)


def one_edit(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1, or one swap of neighbouring letters."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def match_positions(word: str, key: bool, doc: Text) -> list[int]:
    """Token indices in the passage where the sentence word `word` (fold) is found; a key word only
    strictly (no prefix match)."""
    word_stem = stem(word)
    found: set[str] = set()
    if word in doc.vocab:
        found.add(word)
    found.update(doc.by_stem.get(word_stem, ()))
    if len(word) >= LOOSE_MIN:
        found.update(doc.by_base.get(root(word), ()))
    for syn in SYNONYMS.get(word, ()):
        if syn in doc.vocab:
            found.add(syn)
    candidates = set(doc.by_prefix.get(word[:4], ()))
    candidates.update(doc.by_suffix.get(word[-4:], ()))
    candidates.update(doc.by_suffix.get(word_stem[-4:], ()))
    for g in GLUE:  # sentence word glued by OCR: look up its remainder
        if word.startswith(g) and len(word) - len(g) >= 4:
            candidates.update(doc.by_prefix.get(word[len(g) : len(g) + 4], ()))
    for cand in candidates - found:
        c_stem = doc.tokens[doc.vocab[cand][0]].stem
        if strict_pair(word, word_stem, cand, c_stem) or (not key and loose_pair(word, cand)):
            found.add(cand)
    positions = sorted(i for f in found for i in doc.vocab[f])
    if not positions:
        positions = split_verb_positions(word, doc)
    return positions


def split_verb_positions(word: str, doc: Text) -> list[int]:
    """A separable verb written apart in the passage: "aansluiten" in "aan te laten sluiten",
    "toeleiden" in "toe te leiden"."""
    for pre in SEPARABLE_PREFIXES[1:]:
        rest = word[len(pre) :]
        if word.startswith(pre) and len(rest) >= 4 and pre in doc.vocab:
            rest_stem = stem(rest)
            out = []
            for j in doc.vocab[pre]:
                for i in range(j + 1, min(len(doc.tokens), j + 4)):
                    t = doc.tokens[i]
                    if t.fold == rest or t.stem == rest_stem:
                        out.append(i)
            if out:
                return out
    return []


def number_matches(n: Number, doc: Text) -> list[Number]:
    """The passage numbers equal to `n`: same value (a part of a compound counts for a plain number),
    a % must stay a %, and the scale mln/mld must agree."""
    out = []
    for m in doc.numbers:
        if n.kind in ("q", "ord"):
            ok = m.kind == n.kind and m.value == n.value
        elif n.kind == "range":
            ok = m.kind == "range" and m.parts == n.parts
        else:
            ok = m.kind in ("num", "range") and n.value in (m.parts or (m.value,))
            if ok and n.unit == "%" and m.unit != "%":
                ok = False
            if ok and (n.unit in ("mln", "mld") or m.unit in ("mln", "mld")) and n.unit != m.unit:
                ok = False
        if ok:
            out.append(m)
    return out
