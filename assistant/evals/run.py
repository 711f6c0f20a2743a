"""Run the evaluation suite: `assistant eval [...]` or `python -m assistant.evals.run [...]`.

    python -m assistant.evals.run --split dev --baselines --html report.html --json report.json
    python -m assistant.evals.run --gate            # CI: exit 1 when a test-split metric misses its threshold

Prints a Markdown report (metrics per system with ratios to the full pipeline, per question type,
checker validation, latency, failures). `--html` writes a self-contained report with inline SVG charts
and every failure; `--json` all numbers and per-question rows; `--md` the Markdown.

Exit status: 0 ok, 1 gate failed, 2 cannot run (no index, no LLM backend for --llm, gate on a split
the thresholds are not for).

Tuning rule: tune the system on the dev split only; the test split is for the gate.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import QUESTIONS, THRESHOLDS, corpora
from . import report as R
from .gate import check_gate, load_thresholds
from .pipeline import COST, QUALITY, evaluate, load_questions
from .systems import make_systems

NO_LLM = (
    "Geen LLM-backend geconfigureerd (no LLM backend configured): zet llm_url in assistant.toml of "
    "ASSISTANT_LLM_URL, of draai zonder --llm voor de extractieve antwoorden."
)


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_eval(
    bot,
    split: str = "test",
    baselines: bool = False,
    use_llm: bool = False,
    gate: bool = False,
    load_seconds: float | None = None,
    thresholds_path: str | Path = THRESHOLDS,
    questions_path: str | Path = QUESTIONS,
    progress=None,
    validate: bool = True,
    realdocs_bot=None,
    realdocs_left_out: list[str] | tuple = (),
    seed: bool = True,
) -> dict:
    """Evaluate `bot` (an Assistant, or anything with its interface) on the seed questions and, with
    `realdocs_bot`, the realdocs questions on that bot's index (reported as group "realdocs", gated
    by the `[realdocs]` thresholds); returns {"result": ..., "gate": ... | None, "markdown": str}."""
    questions = load_questions(questions_path, split) if seed else []
    rd_questions = []
    if realdocs_bot is not None:
        rd_questions = corpora.askable(load_questions(questions_path, split, corpus="realdocs"), list(realdocs_left_out))
    if not questions and not rd_questions:
        raise ValueError(f"no questions for split {split!r} in {questions_path}")
    result = rd_result = None
    if questions:
        systems = make_systems(bot, baselines=baselines, use_llm=use_llm)
        result = evaluate(bot, questions, systems, load_seconds=load_seconds, progress=progress, validate=validate)
    if rd_questions:
        rd_systems = make_systems(realdocs_bot, baselines=False, use_llm=use_llm)
        rd_result = evaluate(realdocs_bot, rd_questions, rd_systems, progress=progress, validate=False)
        rd_result["meta"]["left_out"] = list(realdocs_left_out)
        result = merge_realdocs(result, rd_result) if result else rd_result
    result["meta"]["llm"] = bool(use_llm)
    gate_result = None
    if gate:
        thresholds = load_thresholds(thresholds_path)
        known = set(QUALITY) | set(COST)
        if questions:
            gate_result = check_gate(result["systems"][thresholds["system"]]["summary"], thresholds, known=known)
        if rd_result is not None and thresholds.get("realdocs"):
            rd_gate = check_gate(rd_result["systems"][thresholds["system"]]["summary"], thresholds["realdocs"], known=known)
            gate_result = merge_gates(gate_result, rd_gate)
    return {"result": result, "gate": gate_result, "markdown": R.markdown(result, gate_result)}


def merge_realdocs(result: dict, rd: dict) -> dict:
    """The seed result with the realdocs rows added and, per system, a "realdocs" group summary; the
    top-level summaries stay those of the seed questions (the seed gate reads them)."""
    result["rows"] += rd["rows"]
    result["meta"]["realdocs"] = {
        k: rd["meta"].get(k) for k in ("questions", "answerable", "passages", "index_build", "left_out")
    }
    for name, s in rd["systems"].items():
        if name in result["systems"]:
            result["systems"][name].setdefault("by_group", {})["realdocs"] = {
                "questions": rd["meta"]["questions"],
                "metrics": s["summary"],
                "n": s["n"],
                "kind_confusion": s["kind_confusion"],
            }
    return result


def merge_gates(seed: dict | None, rd: dict) -> dict:
    """One gate verdict from the seed and the realdocs gates (realdocs checks prefixed "realdocs:")."""
    for c in rd["checks"]:
        c["metric"] = f"realdocs:{c['metric']}"
    rd["failures"] = [f"realdocs:{f}" for f in rd["failures"]]
    if seed is None:
        return rd
    seed["checks"] += rd["checks"]
    seed["failures"] += rd["failures"]
    seed["passed"] = not seed["failures"]
    return seed


def main(args=None) -> int:
    """Entry point of `assistant eval` (args: argparse Namespace) and `python -m assistant.evals.run` (argv list)."""
    if args is None or isinstance(args, (list, tuple)):
        args = parser().parse_args(args)
    if getattr(args, "compare", None):  # two reports, question by question: no index needed
        from .compare import run as compare_runs

        return compare_runs(*args.compare, md_out=getattr(args, "md_out", None), json_out=getattr(args, "json_out", None))
    split = getattr(args, "split", None) or "test"
    gate = bool(getattr(args, "gate", False))
    use_llm = bool(getattr(args, "llm", False))
    if gate:
        wanted = load_thresholds(THRESHOLDS)["split"]
        if split != wanted:
            _stderr(f"De gate geldt voor split '{wanted}' (the gate is defined on the {wanted} split), niet '{split}'.")
            return 2

    from assistant.settings import Settings, apply_offline_env

    apply_offline_env()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from assistant import Assistant
    from assistant.index import IndexMissing

    settings = Settings.load(
        getattr(args, "config", None), index_dir=getattr(args, "index_dir", None), chroma_url=getattr(args, "chroma_url", None)
    )
    t0 = time.perf_counter()
    try:
        bot = Assistant.load(settings)
    except IndexMissing as exc:
        _stderr(str(exc))
        return 2
    load_seconds = time.perf_counter() - t0
    if use_llm and getattr(bot, "llm", None) is None:
        _stderr(NO_LLM)
        return 2
    realdocs = Path(getattr(args, "realdocs", None) or corpora.REALDOCS)
    corpus = getattr(args, "corpus", None) or ("all" if gate and realdocs.is_dir() else "seed")
    rd_bot, left_out = None, []
    if corpus in ("realdocs", "all"):
        if not realdocs.is_dir():
            _stderr(f"realdocs-map niet gevonden (realdocs folder not found): {realdocs}; geef --realdocs DIR")
            return 2
        rd_settings, left_out = corpora.realdocs_settings(
            settings, realdocs, getattr(args, "realdocs_index", None), bool(getattr(args, "realdocs_full", False))
        )
        _stderr(f"realdocs index {rd_settings.index_dir} (left out: {', '.join(left_out) or 'none'}) …")
        corpora.build(rd_settings)
        rd_bot = Assistant.load(rd_settings)

    _stderr(
        f"evaluating split {split}, corpus {corpus} (index {settings.index_dir})"
        f"{' with baselines' if getattr(args, 'baselines', False) else ''} …"
    )
    out = run_eval(
        bot,
        split=split,
        baselines=bool(getattr(args, "baselines", False)),
        use_llm=use_llm,
        gate=gate,
        load_seconds=load_seconds,
        progress=_stderr,
        realdocs_bot=rd_bot,
        realdocs_left_out=left_out,
        seed=corpus != "realdocs",
    )
    result, gate_result, md = out["result"], out["gate"], out["markdown"]
    print(md)
    if getattr(args, "md_out", None):
        R.write(args.md_out, md)
        _stderr(f"Markdown: {args.md_out}")
    if getattr(args, "html_out", None):
        R.write(args.html_out, R.html_report(result, gate_result))
        _stderr(f"HTML: {args.html_out}")
    if getattr(args, "json_out", None):
        R.write(args.json_out, R.json_report(result, gate_result))
        _stderr(f"JSON: {args.json_out}")
    if gate_result is not None:
        if gate_result["passed"]:
            print("GATE PASSED")
            return 0
        print("GATE FAILED:")
        for f in gate_result["failures"]:
            print(f"  - {f}")
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant.evals.run", description="Evaluatie van de Raadsassistent Jeugd.")
    p.add_argument("--split", choices=["dev", "test", "all"], default="test")
    p.add_argument("--json", dest="json_out", help="schrijf resultaten (alle getallen + rijen per vraag) naar JSON")
    p.add_argument("--html", dest="html_out", help="schrijf rapport naar HTML")
    p.add_argument("--md", dest="md_out", help="schrijf rapport naar Markdown")
    p.add_argument("--llm", action="store_true", help="antwoorden via de LLM-backend")
    p.add_argument("--baselines", action="store_true", help="ook BM25, dense en de llama-index-standaard draaien")
    p.add_argument("--gate", action="store_true", help="exit 1 als een drempel uit evals/thresholds.toml niet gehaald wordt")
    p.add_argument(
        "--compare",
        nargs=2,
        metavar=("BASE", "NEW"),
        help="vergelijk twee --json-rapporten vraag voor vraag (tellingen, gewonnen/verloren vragen, tekentoets)",
    )
    p.add_argument("--config", help="pad naar assistant.toml")
    p.add_argument("--index-dir", help="map met de index (default: indexes/ of ASSISTANT_INDEX_DIR)")
    p.add_argument("--chroma-url", help="Chroma-server (default: ingebouwd)")
    p.add_argument(
        "--corpus",
        choices=["seed", "realdocs", "all"],
        help="welke vragen: seed (corpus/, default), realdocs of all (default met --gate: all als realdocs er is)",
    )
    p.add_argument("--realdocs", help=f"map met de echte documenten (default: {corpora.REALDOCS})")
    p.add_argument("--realdocs-index", help="map voor de realdocs-index (default: naast de index, '-realdocs')")
    p.add_argument(
        "--realdocs-full",
        action="store_true",
        help=f"ook documenten van meer dan {corpora.GATE_MAX_PAGES} pagina's (rapport; de gate laat ze weg)",
    )
    return p


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
