"""The web app (Gradio 6): a chat for council members and search/tables for staff.

Only presentation lives here: every answer, passage and record comes from `Assistant`
(`ask`, `search`, `motions`, `measures`, `documents`, `context`).

    render.py     HTML and chat text (pure)        tables.py   rows of the staff tables (pure)
    handlers.py   the screen events                endpoints.py the JSON API (/ask, /search, …)
    layout.py     build_app: components + wiring   serve.py    launch options, login, serve/launch
    style.py      CSS and theme                    export.py   CSV files of the tables
"""

from ..present import copy_text
from .handlers import STATUS_CHOICES, make_filters, plain_history
from .layout import TITLE, build_app
from .render import chat_text, context_html, highlight, sources_html
from .serve import auth_checker, launch, launch_options, read_users, serve
from .tables import MEASURE_HEADERS, MOTION_HEADERS, SEARCH_HEADERS

__all__ = [
    "MEASURE_HEADERS",
    "MOTION_HEADERS",
    "SEARCH_HEADERS",
    "STATUS_CHOICES",
    "TITLE",
    "auth_checker",
    "build_app",
    "chat_text",
    "context_html",
    "copy_text",
    "highlight",
    "launch",
    "launch_options",
    "make_filters",
    "plain_history",
    "read_users",
    "serve",
    "sources_html",
]
