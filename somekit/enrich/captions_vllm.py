"""Captions in vLLM engines on GPU workers, through Ray Data's LLM processor (`ray.data.llm`), for
`[enrich] caption_backend = "vllm"` with `--executor ray`.

Unlike the per-row backends (vlm.py), a vLLM engine wants a stream of requests to batch, so this
is a stage of its own that fills the enrich cache before the per-row pass: Ray tasks read and
decode the images that lack a caption under this model, the engines caption them, and the driver
writes each caption into the cache as it returns (same sha256, same `by` signature as the
per-row pass would check). The per-row pass then finds them cached; a row the engines failed
stays uncached and is reported failed with the engine's reason (VLLMRayVLM below).

The prompt is the registered image.caption@1, rendered exactly as the openai backend renders it
(images as PNG data URLs), so the two paths differ only in transport.

Status: written against the ray.data.llm API of Ray 2.60 (vLLMEngineProcessorConfig,
build_processor); NOT run on this project's CI, which has no GPU (docs/scale.md).
"""

from __future__ import annotations

from typing import Any, Iterable

from ..deps import require
from ..prompts.loader import get_prompt
from .cache import EnrichCache
from .settings import EnrichSettings
from .step_backends import CAPTION_PROMPT
from .vlm import VLM_BACKENDS, VLMBackend, data_url


@VLM_BACKENDS.register("vllm")
class VLLMRayVLM(VLMBackend):
    """What the per-row pass meets for a caption the vLLM stage did not make: a clear failure
    (recorded per row, retried next run), never a silent switch to another model."""

    name = "vllm"

    def __init__(self, s: EnrichSettings):
        self.model = s.caption_model

    def generate(self, images: list, prompt_id: str, lang: str, **fields: Any) -> str:
        raise RuntimeError("caption_backend 'vllm' captions in the Ray vLLM stage (--executor ray on GPU "
                           "workers); this item got no caption there")


def caption_messages(images: list, lang: str, context: str) -> list[dict[str, Any]]:
    """The chat messages of one caption request: the same rendering as the openai backend."""
    return get_prompt(CAPTION_PROMPT).render(lang, images=[data_url(im) for im in images], context=context[:500])


def _decode(row: dict[str, Any], s: EnrichSettings) -> dict[str, Any]:
    """A Ray task: read, hash and decode one image, render its request (runs on CPU workers)."""
    import hashlib

    from . import avio
    from .resolve import MediaError, read_media

    try:
        data = read_media(row["uri"], row["kind"], s.policy)
        sha = hashlib.sha256(data).hexdigest()
        if row.get("sha256") and row["sha256"].lower() != sha:
            raise MediaError("sha256 mismatch")
        return {"sha256": sha, "kind": row["kind"], "error": "",
                "messages": caption_messages([avio.load_image(data)], s.lang, row["context"])}
    except MediaError as exc:
        return {"sha256": "", "kind": row["kind"], "error": str(exc), "messages": []}


def caption_on_vllm(rows: Iterable[dict[str, Any]], s: EnrichSettings, cache: EnrichCache, signature: str,
                    batch_size: int = 16) -> dict[str, int]:
    """Caption `rows` (uri, kind, sha256 or None, context; images only) on one vLLM engine per GPU
    of the cluster and write every caption into `cache` as it arrives. Returns done/failed counts."""
    ray = require("ray", "captions on vLLM engines")
    rd = require("ray.data", "captions on vLLM engines")
    gpus = int(ray.cluster_resources().get("GPU", 0))
    if gpus < 1:
        from ..errors import SomekitError
        raise SomekitError("caption_backend 'vllm' needs GPU workers in the Ray cluster; this one has none")
    llm = require("ray.data.llm", "captions on vLLM engines")
    config = llm.vLLMEngineProcessorConfig(
        model_source=s.caption_model, concurrency=gpus, batch_size=batch_size,
        engine_kwargs={"max_model_len": 8192, "limit_mm_per_prompt": {"image": 1}},
        prepare_multimodal_stage={"enabled": True}, should_continue_on_error=True)
    processor = llm.build_processor(
        config,
        preprocess=lambda row: {"messages": row["messages"], "sha256": row["sha256"], "kind": row["kind"],
                                "sampling_params": {"temperature": 0.0, "max_tokens": s.max_tokens}},
        postprocess=lambda row: {"sha256": row["sha256"], "kind": row["kind"], "text": row["generated_text"]})
    rows = list(rows)
    if not rows:
        return {"rows": 0, "done": 0, "failed": 0}
    # unreadable images drop out here; the per-row pass records them with their reasons
    readable = rd.from_items(rows).map(lambda r: _decode(r, s)).filter(lambda r: not r["error"])
    done = 0
    for row in processor(readable).iter_rows():
        if row.get("__inference_error__"):
            continue                      # not cached: the per-row pass reports it, the next run retries
        cache.put(row["sha256"], row["kind"], "caption", {"ok": True, "text": row["text"].strip(), "by": signature})
        done += 1
    return {"rows": len(rows), "done": done, "failed": len(rows) - done}
