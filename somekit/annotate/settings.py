"""Effective LLM settings: a flag (override) beats the environment, which beats somekit.toml,
which beats the embedded defaults (docs/architecture.md, "CLI contract").

Environment: SOMEKIT_LLM_BASE_URL (comma-separated for several endpoints), SOMEKIT_LLM_MODEL,
SOMEKIT_LLM_API_KEY (falling back to OPENAI_API_KEY). The key lives only in this object (hidden
from repr) and in the Authorization header; never in a cache key, a log or an item.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

from ..errors import ConfigError
from ..schemas.config import Config


@dataclass
class LLMSettings:
    backend: str = "embedded"                 # 'openai' | 'embedded' (resolved, never 'auto')
    base_urls: list[str] = field(default_factory=list)
    model: str = ""
    api_key: str | None = field(default=None, repr=False)
    concurrency: int = 32
    max_retries: int = 5
    max_repairs: int = 2
    timeout_s: float = 120.0
    temperature: float = 0.0
    max_tokens: int = 512
    max_calls: int | None = None
    response_format: str = "auto"             # 'auto' | 'json_schema' | 'json_object'
    backoff_s: float = 0.5                    # first retry wait; doubles up to backoff_max_s
    backoff_max_s: float = 30.0
    progress: bool | None = None              # None: show when stderr is a terminal
    cache: bool = True

    def public(self) -> dict[str, Any]:
        """For run logs and provenance: everything except the key."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "api_key"}


def _split_urls(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [v.strip() for v in value if v and v.strip()]


def resolve_llm_settings(cfg: Config | None = None, **overrides: Any) -> LLMSettings:
    """Merge overrides > env > cfg.llm > defaults. Overrides set to None are ignored, so a CLI
    can pass every flag through unconditionally."""
    sect = (cfg or Config()).llm
    overrides = {k: v for k, v in overrides.items() if v is not None}
    known = {f.name for f in fields(LLMSettings)} | {"base_url"}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"unknown LLM setting(s): {sorted(unknown)}")

    s = LLMSettings(
        base_urls=list(sect.base_url), model=sect.model, concurrency=sect.concurrency,
        max_retries=sect.max_retries, max_repairs=sect.max_repairs, timeout_s=sect.timeout_s,
        temperature=sect.temperature, max_tokens=sect.max_tokens, max_calls=sect.max_calls,
    )
    env = os.environ
    if env.get("SOMEKIT_LLM_BASE_URL"):
        s.base_urls = _split_urls(env["SOMEKIT_LLM_BASE_URL"])
    if env.get("SOMEKIT_LLM_MODEL"):
        s.model = env["SOMEKIT_LLM_MODEL"]
    s.api_key = env.get("SOMEKIT_LLM_API_KEY") or env.get("OPENAI_API_KEY") or None

    if "base_url" in overrides:
        s.base_urls = _split_urls(overrides.pop("base_url"))
    if "base_urls" in overrides:
        s.base_urls = _split_urls(overrides.pop("base_urls"))
    backend = overrides.pop("backend", None) or sect.backend
    for k, v in overrides.items():
        setattr(s, k, v)

    if backend == "auto":
        backend = "openai" if s.base_urls else "embedded"
    if backend == "openai" and not s.base_urls:
        s.base_urls = ["https://api.openai.com/v1"]
    s.backend = backend
    return s
