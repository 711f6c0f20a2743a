"""The matching rules of the evaluation, one definition for the suite and for `evals/check_questions.py`.

* gold span in passage: ``normalize(span)`` (NFKC, lower case, letters and digits only) is a
  substring of ``normalize(passage text)``;
* fact in answer: some ``|``-separated variant occurs case-insensitively in the whitespace-normalised
  answer.

Standard library only: the question-set checker imports it without the heavy stack.
"""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """NFKC, lowercase, keep only letters and digits."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def normalize_ws(text: str) -> str:
    """Whitespace normalisation + lowercase, as used for fact matching."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


def fact_variants(fact: str) -> list[str]:
    return [normalize_ws(v) for v in fact.split("|") if v.strip()]


def fact_matches(fact: str, answer: str) -> bool:
    """True if any variant of ``fact`` occurs in ``answer``."""
    ans = normalize_ws(answer)
    return any(v in ans for v in fact_variants(fact))
