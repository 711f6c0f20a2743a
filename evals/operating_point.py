"""The answer layer's operating point: one answer setting swept over values, on both corpora.

    python evals/operating_point.py --seed-index DIR --realdocs-index DIR [--split dev] \
        [--setting min_coverage] [--values 0.25,0.3,0.35,0.4,0.45] [--json out.json]

Issue 11 asks two things of the `answer` / `partial` boundary at once: answer ≥ 0.90 of the answerable
questions and give no answer to ≥ 0.90 of the unanswerable ones. A threshold such as `[answer] min_coverage`
trades one for the other; this prints the trade (kind accuracy, answered, no answer on unanswerable,
not-found correct, fact accuracy) for each value, so an evaluator sees whether any value reaches both
targets and what a proposed default costs. Query vectors are computed once per question and reused by
every value. Figures and what was chosen: evals/README.md, "Round 13". Tune on dev; test only confirms.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evals.retrieval_variants import cached_bot, corpus_parser  # noqa: E402  (after the path insert)

# What the table shows, in this order: (metric of `pipeline.summarize`, column title).
COLUMNS = [
    ("kind_accuracy", "kind"),
    ("answered_rate", "answered"),
    ("refusal_accuracy", "no answer"),
    ("not_found_accuracy", "not found"),
    ("fact_accuracy", "facts"),
]


def askable(bot, questions: list[dict]) -> list[dict]:
    """The questions whose evidence is in this index (the gate's realdocs index leaves the long minutes out)."""
    from assistant.evals.corpora import askable as keep

    indexed = {p.doc_id for p in bot.index.passages.values()}
    gold_docs = {g.get("doc_id") for q in questions for g in q.get("gold") or [] if isinstance(g, dict)}
    return keep(questions, sorted(gold_docs - indexed))


def sweep(bot, questions: list[dict], setting: str, values: list[float]) -> list[dict]:
    """For each value: the summary metrics (and their counts) of the full pipeline with `[answer] setting = value`.
    The bot's own configuration is restored afterwards."""
    from assistant.evals.pipeline import score_question, summarize
    from assistant.evals.systems import FullPipeline

    base = bot.answerer.config
    if not hasattr(base, setting):
        raise SystemExit(f"no [answer] setting {setting!r}")
    system = FullPipeline(bot)
    out = []
    try:
        for value in values:
            bot.answerer.config = replace(base, **{setting: value})
            rows = [score_question(q, system.run(q["question"], q.get("history")), system, None) for q in questions]
            s = summarize(rows)
            out.append({"value": value, "default": value == getattr(base, setting), "metrics": s["metrics"], "n": s["n"]})
    finally:
        bot.answerer.config = base
    return out


def table(corpus: str, split: str, setting: str, points: list[dict]) -> str:
    head = f"| {corpus} {split}: {setting} | " + " | ".join(t for _, t in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for p in points:
        cells = []
        for key, _ in COLUMNS:
            v, n = p["metrics"].get(key), p["n"].get(key, 0)
            cells.append("–" if v is None else f"{v:.3f} ({round(v * n)}/{n})")
        lines.append(f"| {p['value']}{' (default)' if p['default'] else ''} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    from assistant.evals.pipeline import load_questions

    p = corpus_parser(__doc__.splitlines()[0])
    p.add_argument("--setting", default="min_coverage", help="a field of [answer] (AnswerConfig)")
    p.add_argument("--values", default="0.25,0.3,0.35,0.4,0.45")
    args = p.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one encoder thread per call (the machine's rule)
    values = [float(v) for v in args.values.split(",")]
    result = {}
    for corpus, index_dir in (("seed", args.seed_index), ("realdocs", args.realdocs_index)):
        bot = cached_bot(index_dir)
        questions = askable(bot, load_questions(split=args.split, corpus=corpus))
        result[corpus] = sweep(bot, questions, args.setting, values)
        print(table(corpus, args.split, args.setting, result[corpus]) + "\n", flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
