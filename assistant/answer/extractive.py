"""The extractive answerer (the default): faithful by construction.

It analyses the question (`question.analyse`), scores the sentences of the retrieved passages, and
gives one of three kinds of response (`Answer.kind`):

* "answer"    - the sentences that answer the question, verbatim, each ending in its citation [n];
                for a typed question (amount, number, date, person, status …) the answering sentence
                comes first; a "wat besloot …" question gets the decision points of the decision;
* "partial"   - the documents discuss the subject but not the asked detail: one fixed sentence that
                says so, naming the subject as the documents write it, then the closest sentences;
* "not_found" - nothing is about the subject (too little of it, or a name the corpus never mentions).

The only words not taken from a cited passage are the fixed framing phrases of `render`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from ..model import Answer, Passage
from ..settings import AnswerConfig
from ..text import content_words, is_year, numbers
from .decisions import decision_block, decision_units, point_first
from .evidence import UNHEARD_SHARE, Evidence
from .holder import named_holder, view_detail, view_of
from .lead import best_first
from .lists import continuations, pool_index
from .neighbours import AGENT, CAUSE, ENUMERATION, VOTE, WHO_DID, typed_neighbour
from .question import Question, analyse, interpretation
from .relevance import asks_one_motion, motion_subject, motion_units
from .render import (
    DEFAULT_DETAIL,
    MISSING_DETAIL,
    NO_ANSWER,
    NO_ANSWER_FILTERED,
    OPINION_NOTE,
    dutch_date,
    partial_sentence,
    render,
)
from .sentences import candidates, units
from .subject import NAMELESS, subject_name
from .timeline import later_developments
from .typed import TYPED, has_type, names_instances, shows_figure, type_checked

# What the sentence after a chosen one must show to be added: an enumeration, a reason, a vote (a status
# word: measured, no dev change).
MARKERS = {"lijst": ENUMERATION.search, "persoon": ENUMERATION.search, "reden": CAUSE.search, "stemming": VOTE.search}
__all__ = ["NO_ANSWER", "AnswerConfig", "Answerer", "dutch_date"]


class Answerer:
    def __init__(
        self,
        passages: list[Passage],
        config: AnswerConfig | None = None,
        documents: dict | None = None,
        counts: tuple[dict, dict] | None = None,
    ):
        self.config = config or AnswerConfig()
        self.evidence = Evidence(passages, documents, counts)
        self._next: dict[str, list[Passage]] = defaultdict(list)  # reading order per document
        for p in passages:
            self._next[p.doc_id].append(p)
        for doc in self._next.values():
            doc.sort(key=lambda p: (p.page or 0, p.start))

    def idf(self, token: str) -> float:
        return self.evidence.idf(token)

    def coverage(self, terms: list[str], text: str, synonyms: dict[str, set[str]] | None = None, verbs=frozenset()) -> float:
        return self.evidence.coverage(terms, text, synonyms, verbs)

    # ---- the decision ------------------------------------------------------------------------

    def compose(self, question: str, search_query: str, ranked: list[Passage], filtered: bool = False) -> Answer:
        """The response of one of the three kinds. The kind is decided on the plain sentence ranking; when a
        figure or date question is answered, its sentences are chosen again with `figure_bonus` for sentences
        holding the asked figure, and that answer is shown when it reaches the same kind. The bonus decides what
        is shown, never whether the documents answer: in the decision too, it answered near misses with another
        figure (measured on dev, bonus for every typed kind: no answer on unanswerable questions 109 -> 98 of 128)."""
        q = analyse(question, search_query)
        plain = self._compose(q, question, search_query, ranked, filtered)
        if plain.kind != "answer" or not self.config.figure_bonus or not type_checked(q):
            return plain
        chosen = self._compose(q, question, search_query, ranked, filtered, self.config.figure_bonus)
        return chosen if chosen.kind == "answer" else plain

    def _compose(self, q: Question, question, search_query, ranked, filtered, figure_bonus: float = 0.0) -> Answer:
        cfg = self.config
        base = {"search_query": search_query, "interpreted_as": interpretation(question, search_query)}
        pool = ranked[: cfg.passages + (4 if q.timeline or q.comparison else 0)]
        if q.opinion:
            return self._opinion(q, pool, ranked, base)
        terms = q.terms
        if not pool or not terms:
            return self._not_found(question, ranked, filtered, base)
        synonyms = self._synonyms(search_query) if cfg.thesaurus else None
        prefer = (lambda unit: shows_figure(q, unit)) if figure_bonus else None
        candidates = self._candidates(question, terms, pool, synonyms, prefer, figure_bonus)
        if not candidates:
            return self._not_found(question, ranked, filtered, base)
        # Frame words ("besloten", "gebeurd", "hoeveel") say what kind of answer is asked, not what it is
        # about: the evidence must hold the subject ("wat heeft de gemeenteraad van maastricht besloten …"
        # is not about a decision that merely has "besluit" in it). A comparison's frame word ("verschil")
        # too; a development over time keeps all its words (measured: "ontwikkeld" is often the evidence).
        about = q.subject if q.subject and (q.comparison or not q.timeline) else terms
        cov = self._evidence_coverage(q, about, pool, candidates, synonyms)
        # A name the corpus never mentions: nothing is about it. An exact motion number found outweighs
        # stray capitals ("SELECT … 2106-18"). A motion label ("motie Q.7") must occur as written.
        absent = [e for e in q.entities if not self.evidence.in_corpus(e)] if cov < 1.0 else []
        absent += [x for x in q.labels if not self.evidence.has_label(x)]
        absent += [x for x in q.named if not self.evidence.has_phrase(x)]
        # Names typed in lower case, what the question is about, whose view it asks: a word the corpus never has
        # (any article: "het nederlands jeugdinstituut") means nothing in it is about the question.
        asked = q.bare + q.objects + content_words(q.holder)
        absent += [w for w in asked if not self.evidence.mentions(w)] if cov < 1.0 else []
        # A subject word the corpus uses in no form ("paspoort") and that weighs much, while the evidence covers little
        unheard = self.evidence.unheard([w for w in q.subject if w not in q.verbs], synonyms) if cov < cfg.min_coverage else []
        absent += unheard if self.evidence.share(unheard, about) >= UNHEARD_SHARE else []
        if (
            absent
            or cov < cfg.min_subject
            or self._only_publisher(q, about, pool, candidates, synonyms)
            or not self._motion_known(q, pool, synonyms)
        ):
            return self._not_found(question, ranked, filtered, base)
        missing = self._missing_numbers(search_query, pool)
        missing_years = [y for y in missing if is_year(y)]
        if cov < cfg.min_coverage or missing:
            detail = f"niets over {missing_years[0]}" if missing_years and cov >= cfg.min_coverage else None
            return self._partial(q, pool, candidates, ranked, filtered, base, detail)
        if q.asked == "besluit" and cfg.decision_points:
            decided = self._decision(q, terms, pool, synonyms)
            if decided is not None:
                text, citations = decided
                return Answer(question, text, True, citations, kind="answer", **base)
        best_score = candidates[0][0]
        chosen = [c for c in candidates if c[0] >= cfg.relative_cutoff * best_score and c[1] > 0][: cfg.max_sentences]
        if q.timeline or q.comparison:
            chosen = self._across_documents(pool, candidates, chosen, best_score)
        if q.timeline:  # what became of it, from the later documents (2 per document: dev facts +3)
            chosen += later_developments(
                pool, candidates, chosen, lambda p: self._about(q, p, synonyms), per_doc=2, since=q.years
            )
        typed = [c for c in chosen if has_type(q, self._text(pool, c))]
        if q.asked == "persoon" and WHO_DID.search(q.text) and not typed:  # the agent named in a chosen passage
            own = {c[2] for c in chosen}
            typed = [c for c in candidates if c[2] in own and c[1] > 0 and AGENT.search(self._text(pool, c))][:1]
            chosen = chosen + [c for c in typed if c not in chosen]
        if type_checked(q):
            # A figure counts only from a passage about the subject (not any € nearby). It may sit in the
            # sentence after a better-scored chosen one (neighbours.py): that one leads, not a weaker
            # sentence that happens to hold a number, so the lead depends on the sentences' own scores
            # rather than on which passages the ranking let into the pool.
            typed = [c for c in typed if self._about(q, pool[c[2]], synonyms)]
            # Scores without the figure bonus: the bonus picks among sentences, it does not outrank a neighbour.
            unboosted = {c: c[0] - (figure_bonus if prefer is not None and prefer(self._text(pool, c)) else 0.0) for c in chosen}
            ahead = [c for c in chosen if not typed or unboosted[c] > unboosted[typed[0]]]
            found = self._neighbour(q, pool, ahead, lambda s: has_type(q, s), synonyms)
            if found is None and not typed:
                return self._partial(q, pool, candidates, ranked, filtered, base)
            if found is not None:
                typed, chosen = [found[0], *typed], [*chosen, found[0]]
        # "Welke organisaties …": the next sentence may name them ("… gegaan: Kracht en rondomJou");
        # "Waarom …": the next sentence may give the reason ("Dit komt doordat …").
        marker = MARKERS.get(q.asked)
        if marker and not any(marker(self._text(pool, c)) for c in chosen):
            found = self._neighbour(q, pool, chosen, marker, synonyms)
            if found:
                chosen = chosen + [found[0]]
                typed = [found[0], *typed] if q.asked in TYPED else typed  # "welke partijen stemden tegen": the vote leads
            elif q.asked == "stemming":
                pool, vote = self._vote_after(pool, chosen)
                if vote is None:
                    return self._partial(q, pool, candidates, ranked, filtered, base)
                chosen = [*chosen, vote]  # shown, not leading: further on it may be another item's vote (measured)
            elif q.asked == "lijst" and not any(names_instances(self._text(pool, c), q.text) for c in chosen):
                return self._partial(q, pool, candidates, ranked, filtered, base)  # "welke X …?": none named
        uncovered = [
            e
            for e in q.entities
            if self.evidence.names_a_document(e) and not any(self.evidence.covers(e, pool[c[2]]) for c in chosen)
        ]
        holder = named_holder(q.holder)  # "wat vindt de adviesraad van …": only the adviesraad's own words answer
        if holder:  # and the view leads, as a typed fact does
            typed = [c for c in chosen if view_of(self._text(pool, c), holder, pool[c[2]])]
            if not typed:
                about = replace(q, subject=[w for w in q.subject if w not in content_words(holder)] or q.subject)
                return self._partial(about, pool, candidates, ranked, filtered, base, view_detail(holder))
        if uncovered:
            return self._partial(q, pool, candidates, ranked, filtered, base, f"niets over {uncovered[0]}")
        lead = None
        if cfg.typed_first and (q.asked in TYPED or holder) and typed and not q.timeline:
            chosen = [typed[0]] + [c for c in chosen if c is not typed[0]]
            lead = {typed[0][2]: typed[0][3]}
        else:
            lead = best_first(chosen)
        pool, chosen = continuations(pool, chosen, self._units, self._next_passage)
        text, citations = render(pool, chosen, by_date=q.timeline or q.comparison, status=q.asked == "status", lead=lead)
        return Answer(question, text, True, citations, kind="answer", **base)

    def compose_rows(self, question: str, search_query: str, rows: list[Passage]) -> Answer:
        """An answer that lists whole table rows (e.g. every motion that is still open), each cited."""
        chosen = [(1.0, 1.0, i, (0, len(p.text))) for i, p in enumerate(rows)]
        text, citations = render(rows, chosen, status=True)  # a row is a status: say as of when
        return Answer(
            question,
            text,
            True,
            citations,
            kind="answer",
            search_query=search_query,
            interpreted_as=interpretation(question, search_query),
        )

    @staticmethod
    def _text(pool, c) -> str:
        return pool[c[2]].text[c[3][0] : c[3][1]]

    def _neighbour(self, q: Question, pool, chosen, has_type, synonyms):
        """`neighbours.typed_neighbour` over the pool: the sentence right after a chosen one about the
        subject, when `has_type` holds for it."""
        return typed_neighbour(
            chosen,
            lambda i: self._units(pool[i]),
            lambda i: pool[i].text,
            has_type,
            lambda s: self.coverage(q.subject, s, synonyms, frozenset(q.verbs)) >= self.config.min_coverage,
        )

    def _about(self, q: Question, p: Passage, synonyms) -> bool:
        """The passage (with its heading and document) covers the question's subject."""
        return self.coverage(q.subject, _evidence_text(p), synonyms, frozenset(q.verbs)) >= self.config.min_coverage

    def _only_publisher(self, q: Question, about, pool, candidates, synonyms) -> bool:
        """The evidence holds only the name of the documents' publisher ("den haag") while a word of
        the topic occurs nowhere in the corpus ("milieuzone"): a city's documents are not about
        everything asked of that city, so nothing is about the question."""
        topic = [w for w in about if w not in self.evidence.publisher_words]
        unheard = [w for w in topic if not w.isdigit() and w not in q.verbs and not self.evidence.mentions(w)]
        if not unheard or len(topic) == len(about):
            return False
        return self._evidence_coverage(q, topic, pool, candidates, synonyms) < self.config.min_subject

    def _vote_after(self, pool, chosen, reach: int = 16):
        """(pool, the vote on a chosen decision) or (pool, None): decision lists and minutes record the vote
        some lines after the decision, often in a later passage (appended to the pool, cited like the rest)."""
        for c in chosen:
            p = pool[c[2]]
            following = [(p, u) for u in self._units(p) if u[0] >= c[3][1]]
            nxt = p
            for _ in range(2):  # the next two passages of the document
                nxt = self._next_passage(nxt) if nxt is not None else None
                following += [(nxt, u) for u in self._units(nxt)] if nxt is not None else []
            for passage, u in following[:reach]:
                if VOTE.search(passage.text[u[0] : u[1]]):
                    pool = list(pool)
                    return pool, (c[0] - 1e-6, c[1], pool_index(pool, passage, p.score), u)
        return pool, None

    def _motion_known(self, q: Question, pool, synonyms) -> bool:
        """False when a status question names one motion by its subject ("Wat is er met de motie over X
        gebeurd?") and no motion row or sentence in the evidence is about X. Status questions only: on
        other questions naming a motion (measured) the rule refused an answerable one."""
        if q.asked != "status" or not asks_one_motion(q.text, bool(q.motions or q.labels)):
            return True
        texts = [t for p in pool for t in motion_units(p, self._units(p))]
        return motion_subject(self.evidence, q.subject, texts, synonyms) >= self.config.min_coverage

    # ---- scoring -----------------------------------------------------------------------------

    def _candidates(self, question, terms, pool, synonyms, prefer=None, bonus: float = 0.0) -> list[tuple]:
        return candidates(question, pool, lambda text: self.coverage(terms, text, synonyms), prefer, bonus)

    def _evidence_coverage(self, q: Question, terms, pool, candidates, synonyms) -> float:
        best, best_i = candidates[0], candidates[0][2]
        # The best sentence's coverage of the same words (a comparison keeps its score over all its words).
        best_cov = best[1] if q.comparison else self.coverage(terms, self._text(pool, best), synonyms)
        verbs = frozenset(q.verbs)
        cov = max(self.coverage(terms, _evidence_text(pool[best_i]), synonyms, verbs), best_cov)
        if q.timeline or q.comparison:
            # A development is covered by several passages together: the whole pool, not the first
            # passage of each document, so the test does not depend on which passage ranked first.
            union = " ".join(_evidence_text(p) for p in pool)
            cov = max(cov, self.coverage(terms, union, synonyms, verbs))
        if q.motions and any(n in pool[0].text.upper() for n in q.motions):
            cov = 1.0  # an exact motion number is decisive evidence, whatever the other words
        return cov

    @staticmethod
    def _synonyms(query: str) -> dict[str, set[str]]:
        from ..thesaurus import expansions

        out: dict[str, set[str]] = {}
        for words, alternatives in expansions(query):
            for w in words:
                out.setdefault(w, set()).update(alternatives)
        return out

    _units = staticmethod(units)

    @staticmethod
    def _missing_numbers(query: str, pool: list[Passage]) -> set[str]:
        """A number or year asked about must be in the evidence: "in 2030" is not answered by 2025."""
        have = set().union(*(numbers(p.text + " " + p.section_title + " " + p.date) for p in pool))
        # "na 2026" is answered by what the documents say "vanaf 2027" (or "in 2027"): the year after it counts.
        after = {y for y in re.findall(r"\bna (?:afloop van )?(\d{4})\b", query, re.I) if is_year(y) and str(int(y) + 1) in have}
        return numbers(query) - have - after

    def _across_documents(self, pool, candidates, chosen, best_score):
        """For a timeline: the best sentences of each document that covers the question, not only of the top one."""
        per_doc: dict[str, list] = {}
        for c in candidates:  # already sorted best first
            if c[1] > 0 and c[0] >= 0.5 * best_score:
                per_doc.setdefault(pool[c[2]].doc_id, []).append(c)
        picked = [c for doc_cands in per_doc.values() for c in doc_cands[:2]]
        return sorted(set(picked) | set(chosen), key=lambda c: -c[0])[: self.config.max_sentences + 2]

    def _next_passage(self, p: Passage) -> Passage | None:
        """The passage after `p` in its document's reading order."""
        doc = self._next.get(p.doc_id, [])
        k = next((k for k, d in enumerate(doc) if d.id == p.id), None)
        return doc[k + 1] if k is not None and k + 1 < len(doc) else None

    def _decision(self, q: Question, terms, pool, synonyms):
        """The decision block of the best-ranked pool document that has one and is about the question."""
        seen = set()
        for p in pool:
            if p.doc_id in seen:
                continue
            seen.add(p.doc_id)
            doc = self._next.get(p.doc_id, [])
            for k, candidate in enumerate(doc):
                blocks = decision_block(candidate, doc[k + 1 :])
                if not blocks:
                    continue
                text = " ".join(b.text for b, _ in blocks) + f" {candidate.title} {candidate.date} {dutch_date(candidate.date)}"
                if self.coverage(terms, text, synonyms, frozenset(q.verbs)) < self.config.min_coverage:
                    break
                passages = [replace(b, score=p.score) for b, _ in blocks]
                chosen = [
                    (1.0, 1.0, i, u) for i, (b, (s, e)) in enumerate(blocks) for u in decision_units(b.text, s, e, self._units(b))
                ]
                # "wat besloot de raad over de inkoop …": the point about what it is asked about leads
                about = (lambda t: self.coverage(q.objects, t, synonyms)) if q.objects else None
                return render(passages, chosen, lead=point_first(passages, chosen, about))
        return None

    # ---- the other kinds ---------------------------------------------------------------------

    def _closest(self, pool, candidates) -> list[tuple]:
        return [c for c in candidates if c[1] > 0][: self.config.partial_sentences]

    def _partial(self, q: Question, pool, candidates, ranked, filtered, base, detail: str | None = None) -> Answer:
        closest = self._closest(pool, candidates)
        if not closest:
            return self._not_found(q.text, ranked, filtered, base)
        words = [w for w in q.subject if w not in q.verbs] or q.subject  # a verb ("kwam") names no subject
        shown = " ".join(pool[c[2]].text for c in closest)
        subject = subject_name(q.entities, words, shown, self.idf, self.evidence.publisher_words)
        if subject == NAMELESS:  # no word of the subject in the closest passages: nothing is about it
            return self._not_found(q.text, ranked, filtered, base)
        text, citations = render(pool, closest)
        if detail is None:  # "geen bedrag" only when no sentence shown has an amount: never a false claim
            shown = [self._text(pool, c) for c in closest]
            typed = q.asked in MISSING_DETAIL and any(has_type(q, s) for s in shown)
            detail = DEFAULT_DETAIL if typed or q.asked not in MISSING_DETAIL else MISSING_DETAIL[q.asked]
        framing = partial_sentence(subject, detail, filtered)
        return Answer(
            q.text, f"{framing}\n\n{text}", False, citations, related=[replace(p) for p in ranked[:3]], kind="partial", **base
        )

    def _not_found(self, question, ranked, filtered, base) -> Answer:
        related = [replace(p) for p in ranked[:3]]
        return Answer(
            question, NO_ANSWER_FILTERED if filtered else NO_ANSWER, False, [], related=related, kind="not_found", **base
        )

    def _opinion(self, q: Question, pool, ranked, base) -> Answer:
        """Advice or an opinion is asked: say the assistant reports what the documents say, and show
        the closest sentences when the documents are about the subject at all."""
        synonyms = self._synonyms(q.query) if self.config.thesaurus else None
        candidates = self._candidates(q.text, q.terms, pool, synonyms) if pool and q.terms else []
        closest = self._closest(pool, candidates) if candidates and candidates[0][1] >= self.config.min_coverage else []
        if not closest:
            return Answer(q.text, OPINION_NOTE, False, [], related=[replace(p) for p in ranked[:3]], kind="not_found", **base)
        text, citations = render(pool, closest)
        return Answer(
            q.text,
            f"{OPINION_NOTE}\n\n{text}",
            False,
            citations,
            related=[replace(p) for p in ranked[:3]],
            kind="partial",
            **base,
        )


def _evidence_text(p: Passage) -> str:
    """What a passage offers as evidence: its text, heading, and the title, publisher and date of its
    document ("volgens de update van 2022", "in Den Haag" are about the document, not words of the passage)."""
    return f"{p.text} {p.section_title} {p.title} {getattr(p, 'organisation', '')} {p.date} {dutch_date(p.date)}"
