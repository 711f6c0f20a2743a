"""Plain data passed between the layers: passages, citations, answers and structured records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Passage:
    id: str
    doc_id: str
    title: str
    date: str
    kind: str
    page: int | None
    section: str  # number of the nearest numbered heading, e.g. "2.1.1" ("" if none)
    section_title: str  # the heading path, e.g. "2. Integraal pakket … > 2.1.1 Kansrijke Start"
    text: str
    start: int = 0  # offsets of `text` in its page's cleaned text (for showing it in context)
    end: int = 0
    score: float = 0.0
    organisation: str = ""  # publisher of the document, e.g. "gemeente Den Haag"

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date[:4].isdigit() else None

    def embed_text(self) -> str:
        """What the embedder and BM25 see: the heading path gives short passages their topic."""
        return f"{self.title}. {self.section_title}\n{self.text}" if self.section_title else f"{self.title}\n{self.text}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Citation:
    n: int
    passage_id: str
    doc_id: str
    title: str
    date: str
    kind: str
    section: str
    section_title: str
    page: int | None
    text: str  # the whole passage
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)  # cited sentences, offsets in `text`
    organisation: str = ""

    @classmethod
    def of(cls, n: int, p: Passage, spans: list[tuple[int, int]]) -> "Citation":
        """Citation number `n` of passage `p`, with the offsets of the cited sentences in it."""
        return cls(
            n,
            p.id,
            p.doc_id,
            p.title,
            p.date,
            p.kind,
            p.section,
            p.section_title,
            p.page,
            p.text,
            round(p.score, 4),
            spans,
            p.organisation,
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Passage] = field(default_factory=list)  # "mogelijk relevant" when not answered
    notice: str = ""  # a message to the user (bad input, LLM fallback, …)
    search_query: str = ""  # the question as resolved against the history
    mode: str = "extractive"
    # "answer" (the documents answer it), "partial" (they discuss the subject, not the asked detail) or
    # "not_found" (nothing is about the subject). `answered` is True only for "answer".
    kind: str = ""
    interpreted_as: str = ""  # how a follow-up was read ("Opgevat als: …"), "" for a question on its own
    # The retrieval ranking the answer was built from (best first); not serialised: the citations
    # and `related` already carry what a client shows, and the evaluation reads it in-process.
    ranked: list[Passage] = field(default_factory=list, repr=False)

    def __post_init__(self):
        if not self.kind:
            self.kind = "answer" if self.answered else "not_found"

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "ranked"}


@dataclass
class Motion:
    number: str  # e.g. "2106-18"
    title: str
    status: str  # as written, e.g. "afgedaan op 15-12-2021"
    done: bool
    date: str  # ISO date of the status, if any
    doc_id: str
    page: int | None
    section: str
    passage_id: str = ""
    # Motions voted on in a council meeting (besluitenlijst), besides those tracked in an update:
    label: str = ""  # the meeting's label, e.g. "K.3", "Q.1", "A8.1"
    result: str = ""  # aangenomen / verworpen / aangehouden / ingetrokken / staken ("" if not voted)
    kind: str = ""  # "motie" or "amendement"
    party: str = ""  # submitting party/parties as written, e.g. "HvDH"
    votes: str = ""  # e.g. "16 voor, 14 tegen"
    organisation: str = ""
    doc_date: str = ""  # date of the document the record comes from

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Measure:
    section: str  # e.g. "2.1.1"
    title: str
    doc_id: str
    doc_title: str
    date: str
    passage_id: str = ""
    # Where a later document reports on the same measure:
    progress_doc_id: str = ""
    progress_section: str = ""
    progress_title: str = ""
    progress_summary: str = ""

    def to_dict(self) -> dict:
        return asdict(self)
