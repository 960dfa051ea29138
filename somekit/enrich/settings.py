"""Resolved enrichment settings: command-line flag > environment > somekit.toml > defaults.

Endpoint keys come from the environment only and live in this object, never in a cache entry,
a run log or an item (`public()` is what gets recorded).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..schemas.config import Config
from ..workspace import Workspace
from .resolve import FetchPolicy
from ..store.sources import ingest_roots

#: Environment overrides for the vision endpoint and the speech endpoint.
ENV_VL_BASE_URL, ENV_VL_MODEL, ENV_VL_KEY = "SOMEKIT_VL_BASE_URL", "SOMEKIT_VL_MODEL", "SOMEKIT_VL_API_KEY"
ENV_ASR_BASE_URL, ENV_ASR_MODEL, ENV_ASR_KEY = "SOMEKIT_ASR_BASE_URL", "SOMEKIT_ASR_MODEL", "SOMEKIT_ASR_API_KEY"


def _api_key(specific: str) -> str | None:
    for name in (specific, "SOMEKIT_LLM_API_KEY", "OPENAI_API_KEY"):
        if os.environ.get(name):
            return os.environ[name]
    return None


@dataclass
class EnrichSettings:
    captions: bool
    ocr: bool
    asr: bool
    caption_backend: str
    caption_model: str
    caption_base_url: str | None
    ocr_backend: str
    ocr_min_score: float
    max_pixels: int
    max_tokens: int
    video_frames: int
    asr_backend: str
    asr_model: str
    asr_base_url: str | None
    asr_language: str | None
    timeout_s: float
    max_retries: int
    lang: str
    policy: FetchPolicy
    vl_api_key: str | None = field(default=None, repr=False)
    asr_api_key: str | None = field(default=None, repr=False)

    def public(self) -> dict[str, Any]:
        """What a run log may record: everything but keys."""
        out = {k: v for k, v in self.__dict__.items() if not k.endswith("api_key") and k != "policy"}
        out["allow_http"] = self.policy.allow_http
        out["roots"] = [str(r) for r in self.policy.roots]
        return out


def default_roots(ws: Workspace, cfg: Config) -> tuple[Path, ...]:
    """[enrich] roots when set; else every [[sources]] path (a file's folder) and every folder
    `somekit ingest` read (corpus/sources.json); always WS/media."""
    base = ws.root.resolve()
    raw = list(cfg.enrich.roots)
    if not raw:
        for src in cfg.sources:
            raw.extend(src.paths)
    roots = []
    for r in raw:
        p = Path(r) if Path(r).is_absolute() else base / r
        p = Path(os.path.realpath(p))
        roots.append(p.parent if p.is_file() else p)
    roots.append(base / "media")
    if not cfg.enrich.roots:  # explicit roots are the whole list; otherwise add what ingest read
        roots.extend(ingest_roots(ws))
    return tuple(dict.fromkeys(roots))


def resolve_settings(ws: Workspace, cfg: Config, *, captions: bool | None = None, ocr: bool | None = None,
                     asr: bool | None = None, caption_base_url: str | None = None,
                     caption_model: str | None = None) -> EnrichSettings:
    """Settings for one run. Passing any of captions/ocr/asr selects exactly the steps passed as
    True; passing none runs what the config enables."""
    e = cfg.enrich
    if captions is None and ocr is None and asr is None:
        captions, ocr, asr = e.captions, e.ocr, e.asr
    env = os.environ
    lang = cfg.workspace.lang if cfg.workspace.lang != "auto" else "zh"
    return EnrichSettings(
        captions=bool(captions), ocr=bool(ocr), asr=bool(asr),
        caption_backend=e.caption_backend,
        caption_model=caption_model or env.get(ENV_VL_MODEL) or e.caption_model,
        caption_base_url=caption_base_url or env.get(ENV_VL_BASE_URL) or e.caption_base_url,
        ocr_backend=e.ocr_backend, ocr_min_score=e.ocr_min_score,
        max_pixels=e.caption_max_pixels, max_tokens=e.caption_max_tokens, video_frames=e.video_frames,
        asr_backend=e.asr_backend,
        asr_model=env.get(ENV_ASR_MODEL) or e.asr_model,
        asr_base_url=env.get(ENV_ASR_BASE_URL) or e.asr_base_url,
        asr_language=e.asr_language, timeout_s=e.timeout_s, max_retries=e.max_retries, lang=lang,
        policy=FetchPolicy(roots=default_roots(ws, cfg), allow_http=e.allow_http,
                           max_bytes=e.max_bytes, timeout_s=e.timeout_s),
        vl_api_key=_api_key(ENV_VL_KEY), asr_api_key=_api_key(ENV_ASR_KEY),
    )
