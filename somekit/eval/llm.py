"""The LLM behind evaluation, created only when a batch actually needs it (most classification
answers are settled by rules, and building a client may load a local model)."""

from __future__ import annotations

import os
from typing import Any, Sequence

from ..annotate.contract import LLMRequest, LLMResult


class LazyLLM:
    """An LLMClient that builds `get_llm(ws, **overrides)` on first use."""

    def __init__(self, ws: Any = None, **overrides: Any):
        self._ws = ws
        self._overrides = {k: v for k, v in overrides.items() if v is not None}
        self._client: Any = None

    def _get(self) -> Any:
        if self._client is None:
            from ..annotate.client import get_llm

            self._client = get_llm(self._ws, **self._overrides)
        return self._client

    @property
    def model(self) -> str:
        return self._get().model

    @property
    def backend(self) -> str:
        return self._get().backend

    def run(self, requests: Sequence[LLMRequest], desc: str = "") -> list[LLMResult]:
        return self._get().run(requests, desc=desc)


def endpoint_configured(base_url: str | None, ws: Any = None) -> bool:
    """True when an LLM endpoint is set by flag, environment or somekit.toml (the embedded model
    is too weak to be trusted with label extraction, so it is never used for that implicitly)."""
    if base_url or os.environ.get("SOMEKIT_LLM_BASE_URL"):
        return True
    return bool(ws is not None and ws.config().llm.base_url)
