"""Roles inside the web app: every Gradio event checks the logged-in user's role, the staff tabs
are disabled and the export buttons hidden for roles without those rights.

The rights of the events are looked up by their API name or function name (`assistant/ui/layout.py`):
an event not named here needs only the right to chat. When no login is configured nothing changes.
"""

from __future__ import annotations

import functools
import inspect

import gradio as gr

from .auth import Access, allows

# API or function name of an event -> the right it needs (the rest: "chat")
EVENT_RIGHTS = {
    "motions": "records",
    "measures": "records",
    "ui_motions": "records",
    "ui_measures": "records",
    "on_motions": "records",
    "on_measures": "records",
    "search": "search",
    "ui_search": "search",
    "on_search": "search",
    "documents": "documents",
    # CSV exports are events of their own (a file is written only when the user clicks export)
    "ui_search_csv": "export",
    "ui_motions_csv": "export",
    "ui_measures_csv": "export",
    # adding documents (assistant/ui/upload.py): the upload and the polling of its progress
    "ui_upload": "upload",
    "on_upload": "upload",
    "on_upload_status": "upload",
    "on_upload_resume": "upload",
}
STAFF_TABS = {"moties": "records", "maatregelen": "records", "upload": "upload"}  # Tab ids in layout.py
DENIED = "Geen toegang: uw rol mag dit niet. (Forbidden.)"


def event_right(block_fn) -> str:
    name = getattr(block_fn.fn, "__name__", "")
    return EVENT_RIGHTS.get(block_fn.api_name or "", EVENT_RIGHTS.get(name, "chat"))


def _guarded(fn, right: str, access: Access, outputs: int, documented: bool):
    """`fn` with a leading `gr.Request` parameter (Gradio fills it in) that checks the role first.

    A documented API call is refused with an error; a screen event of a disabled tab (e.g. the
    measures table filled on page load) just leaves its outputs unchanged. Plain, generator and async
    handlers keep their kind (Gradio decides how to call a handler by it)."""
    sig = inspect.signature(fn)
    request_param = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=gr.Request)

    def refusal(request):
        """None when allowed; else the unchanged outputs (or raises gr.Error for an API call)."""
        if allows(access.role_of(getattr(request, "username", None)), right):
            return None
        if documented:
            raise gr.Error(DENIED)
        return gr.update() if outputs == 1 else tuple(gr.update() for _ in range(outputs))

    if inspect.isgeneratorfunction(fn):

        def guarded(request, *args, **kwargs):
            denied = refusal(request)
            if denied is not None:
                yield denied
                return
            yield from fn(*args, **kwargs)
    elif inspect.iscoroutinefunction(fn):

        async def guarded(request, *args, **kwargs):
            denied = refusal(request)
            return denied if denied is not None else await fn(*args, **kwargs)
    else:

        def guarded(request, *args, **kwargs):
            denied = refusal(request)
            return denied if denied is not None else fn(*args, **kwargs)

    functools.update_wrapper(guarded, fn)
    guarded.__signature__ = sig.replace(parameters=[request_param, *sig.parameters.values()])
    guarded.__annotations__ = {**getattr(fn, "__annotations__", {}), "request": gr.Request}
    del guarded.__wrapped__  # Gradio must see the new signature, not the wrapped one
    return guarded


def guard_events(demo: gr.Blocks, access: Access) -> int:
    """Wrap every Python event of `demo` in a role check; returns how many were wrapped."""
    if not access.enabled:
        return 0
    count = 0
    for block_fn in demo.fns.values():
        if block_fn.fn is None:
            continue
        documented = block_fn.api_visibility == "public"
        block_fn.fn = _guarded(block_fn.fn, event_right(block_fn), access, len(block_fn.outputs), documented)
        count += 1
    return count


def hide_by_role(demo: gr.Blocks, access: Access) -> None:
    """On page load, disable the staff tabs and hide the CSV buttons for roles without those rights.

    Tabs are disabled rather than hidden: Gradio 6.31's front end ignores `visible` updates of a Tab
    (measured in Chromium; `interactive` works). `visible` is sent too, for when it does."""
    if not access.enabled:
        return
    tabs = [b for b in demo.blocks.values() if isinstance(b, gr.Tab) and b.id in STAFF_TABS]
    downloads = [
        b
        for b in demo.blocks.values()
        if isinstance(b, gr.DownloadButton) or "export" in (getattr(b, "elem_classes", None) or [])
    ]
    if not tabs and not downloads:
        return

    def visible(request: gr.Request):
        role = access.role_of(request.username)
        return [gr.update(visible=allows(role, STAFF_TABS[t.id]), interactive=allows(role, STAFF_TABS[t.id])) for t in tabs] + [
            gr.update(visible=allows(role, "export")) for _ in downloads
        ]

    with demo:
        demo.load(visible, None, [*tabs, *downloads], api_visibility="private", queue=False)


__all__ = ["EVENT_RIGHTS", "STAFF_TABS", "event_right", "guard_events", "hide_by_role"]
