"""Which of the corpus's organisations a question names ("Den Haag", "de Haagse raad", "VNG").

The organisations are those of the indexed documents (`Index.documents[...]["organisation"]`), so
nothing here knows any municipality. An organisation is recognised by its distinctive words: the
capitalised words of its name ("gemeente Den Haag" -> den, haag) that the documents also write
capitalised, i.e. names rather than common words ("Buitenlandse Zaken": "zaken" is mostly written in
lower case, so it names nothing). A question names the organisations that share the most of their
distinctive words with it ("Den Haag" is Den Haag, not Den Helder); a demonym or adjective of a name
counts ("Haagse", "Delftse").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .text import STOPWORDS, WORD, normalize, tokenize

# Suffixes that make an adjective or demonym of a place name: Haag-se, Helder-se, Delft-ers.
_NAME_SUFFIXES = ("s", "se", "er", "ers", "der", "ders")
_MIN_CAPITALISED = 0.5  # share of a word's occurrences in the documents written with a capital


def capitalisation(texts: Iterable[str]) -> tuple[Counter, Counter]:
    """(occurrences, capitalised occurrences) per lower-cased word, sentence starts not counted."""
    seen, upper = Counter(), Counter()
    for text in texts:
        for m in WORD.finditer(text):
            before = text[max(0, m.start() - 2) : m.start()].strip()
            if not before or before[-1] in ".!?:\n":
                continue  # a capital after a full stop says nothing about the word
            w = m.group().lower()
            seen[w] += 1
            upper[w] += m.group()[0].isupper()
    return seen, upper


class Organisations:
    """The organisations of an index and the words that name them."""

    def __init__(self, organisations: Iterable[str], texts: Iterable[str]):
        names = sorted({o.strip() for o in organisations if o and o.strip()})
        seen, upper = capitalisation(texts)
        self.words: dict[str, set[str]] = {}
        for name in names:
            words = set()
            for m in WORD.finditer(name):
                w = m.group()
                low = normalize(w)
                if not w[0].isupper() or low in STOPWORDS or len(low) < 3:
                    continue
                if seen[low] and upper[low] / seen[low] < _MIN_CAPITALISED:
                    continue  # written in lower case in the documents: a common word, not a name
                words.add(low)
            if words:
                self.words[name] = words

    @classmethod
    def of_index(cls, index) -> Organisations:
        """From the passages, which carry their document's organisation (`Index.documents[...]["organisation"]`)."""
        passages = list(index.passages.values())
        return cls({p.organisation for p in passages}, (p.text for p in passages))

    def named(self, question: str) -> set[str]:
        """The organisations the question names (empty when it names none). A name counts when all its
        distinctive words are there ("den haag"), or one of them capitalised inside the question
        ("de Rijksoverheid") or as an adjective or demonym ("Haagse"): a lone lower-case "helder" is the
        adjective, not Den Helder."""
        tokens = set(tokenize(question))
        capitalised = {normalize(m.group()) for m in WORD.finditer(question) if m.start() > 0 and m.group()[0].isupper()}
        scores = {}
        for name, words in self.words.items():
            exact = {w for w in words if w in tokens}
            made = {w for w in words - exact if derived(w, tokens)}  # "haagse" of "haag"
            if exact == words or exact & capitalised or made:
                scores[name] = len(exact | made)
        best = max(scores.values(), default=0)
        return {name for name, s in scores.items() if s == best} if best else set()

    def without_names(self, question: str) -> str:
        """The question without the words that name an organisation of the corpus."""
        words = set().union(*self.words.values()) if self.words else set()
        if not words:
            return question

        def keep(m) -> bool:
            t = normalize(m.group())
            return t not in words and not any(derived(w, {t}) for w in words)

        return WORD.sub(lambda m: m.group() if keep(m) else "", question)


def derived(word: str, tokens: set[str]) -> bool:
    """An adjective or demonym of `word` is among the tokens ("haagse" of "haag")."""
    return len(word) >= 4 and any(t.startswith(word) and t[len(word) :] in _NAME_SUFFIXES for t in tokens)


__all__ = ["Organisations", "capitalisation", "derived"]
