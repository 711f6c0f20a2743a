"""The web app (Gradio 6): a chat for council members and search/tables for staff.

Only presentation lives here: every answer, passage and record comes from `Assistant`
(`ask`, `search`, `motions`, `measures`, `documents`, `context`).

    render.py     answers, chips, source cards (pure)  tables.py   staff tables: rows + HTML (pure)
    viewer.py     the document viewer (pure)           conversations.py  browser-stored chats, Markdown
    handlers.py   the screen events                    endpoints.py the JSON API (/ask, /search, …)
    filterform.py the Chat/Zoeken filter panel: choices, filter dict, summary line
    layout.py     build_app: components + wiring       serve.py    launch options, login, serve/launch
    style.py      theme; CSS and page script from static/app.{css,js}   export.py  files the user exports
    upload.py     the "Documenten toevoegen" tab (staff): handlers, components, progress polling

`serve.py` runs the app inside the HTTP server of `assistant/server/` (REST and OpenAI-compatible
APIs, login, roles, security headers).
"""

from ..present import copy_text
from .filterform import make_filters
from .handlers import STATUS_CHOICES, plain_history
from .layout import TITLE, build_app
from .render import chat_text, context_html, highlight, sources_html
from .serve import launch, launch_options, serve
from .tables import MEASURE_HEADERS, MOTION_HEADERS, SEARCH_HEADERS

__all__ = [
    "MEASURE_HEADERS",
    "MOTION_HEADERS",
    "SEARCH_HEADERS",
    "STATUS_CHOICES",
    "TITLE",
    "build_app",
    "chat_text",
    "context_html",
    "copy_text",
    "highlight",
    "launch",
    "launch_options",
    "make_filters",
    "plain_history",
    "serve",
    "sources_html",
]
