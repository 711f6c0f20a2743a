"""Raadsassistent Jeugd: Dutch questions about municipal policy documents, answered with cited passages.

from assistant import Assistant
bot = Assistant.load()
r = bot.ask("Wat is de status van motie 2106-18?")
"""

__version__ = "0.1.0"
__all__ = ["Assistant", "Settings"]


def __getattr__(name):  # lazy, so `assistant --help` does not import the heavy stack
    if name == "Assistant":
        from .api import Assistant

        return Assistant
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(name)
