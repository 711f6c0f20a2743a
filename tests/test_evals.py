"""Unit tests of the evaluation metrics, reports and gate (no index needed; fast).

Expected numbers are computed by hand in the comments.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.evals import metrics as M
from assistant.evals.gate import check_gate, load_thresholds
from assistant.evals.pipeline import COST, QUALITY, Verifier, evaluate, failure_reasons
from assistant.evals.systems import Output, System

ROOT = Path(__file__).resolve().parents[1]

GOLD = [{"doc_id": "d", "span": "de regio Haaglanden"}]
RANKED = ["Niets hier.", "In de regio-Haaglanden werken tien gemeenten.", "Ook niets.", "De REGIO Haaglanden!"]


# ---- retrieval ---------------------------------------------------------------------------------


def test_gold_match_ignores_case_punctuation_and_whitespace():
    spans = M.gold_spans(GOLD)
    assert spans == ["deregiohaaglanden"]
    assert M.relevance(RANKED, spans) == [False, True, False, True]
    assert not M.is_hit("de regio Zoetermeer", spans)


def test_recall_mrr_ndcg_by_hand():
    rels = [False, True, False, True]
    assert M.recall_at_k(rels, 1, 3) == 0.0
    assert M.recall_at_k(rels, 2, 3) == 1.0
    assert M.recall_at_k(rels, 10, 3) == 1.0
    assert M.mrr_at_k(rels, 3) == 0.5
    # DCG = 1/log2(3) + 1/log2(5) = 0.630930 + 0.430677 = 1.061606
    # ideal with 3 relevant passages = 1 + 0.630930 + 0.5 = 2.130930 -> 0.498189
    assert M.ndcg_at_k(rels, 3) == pytest.approx(0.498189, abs=1e-6)
    # ideal with 2 relevant passages = 1.630930 -> 0.650921
    assert M.ndcg_at_k(rels, 2) == pytest.approx(0.650921, abs=1e-6)
    # a perfect ranking scores 1; relevant passages beyond k do not count
    assert M.ndcg_at_k([True, True], 2) == pytest.approx(1.0)
    assert M.ndcg_at_k([False] * 10 + [True], 1, k=10) == 0.0
    assert M.mrr_at_k([False] * 10 + [True], 1, k=10) == 0.0
    # ideal is capped at k: 12 relevant passages, all 10 retrieved ones relevant -> 1.0
    assert M.ndcg_at_k([True] * 10, 12, k=10) == pytest.approx(1.0)


def test_retrieval_metrics_pipeline_and_undefined_cases():
    pool = [M.normalize(t) for t in RANKED + ["Elders: de regio Haaglanden."]]  # 3 relevant in the pool
    m = M.retrieval_metrics(True, GOLD, RANKED, pool)
    assert (m["recall@1"], m["recall@5"], m["recall@10"], m["mrr@10"]) == (0.0, 1.0, 1.0, 0.5)
    assert m["ndcg@10"] == pytest.approx(0.498189, abs=1e-6)
    assert m["gold_coverage@10"] == 1.0
    # unanswerable: nothing defined
    assert set(M.retrieval_metrics(False, [], RANKED, pool).values()) == {None}
    # gold span in no passage of the collection (e.g. cut by chunking): undefined, not 0
    assert set(M.retrieval_metrics(True, [{"span": "bestaat nergens"}], RANKED, pool).values()) == {None}


def test_gold_coverage_counts_each_gold_item():
    gold = GOLD + [{"span": "tien gemeenten"}, {"span": "negen gemeenten"}]
    assert M.gold_coverage_at_k(RANKED, M.gold_spans(gold), 10) == pytest.approx(2 / 3)
    assert M.gold_coverage_at_k(RANKED, M.gold_spans(gold), 1) == 0.0


# ---- answers -----------------------------------------------------------------------------------


def test_fact_matching_with_variants_case_and_whitespace():
    answer = "Het totale budget was\n€3.5  MILJARD [1]. Er zijn 42 jeugdregio's. [2]"
    assert M.fact_found("3,5 miljard|3.5 miljard", answer)
    assert M.fact_found("42", answer)
    assert not M.fact_found("3,5 miljard", answer)
    assert M.missing_facts(["3,5 miljard|3.5 miljard", "negen"], answer) == ["negen"]
    # a citation marker between the words of a fact does not hide it
    assert M.fact_found("prestatiegericht ingekocht", "prestatiegericht [1] ingekocht")


def test_fact_accuracy_needs_every_fact_and_an_answer():
    facts = ["3,5 miljard|3.5 miljard", "42"]
    assert M.fact_accuracy(True, True, facts, "€3,5 miljard in 42 regio's") == 1.0
    assert M.fact_accuracy(True, True, facts, "€3,5 miljard") == 0.0
    assert M.fact_accuracy(True, False, facts, "€3,5 miljard in 42 regio's") == 0.0  # refused: no credit
    assert M.fact_accuracy(False, True, [], "iets") is None


def test_answered_and_refusal_rates_are_defined_on_their_own_questions():
    assert M.answered_rate(True, True) == 1.0
    assert M.answered_rate(True, False) == 0.0
    assert M.answered_rate(False, True) is None
    assert M.refusal_accuracy(False, False) == 1.0
    assert M.refusal_accuracy(False, True) == 0.0
    assert M.refusal_accuracy(True, False) is None


# ---- citations and faithfulness ----------------------------------------------------------------


def test_gold_cited():
    assert M.gold_cited(True, True, ["x", "in de regio Haaglanden"], GOLD) == 1.0
    assert M.gold_cited(True, True, ["x"], GOLD) == 0.0
    assert M.gold_cited(True, True, [], GOLD) == 0.0  # answered without citing: a miss
    assert M.gold_cited(True, False, [], GOLD) is None  # refused
    assert M.gold_cited(True, True, None, GOLD) is None  # system that does not cite
    assert M.gold_cited(False, True, ["x"], []) is None


def _check(sentence, citations, claim=True):
    return SimpleNamespace(sentence=sentence, citations=citations, is_claim=claim)


def test_citation_precision_by_hand():
    def support(sentence, passage):  # fake checker: supported when the passage letter is in the sentence
        return SimpleNamespace(supported=passage in sentence)

    passages = {1: "A", 2: "B", 3: "C"}
    checks = [_check("Volgens X:", [], claim=False), _check("xA", [1]), _check("AB", [1, 2])]
    # [1] and [2]: every sentence citing them is supported; [3] is cited by no sentence -> 2/3
    assert M.citation_precision(passages, checks, support) == pytest.approx(2 / 3)
    # one unsupported sentence citing [2] makes [2] imprecise -> 1/3
    assert M.citation_precision(passages, checks + [_check("Q", [2])], support) == pytest.approx(1 / 3)
    assert M.citation_precision({}, checks, support) is None


def test_faithfulness_undefined_for_refusals_and_non_citing_systems():
    score = lambda checks: 0.5  # noqa: E731
    assert M.faithfulness(True, [_check("a", [1])], score) == 0.5
    assert M.faithfulness(False, [_check("a", [1])], score) is None
    assert M.faithfulness(True, None, score) is None


def test_volgens_prefix():
    assert M.allow_volgens_prefix("Volgens Jeugdhulp: wat is belangrijk voor u als raadslid? (2018):")
    assert not M.allow_volgens_prefix("Volgens de raad is het budget verhoogd.")
    assert not M.allow_volgens_prefix("Het budget: 3 miljoen")


verify_missing = not Verifier().available


@pytest.mark.skipif(verify_missing, reason="assistant.verify not importable")
def test_faithfulness_and_citation_precision_with_the_real_checker():
    v = Verifier()
    passage = "Het totale budget was in 2017 voor alle gemeenten €3,5 miljard. Het grootste deel wordt verdeeld."
    good = "Volgens Jeugdhulp: wat is belangrijk voor u als raadslid? (2018):\nHet totale budget was in 2017 voor alle gemeenten €3,5 miljard. [1]"
    checks = v.check_answer(good, {1: passage})
    assert M.faithfulness(True, checks, v.module.faithfulness) == 1.0  # the connecting line is not a claim
    assert M.citation_precision({1: passage}, checks, v.module.check) == 1.0
    bad = good + " Het totale budget was in 2019 €4,5 miljard. [1]"
    checks = v.check_answer(bad, {1: passage})
    assert M.faithfulness(True, checks, v.module.faithfulness) == 0.5
    assert M.citation_precision({1: passage}, checks, v.module.check) == 0.0


# ---- aggregation -------------------------------------------------------------------------------


def test_mean_defined_and_percentile():
    assert M.mean_defined([1.0, None, 0.0]) == (0.5, 2)
    assert M.mean_defined([None, None]) == (None, 0)
    assert M.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)
    assert M.percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)  # 3 + 0.85 * (4 - 3)
    assert M.percentile([7], 95) == 7
    assert M.percentile([], 50) is None
    assert M.ratio(0.5, 0.25) == 2.0
    assert M.ratio(0.5, 0) is None and M.ratio(None, 1) is None


# ---- the pipeline on a fake system (no index) ----------------------------------------------------


class FakeSystem(System):
    def __init__(self, outputs: dict[str, Output], name="full", cites=True):
        pool = [M.normalize(t) for t in RANKED]
        super().__init__(name, name.title(), cites, None, pool)
        self.outputs = outputs

    def run(self, question, history):
        out = self.outputs[question]
        if isinstance(out, Exception):
            raise out
        return out


QUESTIONS = [
    {
        "id": "a1",
        "question": "Hoeveel gemeenten?",
        "type": "fact",
        "split": "test",
        "answerable": True,
        "gold": GOLD,
        "facts": ["tien"],
    },
    {
        "id": "a2",
        "question": "Welke regio?",
        "type": "fact",
        "split": "test",
        "answerable": True,
        "gold": GOLD,
        "facts": ["Haaglanden"],
    },
    {
        "id": "u1",
        "question": "Telefoonnummer?",
        "type": "unanswerable",
        "split": "test",
        "answerable": False,
        "gold": [],
        "facts": [],
    },
]


def _fake_outputs():
    cit = [{"n": 1, "passage_id": "p2", "doc_id": "d", "title": "Doc", "text": RANKED[1]}]
    return {
        "Hoeveel gemeenten?": Output(
            "Volgens Doc (2020):\nIn de regio-Haaglanden werken tien gemeenten. [1]",
            True,
            cit,
            [("p1", RANKED[0]), ("p2", RANKED[1])],
            0.1,
        ),
        "Welke regio?": ValueError("kapot"),
        "Telefoonnummer?": Output("Hierover staat niets in de documenten.", False, [], [("p1", RANKED[0])], 0.3),
    }


def test_evaluate_on_a_fake_system_aggregates_and_lists_failures():
    result = evaluate(None, QUESTIONS, [FakeSystem(_fake_outputs())], validate=False)
    s = result["systems"]["full"]
    assert s["summary"]["fact_accuracy"] == 0.5 and s["n"]["fact_accuracy"] == 2  # a2 crashed -> no answer
    assert s["summary"]["answered_rate"] == 0.5
    assert s["summary"]["refusal_accuracy"] == 1.0 and s["n"]["refusal_accuracy"] == 1
    assert s["summary"]["recall@1"] == 0.0  # a1: gold at rank 2; a2: crashed, nothing ranked
    assert s["summary"]["recall@5"] == 0.5
    assert s["summary"]["mrr@10"] == pytest.approx(0.25)
    assert s["summary"]["errors"] == 1
    assert s["summary"]["gold_cited_rate"] == 1.0 and s["n"]["gold_cited_rate"] == 1
    assert s["summary"]["latency_p50_s"] == pytest.approx(0.1)
    rows = {r["id"]: r for r in result["rows"]}
    assert rows["a1"]["failures"] == [] and rows["a1"]["gold_rank"] == 2
    assert rows["a2"]["failures"][0].startswith("error: ValueError")
    assert rows["u1"]["failures"] == []
    assert s["by_type"]["unanswerable"]["metrics"]["fact_accuracy"] is None
    json.dumps(result)  # serialisable


def test_failure_reasons():
    row = {"answerable": False, "answered": True, "metrics": {}, "unsupported": [], "missing_facts": []}
    assert failure_reasons(row) == ["answered an unanswerable question"]
    row = {
        "answerable": True,
        "answered": True,
        "metrics": {"fact_accuracy": 0.0, "gold_cited_rate": 1.0},
        "unsupported": [],
        "missing_facts": ["tien"],
    }
    assert failure_reasons(row) == ["missing fact(s): tien"]


def test_reports_render_and_svg_is_well_formed():
    from assistant.evals import report as R

    outputs = _fake_outputs()
    systems = [FakeSystem(outputs), FakeSystem(outputs, name="bm25")]
    result = evaluate(None, QUESTIONS, systems, validate=False)
    gate = check_gate(result["systems"]["full"]["summary"], {"min": {"fact_accuracy": 0.9}, "max": {}})
    md = R.markdown(result, gate)
    assert "| fact_accuracy (n=2) | 0.500 | 0.500 | 1.00× |" in md
    assert "CI gate: FAILED" in md and "a2" in md
    page = R.html_report(result, gate)
    assert page.count("<svg") >= 3 and "kapot" in page and "Welke regio?" in page
    for svg in page.split("<svg")[1:]:
        ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")
    data = json.loads(R.json_report(result, gate))
    assert data["gate"]["passed"] is False and len(data["rows"]) == 6


# ---- gate --------------------------------------------------------------------------------------


def test_gate_min_max_undefined_and_unknown():
    thresholds = {"min": {"fact_accuracy": 0.6, "faithfulness": 0.9, "recal@1": 0.5}, "max": {"latency_p95_s": 1.0}}
    summary = {"fact_accuracy": 0.55, "faithfulness": None, "latency_p95_s": 2.0}
    gate = check_gate(summary, thresholds, known=set(QUALITY) | set(COST))
    assert not gate["passed"]
    assert [f.split(":")[0] for f in gate["failures"]] == ["fact_accuracy", "faithfulness", "recal@1", "latency_p95_s"]
    ok = check_gate(
        {"fact_accuracy": 0.6, "faithfulness": 0.95, "latency_p95_s": 0.1},
        {"min": {"fact_accuracy": 0.6, "faithfulness": 0.9}, "max": {"latency_p95_s": 1.0}},
    )
    assert ok["passed"] and ok["failures"] == []


def test_thresholds_file_has_one_threshold_per_metric_and_a_changelog():
    t = load_thresholds()
    assert t["split"] == "test" and t["system"] == "full"
    gated = set(t["min"]) | set(t["max"])
    assert gated == set(QUALITY) | set(COST)
    assert set(t["min"]) == set(QUALITY)
    assert all(0 < v <= 1 for v in t["min"].values())
    assert t.get("changelog"), "thresholds.toml needs a changelog section"
    text = (ROOT / "evals" / "thresholds.toml").read_text()
    assert "never lowered" in text.lower()


def test_gate_refuses_a_split_it_is_not_for():
    from assistant.evals.run import main

    assert main(["--split", "dev", "--gate"]) == 2


# ---- kinds of response -------------------------------------------------------------------------


def test_kind_metrics_and_confusion():
    assert M.expected_kind({"answerable": True}) == "answer"
    assert M.expected_kind({"answerable": False, "expected_kind": "partial"}) == "partial"
    assert M.expected_kind({"answerable": False}) is None  # unlabelled: kind metrics undefined
    assert M.output_kind("", False) == "not_found" and M.output_kind("", True) == "answer"
    assert M.kind_accuracy("partial", "not_found") == 0.0 and M.kind_accuracy(None, "answer") is None
    assert M.kind_recall("not_found", "not_found", "not_found") == 1.0
    assert M.kind_recall("not_found", "partial", "not_found") is None
    # precision: of the not_found responses, the share that expected it (a false "niets" counts against)
    assert M.kind_precision("not_found", "answer", "not_found") == 0.0
    assert M.kind_precision("not_found", "not_found", "not_found") == 1.0
    assert M.kind_precision("not_found", "answer", "partial") is None and M.kind_precision("not_found", None, "not_found") is None
    table = M.kind_confusion([("answer", "answer"), ("answer", "partial"), ("not_found", "partial"), (None, "answer")])
    assert table["answer"] == {"answer": 1, "partial": 1, "not_found": 0}
    assert table["not_found"]["partial"] == 1 and sum(table["partial"].values()) == 0


def test_first_sentence_fact_skips_framing_and_stops_at_the_first_marker():
    from assistant.evals.pipeline import allow_framing

    answer = (
        "De documenten noemen Kansrijke Start, maar geen bedrag.\n\nVolgens Actieplan (april 2019):\n"
        "Kansrijke Start kost € 5 mln. [1] Het loopt tot 2030. [1]"
    )
    assert M.first_claim(answer, allow_framing) == "Kansrijke Start kost € 5 mln. "
    assert M.first_sentence_fact(True, True, ["5 mln"], answer, allow_framing) == 1.0
    assert M.first_sentence_fact(True, True, ["2030"], answer, allow_framing) == 0.0
    assert M.first_sentence_fact(True, False, ["2030"], answer, allow_framing) is None
    assert allow_framing("Hierover staat niets in de gekozen documenten.")
    assert not allow_framing("De documenten noemen alles, en meer. [1]")
