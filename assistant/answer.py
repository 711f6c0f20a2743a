"""The default answerer: extractive, so faithful by construction.

It picks the sentences of the retrieved passages that best cover the question, keeps them verbatim,
orders them (by document date for questions about a development over time), ends each with its
citation marker [n], and refuses ("Hierover staat niets in de documenten.") when the evidence does not
cover the question. The only words not taken from a cited passage are the fixed connecting phrases
"Volgens <titel> (<datum>):".
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import replace

from .ingest.chunk import MOTION_ROW
from .model import Answer, Citation, Passage
from .settings import AnswerConfig
from .retrieve import MOTION_NUMBER
from .text import content_words, numbers, split_sentences, tokenize

NO_ANSWER = "Hierover staat niets in de documenten."
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
TIMELINE = re.compile(
    r"\b(ontwikkel\w*|verloop|door de jaren|in de loop|tijdlijn|veranderd|veranderingen|achtereenvolgens|"
    r"geschiedenis|evolutie|van (?:19|20)\d\d tot|sinds\w*|terechtgekomen|inmiddels|stand van zaken|"
    r"hoe st(?:aat|ond) het|nog steeds|ooit|hoe is .* gegaan)\b",
    re.IGNORECASE,
)
# A sentence opening with one of these leans on the sentence before it ("Wel ligt het percentage …").
CONNECTIVE = re.compile(r"^(wel|maar|echter|daardoor|hierdoor|tegelijkertijd|desondanks|toch)\b", re.I)


def is_timeline(question: str) -> bool:
    """A question about how something developed ("Hoe stond het daar in 2022 mee?")."""
    return bool(TIMELINE.search(question))


FOLLOWUP_START = re.compile(r"^(en|maar|ook|dus|en wat|en hoe|en wanneer|waarom dan)\b", re.IGNORECASE)
QUANTITY = re.compile(r"\b(hoeveel|hoe (?:hoog|groot|veel)|welk bedrag|wat kost(?:te|en)?)\b", re.I)
MONEY_Q = re.compile(r"\b(wat kost(?:te|en)?|hoeveel geld|welk bedrag|in euro'?s|hoeveel euro|hoe duur)\b")
MONEY = re.compile(r"€|\beuro\b|\bmln\b|\bmld\b|\bmiljoen\b|\bmiljard\b", re.I)
PERCENT_Q = re.compile(r"\b(welk percentage|hoeveel procent|welk deel|welk aandeel)\b")
WHEN = re.compile(r"\b(wanneer|op welke datum|in welk jaar|per wanneer|welke datum)\b", re.I)
NUMBER_WORDS = frozenset(
    "twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig vijftig honderd duizend "
    "miljoen miljard half helft derde kwart procent tweeënhalf".split()
)
DATE_WORDS = frozenset(MONTHS) | {"kwartaal", "zomer", "najaar", "voorjaar", "begin", "eind", "medio", "jaar"}
ANAPHORA = frozenset("die dat deze dit hij zij ze het hem hun daar daarvan ervan hiervan daarmee dezelfde ervoor daarna".split())


def dutch_date(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = MONTHS[int(parts[1]) - 1]
        if len(parts) == 3 and parts[2].isdigit():
            return f"{int(parts[2])} {month} {parts[0]}"
        return f"{month} {parts[0]}"
    return iso


def is_followup(question: str) -> bool:
    words = tokenize(question)
    return bool(FOLLOWUP_START.match(question.strip())) or (
        len(content_words(question)) <= 3 and any(w in ANAPHORA for w in words)
    )


def resolve_followup(question: str, history: list | None) -> str:
    """Carry the subject of the previous turn into a follow-up question, without an LLM."""
    turns = _turns(history)
    if not turns or not is_followup(question):
        return question
    last_user = next((t["content"] for t in reversed(turns) if t["role"] == "user"), "")
    last_answer = next((t["content"] for t in reversed(turns) if t["role"] == "assistant"), "")
    carried = content_words(last_user)
    carried += [n for n in MOTION_NUMBER.findall(last_answer) if n not in carried]
    return f"{question} {' '.join(carried)}".strip()


def _turns(history) -> list[dict]:
    out = []
    for item in history or []:
        if isinstance(item, dict) and "role" in item:
            content = item.get("content")
            if isinstance(content, list):  # Gradio may send content parts
                content = " ".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
            out.append({"role": item["role"], "content": str(content or "")})
        elif isinstance(item, (list, tuple)) and len(item) == 2:  # (user, assistant) pairs
            out += [{"role": "user", "content": str(item[0] or "")}, {"role": "assistant", "content": str(item[1] or "")}]
    return out


class Answerer:
    def __init__(self, passages: list[Passage], config: AnswerConfig | None = None, df: dict[str, int] | None = None):
        """`df`: passages per token, if known (`Index.document_frequencies`); else counted here."""
        self.config = config or AnswerConfig()
        if df is None:
            df = Counter()
            for p in passages:
                df.update(set(tokenize(p.embed_text())))
        n = max(1, len(passages))
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._default_idf = math.log(1 + n)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._default_idf)

    # ---- scoring -----------------------------------------------------------------------------

    def coverage(self, query_terms: list[str], text: str, synonyms: dict[str, set[str]] | None = None) -> float:
        """IDF-weighted share of the question's content words found in `text` (compounds count:
        "jeugdhulp" is found in "jeugdhulpaanbieders"; an everyday word counts when one of its
        policy words from the thesaurus is there)."""
        if not query_terms:
            return 0.0
        words = set(tokenize(text))
        total = found = 0.0
        for t in set(query_terms):
            # Squared IDF: the rare word that names the subject ("kernwaarden", "projectopdracht")
            # must weigh more than the frequent words every passage of a document shares.
            w = self.idf(t) ** 2
            total += w
            options = {t} | (synonyms or {}).get(t, set())
            if any(o in words or any(_same_stem(o, x) for x in words) for o in options):
                found += w
        return found / total if total else 0.0

    def compose(self, question: str, search_query: str, ranked: list[Passage]) -> Answer:
        cfg = self.config
        terms = content_words(search_query)
        # A development over time needs several documents: look a little deeper for them.
        timeline = is_timeline(question)
        pool = ranked[: cfg.passages + (4 if timeline else 0)]
        if not pool or not terms:
            return self._refuse(question, search_query, ranked)
        top = max(p.score for p in pool) or 1.0
        synonyms = self._synonyms(search_query) if self.config.thesaurus else None
        candidates = []  # (score, coverage, passage index, (start, end))
        asks_for_questions = bool(re.search(r"\bvra(?:ag|gen)\b", question, re.I))
        for i, p in enumerate(pool):
            heading_cov = self.coverage(terms, p.section_title, synonyms)
            for span in self._units(p):
                cov = self.coverage(terms, p.text[span[0] : span[1]], synonyms)
                score = 0.6 * cov + 0.3 * (p.score / top) + 0.1 * heading_cov
                if p.text[span[0] : span[1]].rstrip().endswith("?") and not asks_for_questions:
                    score *= 0.5  # a question in a document states nothing; quote it only when questions are asked for
                candidates.append((score, cov, i, span))
        if not candidates:
            return self._refuse(question, search_query, ranked)
        candidates.sort(key=lambda c: -c[0])
        best_score, best_cov, best_i, _ = candidates[0]
        evidence_cov = max(
            self.coverage(terms, pool[best_i].text + " " + pool[best_i].section_title, synonyms), best_cov
        )
        if timeline:  # a development is covered by several documents together, not by one passage
            per_doc: dict[str, Passage] = {}
            for p in pool:
                per_doc.setdefault(p.doc_id, p)
            union = " ".join(p.text + " " + p.section_title for p in list(per_doc.values())[:3])
            evidence_cov = max(evidence_cov, self.coverage(terms, union, synonyms))
        named = {n.upper() for n in MOTION_NUMBER.findall(search_query)}
        if named and any(n in pool[0].text.upper() for n in named):
            evidence_cov = 1.0  # an exact motion number is decisive evidence, whatever the other words
        if evidence_cov < cfg.min_coverage or not self._numbers_present(search_query, pool):
            return self._refuse(question, search_query, ranked)
        chosen = [c for c in candidates if c[0] >= cfg.relative_cutoff * best_score and c[1] > 0][: cfg.max_sentences]
        if timeline:
            chosen = self._across_documents(pool, candidates, chosen, best_score)
        if not self._answer_type_present(search_query, [pool[i].text[s:e] for _, _, i, (s, e) in chosen]):
            return self._refuse(question, search_query, ranked)
        chosen = self._with_continuations(pool, chosen)
        return self._render(question, search_query, pool, chosen, ranked)

    @staticmethod
    def _synonyms(query: str) -> dict[str, set[str]]:
        from .thesaurus import expansions

        out: dict[str, set[str]] = {}
        for words, alternatives in expansions(query):
            for w in words:
                out.setdefault(w, set()).update(alternatives)
        return out

    def compose_rows(self, question: str, search_query: str, rows: list[Passage]) -> Answer:
        """An answer that lists whole table rows (e.g. every motion that is still open), each cited."""
        chosen = [(1.0, 1.0, i, (0, len(p.text))) for i, p in enumerate(rows)]
        return self._render(question, search_query, rows, chosen, rows)

    def _units(self, p: Passage) -> list[tuple[int, int]]:
        """Sentences of a passage; a table row (a motion with its status) is one unit."""
        if MOTION_ROW.search(p.text.split("\n", 1)[0]):
            return [(0, len(p.text))]
        return [(s + 2, e) if p.text.startswith("• ", s) else (s, e) for s, e in split_sentences(p.text)]

    def _numbers_present(self, query: str, pool: list[Passage]) -> bool:
        """A number or year asked about must be in the evidence: "in 2030" is not answered by 2025."""
        have = set().union(*(numbers(p.text + " " + p.section_title + " " + p.date) for p in pool))
        return numbers(query) <= have

    def _across_documents(self, pool, candidates, chosen, best_score):
        """For a timeline: the best sentences of each document that covers the question, not only of the top one."""
        per_doc: dict[str, list] = {}
        for c in candidates:  # already sorted best first
            if c[1] > 0 and c[0] >= 0.5 * best_score:
                per_doc.setdefault(pool[c[2]].doc_id, []).append(c)
        picked = [c for doc_cands in per_doc.values() for c in doc_cands[:2]]
        return sorted(set(picked) | set(chosen), key=lambda c: -c[0])[: self.config.max_sentences + 2]

    def _answer_type_present(self, query: str, sentences: list[str]) -> bool:
        """The kind of answer asked for must be in a chosen sentence: an amount of money for
        "Wat kost …?", a percentage for "Welk percentage …?", a number next to the thing counted for
        "Hoeveel jongeren …?", a date for "Wanneer …?". A near miss (the topic is there, the figure is
        not) is refused instead of answered with related sentences."""
        q = query.lower()
        words_of = [set(tokenize(sent)) for sent in sentences]
        if MONEY_Q.search(q):
            return any(MONEY.search(sent) for sent in sentences)
        if PERCENT_Q.search(q):
            return any("%" in sent or w & {"procent", "helft", "derde", "kwart", "deel"} for sent, w in zip(sentences, words_of))
        m = QUANTITY.search(q)
        if m:
            focus = next((w for w in content_words(q[m.end() :]) if w not in {"geld", "bedraagt", "bedroeg", "kost", "kosten"}), "")
            for sent, words in zip(sentences, words_of):
                # A year or a date is not a count: "met ingang van 2020" does not say how many.
                counts = {n for n in numbers(re.sub(r"\b\d{1,2}-\d{1,2}-\d{4}\b", " ", sent)) if not re.fullmatch(r"(19|20)\d\d", n)}
                has_number = bool(counts) or bool(words & NUMBER_WORDS)
                if has_number and (not focus or any(_counts_as(focus, w) for w in words)):
                    return True
            return False
        if WHEN.search(q):
            return any(numbers(sent) or DATE_WORDS & w for sent, w in zip(sentences, words_of))
        return True

    def _with_continuations(self, pool, chosen):
        """A sentence that introduces a list ("… drie pijlers:") brings the items that follow it; a
        sentence followed by one that leans on it ("Wel ligt het percentage …") brings that one."""
        out = list(chosen)
        taken = {(c[2], c[3]) for c in chosen}
        for score, cov, i, (s, e) in chosen:
            text = pool[i].text
            following = [u for u in self._units(pool[i]) if u[0] >= e]
            if text[s:e].rstrip().endswith(":"):
                extra = _list_items(text, following)
            elif following and CONNECTIVE.match(text[following[0][0] : following[0][1]]):
                extra = following[:1]
            else:
                extra = []
            for u in extra:
                if (i, u) not in taken:
                    taken.add((i, u))
                    out.append((score - 1e-6, cov, i, u))
        return out

    # ---- output ------------------------------------------------------------------------------

    def _render(self, question, search_query, pool, chosen, ranked) -> Answer:
        by_passage: dict[int, list[tuple[int, int]]] = {}
        order: list[int] = []
        for _, _, i, span in chosen:
            if i not in by_passage:
                by_passage[i] = []
                order.append(i)
            if span not in by_passage[i]:
                by_passage[i].append(span)
        if is_timeline(question):
            rank = {i: k for k, i in enumerate(order)}
            order.sort(key=lambda i: (pool[i].date or "9999", rank[i]))
        citations: list[Citation] = []
        paragraphs: list[str] = []
        previous_doc = None
        for n, i in enumerate(order, start=1):
            p = pool[i]
            spans = sorted(by_passage[i])
            sentences = _join_units(p.text, spans, n)
            if p.doc_id == previous_doc:  # same document as the paragraph before: no repeated "Volgens …"
                paragraphs[-1] += "\n" + sentences
            else:
                prefix = f"Volgens {p.title} ({dutch_date(p.date)}):" if p.date else f"Volgens {p.title}:"
                paragraphs.append(f"{prefix}\n{sentences}")
            previous_doc = p.doc_id
            citations.append(Citation.of(n, p, spans))
        return Answer(question, "\n\n".join(paragraphs), True, citations, search_query=search_query)

    def _refuse(self, question, search_query, ranked) -> Answer:
        related = [replace(p) for p in ranked[:3]]
        return Answer(question, NO_ANSWER, False, [], related=related, search_query=search_query)


def _same_stem(a: str, b: str) -> bool:
    """Compounds and inflections without a stemmer (a Snowball stemmer did not help here):
    "jeugdhulp"/"jeugdhulpaanbieders", "herpositionering"/"herpositioneren", "maatregel"/"maatregelen"."""
    if len(a) < 5 or len(b) < 5:
        return False
    if a.startswith(b) or b.startswith(a):
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 6 and len(a) - n <= 3 and len(b) - n <= 3


def _inflection(a: str, b: str) -> bool:
    """The same word up to an inflection ("jongeren"/"jongere", "aanbieders"/"aanbieder"), not a
    compound that merely starts with it ("jeugdhulpaanbieders" is not "jeugdhulp")."""
    if a == b:
        return True
    n = len(os.path.commonprefix([a, b]))
    return n >= 4 and len(a) - n <= 3 and len(b) - n <= 3


def _counts_as(focus: str, word: str) -> bool:
    """`word` names the thing counted: the same word inflected, or a compound ending in it (Dutch puts
    the head last: a "jeugdregio" is a "regio")."""
    return any(_inflection(focus, word[-k:]) for k in range(max(4, len(focus) - 3), min(len(word), len(focus) + 3) + 1))


def _list_items(text: str, following: list[tuple[int, int]], limit: int = 6) -> list[tuple[int, int]]:
    """The items of a list introduced by "…:": the next units that each start a line (a bullet or a
    paragraph of its own), up to the next sub-heading ending in ":"."""
    items = []
    for s, e in following[:limit]:
        starts_line = s == 0 or text[s - 1] == "\n" or text[max(0, s - 2) : s] == "• "
        if not starts_line or text[s:e].rstrip().endswith(":"):
            break
        items.append((s, e))
    return items


def _join_units(text: str, spans: list[tuple[int, int]], n: int) -> str:
    """Cited sentences in reading order; list items (and other text without a full stop) get a line
    of their own, so every line still reads as one cited unit."""
    out = ""
    for s, e in spans:
        unit = _one_line(text[s:e])
        item = text[max(0, s - 2) : s] == "• " or not re.search(r"[.!?]['\"’”)]*$", unit)
        piece = f"{'• ' if text[max(0, s - 2) : s] == '• ' else ''}{unit} [{n}]"
        if not out:
            out = piece
        elif item or out.endswith("\x00"):
            out += "\n" + piece
        else:
            out += " " + piece
        if item:
            out += "\x00"  # what follows a list item starts on a new line too
    return out.replace("\x00", "")


def _one_line(text: str) -> str:
    return " ".join(text.split())


