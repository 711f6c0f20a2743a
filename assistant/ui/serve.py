"""Starting the web app: launch options, `serve` (the `assistant serve` command) and `launch`.

The web app is served inside one FastAPI app with the REST and OpenAI-compatible APIs, the login
and the roles (`assistant/server/`).
"""

from __future__ import annotations

import faulthandler
import logging
import signal

import gradio as gr

from .layout import TITLE, build_app
from .sessions import start_pruning
from .style import CSS, HEAD, theme

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def launch_options(settings=None) -> dict:
    """Look and safety options for mounting the app (Gradio 6: theme and css belong there)."""
    limit = settings.index.max_file_mb if settings is not None else 0
    # Gradio's own upload route (the "Documenten toevoegen" tab) refuses larger files before they are
    # written to disk; the upload service checks the same limit again with a Dutch reason per file.
    size = {"max_file_size": int(limit * 1_000_000)} if limit > 0 else {}
    return size | {
        "theme": theme(),
        "css": CSS,
        "head": HEAD,  # page script: lang="nl", citation chips, viewer, table sorting (style.py)
        "ssr_mode": False,  # no Node server
        "mcp_server": False,
        "pwa": False,
        "footer_links": ["api"],
        "show_error": False,  # errors are shown as Dutch messages by the handlers
    }


def serve(settings=None, host: str | None = None, port: int | None = None, auth_file: str | None = None) -> None:
    """Start the web app and the APIs (blocks). Login is required when a users file is given (or
    `settings.ui.auth_file`); the APIs take Bearer tokens from `settings.ui.api_tokens`."""
    from ..api import Assistant
    from ..settings import Settings, apply_offline_env

    apply_offline_env()
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>`: every thread's stack to stderr (a hung server)
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    # Ctrl-C and `kill <pid>` stop the server cleanly, also when it was started with SIGINT ignored
    # (a `&` job of a shell script inherits that, and Python then never raises KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own startup requests
    settings = settings or Settings.load()
    bot = Assistant.load(settings)
    launch(
        build_app(bot, settings),
        host=host or settings.ui.host,
        port=port or settings.ui.port,
        auth_file=auth_file,
        bot=bot,
        settings=settings,
    )


def launch(
    demo: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth_file: str | None = None,
    block: bool = True,
    bot=None,
    settings=None,
):
    """Serve `demo` on host:port (with /api and /v1 when `bot` is given); `demo.close()` stops it.

    Login from `auth_file` (or `settings.ui.auth_file`). Never shares publicly; analytics are off
    (apply_offline_env). `block=False` returns the running server at once (tests)."""
    from ..server.app import create_app, start, wait
    from ..server.auth import Access

    access = Access.from_settings(settings, auth_file)
    if access.users:
        log.info("inloggen verplicht: %d gebruiker(s)", len(access.users))
    elif host not in LOOPBACK:
        log.warning("De app luistert op %s zonder inlog (geen --auth-file): iedereen op het netwerk kan hem gebruiken.", host)
    if access.tokens and not access.users:
        log.warning("API-tokens zonder gebruikersbestand: de API's vragen een token, de webapp geen inlog.")
    title = getattr(demo, "title", None) or TITLE
    app = create_app(demo, bot=bot, access=access, title=title, gradio_options=launch_options(settings))
    server = start(demo, app, host, port)
    start_pruning(demo)  # one Gradio session per API call: dropped when idle (issue 13 item 1)
    if block:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        print(f"{title}: http://{shown}:{port}/  (API: /api, /v1; stoppen: Ctrl-C)", flush=True)
        wait(demo)
    return server
