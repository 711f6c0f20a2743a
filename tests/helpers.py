"""Small helpers shared by the tests that start servers on loopback."""

from __future__ import annotations

import contextlib
import socket
import subprocess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server process, and kill it if it does not stop in time."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


@contextlib.contextmanager
def served(bot, settings, auth_file: str | None = None):
    """The web app with its APIs (as `assistant serve` runs it) on a free loopback port; yields the base URL."""
    from assistant.ui import build_app, launch

    demo = build_app(bot, settings)
    port = free_port()
    launch(demo, port=port, auth_file=auth_file, block=False, bot=bot, settings=settings)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        demo.close(verbose=False)


def form_filters(kinds=(), year_from=None, year_to=None, doc_ids=(), organisations=()) -> list:
    """The filter panel's values in the order the screen events (/ui_chat, /ui_search) take them.

    gradio_client fills no defaults for undocumented endpoints, so every call sends them all: a new
    filter is added here, not in every call."""
    return [list(kinds), year_from, year_to, list(doc_ids), list(organisations)]


def passage(doc: str, text: str, *, i: int = 1, date: str = "2022", section_title: str = "", score: float = 0.5):
    """A hand-made passage of document `doc` (title "Document <doc>") for answer-layer tests."""
    from assistant.model import Passage

    return Passage(
        id=f"{doc}#{i}",
        doc_id=doc,
        title=f"Document {doc}",
        date=date,
        kind="brief",
        page=None,
        section="",
        section_title=section_title,
        text=text,
        score=score,
    )
