"""assistant/evals/compare.py: two eval reports compared question by question, on hand-made rows."""

from __future__ import annotations

import json

import pytest

from assistant.evals import compare as C
from assistant.evals.run import main as eval_main


def _row(qid, split, corpus="seed", answer="a", **metrics):
    return {"id": qid, "split": split, "corpus": corpus, "system": "full", "answer": answer, "metrics": metrics}


def _report(*rows):
    return {"rows": list(rows)}


def test_sign_test_and_wilson_by_hand():
    assert C.sign_test(0, 0) is None
    assert C.sign_test(7, 0) == pytest.approx(2 / 128)  # all seven changes one way
    assert C.sign_test(1, 1) == 1.0 and C.sign_test(3, 1) == pytest.approx(0.625)
    assert C.wilson(0, 0) is None
    lo, hi = C.wilson(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-3) and hi == pytest.approx(0.7634, abs=1e-3)
    lo, hi = C.wilson(0, 20)
    assert lo == 0.0 and 0.1 < hi < 0.2  # not the zero-width interval of k/n ± 2 SE


def test_counts_gains_losses_and_own_denominators():
    base = _report(
        _row("q1", "dev", kind_accuracy=0.0, answered_rate=0.0, first_sentence_fact=None),
        _row("q2", "dev", kind_accuracy=1.0, answered_rate=1.0, first_sentence_fact=1.0),
        _row("q3", "test", corpus="realdocs", kind_accuracy=1.0, refusal_accuracy=1.0),
        _row("q9", "dev"),  # only in the base run
        {"id": "q1", "system": "bm25", "metrics": {"kind_accuracy": 1.0}},  # a baseline: not compared
    )
    new = _report(
        _row("q1", "dev", answer="b", kind_accuracy=1.0, answered_rate=1.0, first_sentence_fact=0.0),
        _row("q2", "dev", kind_accuracy=1.0, answered_rate=1.0, first_sentence_fact=1.0),
        _row("q3", "test", corpus="realdocs", answer="c", kind_accuracy=0.0, refusal_accuracy=0.0),
    )
    r = C.compare(base, new)
    assert (r["questions"], r["only_base"], r["only_new"]) == (3, 1, 0)
    dev, test = r["groups"]["seed dev"], r["groups"]["realdocs test"]
    assert dev["answers_changed"] == 1 and test["answers_changed"] == 1
    kind = dev["kind_accuracy"]
    assert (kind["base"], kind["new"], kind["gained"], kind["lost"]) == (1, 2, ["q1"], [])
    first = dev["first_sentence_fact"]  # answered in the new run only: its denominator grows, its count does not
    assert (first["base"], first["n_base"], first["new"], first["n_new"]) == (1, 1, 1, 2)
    assert test["refusal_accuracy"]["lost"] == ["q3"]
    keep = r["keep"]
    assert not keep["keep"] and "seed dev kind +1" in keep["up"] and "realdocs test no answer -1" in keep["down"]
    text = C.markdown(r)
    assert "## seed dev: 2 questions, 1 answer changed" in text and "| kind | 1/2 (0.09–0.91) | 2/2" in text
    assert "**Keep rule: do not keep.**" in text and "1 only in the base" in text


def test_keep_rule_needs_a_dev_gain_and_no_loss():
    up = {"seed dev": {"kind_accuracy": {"base": 1, "new": 2}}, "seed test": {"kind_accuracy": {"base": 3, "new": 3}}}
    assert C.keep_rule(up)["keep"]
    assert not C.keep_rule({"seed dev": {"kind_accuracy": {"base": 2, "new": 2}}})["keep"]  # nothing rose
    lost_dev = {"seed dev": {"kind_accuracy": {"base": 1, "new": 2}, "fact_accuracy": {"base": 5, "new": 4}}}
    assert not C.keep_rule(lost_dev)["keep"]


def test_assistant_eval_compare_reads_two_reports(tmp_path, capsys):
    a, b, md = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.md"
    a.write_text(json.dumps(_report(_row("q1", "dev", kind_accuracy=0.0))))
    b.write_text(json.dumps(_report(_row("q1", "dev", kind_accuracy=1.0))))
    assert eval_main(["--compare", str(a), str(b), "--md", str(md)]) == 0
    assert "**Keep rule: keep.**" in capsys.readouterr().out and "q1" in md.read_text()
    (tmp_path / "bad.json").write_text("{not json")
    assert eval_main(["--compare", str(a), str(tmp_path / "bad.json")]) == 2
    assert "cannot read the reports" in capsys.readouterr().out
    (tmp_path / "list.json").write_text("[1, 2]")
    assert eval_main(["--compare", str(a), str(tmp_path / "list.json")]) == 2
    assert "not an evaluation report" in capsys.readouterr().out
