"""Optional LLM backend: a chat model phrases the answer from the passages, verified before it is shown.

- `client.py`: transport. `ChatClient.complete(messages) -> str`, and `OpenAIChatClient` for any
  OpenAI-compatible chat-completions server (official `openai` client, deadline, retries).
- `prompt.py`: what the model sees (system prompt, delimited passages, injection defences).
- `generate.py`: `LLMBackend`, the generative answerer: verification, renumbering, fallback.
"""

from .client import ChatClient, LLMError, OpenAIChatClient, normalize_base_url
from .generate import BANNER_UNAVAILABLE, BANNER_UNVERIFIED, LLMBackend, LLMReport
from .prompt import SYSTEM_PROMPT

__all__ = [
    "BANNER_UNAVAILABLE",
    "BANNER_UNVERIFIED",
    "ChatClient",
    "LLMBackend",
    "LLMError",
    "LLMReport",
    "OpenAIChatClient",
    "SYSTEM_PROMPT",
    "normalize_base_url",
]
