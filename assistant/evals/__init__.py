"""Evaluation suite of the Raadsassistent Jeugd (`assistant eval`, `python -m assistant.evals.run`).

The code lives in this package; the data it reads (questions, thresholds, hand-labelled support pairs)
and the question-set/checker scripts stay in `evals/` at the top of the checkout, found from
`settings.ROOT` (every entry point also takes explicit paths).
"""

from ..settings import ROOT

EVALS_DIR = ROOT / "evals"
QUESTIONS = EVALS_DIR / "questions.jsonl"
THRESHOLDS = EVALS_DIR / "thresholds.toml"
SUPPORT_PAIRS = EVALS_DIR / "support_pairs.jsonl"
