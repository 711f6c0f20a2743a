"""Starting the web app: launch options, login from a users file, `serve` and `launch`."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path

import gradio as gr

from .layout import TITLE, build_app
from .style import CSS, theme

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def read_users(path) -> dict[str, str]:
    """Users file: one `naam:wachtwoord` per line; blank lines and # comments are ignored."""
    users = {}
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, password = line.partition(":")
        if not sep or not name.strip() or not password:
            raise ValueError(f"{path}, regel {number}: verwacht 'naam:wachtwoord' (expected 'name:password')")
        users[name.strip()] = password.strip()
    if not users:
        raise ValueError(f"{path}: geen gebruikers gevonden (no users found)")
    return users


def auth_checker(users: dict[str, str]):
    def check(name: str, password: str) -> bool:
        expected = users.get(name or "")
        # compare_digest: no timing hint about how much of the password matched
        return expected is not None and hmac.compare_digest(expected.encode(), str(password or "").encode())

    return check


def launch_options() -> dict:
    """Look and safety options for `launch()` (Gradio 6: theme and css belong there)."""
    return {
        "theme": theme(),
        "css": CSS,
        "ssr_mode": False,  # no Node server
        "mcp_server": False,
        "pwa": False,
        "footer_links": ["api"],
        "show_error": False,  # errors are shown as Dutch messages by the handlers
    }


def serve(settings=None, host: str | None = None, port: int | None = None, auth_file: str | None = None) -> None:
    """Start the web app (blocks). Login is required when a users file is given (or `settings.ui.auth_file`)."""
    from ..api import Assistant
    from ..settings import Settings, apply_offline_env

    apply_offline_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own startup requests
    settings = settings or Settings.load()
    bot = Assistant.load(settings)
    launch(build_app(bot, settings), host=host or settings.ui.host, port=port or settings.ui.port,
           auth_file=auth_file or settings.ui.auth_file or None)


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, auth_file: str | None = None,
           block: bool = True):
    """Launch `demo` on host:port, with login from `auth_file` when given.

    Never shares publicly; analytics are off (apply_offline_env). `block=False` returns at once (tests)."""
    auth = None
    if auth_file:
        users = read_users(auth_file)
        auth = auth_checker(users)
        log.info("inloggen verplicht: %d gebruiker(s) uit %s", len(users), auth_file)
    elif host not in LOOPBACK:
        log.warning("De app luistert op %s zonder inlog (geen --auth-file): iedereen op het netwerk kan hem gebruiken.", host)
    result = demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="Log in met uw gebruikersnaam en wachtwoord." if auth else None,
        share=False,
        inbrowser=False,
        prevent_thread_lock=True,
        quiet=True,  # Gradio's own banner suggests share=True; we print our own line
        **launch_options(),
    )
    if block:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        print(f"{getattr(demo, 'title', None) or TITLE}: http://{shown}:{port}/  (stoppen: Ctrl-C)", flush=True)
        demo.block_thread()  # until Ctrl-C, then closes the server
    return result
