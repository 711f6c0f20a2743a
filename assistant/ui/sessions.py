"""Forget Gradio sessions that hold nothing, so memory stays flat under API load.

Every `/gradio_api/call/<endpoint>` request (and every malformed one) opens a new Gradio session, and
each session copies the configuration of every component of the app (113 of them: ~170 kB, ~110 kB of
RSS). Gradio keeps up to 10,000 sessions (`state_session_capacity`) and frees none when idle: 20 users
for 2 minutes grew the server from 354 MB to 1,176 MB (issue 13). Lowering the capacity would also
evict the sessions of people in the browser, whose `gr.State` (the conversation, the last answer)
and updated components live there. So only *pristine* sessions are dropped: no `gr.State` value and
no component updated for them, unused for `idle` seconds. Re-creating one costs nothing, because it
holds exactly what a new session would.

`keep_busy_sessions` guards Gradio's queue itself: it keeps one message queue per session in an
LRU cache of 2,000 that evicts the oldest *inserted* session, busy or not. A browser tab or a
gradio_client keeps one session for hours; after 2,000 other sessions (at ~23 API calls/s: 90 s)
its entry was evicted while one of its events waited, the queue's processing task died on the
KeyError, and every later question got "Queue is full" (20 users x 5 minutes, issue 13).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime
import logging
import threading
from collections import OrderedDict

import gradio as gr
from gradio.utils import LRUCache

log = logging.getLogger(__name__)
IDLE = 5.0  # seconds a pristine session is kept after its last use (a request in flight holds its own reference)
EVERY = 2.0  # seconds between sweeps: under load ~20 calls/s, so about 150 sessions live at once


def prune(demo: gr.Blocks, idle: float = IDLE) -> int:
    """Drop the pristine sessions unused for `idle` seconds; returns how many were dropped."""
    holder = getattr(demo, "state_holder", None)
    if holder is None:
        return 0
    defaults = demo.default_config.blocks
    cutoff = datetime.datetime.now() - datetime.timedelta(seconds=idle)
    dropped = 0
    with holder.lock:
        for session_id, session in list(holder.session_data.items()):
            used = holder.time_last_used.get(session_id)
            if used is None or used > cutoff or session.state_data:
                continue
            if any(block is not defaults.get(key) for key, block in session.blocks_config.blocks.items()):
                continue  # a component was updated for this session (e.g. a table's rows)
            del holder.session_data[session_id]
            holder.time_last_used.pop(session_id, None)
            dropped += 1
    return dropped


class BusyAwareLRU(LRUCache):
    """Gradio's per-session message LRU, evicting the oldest session with no pending event instead of
    the oldest one (over the size only while every session is busy, which the queue's own max_size bounds)."""

    def __init__(self, busy: dict, items=(), max_size: int = 2000):
        super().__init__(max_size)
        self.busy = busy  # Queue.pending_event_ids_session: sessions with events not yet delivered
        for key, value in items:
            super().__setitem__(key, value)

    def __setitem__(self, key, value) -> None:
        if key in self:
            self.move_to_end(key)
        elif len(self) >= self.max_size:
            idle = next((k for k in self if k not in self.busy), None)
            if idle is not None:
                del self[idle]
        OrderedDict.__setitem__(self, key, value)  # LRUCache's own eviction skipped: done above


def keep_busy_sessions(demo: gr.Blocks) -> bool:
    """Put `BusyAwareLRU` in place of the queue's message cache; False when Gradio's internals differ."""
    queue = getattr(demo, "_queue", None)
    cache = getattr(queue, "pending_messages_per_session", None)
    busy = getattr(queue, "pending_event_ids_session", None)
    if not isinstance(cache, LRUCache) or not isinstance(busy, dict):
        log.warning("Gradio-wachtrij onbekend: sessiebescherming niet actief (queue internals changed)")
        return False
    if not isinstance(cache, BusyAwareLRU):
        queue.pending_messages_per_session = BusyAwareLRU(busy, cache.items(), cache.max_size)
    return True


def _return_memory() -> None:
    """Give freed heap back to the OS (glibc keeps it otherwise, and RSS would never go down)."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: memory is still reused, only RSS stays higher
        pass


def start_pruning(demo: gr.Blocks, every: float = EVERY, idle: float = IDLE) -> threading.Thread:
    """Sweep every `every` seconds in a daemon thread, until the app's server stops (and keep busy
    sessions in the queue's message cache)."""
    keep_busy_sessions(demo)

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(every):
            server = getattr(demo, "server", None)
            if server is None or getattr(server, "should_exit", False):
                return
            try:
                n = prune(demo, idle)
            except Exception as exc:  # noqa: BLE001 - Gradio internals changed: keep serving, say so once
                log.warning("sessies opruimen mislukt, gestopt (session pruning failed, stopped): %r", exc)
                return
            if n:
                log.debug("%d lege sessies opgeruimd (pristine sessions dropped)", n)
                _return_memory()

    thread = threading.Thread(target=loop, name="prune-sessions", daemon=True)
    thread.start()
    return thread
