"""Transport to a chat model: the `ChatClient` interface and its OpenAI-compatible implementation.

`ChatClient` has one method, `complete(messages) -> str` (as simonw/llm's `Model.execute`): the
generative answerer (`generate.py`) needs nothing else, and its tests use a scripted fake.

`OpenAIChatClient` speaks `POST <base>/v1/chat/completions` (Ollama, llama.cpp `llama-server`, vLLM,
LM Studio, OpenAI, …) through the official `openai` client. It does NOT stream: the answer is shown
only after every sentence has been verified (`Assistant.ask` returns one whole `Answer`, and
`ui.py` renders that), so streamed tokens could never reach the user earlier; a plain JSON response
also works with every server, so no streaming fallback path is needed.
"""

from __future__ import annotations

import abc
import logging
import re
import time

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})  # 501 "not implemented" will not change on retry
_HINTS = {401: "sleutel", 403: "sleutel", 404: "llm_url en llm_model"}


class LLMError(Exception):
    """The backend gave no usable completion. `reason` is a short Dutch text safe to show."""

    def __init__(self, reason: str, retriable: bool = False, status: int | None = None, retry_after: float = 0.0):
        super().__init__(reason)
        self.reason = reason
        self.retriable = retriable
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait (429 Retry-After)


class ChatClient(abc.ABC):
    """Anything that turns chat messages into the assistant's reply."""

    @abc.abstractmethod
    def complete(self, messages: list[dict]) -> str:
        """The assistant message for `messages` (OpenAI chat format). Any failure of the server or
        the model raises `LLMError` (the answerer turns anything else into "interne fout")."""


def normalize_base_url(url: str) -> str:
    """ "http://h:11434", "http://h:11434/v1/", ".../v1/chat/completions" -> "http://h:11434/v1"."""
    url = (url or "").strip()
    if not url:
        raise ValueError("llm_url is leeg")
    if "://" not in url:
        url = "http://" + url
    url = url.rstrip("/")
    for suffix in ("/chat/completions", "/completions"):
        if url.endswith(suffix):
            url = url[: -len(suffix)].rstrip("/")
    return url if url.endswith("/v1") else url + "/v1"


class OpenAIChatClient(ChatClient):
    """`ChatClient` on the official `openai` client, with a total deadline and our own retries.

    The library's own retries are off (`max_retries=0`): they do not know the deadline, and they
    retry 408/409 too. Here: connection errors, 5xx (not 501) and 429 are retried with exponential
    backoff (a 429's Retry-After is honoured when it fits the deadline); other 4xx never are.
    """

    def __init__(
        self,
        url: str,
        model: str = "",
        api_key: str = "",
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        temperature: float = 0.0,
        max_tokens: int = 700,
    ):
        self.base_url = normalize_base_url(url)
        self.shown_url = re.sub(r"//[^/@]*@", "//", self.base_url)  # no user:password in logs
        self.model = model
        self._api_key = api_key or ""
        self.timeout = float(timeout)  # seconds for one answer, retries included
        self.connect_timeout = min(float(connect_timeout), self.timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)  # seconds before the first retry, doubled each time
        self.temperature = temperature
        self.max_tokens = max_tokens
        self._client = None  # built on first use: importing openai costs ~0.6 s

    @classmethod
    def from_settings(cls, settings) -> "OpenAIChatClient":
        return cls(
            url=settings.llm.url,
            model=settings.llm.model,
            api_key=settings.llm.api_key,
            timeout=settings.llm.timeout,
            connect_timeout=min(10.0, settings.llm.timeout),
        )

    @property
    def api_key(self) -> str:
        return self._api_key

    def __repr__(self) -> str:  # the key never appears, not even as a length
        return f"OpenAIChatClient(url={self.shown_url!r}, model={self.model!r}, timeout={self.timeout:g})"

    def _openai(self):
        if self._client is None:
            import openai

            # trust_env=False: no proxy from the environment (the old stdlib client used none either).
            self._client = openai.OpenAI(
                api_key=self._api_key or "unused",  # never None: see _headers
                base_url=self.base_url,
                max_retries=0,
                http_client=openai.DefaultHttpxClient(trust_env=False),
            )
        return self._client

    def _headers(self) -> dict:
        """Per-request headers: everything from our settings. Without them the library would fill a
        missing key from OPENAI_API_KEY (sending a real OpenAI key to llm_url), send OPENAI_ORG_ID /
        OPENAI_PROJECT_ID, or an Authorization from OPENAI_CUSTOM_HEADERS. Omit() removes a header."""
        import openai

        auth = f"Bearer {self._api_key}" if self._api_key else openai.Omit()
        return {"Authorization": auth, "OpenAI-Organization": openai.Omit(), "OpenAI-Project": openai.Omit()}

    def complete(self, messages: list[dict]) -> str:
        self._openai()  # built before the clock starts: the first import is not the server's time
        deadline = time.monotonic() + self.timeout
        attempt = 0
        while True:
            try:
                return self._request(messages, deadline)
            except LLMError as exc:
                delay = max(self.backoff * (2**attempt), exc.retry_after)
                if not exc.retriable or attempt >= self.retries or time.monotonic() + delay >= deadline:
                    raise
                attempt += 1
                log.info("LLM-backend %s: %s; poging %d over %.1f s", self.shown_url, exc.reason, attempt + 1, delay)
                time.sleep(delay)

    def _request(self, messages: list[dict], deadline: float) -> str:
        import openai

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LLMError(f"time-out na {self.timeout:g} s")
        # httpx has no total timeout, only per connect/read: each wait gets the time left. That holds
        # the deadline for servers that send the JSON at once when generation is done (what the
        # servers named above do without streaming); only one trickling bytes could overrun it.
        timeout = openai.Timeout(remaining, connect=max(0.05, min(self.connect_timeout, remaining)))
        try:
            completion = self._openai().chat.completions.create(
                model=self.model or "default",
                messages=messages,
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                timeout=timeout,
                extra_headers=self._headers(),
            )
        except openai.APITimeoutError:
            raise LLMError(f"time-out na {self.timeout:g} s", deadline - time.monotonic() > 0.2) from None
        except openai.APIConnectionError as exc:
            log.debug("LLM-backend %s: %s", self.shown_url, type(exc.__cause__ or exc).__name__)
            raise LLMError("geen verbinding", True) from None
        except openai.APIStatusError as exc:
            raise _status_error(exc.status_code, exc.response.headers.get("retry-after")) from None
        except (openai.OpenAIError, ValueError):  # a response the library cannot read
            raise LLMError("onleesbaar antwoord") from None
        return _text_of(completion)


def _status_error(status: int, retry_after: str | None) -> LLMError:
    if status == 429:
        try:
            wait = min(max(float(retry_after or 0), 0.0), 60.0)  # the seconds form; an HTTP date is rare
        except ValueError:
            wait = 0.0
        return LLMError("te veel verzoeken (429)", True, status, retry_after=wait)
    if status >= 500:
        return LLMError(f"serverfout {status}", status in RETRY_STATUS, status)
    hint = _HINTS.get(status)
    return LLMError(f"geweigerd ({status})" + (f"; controleer {hint}" if hint else ""), False, status)


def _text_of(completion) -> str:
    """The reply text of a chat completion. The library returns the body as a string when it is not
    JSON, and does not validate fields (servers differ in the optional ones), so check here."""
    if isinstance(completion, str) or completion is None:
        raise LLMError("onleesbaar antwoord (geen JSON)")
    if getattr(completion, "error", None):
        raise LLMError("fout van het taalmodel")
    try:
        choice = completion.choices[0]
        message = getattr(choice, "message", None)
        content = getattr(message, "content", None) if message is not None else None
        if content is None:
            content = getattr(choice, "text", None)  # legacy completions format
    except (AttributeError, IndexError, KeyError, TypeError):
        raise LLMError("onleesbaar antwoord (geen choices)") from None
    if not isinstance(content, str):
        raise LLMError("onleesbaar antwoord (geen tekst)")
    return content


__all__ = ["ChatClient", "LLMError", "OpenAIChatClient", "normalize_base_url"]
