"""The look of the web app: CSS, the page script (`HEAD`) and the theme (system fonts).

The CSS and script live in `static/` as plain files; `HEAD` goes to `launch(head=...)` (Gradio 6:
css/js/head belong to launch) and sets `lang="nl"` before anything renders.
"""

from pathlib import Path

import gradio as gr

STATIC = Path(__file__).resolve().parent / "static"
CSS = (STATIC / "app.css").read_text(encoding="utf-8")
SCRIPT = (STATIC / "app.js").read_text(encoding="utf-8")
HEAD = f"<script>{SCRIPT}</script>"


def theme() -> gr.themes.Base:
    # system fonts: nothing is fetched from a font CDN, and no font files are needed offline
    return gr.themes.Default(
        primary_hue="blue",
        secondary_hue="slate",
        font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "Menlo", "monospace"],
    ).set(
        # white on Gradio's blue-500 is 3.7:1; blue-700 is 6.7:1 (WCAG AA needs 4.5:1)
        button_primary_background_fill="#1d4ed8",
        button_primary_background_fill_hover="#1e40af",
        button_primary_text_color="#ffffff",
    )
