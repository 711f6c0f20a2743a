"""Lexical evidence over the indexed passages: term weights, coverage of a question's words, and
whether the names a question requires occur in a passage, its document or the corpus at all.

Everything here is computed from the index (passages, titles, organisation metadata), never from a
list of known names: the same code serves any municipality's documents.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from functools import cached_property, lru_cache

from ..model import Passage
from ..text import compound_heads, content_words, found_in, lemma, same_stem, tokenize, verb_form

# A word that occurs in at least this share of a document's passages (and in 3 or more) is what the
# document is about (the municipality's name in its own action plan), even where a passage does not repeat it.
DOC_NAME_SHARE = 0.2
# Weight (× IDF²) of a question word in a verb slot (`question.verb_slots`) that a text lacks: the
# question's own verbs ("kregen", "duurt") are rarely the documents' wording, and must not outweigh its
# subject; a verb the text has counts in full. 0.5 chosen on dev (0.25: a realdocs test question lost).
VERB_WEIGHT = 0.5
# A weakly covered question is about nothing in the corpus when the subject words it uses in no form weigh at
# least this share of the subject ("paspoort" in "hoeveel kost een nieuw paspoort bij de gemeente"); a lighter
# unheard word is mostly the question's own wording of what the documents say otherwise ("meetellen", "panden").
# Chosen on dev (0.4 / 0.5 / 0.6 / no share: 0.4 best; without it, 7 more answerable dev questions were told
# "niets"): see evals/README "Round 9".
UNHEARD_SHARE = 0.4


class Evidence:
    def __init__(self, passages: list[Passage], documents: dict | None = None, counts: tuple[dict, dict] | None = None):
        """`counts`: (passages per token, the same per document) when the index can give them
        (`Index.token_counts`); otherwise they are counted here by tokenizing every passage."""
        per_doc_n: Counter = Counter(p.doc_id for p in passages)
        if counts is not None:
            df, per_doc = counts
        else:
            df, per_doc = Counter(), defaultdict(Counter)
            for p in passages:
                words = set(tokenize(p.embed_text()))
                df.update(words)
                per_doc[p.doc_id].update(words)
        n = max(1, len(passages))
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._default_idf = math.log(1 + n)
        self._texts = [p.text for p in passages]
        publishers = {w for p in passages for w in tokenize(getattr(p, "organisation", ""))}
        self.vocabulary = frozenset(df) | publishers  # a publisher counts as mentioned by its documents
        self.publisher_words = frozenset(publishers)
        self._sorted = sorted(self.vocabulary)  # prefix lookups (`_with_prefix`)
        self.doc_words: dict[str, frozenset[str]] = {}
        for doc, counts in per_doc.items():
            need = max(3, DOC_NAME_SHARE * per_doc_n[doc])
            frequent = {w for w, c in counts.items() if c >= need}
            meta = (documents or {}).get(doc, {}) or {}
            extra = " ".join(str(meta.get(k, "")) for k in ("title", "organisation"))
            extra += " " + " ".join(str((meta.get("meta") or {}).get(k, "")) for k in ("title", "organisation"))
            self.doc_words[doc] = frozenset(frequent | set(tokenize(extra)))
        for p in passages:  # a passage's own title and publisher always describe its document
            own = tokenize(f"{p.title} {getattr(p, 'organisation', '')}")
            self.doc_words[p.doc_id] = self.doc_words.get(p.doc_id, frozenset()) | frozenset(own)
        self._in_corpus = lru_cache(maxsize=4096)(self._in_corpus_uncached)
        self._mentions = lru_cache(maxsize=4096)(self._mentions_uncached)
        self._mentions_plain = lru_cache(maxsize=4096)(self._mentions_plain_uncached)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._default_idf)

    def coverage(
        self, terms: list[str], text: str, synonyms: dict[str, set[str]] | None = None, verbs: frozenset[str] = frozenset()
    ) -> float:
        """IDF-weighted share of the question's content words found in `text` (compounds count:
        "jeugdhulp" is found in "jeugdhulpaanbieders"; an everyday word counts when one of its
        policy words from the thesaurus is there; the question's `verbs`, when absent, weigh `VERB_WEIGHT`)."""
        if not terms:
            return 0.0
        words = set(tokenize(text))
        lemmas = None
        total = found = 0.0
        for t in set(terms):
            # Squared IDF: the rare word that names the subject ("kernwaarden", "projectopdracht")
            # must weigh more than the frequent words every passage of a document shares.
            w = self.idf(t) ** 2
            options = {t} | (synonyms or {}).get(t, set())
            hit = any(found_in(o, words) for o in options)
            if not self._mentions_plain(t):
                # A form the corpus never uses ("kregen", "hoefden"): its dictionary form is found in the text's
                # and weighs what that form weighs here (an unheard word would weigh the most of all).
                base = lemma(t)
                w = self._idf[base] ** 2 if base != t and base in self._idf else w
                lemmas = lemmas if lemmas is not None else words | {lemma(x) for x in words}
                hit = hit or base in lemmas
            if hit:
                found += w
                total += w
            else:  # a verb the text words differently costs less than a missing subject word
                total += w * (VERB_WEIGHT if t in verbs else 1.0)
        return found / total if total else 0.0

    # ---- required names ------------------------------------------------------------------------

    def in_corpus(self, name: str) -> bool:
        """Every word of `name` occurs somewhere in the indexed documents (inflections count)."""
        return all(self._in_corpus(w) for w in _name_words(name))

    def _in_corpus_uncached(self, word: str) -> bool:
        if word in self.vocabulary:
            return True
        return len(word) >= 5 and any(same_stem(word, v) for v in _with_prefix(self._sorted, word[:2]))

    def mentions(self, word: str) -> bool:
        """`word` occurs in the corpus as itself, an inflection, a compound of it or by its dictionary form
        ("kregen" where the documents write "krijgt"); a compound of which only the first part occurs does not
        ("milieuzone" where only "milieu" occurs): `text.found_in` over the vocabulary. Stricter than
        `in_corpus`, which names keep (measured: no change for names)."""
        return self._mentions(word)

    def share(self, words: list[str], of: list[str]) -> float:
        """The share of `of` that `words` make up, each word weighed IDF² as written (unlike `coverage`, a word
        known only by its dictionary form keeps its own weight here; measured so for `UNHEARD_SHARE`)."""
        total = sum(self.idf(w) ** 2 for w in set(of))
        return sum(self.idf(w) ** 2 for w in set(words) & set(of)) / total if total else 0.0

    def unheard(self, words: list[str], synonyms: dict[str, set[str]] | None = None) -> list[str]:
        """The words the corpus uses in no form, nor any thesaurus word of theirs ("paspoort", "oekraïense"):
        numbers and verb forms aside ("opgeheven" says what is asked about a subject, often in other words)."""
        return [
            w
            for w in words
            if not w.isdigit()
            and not verb_form(w)
            and not self.mentions(w)
            and not any(self.mentions(o) for o in (synonyms or {}).get(w, ()))
        ]

    def _mentions_uncached(self, word: str) -> bool:
        if self._mentions_plain(word):
            return True
        base = lemma(word)  # "kregen": the corpus has "krijgen" or "krijgt"
        return base in self.vocabulary or base in self._vocabulary_lemmas

    @cached_property
    def _vocabulary_lemmas(self) -> frozenset[str]:
        """The dictionary forms of the corpus's words, made once, on the first word it lacks (0.5 s for the 45,000
        passages of the law corpus)."""
        return frozenset(lemma(w) for w in self.vocabulary)

    def _mentions_plain_uncached(self, word: str) -> bool:
        """`mentions` without dictionary forms: as itself, an inflection or a compound of it."""
        if word in self.vocabulary:
            return True
        near = [v for v in _with_prefix(self._sorted, word[:2]) if same_stem(word, v)]  # same_stem: 5+ letters
        if not near:
            return False
        heads = {h for v in near if word.startswith(v) for h in compound_heads(word[len(v) :])}
        # Words starting or ending with a head, looked up in sorted lists (a scan of a law corpus's
        # vocabulary took ~0.2 s per word)
        parts = {y for h in heads for y in _with_prefix(self._sorted, h)}
        parts |= {y[::-1] for h in heads for y in _with_prefix(self._reversed, h[::-1])}
        return found_in(word, set(near) | parts)

    @cached_property
    def _reversed(self) -> list[str]:
        """The vocabulary spelled backwards, sorted: suffix lookups, built on the first unheard compound."""
        return sorted(w[::-1] for w in self.vocabulary)

    def has_label(self, label: str) -> bool:
        """An identifier such as "Q.7" or "2106-18" occurs as written in some passage."""
        pattern = re.compile(r"(?<![\w.-])" + re.escape(label) + r"(?!\w|\.\d)", re.I)
        return self._occurs(pattern, [label.lower()])

    def has_phrase(self, phrase: str) -> bool:
        """The words of `phrase` stand together in some passage, each as written or inflected ("kansrijke
        start" for "kansrijk start"): a programme's name, not its words scattered over the corpus."""
        words = tokenize(phrase)
        pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) + r"\w{0,3}" for w in words) + r"\b", re.I)
        return bool(words) and self._occurs(pattern, words)

    def _occurs(self, pattern: re.Pattern, needles: list[str]) -> bool:
        """`pattern` (case-insensitive) matches in some passage. It runs only on the passages whose lower-cased
        text holds every needle, a substring test: over a law corpus's 45,000 passages the regular expression
        alone took 0.4-0.8 s for each ask that names a programme or a motion label."""
        return any(pattern.search(text) for text, low in zip(self._texts, self._lowered) if all(n in low for n in needles))

    @cached_property
    def _lowered(self) -> list[str]:
        """The passages' texts in lower case, made on the first `_occurs`."""
        return [t.lower() for t in self._texts]

    def names_a_document(self, name: str) -> bool:
        """`name` is what some document is about (its title, organisation or a word in a fifth of its
        passages): a municipality, organisation or programme whose documents are in the corpus. Only
        such names must be covered by the cited passages; others are ordinary content words."""
        words = _name_words(name)
        return bool(words) and any(all(w in about for w in words) for about in self.doc_words.values())

    def covers(self, name: str, passage: Passage) -> bool:
        """`name` is in the passage, its heading, or among the words its document is about."""
        words = set(tokenize(passage.text + " " + passage.section_title)) | self.doc_words.get(passage.doc_id, frozenset())
        return all(w in words or any(same_stem(w, x) for x in words) for w in _name_words(name))


def _with_prefix(words: list[str], prefix: str) -> list[str]:
    """The words of a sorted list that start with `prefix`."""
    i = bisect.bisect_left(words, prefix)
    j = bisect.bisect_left(words, prefix + "\U0010ffff")
    return words[i:j]


def _name_words(name: str) -> list[str]:
    return content_words(name) or tokenize(name)
