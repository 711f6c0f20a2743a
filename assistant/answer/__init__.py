"""The answer layer: question analysis (`question`) and the extractive answerer (`extractive`)."""

from .extractive import NO_ANSWER, AnswerConfig, Answerer, dutch_date
from .question import Question, analyse, is_followup, is_timeline, resolve_followup

__all__ = [
    "NO_ANSWER",
    "AnswerConfig",
    "Answerer",
    "Question",
    "analyse",
    "dutch_date",
    "is_followup",
    "is_timeline",
    "resolve_followup",
]
