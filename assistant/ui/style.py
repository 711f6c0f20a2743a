"""The look of the web app: CSS for the sources and context panels, and the theme (system fonts)."""

import gradio as gr

CSS = """
.gradio-container { max-width: 1400px !important; }
#bronnen { font-size: 0.95rem; line-height: 1.45; }
#bronnen h3, #context h3 { margin: 0.2em 0 0.5em 0; font-size: 1.05rem; font-weight: 600; }
#gesprek strong { font-weight: 600; }
#bronnen .bron { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6em 0.8em; margin-bottom: 0.7em; background: var(--background-fill-secondary); }
#bronnen .bron-kop { font-weight: 600; }
#bronnen .bron-nr { display: inline-block; min-width: 2em; color: var(--color-accent); }
#bronnen .bron-meta, #context .context-meta { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 0.15em 0 0.4em 0; }
#bronnen .bron-tekst, #context .context-tekst { white-space: pre-wrap; margin: 0; padding-left: 0.7em; border-left: 3px solid var(--border-color-accent); }
#bronnen mark, #context mark { background: #ffe98a; color: #1f2937; padding: 0 1px; border-radius: 2px; }
#bronnen .uitleg, #context .uitleg { color: var(--body-text-color-subdued); font-size: 0.85rem; }
#context .context-passage { background: #eef4ff; color: #1f2937; }
#melding .melding { background: #fff7d6; color: #5b4600; border: 1px solid #f0d264; border-radius: 8px; padding: 0.5em 0.8em; }
"""


def theme() -> gr.themes.Base:
    # system fonts: nothing is fetched from a font CDN, and no font files are needed offline
    return gr.themes.Default(
        primary_hue="blue",
        secondary_hue="slate",
        font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "Menlo", "monospace"],
    )
