"""Who is asking, and may they: the role check of the APIs, and the ASGI middleware in front of all.

`require(right)` is the FastAPI dependency of every REST and OpenAI-compatible route: a Bearer token
(`[ui] api_tokens`) or the web app's login cookie names the user, whose role must have `right`; with
the cookie, a POST must come from this server's own pages (Origin check against cross-site requests).
`Guard` wraps the whole app (Gradio included): security headers on every response, the limit on
failed logins at Gradio's `/login`, a body size limit on the APIs, no CSV export and no file upload
without the right.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request

from .auth import Access, allows, keys, wait_message

log = logging.getLogger(__name__)

# Gradio's page needs inline scripts and styles (its config is an inline <script>, Svelte sets
# inline styles), blob:/data: images, and 'unsafe-eval': Gradio 6's gr.HTML compiles its template
# with `Function` (measured in Chromium: without it every gr.HTML — sources, notices, context —
# stays empty with "EvalError … 'unsafe-eval'"). Everything else comes from this server only; no
# frames, plugins or foreign hosts. Measured: login, chat, sources, tabs work, no CSP violation logged.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
# The document viewer shows an original PDF page in a frame of this same app: files it serves may be
# framed by this origin only (everything else: by nobody).
FRAMEABLE_HEADERS = [
    (b"content-security-policy", CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'").encode()),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
FRAMEABLE_PREFIXES = ("/gradio_api/file=", "/file=")
MAX_BODY = 1_000_000  # bytes per request to /api and /v1
UPLOAD_PATH = "/api/documents"  # POST: adding documents (uploads_api.py)
MAX_UPLOAD_BODY = 200_000_000  # bytes per upload request (each file is also held to [index] max_file_mb)
MAX_LOGIN_BODY = 64_000
API_PREFIXES = ("/api/", "/v1/")


@dataclass(frozen=True)
class Principal:
    name: str
    role: str


def address(scope_or_request) -> str:
    client = scope_or_request.get("client") if isinstance(scope_or_request, dict) else scope_or_request.client
    return str(client[0]) if client else "?"


def session_user(app, request: Request) -> str | None:
    """The user logged in to the web app (Gradio's cookie), if any."""
    gradio = getattr(app.state, "gradio", None)
    if gradio is None:
        return None
    cookies = request.cookies
    token = cookies.get(f"access-token-{gradio.cookie_id}") or cookies.get(f"access-token-unsecure-{gradio.cookie_id}")
    return gradio.tokens.get(token) if token else None


def same_origin(request: Request) -> bool:
    """Does a browser's `Origin` (sent with every POST) name this server? No Origin: not a browser."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")} - {None}
    return urlsplit(origin).netloc in hosts


def identify(request: Request) -> Principal:
    """The caller, or HTTPException 401/429 in Dutch."""
    access: Access = request.app.state.access
    if not access.enabled:
        return Principal("anoniem", "beheerder")
    header = request.headers.get("authorization", "")
    addr_key = keys("", address(request))[1]
    if header[:7].lower() == "bearer ":
        wait = access.limiter.retry_after(addr_key)
        if wait:
            raise HTTPException(429, wait_message(wait), headers={"Retry-After": str(max(1, round(wait)))})
        token = access.check_token(header[7:].strip())
        if token is not None:
            return Principal(token.name, token.role)
        access.limiter.failed(addr_key)
        log.warning("ongeldig API-token van %s", address(request))
        raise HTTPException(401, "Ongeldig token (invalid token).", headers={"WWW-Authenticate": "Bearer"})
    name = session_user(request.app, request)
    role = access.role_of(name) if name else None
    if role:
        if request.method not in ("GET", "HEAD") and not same_origin(request):
            # the login cookie rides along on a form or fetch from any other site: refuse those
            raise HTTPException(403, "Verzoek van een andere website geweigerd. (Cross-site request refused.)")
        return Principal(name, role)
    raise HTTPException(
        401,
        "Inloggen vereist: stuur 'Authorization: Bearer <token>' of log in op de webapp. (Authentication required.)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require(right: str):
    """A FastAPI dependency: the caller, whose role must have `right` (403 otherwise)."""

    def dependency(request: Request) -> Principal:
        who = identify(request)
        if not allows(who.role, right):
            raise HTTPException(403, f"Geen toegang: uw rol ({who.role}) mag dit niet. (Forbidden.)")
        return who

    dependency.__name__ = f"require_{right}"
    return dependency


# The callers of the routes, by the right they need (route parameters: `who: CanChat`).
CanChat = Annotated[Principal, Depends(require("chat"))]
CanSearch = Annotated[Principal, Depends(require("search"))]
CanReadDocuments = Annotated[Principal, Depends(require("documents"))]
CanReadRecords = Annotated[Principal, Depends(require("records"))]


# ---- ASGI middleware ---------------------------------------------------------------------------------


async def _reply(send, status: int, detail: str, headers: list | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is longer than `limit`."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _raw(headers: dict | None) -> list:
    return [(k.lower().encode(), str(v).encode()) for k, v in (headers or {}).items()]


def _replay(body: bytes, receive):
    sent = False

    async def again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # e.g. http.disconnect

    return again


class Guard:
    """Pure ASGI (no BaseHTTPMiddleware): Gradio's event streams pass through unbuffered."""

    def __init__(self, app, fastapi_app):
        self.app = app
        self.fastapi_app = fastapi_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        path, method = scope["path"], scope["method"]
        headers = FRAMEABLE_HEADERS if path.startswith(FRAMEABLE_PREFIXES) else SECURITY_HEADERS

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in headers if h[0] not in present]
            await send(message)

        access: Access = self.fastapi_app.state.access
        if method == "POST" and path.rstrip("/") == "/login":
            return await self._login(scope, receive, send_with_headers, access)
        if path.startswith(API_PREFIXES) and method not in ("GET", "HEAD"):
            limit = MAX_BODY
            if path.rstrip("/") == UPLOAD_PATH:  # the role first: only staff may make us read a large body
                try:
                    who = identify(Request(scope))
                except HTTPException as exc:
                    return await _reply(send_with_headers, exc.status_code, exc.detail, _raw(exc.headers))
                if not allows(who.role, "upload"):
                    return await _reply(send_with_headers, 403, f"Geen toegang: uw rol ({who.role}) mag dit niet. (Forbidden.)")
                limit = MAX_UPLOAD_BODY
            # read here (bounded), also when no content-length is sent (chunked upload)
            body = await _read_body(receive, limit)
            if body is None:
                return await _reply(send_with_headers, 413, f"Verzoek te groot (maximaal {limit} bytes).")
            receive = _replay(body, receive)
        elif path.rstrip("/") == "/gradio_api/upload" and method == "POST" and access.enabled:
            # only the "Documenten toevoegen" tab takes files: other roles may not fill the server's disk
            name = session_user(self.fastapi_app, Request(scope))
            if not allows(access.role_of(name), "upload"):
                return await _reply(send_with_headers, 403, "Geen toegang: bestanden toevoegen mag uw rol niet.")
        elif path.startswith("/gradio_api/file=") and path.lower().endswith(".csv") and access.enabled:
            name = session_user(self.fastapi_app, Request(scope))
            if not allows(access.role_of(name), "export"):
                return await _reply(send_with_headers, 403, "Geen toegang: exporteren mag uw rol niet.")
        await self.app(scope, receive, send_with_headers)

    async def _login(self, scope, receive, send, access: Access):
        """Gradio's login, behind the limit of failed attempts per user name and per address."""
        body = await _read_body(receive, MAX_LOGIN_BODY)
        if body is None:
            return await _reply(send, 413, "Verzoek te groot.")
        form = await Request(scope, _replay(body, receive)).form()
        name = str(form.get("username") or "")
        user_key, addr_key = keys(name, address(scope))
        wait = access.limiter.retry_after(user_key, addr_key)
        if wait:
            log.warning("inloggen geweigerd (te veel pogingen): %r van %s", name[:64], address(scope))
            return await _reply(send, 429, wait_message(wait), [(b"retry-after", str(max(1, round(wait))).encode())])
        status = {}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, _replay(body, receive), watch)
        if status.get("code") == 200:
            access.limiter.succeeded(user_key)
        else:
            access.limiter.failed(user_key, addr_key)
            log.warning("mislukte inlogpoging: %r van %s", name[:64], address(scope))


__all__ = [
    "CSP",
    "SECURITY_HEADERS",
    "CanChat",
    "CanReadDocuments",
    "CanReadRecords",
    "CanSearch",
    "Guard",
    "Principal",
    "identify",
    "require",
    "same_origin",
    "session_user",
]
