"""Retry policy for enrichment endpoints: transient failures (429, 5xx, timeouts, dropped
connections) are retried with exponential backoff; anything else fails the item at once."""

from __future__ import annotations

from typing import Any, Callable

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential


def _transient(exc: BaseException) -> bool:
    from ..annotate.backends import TransientError   # classified by the one OpenAI-compatible client

    return isinstance(exc, TransientError)


def endpoint_retry(max_retries: int, max_wait_s: float = 20.0) -> Callable[[Callable[[], Any]], Any]:
    def run(call: Callable[[], Any]) -> Any:
        retrying = Retrying(retry=retry_if_exception(_transient), stop=stop_after_attempt(max_retries + 1),
                            wait=wait_exponential(multiplier=0.5, max=max_wait_s), reraise=True)
        return retrying(call)
    return run
