"""A scripted OpenAI-compatible chat-completions server for the LLM transport tests (stdlib, loopback).

    python tests/fake_llm_server.py [--port 0] [--key SECRET] [--slow 5]

Prints "PORT <n>" on its first stdout line once it listens on 127.0.0.1. The scenario comes from the
URL path (`/s/<scenario>/v1/chat/completions`, so each test points its client at its own base URL).
It reads the numbered passages from the prompt (`<passage n="1" …>text</passage>`) and answers
from them, as plain JSON (the client does not stream):

    good        two sentences quoted from passages 1 and 2, cited [1] and [2] (plus a "Volgens …:" line)
    swapall     every sentence cited with a wrong passage number
    echo        the user message itself (to check what was sent)
    slow        sleeps `--slow` seconds before answering (longer than the client's timeout)
    stall       sends the headers and half the body, then stalls `--slow` seconds
    flaky-<id>  500 on the first request for <id>, then "good"
    busy-<id>   429 with Retry-After: 1 on the first request for <id>, then "good"
    error500    always 500
    garbage     200 with a body that is neither JSON nor a completion
    auth        401 unless the Bearer key matches --key

The generative answerer's behaviour on wrong, uncited, injected or refusing replies is tested with
a scripted `ChatClient` instead (tests/test_llm_generate.py): no server needed for that.
GET /_log returns the requests received (path, headers, JSON body), at most the last 200.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSAGE = re.compile(r'<passage n="(\d+)"([^>]*)>\n(.*?)\n</passage>', re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')
QUESTION = re.compile(r"<vraag>\n(.*?)\n</vraag>", re.S)
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])|\n+")
NO_ANSWER = "Hierover staat niets in de documenten."

LOG: list[dict] = []
COUNTS: dict[str, int] = {}
LOCK = threading.Lock()
MAX_LOG = 200
MAX_BODY = 2_000_000


def passages(user: str) -> dict[int, dict]:
    out = {}
    for n, attrs, text in PASSAGE.findall(user):
        a = {k: html.unescape(v) for k, v in ATTR.findall(attrs)}
        out[int(n)] = {"text": text, "titel": a.get("titel", ""), "datum": a.get("datum", "")}
    return out


def sentences(text: str) -> list[str]:
    out = []
    for s in SPLIT.split(text):
        s = " ".join(s.split())
        if len(s.split()) >= 6 and s[-1] in ".!?" and s[0].isupper():
            out.append(s)
    flat = " ".join(text.split())
    if not out and 4 <= len(flat.split()) <= 40:  # a table row ("Motie … (2106-18) afgedaan op …")
        out = [flat.rstrip(".") + "."]
    return out


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def best_sentence(text: str, question: str) -> str | None:
    cands = sentences(text)
    if not cands:
        return None
    q = words(question)
    return max(cands, key=lambda s: (len(words(s) & q), -cands.index(s)))


def good(ps: dict[int, dict], question: str, count: int = 2) -> list[tuple[str, int]]:
    out = []
    for n in sorted(ps):
        s = best_sentence(ps[n]["text"], question)
        if s and all(s != o for o, _ in out):
            out.append((s, n))
        if len(out) == count:
            break
    return out


def wrong_number(ps: dict[int, dict], sentence: str, right: int) -> int:
    """A passage number that does not hold the sentence and shares the fewest words with it."""
    others = [n for n in ps if n != right and sentence.rstrip(".") not in " ".join(ps[n]["text"].split())]
    return min(others, key=lambda n: (len(words(sentence) & words(ps[n]["text"])), n)) if others else right + 7


def script(scenario: str, user: str) -> str:
    ps = passages(user)
    m = QUESTION.search(user)
    question = m.group(1) if m else ""
    if scenario in {"good", "auth", "slow", "stall"} or scenario.startswith(("flaky", "busy")):
        picked = good(ps, question)
        if not picked:
            return NO_ANSWER
        first = picked[0][1]
        head = f"Volgens {ps[first]['titel']} ({ps[first]['datum']}):\n" if ps[first]["datum"] else ""
        return head + " ".join(f"{s} [{n}]" for s, n in picked)
    if scenario == "swapall":
        return " ".join(f"{s} [{wrong_number(ps, s, n)}]" for s, n in good(ps, question))
    if scenario == "echo":
        return user
    return "Ik weet het niet."


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeLLM/1.0"
    slow = 5.0
    key = ""

    def log_message(self, *args):  # quiet
        pass

    def _json(self, status: int, payload, headers: dict | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_log":
            with LOCK:
                return self._json(200, list(LOG))
        return self._json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            return self._json(400, {"error": {"message": "invalid JSON"}})
        m = re.fullmatch(r"(?:/s/([\w-]+))?/v1/chat/completions", self.path)
        if not m:
            return self._json(404, {"error": {"message": f"unknown path {self.path}"}})
        user = next((x.get("content", "") for x in reversed(body.get("messages", [])) if x.get("role") == "user"), "")
        scenario = m.group(1) or "good"
        with LOCK:
            LOG.append({"path": self.path, "headers": dict(self.headers.items()), "body": body, "scenario": scenario})
            del LOG[:-MAX_LOG]
            COUNTS[scenario] = COUNTS.get(scenario, 0) + 1
            count = COUNTS[scenario]

        if scenario == "auth" and self.headers.get("Authorization") != f"Bearer {self.key}":
            return self._json(401, {"error": {"message": "invalid api key"}})
        if scenario == "error500" or (scenario.startswith("flaky") and count == 1):
            return self._json(500, {"error": {"message": "internal error"}})
        if scenario.startswith("busy") and count == 1:
            return self._json(429, {"error": {"message": "rate limited"}}, {"Retry-After": "1"})
        if scenario == "garbage":
            data = b"<html>502 Bad Gateway, probeer het later</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if scenario == "slow":
            time.sleep(self.slow)
        payload = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", ""),
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": script(scenario, user)}, "finish_reason": "stop"}
            ],
        }
        if scenario != "stall":
            return self._json(200, payload)
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        time.sleep(self.slow)
        self.wfile.write(data[len(data) // 2 :])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--key", default="")
    ap.add_argument("--slow", type=float, default=5.0, help="seconds the slow scenarios sleep")
    args = ap.parse_args(argv)
    Handler.slow = min(args.slow, 30.0)
    Handler.key = args.key
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
