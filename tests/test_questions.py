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
    "gold": [
        {
            "doc_id": "actieplan-2019",
            "span": "Bij ongeveer 19% van de Zoetermeerse jeugdigen is bij sprake van een te laag geboortegewicht",
        }
    ],
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
    return cq.check(path, min_counts={}, min_total=0, min_per_doc={}, min_realdocs=0, min_kinds={})


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
    item = _variant(
        GOOD, gold=[{"doc_id": "actieplan-2019", "span": "Jakobien Groeneveld -- Wethouder Jeugd"}], facts=["Groeneveld"]
    )
    assert _check_small(_write(tmp_path, [item])) == []


def test_broken_span_is_reported(tmp_path):
    broken = _variant(GOOD, gold=[{"doc_id": "actieplan-2019", "span": "Bij ongeveer 21% van de Zoetermeerse jeugdigen"}])
    problems = _check_small(_write(tmp_path, [broken]))
    assert any("span not found" in p for p in problems), problems


def test_ocr_span_must_keep_noisy_text(tmp_path):
    cleaned = _variant(
        GOOD, gold=[{"doc_id": "update-actieplan-2022", "span": "Er zijn 11 zorgpaden ontwikkeld"}], facts=["11 zorgpaden"]
    )
    noisy = _variant(
        GOOD, gold=[{"doc_id": "update-actieplan-2022", "span": "Erzijn 11 zorgpaden ontwikkeld"}], facts=["11 zorgpaden"]
    )
    # "Er zijn" and "Erzijn" normalise identically, so both pass ...
    assert _check_small(_write(tmp_path, [cleaned], "a.jsonl")) == []
    assert _check_small(_write(tmp_path, [noisy], "b.jsonl")) == []
    # ... but correcting an OCR letter error does not.
    corrected = _variant(
        GOOD,
        gold=[{"doc_id": "update-actieplan-2022", "span": "het kabinet oproept om vóór 15 april 2022"}],
        facts=["15 april 2022"],
    )
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


@pytest.mark.parametrize("field,value,needle", [("type", "trivia", "unknown type"), ("split", "train", "unknown split")])
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
    assert any("realdocs questions" in p for p in problems), problems
    assert any("expected_kind 'partial'" in p for p in problems), problems


def test_cli_exit_codes(tmp_path, capsys):
    assert cq.main(["check_questions.py", str(QUESTIONS_PATH)]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out and "unanswerable" in out
    bad = _write(tmp_path, [GOOD, _variant(GOOD_NA, id=GOOD["id"])])
    assert cq.main(["check_questions.py", str(bad)]) == 1


# ------------------------------------------ expected_kind and real documents

NEW = _variant(
    GOOD,
    id="q900",
    expected_kind="answer",
    gold=[{"doc_id": "actieplan-2019", "span": "Bij ongeveer 19% van de Zoetermeerse jeugdigen"}],
)


def test_new_row_with_expected_kind_passes(tmp_path):
    assert _check_small(_write(tmp_path, [NEW, _variant(GOOD_NA, expected_kind="partial")])) == []


@pytest.mark.parametrize(
    "row,needle",
    [
        (_variant(GOOD_NA, expected_kind="maybe"), "unknown expected_kind"),
        (_variant(GOOD_NA, expected_kind="answer"), "contradicts answerable"),
        (_variant(NEW, expected_kind="not_found"), "contradicts answerable"),
        ({k: v for k, v in GOOD_NA.items() if k != "expected_kind"}, "missing expected_kind"),
        ({k: v for k, v in NEW.items() if k != "expected_kind"}, "missing expected_kind"),
        (
            _variant(NEW, gold=[{"doc_id": "actieplan-2019", "span": GOOD["gold"][0]["span"] + ", vroeggeboorte"}]),
            "span has 16 words",
        ),
        (_variant(NEW, corpus="other"), "unknown corpus"),
        (_variant(NEW, ocr=True), "only on realdocs rows"),
    ],
)
def test_kind_and_form_rules_are_reported(tmp_path, row, needle):
    problems = _check_small(_write(tmp_path, [row]))
    assert any(needle in p for p in problems), problems


def _realdocs(tmp_path):
    """A realdocs folder with a Markdown file, an encrypted PDF and a PDF without text layer."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    d = tmp_path / "realdocs"
    d.mkdir()
    (d / "wet.md").write_text(
        "### Artikel 2.3.5\n\n2.  Het college geeft de beschikking binnen twee weken na ontvangst van de aanvraag.\n",
        encoding="utf-8",
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "De motie wordt aangenomen met 36 tegen 8 stemmen. " * 6)
    plain = tmp_path / "plain.pdf"
    pdf.output(str(plain))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="eigenaar", algorithm="AES-128")
    with open(d / "notulen.pdf", "wb") as fh:
        writer.write(fh)
    blank = FPDF()
    blank.add_page()
    blank.output(str(d / "scan.pdf"))
    return d


def _real_row(doc_id, span, fact, **extra):
    return _variant(NEW, corpus="realdocs", gold=[{"doc_id": doc_id, "span": span}], facts=[fact], **extra)


def test_realdocs_spans_are_checked_in_markdown_and_encrypted_pdf(tmp_path):
    d = _realdocs(tmp_path)
    good = [
        _real_row("wet", "binnen twee weken na ontvangst van de aanvraag", "twee weken"),
        _variant(_real_row("notulen", "aangenomen met 36 tegen 8 stemmen", "36 tegen 8"), id="q901"),
    ]
    ok = cq.check(
        _write(tmp_path, good), realdocs_dir=d, min_counts={}, min_total=0, min_per_doc={}, min_realdocs=0, min_kinds={}
    )
    assert ok == []
    bad = [
        _real_row("notulen", "aangenomen met 35 tegen 9 stemmen", "36 tegen 8"),
        _variant(_real_row("wet", "binnen zes weken na ontvangst van de aanvraag", "zes weken"), id="q901"),
    ]
    problems = cq.check(
        _write(tmp_path, bad, "bad.jsonl"),
        realdocs_dir=d,
        min_counts={},
        min_total=0,
        min_per_doc={},
        min_realdocs=0,
        min_kinds={},
    )
    assert sum("span not found" in p for p in problems) == 2, problems
    assert any("no variant occurs" in p for p in problems), problems


def test_scanned_document_needs_ocr_flag(tmp_path):
    d = _realdocs(tmp_path)
    row = _real_row("scan", "De wijzigingsvoorstellen verlagen het doelbereik iets", "doelbereik")
    args = {"realdocs_dir": d, "min_counts": {}, "min_total": 0, "min_per_doc": {}, "min_realdocs": 0, "min_kinds": {}}
    problems = cq.check(_write(tmp_path, [row]), **args)
    assert any("has no text layer" in p for p in problems), problems
    assert cq.check(_write(tmp_path, [_variant(row, ocr=True)], "ocr.jsonl"), **args) == []


def test_missing_realdocs_document_is_reported(tmp_path):
    row = _real_row("bestaat-niet", "binnen twee weken na ontvangst van de aanvraag", "twee weken")
    problems = cq.check(
        _write(tmp_path, [row]),
        realdocs_dir=tmp_path / "leeg",
        min_counts={},
        min_total=0,
        min_per_doc={},
        min_realdocs=0,
        min_kinds={},
    )
    assert any("bestaat-niet" in p and "not found" in p for p in problems), problems


def test_real_question_set_kinds_are_balanced():
    items = [json.loads(l) for l in QUESTIONS_PATH.read_text(encoding="utf-8").splitlines() if l.strip()]
    new = [q for q in items if int(q["id"][1:]) > cq.LAST_OLD_ID]
    assert len(new) >= 90
    assert all(q["expected_kind"] in cq.EXPECTED_KINDS for q in new)
    assert sum(q.get("corpus") == "realdocs" for q in new) >= 35
    kinds = Counter(q["expected_kind"] for q in new)
    assert kinds["partial"] >= 10 and kinds["not_found"] >= 10
    for corpus in ("seed", "realdocs"):
        rows = [q for q in new if q.get("corpus", "seed") == corpus]
        dev = sum(q["split"] == "dev" for q in rows)
        assert 0.4 <= dev / len(rows) <= 0.6, corpus
