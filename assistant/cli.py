"""Command line: `assistant ingest | ask | search | chat | serve | start | eval | feedback | users`.

A thin client of `Assistant` and `build_index`. Heavy imports happen inside the commands, so
`assistant --help` answers at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "func", None) is cmd_eval:
        args.eval_args = list(extra)  # the evaluation suite parses its own flags (assistant/evals/run.py)
    elif extra:
        parser.error(f"onbekende argumenten (unrecognized arguments): {' '.join(extra)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from .settings import apply_offline_env

    apply_offline_env()
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("\nAfgebroken (interrupted).", file=sys.stderr)
        return 130
    except Exception as exc:  # user-facing: a message, not a traceback; details with --debug
        from .index import IndexMissing

        if getattr(args, "debug", False) and not isinstance(exc, IndexMissing):
            raise
        print(f"Fout (error): {exc}", file=sys.stderr)
        return 2


def _settings(args):
    from .settings import Settings

    return Settings.load(
        getattr(args, "config", None), index_dir=getattr(args, "index_dir", None), chroma_url=getattr(args, "chroma_url", None)
    )


def _text_error(what: str) -> str:
    return (
        f"{what} bevat bytes die geen geldige tekst zijn; gebruik UTF-8 "
        "(contains undecodable bytes: check the terminal's character set)"
    )


def _check_text(value: str, what: str) -> None:
    """A clear message instead of a codec error: undecodable bytes in argv arrive as lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_text_error(what)) from None


def _filters(args) -> dict | None:
    f = {}
    if getattr(args, "kind", None):
        f["kinds"] = args.kind
    if getattr(args, "doc", None):
        f["doc_ids"] = args.doc
    if getattr(args, "org", None):
        f["organisations"] = args.org
    if getattr(args, "year_from", None):
        f["year_from"] = args.year_from
    if getattr(args, "year_to", None):
        f["year_to"] = args.year_to
    return f or None


# ---- commands ---------------------------------------------------------------------------------


def cmd_ingest(args) -> int:
    from .index import build_index

    settings = _settings(args)
    corpus = Path(args.path) if args.path else settings.corpus_dir
    bar = _Progress(enabled=not args.json and not args.quiet)
    address = args.ray or settings.index.ray_address
    if address:  # reading and embedding on a Ray cluster (ingest/distributed.py); the rest is the same
        from .ingest.distributed import RayEngine

        with RayEngine(settings, corpus, address, settings.index.ray_workers, progress=bar) as engine:
            report = build_index(settings, corpus, progress=bar, engine=engine)
    else:
        report = build_index(settings, corpus, progress=bar)
    bar.done()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return 0
    if report.unchanged:
        print(f"Index is actueel (up to date): {report.documents} documenten, {report.passages} passages; niets ge-embed.")
    else:
        print(
            f"Klaar (done) in {report.seconds:.1f} s: {report.documents} documenten, {report.pages} pagina's, "
            f"{report.passages} passages ({report.embedded} ge-embed, {report.reused} hergebruikt)."
        )
        for label, docs in (
            ("nieuw", report.added_docs),
            ("gewijzigd", report.changed_docs),
            ("verwijderd", report.removed_docs),
            ("verplaatst", report.moved_docs),
        ):
            if docs:
                print(f"  {label}: {', '.join(docs)}")
    for s in report.skipped:
        print(f"  OVERGESLAGEN (skipped) {s['path']}: {s['reason']}")
    for doc_id in report.low_coverage:
        print(f"  LAGE DEKKING (low text coverage) {doc_id}: {report.layout[doc_id]['coverage']:.1%} van de tekst in passages")
    for w in report.warnings:
        print(f"  WAARSCHUWING (warning) {w['path']}: {w['reason']}")
    for o in report.ocr:
        print(
            f"  ge-OCR'd {o['path']}: pagina's {', '.join(map(str, o['pages']))} in {o['seconds']:.1f} s"
            + (" (uit cache)" if len(o["cached"]) == len(o["pages"]) else "")
        )
    return 0


def cmd_ask(args) -> int:
    from .api import Assistant
    from .present import format_answer

    _check_text(args.question, "de vraag (the question)")
    bot = Assistant.load(_settings(args))
    answer = bot.ask(args.question, filters=_filters(args), use_llm=False if args.no_llm else None)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(format_answer(answer))
    return 0


def cmd_search(args) -> int:
    from .api import Assistant
    from .present import source_line

    _check_text(args.query, "de zoekopdracht (the query)")
    bot = Assistant.load(_settings(args))
    results = bot.search(args.query, k=args.k, filters=_filters(args))
    if args.json:
        print(json.dumps([p.to_dict() for p in results], ensure_ascii=False, indent=1))
        return 0
    if not results:
        print("Geen passages gevonden (no passages found).")
    for i, p in enumerate(results, 1):
        print(f"{i:2d}. [{p.score:.3f}] {source_line(p)}\n    {' '.join(p.text.split())[:220]}")
    return 0


def cmd_settings(args) -> int:
    """The settings in force (`--markdown`: every key with its default, the README table)."""
    from .settings import Settings

    if args.markdown:
        print("| `assistant.toml` | environment | default | meaning |\n|---|---|---|---|")
        for key, env, default, doc in Settings().rows():
            print(f"| `{key}` | `{env}` | {default} | {doc} |")
        return 0
    settings = _settings(args)
    for key, env, _, _ in settings.rows():
        section, _, name = key.strip("[").partition("] ")
        value = getattr(getattr(settings, section), name) if name else getattr(settings, section)
        print(f"{key} = {'***' if 'api_key' in key and value else value!r}")
    return 0


def cmd_chat(args) -> int:
    """A terminal chat with follow-up questions (history is kept)."""
    from .api import Assistant
    from .present import format_answer

    bot = Assistant.load(_settings(args))
    history: list[dict] = []
    print(f"{bot.settings.name}. Stel uw vraag (leeg of Ctrl-D om te stoppen).")
    while True:
        try:
            question = input("\nVraag: ").strip()
            _check_text(question, "de vraag (the question)")
        except EOFError:
            break
        except (UnicodeError, ValueError) as exc:  # bytes the terminal's encoding cannot read
            print(f"Fout (error): {_text_error('de vraag (the question)') if isinstance(exc, UnicodeError) else exc}")
            continue
        if not question:
            break
        answer = bot.ask(question, history=history)
        print(format_answer(answer))
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
    return 0


def cmd_serve(args) -> int:
    from .ui import serve

    serve(_settings(args), host=args.host, port=args.port, auth_file=args.auth_file)
    return 0


def cmd_start(args) -> int:
    """The main job: bring the index up to date with the corpus, then start the chat.

    The ingest runs in a child process: it may use every core for embedding, while the server keeps
    one encoder thread per request (OpenMP fixes its thread count once per process)."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    cmd = [sys.executable, "-m", "assistant.cli"]
    for flag, value in (("--config", args.config), ("--index-dir", args.index_dir), ("--chroma-url", args.chroma_url)):
        if value:
            cmd += [flag, value]
    done = subprocess.run([*cmd, "ingest"], env=env)
    if done.returncode != 0:
        return done.returncode
    try:
        import assistant.ui  # noqa: F401
    except ImportError:
        return cmd_chat(args)
    return cmd_serve(args)


def cmd_eval(args) -> int:
    from .evals.run import main as eval_main

    argv = list(args.eval_args)
    for flag, value in (("--config", args.config), ("--index-dir", args.index_dir), ("--chroma-url", args.chroma_url)):
        if value and flag not in argv:
            argv += [flag, value]
    return eval_main(argv)


def cmd_users(args) -> int:
    from .server import accounts

    return accounts.run(args, _settings(args))


def cmd_feedback(args) -> int:
    from .feedback import export_csv

    n = export_csv(_settings(args), Path(args.out))
    print(f"{n} beoordelingen geschreven naar {args.out} (feedback rows written)")
    return 0


# ---- plumbing ---------------------------------------------------------------------------------


class _Progress:
    """build_index's progress(stage, i, n) callback shown as one tqdm bar per stage, on stderr."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.stage = None
        self.bar = None

    def __call__(self, stage: str, i: int, n: int) -> None:
        if not self.enabled or n == 0:
            return
        if stage != self.stage or self.bar is None or self.bar.total != n:
            from tqdm import tqdm

            self.done()
            self.stage = stage
            # a log file (no terminal) gets a line every 5 s instead of a redraw every 0.1 s
            self.bar = tqdm(total=n, desc=f"{stage:9s}", file=sys.stderr, mininterval=0.1 if sys.stderr.isatty() else 5.0)
        self.bar.update(i - self.bar.n)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assistant", description="Raadsassistent Jeugd: vragen over beleidsdocumenten, beantwoord met geciteerde passages."
    )
    p.add_argument("--config", help="pad naar assistant.toml (default: ./assistant.toml)")
    p.add_argument("--index-dir", help="map met de index (default: indexes/)")
    p.add_argument("--chroma-url", help="Chroma-server, bv. http://127.0.0.1:8000 (default: ingebouwd)")
    p.add_argument("--debug", action="store_true", help="toon tracebacks")
    sub = p.add_subparsers(title="commando's")

    s = sub.add_parser("ingest", help="bouw of werk de index bij vanuit corpus/ (of PATH)")
    s.add_argument("path", nargs="?", help="map of bestand (default: corpus/)")
    s.add_argument("--json", action="store_true", help="samenvatting als JSON")
    s.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    s.add_argument("--ray", metavar="ADRES", help="lees en embed op een Ray-cluster (host:poort of 'local'; extra 'scale')")
    s.set_defaults(func=cmd_ingest)

    def filters(sp):
        sp.add_argument("--kind", action="append", help="soort document (herhaalbaar), bv. raadsbesluit")
        sp.add_argument("--doc", action="append", help="document-id (herhaalbaar)")
        sp.add_argument("--org", action="append", help="organisatie (herhaalbaar), bv. 'gemeente Den Haag'")
        sp.add_argument("--year-from", type=int, help="vanaf jaar")
        sp.add_argument("--year-to", type=int, help="tot en met jaar")

    s = sub.add_parser("ask", help="stel een vraag")
    s.add_argument("question")
    s.add_argument("--json", action="store_true")
    s.add_argument("--no-llm", action="store_true", help="altijd het extractieve antwoord")
    filters(s)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("search", help="zoek passages")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=None, help="aantal passages (standaard: [retrieval] top_k)")
    s.add_argument("--json", action="store_true")
    filters(s)
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("chat", help="chat in de terminal")
    s.set_defaults(func=cmd_chat)

    def serving(sp):
        sp.add_argument("--host", default=None, help="standaard [ui] host: 127.0.0.1 (alleen deze machine)")
        sp.add_argument("--port", type=int, default=None, help="standaard [ui] port: 7860")
        sp.add_argument("--auth-file", help="gebruikersbestand (assistant users add); standaard [ui] auth_file")

    s = sub.add_parser("serve", help="start de webapp")
    serving(s)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("settings", help="toon de instellingen (of de tabel voor de README)")
    s.add_argument("--markdown", action="store_true", help="alle instellingen met standaardwaarde als Markdown-tabel")
    s.set_defaults(func=cmd_settings)

    s = sub.add_parser("start", help="index bijwerken en de chat starten (de hoofdtaak)")
    serving(s)
    s.set_defaults(func=cmd_start)

    # The evaluation suite owns its flags (assistant/evals/run.py); they are passed through unchanged.
    s = sub.add_parser("eval", help="draai de evaluatieset (assistant eval --help)", add_help=False)
    s.set_defaults(func=cmd_eval, eval_args=[])

    s = sub.add_parser("users", help="gebruikers (inloggen, rollen) en API-tokens beheren")
    from .server.accounts import add_arguments

    add_arguments(s)
    s.set_defaults(func=cmd_users)

    s = sub.add_parser("feedback", help="feedback van gebruikers")
    fsub = s.add_subparsers()
    e = fsub.add_parser("export", help="schrijf feedback naar CSV")
    e.add_argument("--out", default="feedback.csv")
    e.set_defaults(func=cmd_feedback)
    return p


if __name__ == "__main__":
    sys.exit(main())
