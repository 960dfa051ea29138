"""A synchronous view of the OpenAI-compatible client for one endpoint: vision chat (captions,
VLM OCR) and audio transcription in enrichment, where each worker makes one call at a time.

Same transport (httpx), the same response parsing and the same error classification as the
batch text client (backends.py): TransientError (429, 5xx, timeouts, dropped connections,
unreadable bodies) is worth retrying, PermanentError is not. Retries are the caller's.
"""

from __future__ import annotations

from typing import Any

import orjson

from .backends import PermanentError, TransientError, httpx, parse_chat, raise_for_status


class Endpoint:
    """One OpenAI-compatible base URL (…/v1). The key only ever goes into the Authorization header."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout_s: float = 120.0):
        self.base = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers)

    def _post(self, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.post(f"{self.base}{path}", **kwargs)
        except httpx.TimeoutException as exc:
            raise TransientError(f"timeout from {self.base}: {type(exc).__name__}", endpoint=self.base) from None
        except httpx.TransportError as exc:
            raise TransientError(f"connection error to {self.base}: {type(exc).__name__}: {exc}", endpoint=self.base) from None

    def chat(self, messages: list[dict[str, Any]], model: str, max_tokens: int, temperature: float = 0.0) -> str:
        """The assistant's text for a chat (text or image_url parts)."""
        body = {"model": model, "messages": messages, "max_tokens": max_tokens, "temperature": temperature}
        r = self._post("/chat/completions", content=orjson.dumps(body), headers={"Content-Type": "application/json"})
        return parse_chat(r, self.base).text.strip()

    def transcribe(self, audio: bytes, model: str, language: str | None = None, filename: str = "audio.wav",
                   mime: str = "audio/wav") -> str:
        """/audio/transcriptions (multipart upload); the transcript text."""
        data = {"model": model, **({"language": language} if language else {})}
        r = self._post("/audio/transcriptions", files={"file": (filename, audio, mime)}, data=data)
        raise_for_status(r, self.base)
        try:
            return str(orjson.loads(r.content).get("text") or "").strip()
        except (orjson.JSONDecodeError, AttributeError):
            if r.headers.get("content-type", "").startswith("text/plain"):
                return r.text.strip()             # response_format=text servers
            raise TransientError(f"unreadable transcription body from {self.base}: {r.text[:200]!r}",
                                 endpoint=self.base) from None

    def close(self) -> None:
        self._client.close()


__all__ = ["Endpoint", "PermanentError", "TransientError"]
