"""Faithfulness checker: is an answer sentence supported by the passage(s) it cites?

Modules, each one job (data flows down the list):
- `lexicon`: word classes (content words, contrast terms, OCR glue) and numbers with their units;
- `analysis`: tokens, content words, numbers and negations of a sentence or passage;
- `matching`: where a sentence word or number is found in a passage;
- `checks`: the position checks (number pairs and anchors, competing numbers, swapped terms);
- `judge`: `check(sentence, passage) -> Support`, with the definition of "supported";
- `attribution`: which connecting phrases/headings need no citation (titles passed in);
- `answers`: `check_answer`, `SentenceCheck`, `faithfulness` for whole answers.
Folding, stemming, months and the citation-marker grammar live in `assistant.text`.
"""

from ..text import strip_citations
from .answers import SentenceCheck, check_answer, faithfulness
from .attribution import attribution_filter, default_allow_prefix, titles_filter
from .judge import Support, check

__all__ = [
    "SentenceCheck",
    "Support",
    "attribution_filter",
    "check",
    "check_answer",
    "default_allow_prefix",
    "faithfulness",
    "strip_citations",
    "titles_filter",
]
