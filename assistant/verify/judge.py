"""Faithfulness checker: is an answer sentence supported by the passage(s) it cites?

Rule-based and deterministic (no model): an embedding judge was measured at AUC 0.77 and scores a
wrong year, an added "niet" or a swapped policy term like a supported claim, so this module compares
numbers, negations and content words explicitly. Used before an LLM sentence is shown and by the
evaluation suite (faithfulness, citation precision).

Definition of "supported"
-------------------------
Citation markers ("[1]", "[1][3]", "[1, 3]", "[1-3]") and HTML tags are removed first. A sentence
is SUPPORTED by a passage when A or B holds.

A. Verbatim: its word sequence (lower-cased; accents, punctuation and whitespace ignored) occurs in
   the passage as a whole sentence or clause (starting and ending at a sentence or punctuation
   boundary) with no negation in the three passage words before it that the sentence lacks.
   Score 1.0.

B. Checked: all of 1-5 hold against the *aligned window*, a run of at most MAX_WINDOW (3)
   consecutive passage sentences (`assistant.text.split_sentences`). The window is the single
   passage sentence that contains most of the sentence's content words and numbers; a window one
   sentence longer replaces it only if it contains MIN_GAIN (2) more of them, or one more word
   that is not a contrast term and no number (a referent: "… Dit geldt ook voor de gemeente
   Delft."). A fact is not supported by words or numbers that belong to another part of the
   passage.
   1. Numbers. Every number of the sentence - amounts, percentages, counts, years, dates
      (15-12-2021), motion numbers (2106-18), ranges (2020-2024), quarters (Q1), number words
      ("negen") and ordinals ("tweede") - occurs in the window: compounds as a whole, with the same
      unit when the sentence gives one ("19%" = "19 procent", "€ 6,8 mln." = "6,8 miljoen"; the
      scale mln/mld must agree on both sides). Furthermore
      - two numbers next to each other in the sentence (only stopwords, units or a month between:
        "€ 3 mln. in 2025") have at most one content word between them in the window, in the same
        order when they share a unit ("van 85% naar 75%");
      - a number stands in the window within 3 content words of one of the found words or numbers
        that are within 2 of it in the sentence ("(2106-18) … afgedaan" needs "afgedaan" by 2106-18);
      - a passage sentence of the window that lends words to the claim but not the number holds
        no other number of the same kind ("40%" in the claim, "33%" in that passage sentence).
   2. Negation. The sentence contains a negation (`assistant.text.NEGATIONS`: niet, geen, nooit,
      niets, zonder, onvoldoende, …) exactly when the matched stretch of the window does: from the
      first to the last matched word, plus 3 words before (up to 6, back to the start of the
      clause: "Het is niet zo dat …") and 2 after.
   3. Coverage. At least MIN_COVERAGE (0.80) of the sentence's content words (`text.STOPWORDS`
      and unit words excluded) and numbers are found in the window. A word is found when it occurs
      exactly (accents ignored); with the same light Dutch stem or root ("regionale" = "regionaal",
      "ondersteund" = "ondersteunt", "voorgesteld" = "voorstel", "verwacht" = "verwachting"); as the
      last part of a compound ("aanbieders" in "jeugdhulpaanbieders"); glued to a short function
      word by OCR ("ingang" in "Metingang"; "Eris" counts as "Er is"); as a separable verb written
      apart ("aansluiten" in "aan te laten sluiten"); as a hedge synonym ("ongeveer" = "ca."); or,
      for words of ≥ 9 letters, with one OCR character error. A non-key word of ≥ 5 letters is
      also found in a word it is a prefix of, or that is a prefix of it.
   4. Key words. No key word is missing. Key words are content words of ≥ KEY_LENGTH (8) letters,
      words capitalised mid-sentence (names, acronyms), months, and CONTRAST_TERMS
      (prestatiegericht/resultaatgericht, lokaal/regionaal/landelijk, preventief/specialistisch,
      structureel/incidenteel, verhoogd/verlaagd, raad/college/rijk, …). They only match strictly:
      no prefix match ("resultaat" ≠ "resultaatgericht") and no compound whose first part negates
      or contrasts ("voldoende" ≠ "onvoldoende", "regionaal" ≠ "bovenregionaal").
   5. No swap. A missing word whose place in the window - between the same found neighbours -
      holds another content word is a swapped term ("primair onderwijs" for "voortgezet
      onderwijs"); and no "meer" in the sentence where the window says "minder".
   A sentence without a content word or number is not supported ("geen controleerbare inhoud").

`Support.score` is the share of the sentence's content words and numbers found in the aligned window
(1.0 on the verbatim path). Validation: `python evals/validate_checker.py` on
`evals/support_pairs.jsonl` (hand-labelled pairs from the corpus).

Answer-level rules (`check_answer`, connecting phrases) are in `assistant.verify.answers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import MONTHS, NEGATIONS, strip_citations
from .analysis import Text, analyse, analyse_passage, clean
from .checks import anchor_problems, competing_numbers, pair_problems, substitutions, tightest_span
from .lexicon import OPPOSITE_STOPWORDS, Number, is_contrast, shown
from .matching import match_positions, number_matches

# Thresholds, validated with `python evals/validate_checker.py --sweep` (which varies them here).
MIN_COVERAGE = 0.80  # share of content words + numbers found in the aligned window (validated)
MAX_WINDOW = 3  # passage sentences an answer sentence may draw on
KEY_LENGTH = 8  # content words of at least this many letters must match strictly
NEG_BEFORE, NEG_AFTER = 3, 2  # words around the matched stretch searched for a negation
NEG_CLAUSE = 6  # ... before it: up to this many words back to the start of the clause ("niet zo dat …")
MIN_GAIN = 2  # a window one passage sentence longer must cover this many more words/numbers


@dataclass(frozen=True)
class Support:
    supported: bool
    score: float  # 0..1, share of the sentence's content words and numbers the passage covers
    reasons: tuple[str, ...] = ()  # short reasons when not supported


def check(sentence: str, passage: str) -> Support:
    """Is `sentence` (citation markers ignored) supported by `passage`? See the module docstring."""
    sentence, _ = strip_citations(clean(sentence))
    sent = analyse(sentence)
    if not sent.tokens:
        return Support(False, 0.0, ("lege zin",))
    items = len(sent.words) + len(sent.numbers)
    if not items:
        return Support(False, 0.0, ("geen controleerbare inhoud",))
    doc = analyse_passage(clean(passage))
    if not doc.tokens:
        return Support(False, 0.0, ("lege passage",))
    if _verbatim(sent, doc):
        return Support(True, 1.0, ())
    return _judge(sent, doc, key_words(sent))


def key_words(sent: Text) -> set[str]:
    """Content words (fold) that must match strictly: long words, contrast terms, months, and words
    capitalised mid-sentence (names, acronyms)."""
    key: set[str] = set()
    for idx in sent.words.values():
        for i in idx:
            tok = sent.tokens[i]
            if (
                len(tok.fold) >= KEY_LENGTH
                or is_contrast(tok.fold)
                or tok.fold in MONTHS
                or (tok.raw[0].isupper() and tok.start not in sent.starts)
                or (len(tok.raw) >= 2 and tok.raw.isupper() and tok.raw.isalpha())
            ):
                key.add(tok.fold)
    return key


def _verbatim(sent: Text, doc: Text) -> bool:
    """The sentence's words occur in this order in the passage, as a whole sentence or clause
    (starting and ending at a sentence or punctuation boundary), with no negation just before it."""
    needle = sent.joined
    at = doc.joined.find(needle)
    while at >= 0:
        first = doc.joined.count(" ", 0, at)  # token index of the match start
        last = first + len(sent.tokens) - 1
        # Only a negation in the same passage sentence can negate the quote ("… niet doorbroken worden. Om …").
        before = [t for t in doc.tokens[max(0, first - NEG_BEFORE) : first] if t.unit == doc.tokens[first].unit]
        negated = any(t.low in NEGATIONS or t.fold in NEGATIONS for t in before) and not sent.negations
        if not negated and _at_boundary(doc, first, before=True) and _at_boundary(doc, last, before=False):
            return True
        at = doc.joined.find(needle, at + 1)
    return False


def _at_boundary(doc: Text, i: int, before: bool) -> bool:
    tokens = doc.tokens
    j = i - 1 if before else i + 1
    if j < 0 or j >= len(tokens) or tokens[j].unit != tokens[i].unit:
        return True
    a, b = (tokens[j], tokens[i]) if before else (tokens[i], tokens[j])
    between = doc.text[a.start + len(a.raw) : b.start]
    return bool(re.search(r"[.,;:!?()•®@–\-\[\]\"'‘’“”]", between))


def _judge(sent: Text, doc: Text, key: set[str]) -> Support:
    reasons: list[str] = []
    # where each content word and number is found, by passage sentence
    word_pos = {w: match_positions(w, w in key, doc) for w in sent.words}
    num_occ = [number_matches(n, doc) for n in sent.numbers]

    # items (words, then numbers) present per passage sentence
    unit_items: list[set[int]] = [set() for _ in range(doc.units)]
    for k, w in enumerate(sent.words):
        for i in word_pos[w]:
            unit_items[doc.tokens[i].unit].add(k)
    offset = len(sent.words)
    for k, occ in enumerate(num_occ):
        for m in occ:
            unit_items[doc.tokens[m.pos].unit].add(offset + k)
    contrast = {k for k, w in enumerate(sent.words) if is_contrast(w)}
    lo = hi = 0
    chosen: set[int] | None = None
    for size in range(1, min(MAX_WINDOW, doc.units) + 1):
        size_best: tuple[set[int], int] | None = None
        for start in range(doc.units - size + 1):
            covered = set().union(*unit_items[start : start + size])
            if size_best is None or len(covered) > len(size_best[0]):
                size_best = (covered, start)
        covered, start = size_best
        if chosen is not None:
            gain = covered - chosen
            extra = size - (hi - lo + 1)
            enough = len(covered) >= len(chosen) + MIN_GAIN * extra
            # one more sentence for one more plain word: "… Dit geldt ook voor de gemeente Delft."
            referent = extra == 1 and chosen <= covered and gain and all(k < offset and k not in contrast for k in gain)
            if not (enough or referent):
                continue
        chosen, lo, hi = covered, start, start + size - 1
    in_window = lambda i: lo <= doc.tokens[i].unit <= hi

    missing = [w for w in sent.words if not any(in_window(i) for i in word_pos[w])]
    found_numbers = 0
    chosen_numbers: list[list[Number]] = []
    for n, occ in zip(sent.numbers, num_occ):
        local = [m for m in occ if in_window(m.pos)]
        chosen_numbers.append(local)
        if local:
            found_numbers += 1
        elif occ:
            reasons.append(f"getal {shown(n)} staat in de passage in een ander verband")
        else:
            reasons.append(f"getal {shown(n)} niet in passage")
    reasons += pair_problems(sent, chosen_numbers)
    reasons += anchor_problems(sent, doc, word_pos, chosen_numbers, in_window)
    reasons += competing_numbers(sent, doc, word_pos, chosen_numbers, in_window)

    total = len(sent.words) + len(sent.numbers)
    score = (len(sent.words) - len(missing) + found_numbers) / total

    missing_key = [w for w in missing if w in key]
    if missing_key:
        reasons.append("sleutelwoorden ontbreken: " + ", ".join(missing_key))
    reasons += substitutions(sent, doc, word_pos, chosen_numbers, in_window, set(missing) - set(missing_key))
    if score < MIN_COVERAGE:
        reasons.append(f"inhoudswoorden ontbreken: {', '.join(missing) or '-'} (dekking {score:.2f} < {MIN_COVERAGE:.2f})")

    # the matched stretch of the window, for negations and opposites
    positions = [i for w in sent.words for i in word_pos[w] if in_window(i)]
    positions += [m.pos for local in chosen_numbers for m in local]
    if positions:
        a, b = tightest_span(sent, word_pos, chosen_numbers, in_window)
        start = max(0, a - NEG_BEFORE)
        while start > max(0, a - NEG_CLAUSE) and not _at_boundary(doc, start, before=True):
            start -= 1
        # Never past the passage sentences that hold the match ("… niet doorbroken worden. Om …").
        while start < a and doc.tokens[start].unit != doc.tokens[a].unit:
            start += 1
        end = min(len(doc.tokens), b + NEG_AFTER + 1)
        while end - 1 > b and doc.tokens[end - 1].unit != doc.tokens[b].unit:
            end -= 1
        region = range(start, end)
        passage_neg = [doc.tokens[i].low for i in region if doc.tokens[i].low in NEGATIONS or doc.tokens[i].fold in NEGATIONS]
        if sent.negations and not passage_neg:
            reasons.append("ontkenning ontbreekt in passage: " + sent.tokens[sent.negations[0]].low)
        elif passage_neg and not sent.negations:
            reasons.append("passage bevat een ontkenning die in de zin ontbreekt: " + passage_neg[0])
        window_words = {doc.tokens[i].fold for i in region}
        sent_words = {t.fold for t in sent.tokens}
        for word, opposite in OPPOSITE_STOPWORDS.items():
            if word in sent_words and word not in window_words and opposite in window_words and opposite not in sent_words:
                reasons.append(f"tegengestelde term: '{word}' in zin, '{opposite}' in passage")
    elif not reasons:
        reasons.append("geen overlap met de passage")

    return Support(not reasons, round(score, 3), tuple(reasons))
