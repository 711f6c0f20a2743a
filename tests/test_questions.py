"""Tests for the evaluation question set and its checker (stdlib + pytest)."""

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKER_PATH = ROOT / "evals" / "check_questions.py"
QUESTIONS_PATH = ROOT / "evals" / "questions.jsonl"


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_questions", CHECKER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cq = _load_checker()

# A valid answerable and unanswerable question, used as building blocks.
GOOD = {
    "id": "t001",
    "question": "Bij hoeveel procent van de Zoetermeerse jeugdigen is sprake van een te laag geboortegewicht?",
    "type": "fact",
    "split": "dev",
    "gold": [{"doc_id": "actieplan-2019",
              "span": "Bij ongeveer 19% van de Zoetermeerse jeugdigen is bij sprake van een te laag geboortegewicht"}],
    "facts": ["19%|19 procent"],
    "answerable": True,
}
GOOD_NA = {
    "id": "t002",
    "question": "Wat is de status van motie 2203-99?",
    "type": "unanswerable",
    "split": "test",
    "gold": [],
    "facts": [],
    "answerable": False,
    "expected_kind": "not_found",
}


def _write(tmp_path, items, name="q.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return p


def _check_small(path):
    # only per-question rules; coverage minima are irrelevant for tiny sets
    return cq.check(path, min_counts={}, min_total=0, min_per_doc={})


def _variant(base, **changes):
    d = json.loads(json.dumps(base))
    d.update(changes)
    return d


# ---------------------------------------------------------------- real set

def test_real_question_set_has_no_problems():
    problems = cq.check(QUESTIONS_PATH)
    assert problems == [], "\n".join(problems)


def test_real_question_set_coverage():
    items = [json.loads(l) for l in QUESTIONS_PATH.read_text(encoding="utf-8").splitlines() if l.strip()]
    assert len(items) >= 90
    types = Counter(q["type"] for q in items)
    for t, n in cq.MIN_COUNTS.items():
        assert types[t] >= n, t
    splits = Counter(q["split"] for q in items)
    assert 0.3 <= splits["dev"] / len(items) <= 0.5
    # follow-up questions carry a history with a user and an assistant turn
    followups = [q for q in items if "history" in q]
    assert len(followups) >= 2
    for q in followups:
        assert [h["role"] for h in q["history"]] == ["user", "assistant"]


def test_normalize():
    assert cq.normalize("Er zijn 11\nzorg-paden!") == "erzijn11zorgpaden"
    assert cq.normalize("ﬁnanciële") == "financiële"  # NFKC unfolds the ligature
    assert cq.normalize("  ") == ""


def test_fact_matching_is_whitespace_and_case_insensitive():
    assert cq.fact_matches("vierde kwartaal van 2022|Q4 2022", "uiterlijk in het Vierde\n  kwartaal van 2022")
    assert not cq.fact_matches("31-12-2023", "afgedaan op 15-12-2021")


# ------------------------------------------------------ checker catches bugs

def test_small_valid_set_passes(tmp_path):
    assert _check_small(_write(tmp_path, [GOOD, GOOD_NA])) == []


def test_span_crossing_line_break_and_punctuation_is_accepted(tmp_path):
    # In the document "Jakobien Groeneveld" and "Wethouder Jeugd" are on separate lines.
    item = _variant(GOOD, gold=[{"doc_id": "actieplan-2019", "span": "Jakobien Groeneveld -- Wethouder Jeugd"}],
                    facts=["Groeneveld"])
    assert _check_small(_write(tmp_path, [item])) == []


def test_broken_span_is_reported(tmp_path):
    broken = _variant(GOOD, gold=[{"doc_id": "actieplan-2019",
                                   "span": "Bij ongeveer 21% van de Zoetermeerse jeugdigen"}])
    problems = _check_small(_write(tmp_path, [broken]))
    assert any("span not found" in p for p in problems), problems


def test_ocr_span_must_keep_noisy_text(tmp_path):
    cleaned = _variant(GOOD, gold=[{"doc_id": "update-actieplan-2022", "span": "Er zijn 11 zorgpaden ontwikkeld"}],
                       facts=["11 zorgpaden"])
    noisy = _variant(GOOD, gold=[{"doc_id": "update-actieplan-2022", "span": "Erzijn 11 zorgpaden ontwikkeld"}],
                     facts=["11 zorgpaden"])
    # "Er zijn" and "Erzijn" normalise identically, so both pass ...
    assert _check_small(_write(tmp_path, [cleaned], "a.jsonl")) == []
    assert _check_small(_write(tmp_path, [noisy], "b.jsonl")) == []
    # ... but correcting an OCR letter error does not.
    corrected = _variant(GOOD, gold=[{"doc_id": "update-actieplan-2022", "span": "het kabinet oproept om vóór 15 april 2022"}],
                         facts=["15 april 2022"])
    problems = _check_small(_write(tmp_path, [corrected], "c.jsonl"))
    assert any("span not found" in p for p in problems), problems


def test_duplicate_id_is_reported(tmp_path):
    dup = _variant(GOOD_NA, id=GOOD["id"])
    problems = _check_small(_write(tmp_path, [GOOD, dup]))
    assert any("duplicate id" in p for p in problems), problems


def test_missing_gold_is_reported(tmp_path):
    no_gold = _variant(GOOD, gold=[])
    problems = _check_small(_write(tmp_path, [no_gold]))
    assert any("without gold" in p for p in problems), problems


def test_missing_facts_is_reported(tmp_path):
    no_facts = _variant(GOOD, facts=[])
    problems = _check_small(_write(tmp_path, [no_facts]))
    assert any("without facts" in p for p in problems), problems


def test_unanswerable_with_gold_is_reported(tmp_path):
    bad = _variant(GOOD_NA, gold=GOOD["gold"])
    problems = _check_small(_write(tmp_path, [bad]))
    assert any("unanswerable question has gold" in p for p in problems), problems


def test_missing_document_is_reported(tmp_path):
    bad = _variant(GOOD, gold=[{"doc_id": "actieplan-2099", "span": "Bij ongeveer 19%"}])
    problems = _check_small(_write(tmp_path, [bad]))
    assert any("not found in" in p and "actieplan-2099" in p for p in problems), problems


@pytest.mark.parametrize("field,value,needle", [
    ("type", "trivia", "unknown type"),
    ("split", "train", "unknown split"),
])
def test_unknown_type_or_split_is_reported(tmp_path, field, value, needle):
    bad = _variant(GOOD, **{field: value})
    problems = _check_small(_write(tmp_path, [bad]))
    assert any(needle in p for p in problems), problems


def test_fact_not_in_gold_document_is_reported(tmp_path):
    bad = _variant(GOOD, facts=["21 procent"])
    problems = _check_small(_write(tmp_path, [bad]))
    assert any("no variant occurs" in p for p in problems), problems


def test_minimum_counts_are_enforced(tmp_path):
    problems = cq.check(_write(tmp_path, [GOOD, GOOD_NA]))
    assert any("type 'motion'" in p and "minimum" in p for p in problems), problems
    assert any("minimum 90" in p for p in problems), problems


def test_cli_exit_codes(tmp_path, capsys):
    assert cq.main(["check_questions.py", str(QUESTIONS_PATH)]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out and "unanswerable" in out
    bad = _write(tmp_path, [GOOD, _variant(GOOD_NA, id=GOOD["id"])])
    assert cq.main(["check_questions.py", str(bad)]) == 1
