"""Generation backends, registered by name: `openai` (any OpenAI-compatible server) here and
`embedded` (in-process SmolLM2) in backends_embedded.py.

A backend makes one call and classifies its failure: TransientError (429, 5xx, timeout,
connection trouble, an unreadable body: worth retrying, maybe elsewhere) or PermanentError (the
request itself is wrong: retrying cannot help). Retries, repairs and caching live in client.py.
"""

from __future__ import annotations

import email.utils
import itertools
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import orjson

import httpx2 as httpx   # a core dependency: its connection pool stays cheap at 64+ connections

from ..errors import SomekitError
from ..registry import Registry


class LLMBackendError(SomekitError):
    """A backend cannot be set up (missing package, model file, unreachable endpoint)."""


class TransientError(Exception):
    def __init__(self, message: str, retry_after: float | None = None, endpoint: str = ""):
        super().__init__(message)
        self.retry_after = retry_after
        self.endpoint = endpoint


class PermanentError(Exception):
    pass


@dataclass
class Completion:
    text: str
    finish_reason: str
    usage: dict[str, int] = field(default_factory=dict)
    endpoint: str = ""


class Backend(Protocol):
    name: str
    model: str
    max_concurrency: int | None               # a hard cap of the backend (embedded: 1), None: none

    async def start(self) -> None: ...

    async def complete(self, messages: list[dict[str, Any]], *, schema: dict[str, Any] | None,
                       schema_name: str, temperature: float, max_tokens: int, seed: int | None) -> Completion: ...

    async def aclose(self) -> None: ...


#: backend name -> factory; the module registering each is imported on first use (the embedded
#: one needs llama-cpp-python, which an endpoint-only install lacks)
BACKENDS: Registry[Callable[..., Backend]] = Registry(
    "LLM backend", {"openai": __name__, "embedded": "somekit.annotate.backends_embedded"}, LLMBackendError)


def register_backend(name: str):
    return BACKENDS.register(name)


def create_backend(name: str, **kwargs: Any) -> Backend:
    return BACKENDS.lookup(name)(**kwargs)


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@register_backend("openai")
class OpenAIBackend:
    """Chat completions over plain httpx: the OpenAI SDK's per-request model building costs more
    CPU than the network at hundreds of calls per second, and we need the raw status and
    Retry-After header anyway. Several base URLs: round-robin, and an endpoint that fails with a
    transient error is skipped for `cooldown_s` while others are healthy (failover)."""

    name = "openai"
    max_concurrency = None

    def __init__(self, base_urls: list[str], model: str = "", api_key: str | None = None,
                 timeout_s: float = 120.0, concurrency: int = 32, response_format: str = "auto",
                 cooldown_s: float = 5.0, **_: Any):
        if not base_urls:
            raise LLMBackendError("the openai backend needs at least one base_url")
        self.base_urls = [u.rstrip("/") for u in base_urls]
        self.model = model
        self._headers = {"Content-Type": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._timeout = timeout_s
        self._concurrency = concurrency
        self._cycle = itertools.cycle(range(len(self.base_urls)))
        self._down_until = [0.0] * len(self.base_urls)
        self._cooldown = cooldown_s
        # json_schema is OpenAI's and vLLM's form; llama.cpp's Python server only takes
        # json_object + schema. 'auto' starts with json_schema and switches per endpoint on 400/422.
        self._style = [response_format if response_format != "auto" else "json_schema"] * len(self.base_urls)
        self._auto_style = response_format == "auto"
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        limits = httpx.Limits(max_connections=self._concurrency + 8, max_keepalive_connections=self._concurrency + 8)
        self._client = httpx.AsyncClient(timeout=self._timeout, limits=limits, headers=self._headers)
        if not self.model:
            self.model = await self._first_model()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _first_model(self) -> str:
        """No model configured: use the first one the server lists (llama.cpp, vLLM serve one)."""
        for base in self.base_urls:
            try:
                r = await self._client.get(f"{base}/models")
                r.raise_for_status()
                data = r.json().get("data") or []
                if data:
                    return str(data[0]["id"])
            except (httpx.HTTPError, ValueError, KeyError):
                continue
        raise LLMBackendError(f"no model configured and none listed at {self.base_urls} (set llm.model or SOMEKIT_LLM_MODEL)")

    def _pick(self) -> int:
        now = time.monotonic()
        for _ in range(len(self.base_urls)):
            i = next(self._cycle)
            if self._down_until[i] <= now:
                return i
        return next(self._cycle)  # all cooling down: still try, round-robin

    def _response_format(self, style: str, schema: dict[str, Any], name: str) -> dict[str, Any]:
        if style == "json_object":
            return {"type": "json_object", "schema": schema}
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}

    async def complete(self, messages, *, schema, schema_name, temperature, max_tokens, seed) -> Completion:
        i = self._pick()
        base = self.base_urls[i]
        body: dict[str, Any] = {"model": self.model, "messages": messages,
                                "temperature": temperature, "max_tokens": max_tokens}
        if seed is not None:
            body["seed"] = seed
        for _switch in range(2):
            if schema is not None:
                body["response_format"] = self._response_format(self._style[i], schema, schema_name)
            try:
                r = await self._client.post(f"{base}/chat/completions", content=orjson.dumps(body))
            except httpx.TimeoutException as exc:
                self._down_until[i] = time.monotonic() + self._cooldown
                raise TransientError(f"timeout from {base}: {type(exc).__name__}", endpoint=base) from None
            except httpx.TransportError as exc:
                self._down_until[i] = time.monotonic() + self._cooldown
                raise TransientError(f"connection error to {base}: {type(exc).__name__}: {exc}", endpoint=base) from None
            # llama-cpp-python's server rejects json_schema with a 500 that names json_object
            if r.status_code in (400, 422, 500) and schema is not None and self._auto_style \
                    and self._style[i] == "json_schema" and ("response_format" in r.text or "json_object" in r.text):
                self._style[i] = "json_object"
                continue
            break
        return self._parse(r, base, i)

    def _parse(self, r: httpx.Response, base: str, i: int) -> Completion:
        if r.status_code >= 500:
            self._down_until[i] = time.monotonic() + self._cooldown
        return parse_chat(r, base)


def raise_for_status(r: httpx.Response, base: str) -> None:
    """TransientError for 408/429/5xx (with Retry-After), PermanentError for other 4xx."""
    if r.status_code == 429 or r.status_code == 408 or r.status_code >= 500:
        raise TransientError(f"HTTP {r.status_code} from {base}: {r.text[:200]}",
                             retry_after=parse_retry_after(r.headers.get("retry-after")), endpoint=base)
    if r.status_code >= 400:
        raise PermanentError(f"HTTP {r.status_code} from {base}: {r.text[:300]}")


def parse_chat(r: httpx.Response, base: str) -> Completion:
    """A chat-completions response as a Completion, or the classified error."""
    raise_for_status(r, base)
    try:
        data = orjson.loads(r.content)
        choice = data["choices"][0]
        text = choice["message"].get("content") or ""
        finish = choice.get("finish_reason") or "stop"
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
        raise TransientError(f"unreadable response body from {base}: {r.text[:200]!r}", endpoint=base) from None
    usage = data.get("usage") or {}
    return Completion(text=text, finish_reason=finish, endpoint=base,
                      usage={"prompt_tokens": int(usage.get("prompt_tokens") or 0),
                             "completion_tokens": int(usage.get("completion_tokens") or 0)})
