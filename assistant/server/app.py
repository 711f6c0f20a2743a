"""Assembly: one FastAPI app with the REST API (/api), the OpenAI-compatible API (/v1) and the web
app (Gradio, mounted at /), behind the `Guard` middleware; and running it with uvicorn.

Validation errors are 422 with Dutch messages (`schemas.dutch_errors`) and never echo the input;
under /v1 errors have OpenAI's shape (`{"error": {"message", "type", "code"}}`) so its clients show them.
"""

from __future__ import annotations

import logging
import threading

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .auth import Access
from .gradio_roles import guard_events, hide_by_role
from .guard import Guard
from .schemas import describe, dutch_errors

log = logging.getLogger(__name__)
LOGIN_MESSAGE = "Log in met uw gebruikersnaam en wachtwoord."
LOG_INPUT = 200  # characters of user input in a log line


def create_app(
    demo: gr.Blocks, bot=None, access: Access | None = None, title: str = "Raadsassistent", gradio_options: dict | None = None
) -> FastAPI:
    """The served app. Without `bot` only the web app is served (no /api, /v1)."""
    access = access or Access()
    app = FastAPI(
        title=f"{title} API",
        docs_url=None,
        redoc_url=None,  # the docs pages need a CDN: offline
        description="REST-API (/api) en OpenAI-compatibele API (/v1) van de assistent.",
    )
    app.state.access = access
    app.state.bot = bot
    if bot is not None:
        from . import admin, openai_compat, rest, uploads_api

        app.include_router(rest.router)
        app.include_router(uploads_api.router)
        app.include_router(admin.router)
        app.include_router(openai_compat.router)
    _error_handlers(app)
    guard_events(demo, access)
    hide_by_role(demo, access)
    auth = _gradio_login(access) if access.users else None
    gr.mount_gradio_app(app, demo, path="/", auth=auth, auth_message=LOGIN_MESSAGE if auth else None, **(gradio_options or {}))
    app.state.gradio = next(r.app for r in app.routes if getattr(r, "path", None) == "")
    app.add_middleware(Guard, fastapi_app=app)
    return app


def _gradio_login(access: Access):
    """Gradio's login check, off the event loop (bcrypt takes ~0.2 s on purpose)."""
    import anyio

    async def check(name: str, password: str) -> bool:
        return await anyio.to_thread.run_sync(access.check_password, name, password)

    return check


def _error_handlers(app: FastAPI) -> None:
    def reply(request: Request, status: int, message, headers=None, errors=None):
        if request.url.path.startswith("/v1/"):
            kind = {401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error"}.get(
                status, "invalid_request_error"
            )
            text = message if isinstance(message, str) else describe(errors or [])
            body = {"error": {"message": text, "type": kind, "code": status, "param": None}}
        else:
            body = {"detail": errors if errors is not None else message}
        return JSONResponse(body, status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = dutch_errors(exc.errors())
        log.info("ongeldig verzoek %s %s: %s", request.method, request.url.path, describe(errors)[:LOG_INPUT])
        return reply(request, 422, None, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return reply(request, exc.status_code, exc.detail, headers=exc.headers)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):  # a Dutch message; the traceback to the log
        log.error("fout bij %s %s", request.method, request.url.path[:LOG_INPUT], exc_info=exc)
        return reply(
            request, 500, "Er ging iets mis op de server. Probeer het opnieuw; blijft het misgaan, meld het dan aan de beheerder."
        )


class _ShortAccessLog(logging.Filter):
    """uvicorn's access log line with the request target cut short: a query string is user input."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            target = record.args[2]
            if len(target) > LOG_INPUT:
                record.args = (*record.args[:2], target[:LOG_INPUT] + "…", *record.args[3:])
        return True


def server(app: FastAPI, host: str = "127.0.0.1", port: int = 7860):
    """A uvicorn server for `app` (Gradio's subclass: it can run in a thread and be closed)."""
    import uvicorn
    from gradio.http_server import Server

    logging.getLogger("uvicorn.access").addFilter(_ShortAccessLog())
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=5, ws="none"
    )
    return Server(config)


def start(demo: gr.Blocks, app: FastAPI, host: str, port: int):
    """Serve `app` in a background thread; `demo.close()` stops it, as after `demo.launch()`."""
    srv = server(app, host, port)
    srv.run_in_thread()
    demo.server = srv
    demo.app = app.state.gradio
    demo.server_port = port
    return srv


def wait(demo: gr.Blocks) -> None:
    """Block until Ctrl-C, then stop the server."""
    stop = threading.Event()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        demo.close(verbose=False)


__all__ = ["LOGIN_MESSAGE", "create_app", "server", "start", "wait"]
