"""LLM calls on an executor other than this process (`[executor] kind = "ray"`): the requests a
batch still owes, after the driver's cache lookup, become rows of the executor's map; each worker
runs them through its own BatchLLMClient, with the same settings and the same cache/llm.sqlite,
so every finished call is committed where a re-run (or the driver, as rows return) finds it.

The cache is SQLite in WAL mode: safe for the worker processes of one machine, and for several
machines only when the workspace sits on a file system with working locks (see docs/scale.md).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Sequence

from .contract import LLMRequest, LLMResult


class LLMTask:
    """The per-row function of an LLM stage for an executor: one BatchLLMClient per worker."""

    def __init__(self, client_class: type, settings: Any, model: str, cache_path: Path | None):
        self.client_class = client_class      # BatchLLMClient, passed in: client.py imports this module
        # the driver resolved the model already; workers must not ask the endpoint again
        self.settings = dataclasses.replace(settings, model=model, progress=False)
        self.cache_path = cache_path
        self.client = None

    def setup(self) -> None:
        from .cache import LLMCache

        cache = LLMCache(self.cache_path) if self.cache_path else None
        self.client = self.client_class(self.settings, cache)

    def run(self, items: Sequence[LLMRequest]) -> list[LLMResult]:
        return self.client.run(list(items))

    def retryable(self, result: LLMResult) -> bool:
        return False    # the client retried transient errors already; what is left is an answer

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "client": None}


def run_on_executor(client: Any, todo: Sequence[Any], results: list, prog: Any) -> None:
    """Fill results[p.index] for each prepared request `p` in `todo` through client.executor."""
    cache_path = client.cache.path if client.cache else None
    task = LLMTask(type(client), client.settings, client.model, cache_path)

    def arrived(j: int, res: LLMResult) -> None:
        results[todo[j].index] = res
        prog.advance(cached=res.cached, failed=not res.ok)

    # the batch's own bar (BatchProgress) is live already: one live display at a time
    stats = client.executor.map(task, [p.req for p in todo], arrived, desc=f"llm {client.model}", progress=False)
    for j, reason in stats.lost.items():
        results[todo[j].index] = client._fail(todo[j].req, f"lost on the {client.executor.name} executor: {reason}")
        prog.advance(failed=True)
