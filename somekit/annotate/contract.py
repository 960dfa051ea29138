"""The LLM layer's public contract, used by builders, enrichment and evaluation.

Implementations live in annotate/client.py (batch client over backends) and
annotate/embeddings.py (embedders). Code outside annotate/ uses only these names:

    from somekit.annotate.contract import LLMRequest, LLMResult
    from somekit.annotate.client import get_llm          # -> LLMClient
    from somekit.annotate.embeddings import get_embedder # -> Embedder

    llm = get_llm(ws, cfg)                               # flags > env > somekit.toml > embedded
    results = llm.run(requests, desc="uea votes")        # sync wrapper over the async batch
    emb = get_embedder(ws, cfg)
    vectors = emb.embed(["text", ...])                   # np.ndarray (n, dim), L2-normalised
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

import numpy as np
from pydantic import BaseModel


@dataclass
class LLMRequest:
    """One structured or free-text call."""

    key: str                                   # caller's id for the request (item id + step), unique in a batch
    prompt_id: str                             # registered prompt id, e.g. 'uea.vote@1'
    fields: dict[str, Any]                     # values rendered into the prompt template
    schema: type[BaseModel] | None = None      # structured output model (None: free text)
    lang: str = "zh"                           # prompt language variant
    vote: int = 0                              # vote index: part of the cache key, so votes differ
    temperature: float | None = None           # None: the client default
    seed: int | None = None                    # sampling seed sent to the backend
    max_tokens: int | None = None


@dataclass
class LLMResult:
    key: str
    ok: bool
    value: Any = None                          # validated model instance (structured) or text
    raw: str | None = None                     # raw completion text
    error: str | None = None                   # why it failed, when ok is False
    cached: bool = False
    model: str = ""
    backend: str = ""
    prompt_id: str = ""
    usage: dict[str, int] = field(default_factory=dict)
    latency_s: float = 0.0


class LLMClient(Protocol):
    model: str
    backend: str

    def run(self, requests: Sequence[LLMRequest], desc: str = "") -> list[LLMResult]:
        """Run a batch; one result per request in the same order; never raises for one item."""


class Embedder(Protocol):
    model: str

    def embed(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """L2-normalised embeddings, one row per text (kind: 'query' or 'passage' for e5)."""
