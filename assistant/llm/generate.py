"""The generative answerer: a chat model phrases the answer, and only what is verified is shown.

The extractive answerer stays the default and the fallback. `LLMBackend` takes any `ChatClient`:

1. the passages the extractive answer cites, then the next best retrieved ones (5 in all), go to the
   model as numbered, delimited data (`prompt.py`);
2. the reply is checked sentence by sentence with `assistant.verify.check_answer` against the cited
   passages (instruction-like sentences of a passage removed: they are not evidence). Unsupported or
   uncited sentences are removed and counted in `Answer.notice`; when less than half of the claims
   (or none) survive, the extractive answer is returned instead, with a notice;
3. citations are renumbered to the passages actually cited, with spans of the best-matching passage
   sentence.

Any failure of the client (`LLMError`) or of this code gives the extractive answer with a banner,
never an exception.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field, replace

from ..model import Answer, Citation, Passage
from ..text import content_words, normalize, split_sentences
from ..verify import SentenceCheck, attribution_filter, check, check_answer, strip_citations
from .client import ChatClient, LLMError, OpenAIChatClient
from .prompt import (
    MAX_PASSAGES,
    NO_ANSWER,
    SYSTEM_PROMPT,
    build_messages,
    evidence_text,
    select_passages,
    shown_titles,
    system_prompt,
)

log = logging.getLogger(__name__)

BANNER_UNAVAILABLE = "Het taalmodel is niet beschikbaar: {reason}. Dit is het letterlijke antwoord uit de documenten."
BANNER_UNVERIFIED = "Het taalmodel gaf geen controleerbaar antwoord; dit is het letterlijke antwoord uit de documenten."

_MARKER = re.compile(r"\[\s*\d+(?:\s*[-–,;]\s*\d+)*\s*\]")
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.IGNORECASE | re.DOTALL)  # reasoning models' scratchpad


@dataclass
class LLMReport:
    """What happened to one question (for tests, logs and the evaluation suite)."""

    outcome: str = ""  # "llm" | "refused" | "unverified" | "error" | "no-passages"
    raw: str = ""  # the model's reply as received
    error: str = ""
    passages: list[Passage] = field(default_factory=list)  # as numbered in the prompt (1-based)
    checks: list[SentenceCheck] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (sentence, reasons)
    seconds: float = 0.0


class LLMBackend:
    """Answers through `client` and shows only verified sentences; see the module docstring."""

    def __init__(self, client: ChatClient, max_passages: int = MAX_PASSAGES, system: str = SYSTEM_PROMPT):
        self.client = client
        self.max_passages = max_passages
        self.system = system

    @classmethod
    def from_settings(cls, settings) -> "LLMBackend":
        """The OpenAI-compatible server of `settings.llm.url` (model, key and timeout from settings)."""
        return cls(OpenAIChatClient.from_settings(settings), system=system_prompt(settings.name, settings.organisation))

    def __repr__(self) -> str:
        return f"LLMBackend({self.client!r})"

    # ---- answer ------------------------------------------------------------------------------

    def answer(self, question: str, search_query: str, ranked: list[Passage], fallback: Answer) -> Answer:
        """A verified LLM answer, or `fallback` (the extractive answer) with a notice. Never raises."""
        return self.answer_with_report(question, search_query, ranked, fallback)[0]

    def answer_with_report(self, question, search_query, ranked, fallback) -> tuple[Answer, LLMReport]:
        t0 = time.perf_counter()
        report = LLMReport()
        try:
            result = self._answer(question, search_query, ranked, fallback, report)
        except LLMError as exc:
            reason = exc.reason
            report.outcome, report.error = "error", reason
            log.warning("%r: %s; extractief antwoord gebruikt", self, reason)
            result = _fallback(fallback, BANNER_UNAVAILABLE.format(reason=reason))
        except Exception as exc:  # a bug here must not cost the user the extractive answer
            report.outcome, report.error = "error", type(exc).__name__
            log.exception("LLM-antwoord mislukt; extractief antwoord gebruikt")
            result = _fallback(fallback, BANNER_UNAVAILABLE.format(reason="interne fout"))
        report.seconds = round(time.perf_counter() - t0, 3)
        return result, report

    def _answer(self, question, search_query, ranked, fallback, report: LLMReport) -> Answer:
        passages = select_passages(ranked or [], fallback, self.max_passages)
        report.passages = passages
        if not passages:
            report.outcome = "no-passages"
            return replace(fallback, mode="extractive")
        raw = self.client.complete(build_messages(question, passages, self.system))
        report.raw = raw if isinstance(raw, str) else ""
        text = _clean_reply(raw)
        evidence = {n: evidence_text(p.text) for n, p in enumerate(passages, start=1)}
        checks = check_answer(text, evidence, allow_prefix=attribution_filter(shown_titles(passages)))
        report.checks = checks

        claims: list[SentenceCheck] = []
        refusal = False
        for c in checks:
            if c.is_claim and _is_refusal(c.sentence):
                refusal = True
            elif c.is_claim:
                claims.append(c)
        kept = [c for c in claims if c.support.supported and c.citations]
        report.removed = [
            (" ".join(c.sentence.split()), c.support.reasons or ("geen bronvermelding",)) for c in claims if c not in kept
        ]
        report.kept = [" ".join(c.sentence.split()) for c in kept]
        for sentence, reasons in report.removed:
            log.info("LLM-zin verwijderd (%s): %s", "; ".join(reasons), sentence[:200])

        if not claims and refusal:
            report.outcome = "refused"
            related = [replace(p) for p in passages[:3]]  # what the extractive answer cites comes first
            return Answer(
                question,
                NO_ANSWER,
                False,
                [],
                related=related,
                notice=_join(fallback.notice, ""),
                search_query=search_query,
                mode="llm",
            )
        if not kept or len(kept) * 2 < len(claims):
            report.outcome = "unverified"
            return _fallback(fallback, BANNER_UNVERIFIED)

        # Citations: only the cited passages that support the sentence themselves (unless only their
        # union does), renumbered in order of first mention.
        per_sentence: list[list[int]] = []
        for c in kept:
            known = [n for n in c.citations if n in evidence]
            alone = [n for n in known if len(known) == 1 or check(strip_citations(c.sentence)[0], evidence[n]).supported]
            per_sentence.append(alone or known)
        renumber: dict[int, int] = {}
        for ns in per_sentence:
            for n in ns:
                renumber.setdefault(n, len(renumber) + 1)
        spans: dict[int, list[tuple[int, int]]] = {n: [] for n in renumber}
        pieces: dict[int, str] = {}
        for c, ns in zip(kept, per_sentence, strict=True):
            pieces[id(c)] = _rewrite_markers(c.sentence, ns, renumber)
            plain = strip_citations(c.sentence)[0]
            for n in ns:
                span = best_span(plain, passages[n - 1].text)
                if span and span not in spans[n]:
                    spans[n].append(span)
        body = _assemble(text, checks, {id(c) for c in kept}, pieces)
        citations = [Citation.of(new, passages[old - 1], sorted(spans[old])) for old, new in renumber.items()]
        removed = len(report.removed)
        notice = f"{removed} {'zin' if removed == 1 else 'zinnen'} verwijderd: niet gesteund door de bronnen." if removed else ""
        report.outcome = "llm"
        return Answer(
            question, body, True, citations, notice=_join(notice, fallback.notice), search_query=search_query, mode="llm"
        )


# ---- helpers ---------------------------------------------------------------------------------------


def best_span(sentence: str, passage: str) -> tuple[int, int] | None:
    """Offsets in `passage` of the passage sentence that best matches `sentence` (None if none shares a word)."""
    words_in_order = sentence.split()
    if words_in_order:
        m = re.search(r"\s+".join(map(re.escape, words_in_order)), passage)
        if m:
            return m.start(), m.end()
    words = set(content_words(sentence))
    best, best_score = None, 0.0
    for s, e in split_sentences(passage):
        have = set(content_words(passage[s:e]))
        if not have:
            continue
        shared = len(words & have)
        score = shared / len(words | have) if shared else 0.0
        if score > best_score:
            best, best_score = (s, e), score
    return best


def _clean_reply(raw: str) -> str:
    """The reply without a reasoning scratchpad and code fences; an empty reply is an error."""
    text = _THINK.sub("", raw if isinstance(raw, str) else "").replace("\r\n", "\n").strip()
    text = re.sub(r"^```\w*\n?|\n?```$", "", text).strip()
    if not text:
        raise LLMError("leeg antwoord")
    return text


def _is_refusal(sentence: str) -> bool:
    plain = normalize(strip_citations(sentence)[0]).strip(" .!*_\"'")
    return plain == normalize(NO_ANSWER).rstrip(".")


def _rewrite_markers(sentence: str, keep: list[int], renumber: dict[int, int]) -> str:
    """The sentence with each marker run renumbered in place; numbers of passages not kept dropped."""

    def sub(m: re.Match) -> str:
        cited = [n for n in strip_citations(m.group())[1] if n in keep]
        return "".join(f"[{renumber[n]}]" for n in cited) + (" " if cited and m.group()[-1:].isspace() else "")

    flat = " ".join(sentence.split())
    out = re.sub(rf"(?:{_MARKER.pattern}\s*)+", sub, flat)
    out = re.sub(r"\s{2,}", " ", out)
    return re.sub(r"\s+([.,;:!?])", r"\1", out).strip()


def _assemble(text: str, checks: list[SentenceCheck], kept: set[int], pieces: dict[int, str]) -> str:
    """The kept sentences in their lines; a connecting phrase only when a kept sentence follows it."""
    items = []  # (line number, text, is_prefix)
    for c in checks:
        line = text.count("\n", 0, c.start)
        if c.is_claim and id(c) in kept:
            items.append((line, pieces[id(c)], False))
        elif not c.is_claim:
            items.append((line, " ".join(c.sentence.split()), True))
    out: list[list] = []
    for i, (line, piece, is_prefix) in enumerate(items):
        if is_prefix and not (i + 1 < len(items) and not items[i + 1][2]):
            continue  # a connecting phrase whose sentences were all removed
        if out and out[-1][0] == line:
            out[-1][1] += " " + piece
        else:
            out.append([line, piece])
    lines: list[str] = []
    for j, (line, piece) in enumerate(out):
        if j and (line - out[j - 1][0] > 1 or piece.endswith(":")):
            lines.append("")  # keep paragraphs apart
        lines.append(piece)
    return "\n".join(lines).strip()


def _join(*notices: str) -> str:
    return " ".join(n for n in notices if n)


def _fallback(fallback: Answer, banner: str) -> Answer:
    return replace(fallback, notice=_join(banner, fallback.notice), mode="extractive")


__all__ = ["BANNER_UNAVAILABLE", "BANNER_UNVERIFIED", "LLMBackend", "LLMReport", "best_span"]
