"""Issue 13 item 1: a served app must not keep a Gradio session per API call.

The probe: 20 users for 2 minutes of plain HTTP to /gradio_api/call/ask grew the server from 354 MB
to 1,176 MB, and malformed calls (one input where six are expected) just as fast. Each call opened a
session holding a copy of every component's configuration, kept up to 10,000 of them.
"""

from __future__ import annotations

import httpx
import pytest

from assistant.ui.sessions import prune


@pytest.fixture(scope="module")
def served(bot, seed_settings):
    from helpers import free_port

    from assistant.ui import build_app, launch

    demo = build_app(bot, seed_settings)
    port = free_port()
    launch(demo, port=port, block=False, bot=bot, settings=seed_settings)
    try:
        yield demo, f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def _call(http: httpx.Client, url: str, data: list) -> str:
    """One /gradio_api/call/ask request as the probe made it; the final SSE event name."""
    r = http.post(url + "gradio_api/call/ask", json={"data": data})
    r.raise_for_status()
    event = ""
    with http.stream("GET", f"{url}gradio_api/call/ask/{r.json()['event_id']}") as s:
        for line in s.iter_lines():
            if line.startswith("event: "):
                event = line[7:].strip()
            if event in ("complete", "error") and line.startswith("data: "):
                break
    return event


def test_api_calls_leave_no_sessions_behind(served):
    demo, url = served
    holder = demo.state_holder
    before = set(holder.session_data)
    with httpx.Client(timeout=60) as http:
        full = ["Wat is de status van motie 2106-18?", [], None, None, None, None, None]  # question, history, 5 filters
        events = [_call(http, url, full) for _ in range(15)]
        events += [_call(http, url, ["vraag"]) for _ in range(15)]  # malformed: one input of seven
    assert events[:15] == ["complete"] * 15 and events[15:] == ["error"] * 15
    opened = set(holder.session_data) - before
    assert len(opened) >= 30  # the cause: one session per call ...
    prune(demo, idle=0)
    assert not opened & set(holder.session_data)  # ... and none of them is kept


def test_sessions_with_state_or_updated_components_are_kept(served):
    """A browser user's conversation (gr.State) and updated components must survive the sweep."""
    import gradio as gr

    demo, _ = served
    holder = demo.state_holder
    state_id = next(k for k, b in demo.default_config.blocks.items() if isinstance(b, gr.State))
    component_id = next(k for k, b in demo.default_config.blocks.items() if isinstance(b, gr.Markdown))
    holder["met-gesprek"][state_id] = [{"role": "user", "content": "Wat is Kansrijke Start?"}]
    holder["met-tabel"][component_id] = gr.Markdown("bijgewerkt")
    holder["leeg"]  # a session that holds nothing
    prune(demo, idle=60)
    assert "leeg" in holder.session_data  # used just now: kept
    prune(demo, idle=0)
    assert "met-gesprek" in holder.session_data and "met-tabel" in holder.session_data
    assert "leeg" not in holder.session_data
    assert holder["met-gesprek"][state_id][0]["content"] == "Wat is Kansrijke Start?"


def test_lone_surrogates_in_a_question_give_a_message(bot):
    """The probe: undecodable bytes (lone surrogates) in a question raised UnicodeEncodeError."""
    for question in ("Wat is \udcff\udcfe jeugdhulp?", "motie \ud800 2106-18"):
        answer = bot.ask(question)
        assert not answer.answered and "geen geldige tekst" in answer.notice
        assert bot.search(question) == []


def _long_session_and_many_api_calls(demo, url) -> tuple[list, list]:
    """A gradio_client user (one session for all its questions) asks while 36 API calls open new
    sessions, with the queue's per-session cache cut to 8 so evictions happen within the test."""
    import threading

    from gradio_client import Client

    cache = demo._queue.pending_messages_per_session
    size, cache.max_size = cache.max_size, 8
    events, answers = [], []
    client = Client(url, verbose=False, download_files=False)

    def api_user():
        with httpx.Client(timeout=60) as http:
            for _ in range(6):
                events.append(_call(http, url, ["Wat zijn stevige lokale teams?", [], None, None, None, None, None]))

    def long_session():
        for _ in range(10):
            answers.append(client.predict("Wat is de status van motie 2106-18?", [], api_name="/ask")["kind"])

    threads = [threading.Thread(target=api_user) for _ in range(6)] + [threading.Thread(target=long_session)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        with httpx.Client(timeout=30) as http:  # the queue still serves afterwards
            events.append(_call(http, url, ["Wat zijn stevige lokale teams?", [], None, None, None, None, None]))
    finally:
        cache.max_size = size
    return events, answers


def test_a_long_session_survives_many_api_sessions(served):
    """Issue 13 soak (20 users x 5 minutes): Gradio evicted a busy session's message queue, its processing
    task died on the KeyError and every later question got "Queue is full"."""
    demo, url = served
    events, answers = _long_session_and_many_api_calls(demo, url)
    assert events == ["complete"] * 37
    assert answers == ["answer"] * 10
