"""The batch LLM client behind `get_llm` (contract.py): bounded concurrency, retries with
backoff that honours Retry-After, schema-validated structured output with re-asks, larger budgets
for truncated replies, a sqlite response cache, a call budget, and per-item failures that never
crash a batch.

    llm = get_llm(ws, cfg)                    # flags > env > somekit.toml > embedded SmolLM2
    results = llm.run(requests, desc="uea votes")
    llm.last_run                              # counters and the exact failure list of that run
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import functools
import random
import time
from dataclasses import dataclass
from typing import Any, Sequence

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

from ..executors import get_executor
from ..executors.progress import BatchProgress
from ..prompts import PromptError, render
from ..schemas.config import Config
from .backends import Backend, LLMBackendError, PermanentError, TransientError, create_backend
from .cache import LLMCache, request_key
from .contract import LLMRequest, LLMResult
from .settings import LLMSettings, resolve_llm_settings

CACHE_FORMAT = 1                              # bump when the canonical request changes shape
_REPAIR = ("Your previous reply could not be used: {error}\n"
           "Reply again with only a JSON object that matches the required schema.")


class BudgetExhausted(Exception):
    pass


@functools.cache
def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


@dataclass
class _Prepared:
    index: int
    req: LLMRequest
    messages: list[dict[str, Any]]
    schema: type[BaseModel] | None
    temperature: float
    max_tokens: int
    key: str


class BatchLLMClient:
    """Implements contract.LLMClient. One instance per command run: its call budget spans all of
    its batches."""

    def __init__(self, settings: LLMSettings, cache: LLMCache | None = None, executor: Any = None):
        self.settings = settings
        self.executor = executor              # None or local: calls from this process; ray: remote.py
        self.backend = settings.backend
        self.cache = cache
        self.calls_made = 0
        self.last_run: dict[str, Any] = {}
        if settings.backend == "embedded" and not settings.model:
            from .backends_embedded import SMOLLM2_MODEL
            settings.model = SMOLLM2_MODEL
        if not settings.model:
            settings.model = _first_listed_model(settings)
        self.model = settings.model

    # public API --------------------------------------------------------------------------
    def run(self, requests: Sequence[LLMRequest], desc: str = "") -> list[LLMResult]:
        """One result per request, in request order; never raises for one item."""
        coro = self.arun(requests, desc)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coro)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # called from async code
            return pool.submit(asyncio.run, coro).result()

    async def arun(self, requests: Sequence[LLMRequest], desc: str = "") -> list[LLMResult]:
        results: list[LLMResult | None] = [None] * len(requests)
        prepared: list[_Prepared] = []
        for i, req in enumerate(requests):
            try:
                prepared.append(self._prepare(i, req))
            except PromptError as exc:
                results[i] = self._fail(req, f"prompt error: {exc}")
        hits = self.cache.get_many([p.key for p in prepared]) if self.cache else {}
        todo: list[_Prepared] = []
        with BatchProgress(len(requests), desc, self.settings.progress) as prog:
            prog.advance(len(requests) - len(prepared), failed=True)
            for p in prepared:
                hit = hits.get(p.key)
                res = self._from_cache(p, *hit) if hit else None
                if res is None:
                    todo.append(p)
                else:
                    results[p.index] = res
                    prog.advance(cached=True)
            # identical requests in one batch (same canonical key) are asked once
            unique: dict[str, _Prepared] = {}
            copies = [p for p in todo if unique.setdefault(p.key, p) is not p]
            if unique and getattr(self.executor, "name", "local") != "local":
                from .remote import run_on_executor
                run_on_executor(self, list(unique.values()), results, prog)
            elif unique:
                await self._run_misses(list(unique.values()), results, prog)
            for p in copies:
                first = results[unique[p.key].index]
                results[p.index] = dataclasses.replace(first, key=p.req.key, cached=first.ok)
                prog.advance(cached=first.ok, failed=not first.ok)
            summary = prog.summary()
        failures = [{"key": r.key, "error": r.error} for r in results if r is not None and not r.ok]
        tokens = {k: sum(r.usage.get(k, 0) for r in results if r is not None and not r.cached)
                  for k in ("prompt_tokens", "completion_tokens")}
        self.last_run = {**summary, **tokens, "model": self.model, "backend": self.backend, "failures": failures}
        return results  # type: ignore[return-value]

    # preparation and cache ---------------------------------------------------------------
    def _prepare(self, i: int, req: LLMRequest) -> _Prepared:
        s = self.settings
        messages = render(req.prompt_id, req.lang, **req.fields)
        temperature = s.temperature if req.temperature is None else req.temperature
        max_tokens = req.max_tokens or s.max_tokens
        canonical = {
            "v": CACHE_FORMAT, "model": self.model, "prompt_id": req.prompt_id, "messages": messages,
            "schema": _json_schema(req.schema) if req.schema else None, "temperature": temperature,
            "max_tokens": max_tokens, "seed": req.seed, "vote": req.vote,
        }
        return _Prepared(i, req, messages, req.schema, temperature, max_tokens, request_key(canonical))

    def _from_cache(self, p: _Prepared, raw: str, usage: dict[str, int]) -> LLMResult | None:
        try:
            value = p.schema.model_validate_json(raw) if p.schema else raw
        except ValidationError:
            return None                       # cannot happen unless the cache was edited: redo it
        return LLMResult(key=p.req.key, ok=True, value=value, raw=raw, cached=True, model=self.model,
                         backend=self.backend, prompt_id=p.req.prompt_id, usage=usage)

    def _fail(self, req: LLMRequest, error: str, raw: str | None = None, usage=None, latency=0.0) -> LLMResult:
        return LLMResult(key=req.key, ok=False, error=error, raw=raw, model=self.model, backend=self.backend,
                         prompt_id=req.prompt_id, usage=usage or {}, latency_s=latency)

    # uncached calls ----------------------------------------------------------------------
    async def _run_misses(self, todo: list[_Prepared], results: list, prog: BatchProgress) -> None:
        s = self.settings
        backend: Backend = create_backend(
            s.backend, base_urls=s.base_urls, model=self.model, api_key=s.api_key, timeout_s=s.timeout_s,
            concurrency=s.concurrency, response_format=s.response_format)
        limit = min(s.concurrency, backend.max_concurrency or s.concurrency)
        sem = asyncio.Semaphore(limit)
        ledger: list[tuple] = []
        try:
            await backend.start()

            async def one(p: _Prepared) -> None:
                async with sem:
                    try:
                        res = await self._one(backend, p, prog, ledger)
                    except Exception as exc:  # a bug or an odd reply must cost one item, not the batch
                        res = self._fail(p.req, f"internal error: {type(exc).__name__}: {exc}")
                results[p.index] = res
                prog.advance(failed=not res.ok)
                if len(ledger) >= 256 and self.cache:
                    rows, ledger[:] = list(ledger), []
                    self.cache.log_calls(rows)

            await asyncio.gather(*(one(p) for p in todo))
        finally:
            await backend.aclose()
            if self.cache:
                self.cache.log_calls(ledger)

    async def _one(self, backend: Backend, p: _Prepared, prog: BatchProgress, ledger: list) -> LLMResult:
        s = self.settings
        messages, max_tokens = list(p.messages), p.max_tokens
        repairs = widenings = 0
        usage = {"prompt_tokens": 0, "completion_tokens": 0}
        started = time.monotonic()
        while True:
            try:
                comp = await self._call(backend, p, messages, max_tokens, prog, ledger)
            except BudgetExhausted:
                return self._fail(p.req, f"not run: max_calls budget ({s.max_calls}) reached", usage=usage)
            except TransientError as exc:
                return self._fail(p.req, f"gave up after {s.max_retries + 1} attempts: {exc}", usage=usage,
                                  latency=time.monotonic() - started)
            except PermanentError as exc:
                return self._fail(p.req, str(exc), usage=usage, latency=time.monotonic() - started)
            for k in usage:
                usage[k] += comp.usage.get(k, 0)
            latency = time.monotonic() - started
            if comp.finish_reason == "length":
                if widenings < s.max_repairs:  # truncated: ask again with a doubled budget
                    widenings += 1
                    max_tokens *= 2
                    continue
                return self._fail(p.req, f"truncated output (finish_reason=length) at max_tokens={max_tokens}",
                                  raw=comp.text, usage=usage, latency=latency)
            if p.schema is None:
                value: Any = comp.text
                break
            try:
                value = p.schema.model_validate_json(comp.text)
                break
            except ValidationError as exc:
                error = _short_error(exc)
                if repairs < s.max_repairs:
                    repairs += 1
                    messages = messages + [{"role": "assistant", "content": comp.text},
                                           {"role": "user", "content": _REPAIR.format(error=error)}]
                    continue
                return self._fail(p.req, f"invalid structured output after {repairs} re-ask(s): {error}",
                                  raw=comp.text, usage=usage, latency=latency)
        if self.cache:
            self.cache.put(p.key, self.model, p.req.prompt_id, comp.text, usage)
        return LLMResult(key=p.req.key, ok=True, value=value, raw=comp.text, model=self.model, backend=self.backend,
                         prompt_id=p.req.prompt_id, usage=usage, latency_s=latency)

    async def _call(self, backend: Backend, p: _Prepared, messages, max_tokens, prog, ledger):
        """One completion with transport-level retries (429, 5xx, timeouts, connection errors)."""
        s = self.settings
        schema = _json_schema(p.schema) if p.schema else None
        retrying = AsyncRetrying(stop=stop_after_attempt(s.max_retries + 1), wait=self._wait,
                                 retry=retry_if_exception_type(TransientError), reraise=True)
        async for attempt in retrying:
            with attempt:
                if s.max_calls is not None and self.calls_made >= s.max_calls:
                    raise BudgetExhausted()
                self.calls_made += 1
                prog.call()
                t0 = time.monotonic()
                status, endpoint, comp = "ok", "", None
                try:
                    comp = await backend.complete(messages, schema=schema, schema_name=p.schema.__name__ if p.schema else "",
                                                  temperature=p.temperature, max_tokens=max_tokens, seed=p.req.seed)
                    endpoint = comp.endpoint
                except (TransientError, PermanentError) as exc:
                    status, endpoint = str(exc)[:200], getattr(exc, "endpoint", "")
                    raise
                finally:
                    u = comp.usage if comp else {}
                    ledger.append((time.time(), self.backend, self.model, p.req.prompt_id, endpoint,
                                   int(comp is not None), status, u.get("prompt_tokens", 0),
                                   u.get("completion_tokens", 0), time.monotonic() - t0))
                return comp

    def _wait(self, state) -> float:
        s = self.settings
        exc = state.outcome.exception() if state.outcome else None
        after = getattr(exc, "retry_after", None)
        if after is not None:
            return min(after, max(s.backoff_max_s, 120.0))
        base = min(s.backoff_max_s, s.backoff_s * 2 ** (state.attempt_number - 1))
        return base * (0.75 + 0.5 * random.random())  # jitter: concurrent retries do not align


def _short_error(exc: ValidationError) -> str:
    parts = [f"{'.'.join(str(x) for x in e['loc']) or 'reply'}: {e['msg']}" for e in exc.errors()[:5]]
    return "; ".join(parts)


def _first_listed_model(s: LLMSettings) -> str:
    """No model configured: use the first one the endpoint lists (llama.cpp and vLLM serve one)."""
    headers = {"Authorization": f"Bearer {s.api_key}"} if s.api_key else {}
    for base in s.base_urls:
        try:
            r = httpx.get(f"{base.rstrip('/')}/models", headers=headers, timeout=min(s.timeout_s, 30))
            r.raise_for_status()
            data = r.json().get("data") or []
            if data:
                return str(data[0]["id"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            continue
    raise LLMBackendError(f"no LLM model configured and none listed at {s.base_urls} "
                          "(set llm.model, SOMEKIT_LLM_MODEL or --model)")


def get_llm(ws=None, cfg: Config | None = None, **overrides: Any) -> BatchLLMClient:
    """The LLM client for a workspace: flags (overrides) > env > somekit.toml > embedded SmolLM2.
    With a workspace, responses are cached in WS/cache/llm.sqlite."""
    if ws is not None and not hasattr(ws, "cache"):  # a path was given
        from ..workspace import open_workspace
        ws = open_workspace(ws)
    if cfg is None:
        cfg = ws.config() if ws is not None else Config()
    settings = resolve_llm_settings(cfg, **overrides)
    cache = LLMCache(ws.cache / "llm.sqlite") if ws is not None and settings.cache else None
    executor = get_executor(cfg.executor) if cfg.executor.kind != "local" else None
    return BatchLLMClient(settings, cache, executor)
