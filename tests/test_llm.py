"""The LLM transport (`OpenAIChatClient`) against a real HTTP server process on loopback, and the
backend end to end (`Assistant.load` with `llm_url`, `assistant eval --llm`).

The server (tests/fake_llm_server.py) speaks the OpenAI chat-completions protocol and picks its
scenario from the URL path. What the answerer does with a reply is tested without any server, with
a scripted client, in tests/test_llm_generate.py.
"""

from __future__ import annotations

import json
import logging
import os
import re
import select
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from helpers import free_port, stop

from assistant.llm import LLMBackend, LLMError, OpenAIChatClient, normalize_base_url

SERVER = Path(__file__).with_name("fake_llm_server.py")
KEY = "sk-test-" + uuid.uuid4().hex  # a unique string, so "never logged" can be checked
QUESTION = "Wat is Kansrijke Start?"
MESSAGES = [{"role": "system", "content": "Regels."}, {"role": "user", "content": "Hallo, wat is € 6,8 mln.?"}]


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), "--port", "0", "--key", KEY, "--slow", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        line = proc.stdout.readline() if ready else ""
        m = re.fullmatch(r"PORT (\d+)\s*", line)
        assert m, f"fake LLM server did not start: {line!r} {proc.stderr.read() if proc.poll() is not None else ''}"
        yield f"http://127.0.0.1:{m.group(1)}"
    finally:
        stop(proc, 5)


def _client(server, scenario: str, **kw) -> OpenAIChatClient:
    kw = {"model": "fake-model", "api_key": KEY, "timeout": 10.0, "backoff": 0.05, **kw}
    return OpenAIChatClient(f"{server}/s/{scenario}", **kw)


def _requests_for(server, scenario: str) -> list[dict]:
    with urllib.request.urlopen(f"{server}/_log", timeout=5) as resp:
        return [r for r in json.loads(resp.read()) if r["scenario"] == scenario]


def _error(client) -> tuple[LLMError, float]:
    t0 = time.perf_counter()
    with pytest.raises(LLMError) as info:
        client.complete(MESSAGES)
    return info.value, time.perf_counter() - t0


# ---- transport ---------------------------------------------------------------------------------------


def test_request_carries_model_messages_and_bearer_key(server):
    assert _client(server, "echo").complete(MESSAGES) == MESSAGES[1]["content"]
    req = _requests_for(server, "echo")[-1]
    assert req["path"] == "/s/echo/v1/chat/completions"
    assert req["headers"]["authorization"] == f"Bearer {KEY}"
    body = req["body"]
    assert body["model"] == "fake-model" and body["messages"] == MESSAGES
    assert not body.get("stream")  # see client.py: verified answers are shown whole
    assert body["temperature"] == 0


def test_base_url_with_or_without_v1(server):
    for url in (f"{server}/s/echo", f"{server}/s/echo/v1/", f"{server}/s/echo/v1/chat/completions"):
        assert OpenAIChatClient(url, api_key=KEY).complete(MESSAGES) == MESSAGES[1]["content"], url
    for url in (
        "http://h:11434",
        "http://h:11434/",
        "http://h:11434/v1",
        "http://h:11434/v1/",
        "http://h:11434/v1/chat/completions",
        "h:11434",
    ):
        assert normalize_base_url(url) == "http://h:11434/v1", url
    assert normalize_base_url("https://x.example/openai/v1") == "https://x.example/openai/v1"


def test_server_error_then_success_is_retried(server):
    scenario = f"flaky-{uuid.uuid4().hex[:8]}"
    assert _client(server, scenario).complete(MESSAGES)
    assert len(_requests_for(server, scenario)) == 2  # 500, then the answer


def test_rate_limit_is_retried_after_the_wait_the_server_asks(server):
    scenario = f"busy-{uuid.uuid4().hex[:8]}"
    t0 = time.perf_counter()
    assert _client(server, scenario).complete(MESSAGES)
    assert time.perf_counter() - t0 >= 1.0  # Retry-After: 1, although the backoff is 0.05 s
    assert len(_requests_for(server, scenario)) == 2
    # A wait that does not fit the deadline is not taken: the error comes at once.
    scenario = f"busy-{uuid.uuid4().hex[:8]}"
    err, seconds = _error(_client(server, scenario, timeout=0.8))
    assert err.status == 429 and "429" in err.reason and seconds < 0.7
    assert len(_requests_for(server, scenario)) == 1


def test_persistent_server_error_gives_up_after_the_retries(server):
    before = len(_requests_for(server, "error500"))
    err, _ = _error(_client(server, "error500", retries=2))
    assert err.reason == "serverfout 500" and err.status == 500
    assert len(_requests_for(server, "error500")) - before == 3


def test_client_error_is_not_retried(server):
    before = len(_requests_for(server, "auth"))
    err, _ = _error(_client(server, "auth", api_key="wrong-key"))
    assert err.status == 401 and "geweigerd (401)" in err.reason and not err.retriable
    assert len(_requests_for(server, "auth")) - before == 1
    assert _client(server, "auth").complete(MESSAGES)  # the right key


def test_timeout_within_the_deadline(server):
    for scenario in ("slow", "stall"):  # no answer at all / half a body, then nothing (server sleeps 5 s)
        err, seconds = _error(_client(server, scenario, timeout=1.0))
        assert err.reason == "time-out na 1 s"
        assert seconds < 2.5, (scenario, seconds)


def test_refused_connection(server):
    port = free_port()  # nothing listens there
    err, seconds = _error(OpenAIChatClient(f"http://127.0.0.1:{port}", api_key=KEY, timeout=5.0, backoff=0.05))
    assert err.reason == "geen verbinding" and err.retriable and seconds < 3.0


def test_garbage_is_an_error(server):
    err, _ = _error(_client(server, "garbage"))
    assert "onleesbaar" in err.reason


def test_key_is_never_logged_or_shown(server, caplog):
    caplog.set_level(logging.DEBUG)
    for scenario in ("error500", "garbage", "auth", "echo"):
        client = _client(server, scenario, api_key=KEY if scenario != "auth" else KEY[::-1])
        try:
            client.complete(MESSAGES)
        except LLMError as exc:
            assert KEY not in exc.reason
        assert KEY not in repr(client) and KEY not in repr(LLMBackend(client))
    assert KEY not in caplog.text
    assert "serverfout 500" in caplog.text  # the failures themselves are logged


def test_environment_of_the_openai_library_is_ignored(server, monkeypatch):
    """Without a key configured, no key is sent, not even OPENAI_API_KEY (it would leak to llm_url)."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-openai-key")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-x")
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "Authorization: Bearer leaked")
    assert _client(server, "echo", api_key="").complete(MESSAGES)
    headers = {k.lower() for k in _requests_for(server, "echo")[-1]["headers"]}
    assert "authorization" not in headers and "openai-organization" not in headers
    assert _client(server, "echo").complete(MESSAGES)
    assert _requests_for(server, "echo")[-1]["headers"]["authorization"] == f"Bearer {KEY}"


# ---- end to end (seed index) --------------------------------------------------------------------------


@pytest.mark.slow
def test_from_settings_and_assistant_load(seed_settings, server, monkeypatch):
    from assistant import Assistant
    from assistant.settings import Settings

    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", KEY)
    monkeypatch.setenv("ASSISTANT_LLM_URL", f"{server}/s/good/v1/")
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "fake-model")
    settings = Settings.load(index_dir=seed_settings.index_dir, llm_timeout=7)
    client = LLMBackend.from_settings(settings).client
    assert client.base_url == f"{server}/s/good/v1" and client.model == "fake-model"
    assert client.api_key == KEY and client.timeout == 7.0 and client.connect_timeout == 7.0
    assert KEY not in repr(settings) and KEY not in repr(client)
    bot = Assistant.load(settings)
    assert isinstance(bot.llm, LLMBackend)
    answer = bot.ask(QUESTION)
    assert answer.mode == "llm" and answer.answered and answer.notice == ""
    assert answer.answer.startswith("Volgens ") and len(answer.citations) == 2


@pytest.mark.slow
def test_server_trouble_gives_the_extractive_answer(bot, server):
    """Through the whole stack: a server that errors costs the user nothing but the banner."""
    extractive = bot.ask(QUESTION, use_llm=False)
    ranked = bot.search(extractive.search_query, k=10)
    backend = LLMBackend(_client(server, "error500", retries=1))
    answer = backend.answer(QUESTION, extractive.search_query, ranked, extractive)
    assert answer.mode == "extractive" and answer.answer == extractive.answer
    assert answer.notice.startswith("Het taalmodel is niet beschikbaar: serverfout 500")


@pytest.mark.slow
@pytest.mark.parametrize("scenario, mode", [("good", "llm"), ("swapall", "extractive")])
def test_eval_runs_in_llm_mode_and_reports_faithfulness(server, seed_settings, tmp_path, scenario, mode):
    """`assistant eval --llm` end to end: a real CLI process, the fake model server, the dev split.
    A model that cites the wrong passages everywhere is caught: its answers fall back to extractive."""
    out = tmp_path / "llm.json"
    env = dict(
        os.environ,
        ASSISTANT_INDEX_DIR=str(seed_settings.index_dir),
        ASSISTANT_LLM_URL=f"{server}/s/{scenario}",
        ASSISTANT_LLM_MODEL="fake-model",
        ASSISTANT_LLM_API_KEY=KEY,
    )
    r = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "eval", "--llm", "--split", "dev", "--json", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data["meta"]["llm"] is True
    rows = [row for row in data["rows"] if row["system"] == "full" and row["answered"]]
    assert rows
    summary = data["systems"]["full"]["summary"]
    assert summary["faithfulness"] is not None and summary["faithfulness"] >= 0.95
    modes = [row["mode"] for row in rows]
    assert modes.count(mode) >= len(modes) / 2, modes


@pytest.mark.slow
def test_a_hanging_model_never_stalls_searches(seed_settings, server):
    """Issue 13 item 8: two questions waiting on a model that does not answer must not hold the slots
    that searches use. Over HTTP, as users call it: the search returns while both questions still wait."""
    import threading

    import httpx
    from helpers import served

    from assistant import Assistant
    from assistant.settings import Settings

    settings = Settings.load(index_dir=seed_settings.index_dir, llm={"url": f"{server}/s/slow", "timeout": 4})
    bot = Assistant.load(settings)
    done: dict[str, float] = {}
    with served(bot, settings) as url:

        def ask(name):
            r = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=30)
            assert r.status_code == 200 and r.json()["answer"]  # the extractive answer, after the timeout
            done[name] = time.monotonic()

        askers = [threading.Thread(target=ask, args=(f"ask{i}",)) for i in range(2)]
        for t in askers:
            t.start()
        time.sleep(0.5)  # both questions are now waiting on the model
        r = httpx.get(f"{url}/api/search", params={"q": "wachttijden jeugdhulp", "k": 3}, timeout=30)
        searched = time.monotonic()
        assert r.status_code == 200 and r.json()
        for t in askers:
            t.join(30)
    assert len(done) == 2 and all(searched < t for t in done.values()), "the search waited behind the LLM"
