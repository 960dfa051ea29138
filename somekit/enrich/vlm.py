"""Vision-language backends for captions and VLM OCR, registered by name:

- openai: an OpenAI-compatible vision endpoint (vLLM, SGLang, ... serving Qwen2.5-VL); images
  travel as base64 data URLs inside the chat message.
- transformers: Qwen2.5-VL run locally (Qwen2_5_VLForConditionalGeneration); images are bounded
  by max_pixels through qwen-vl-utils' process_vision_info.

Both render the same registered prompt (image.caption@1, image.ocr@1), so the two paths differ
only in transport.
"""

from __future__ import annotations

import base64
import io
from typing import Any, Callable

from ..deps import require
from ..errors import SomekitError
from ..registry import Registry
from ..prompts.loader import get_prompt
from .retry import endpoint_retry
from .settings import EnrichSettings

VLM_BACKENDS: Registry[Callable[[EnrichSettings], "VLMBackend"]] = Registry(
    "VLM backend", {"vllm": "somekit.enrich.captions_vllm"})


class VLMBackend:
    name = ""
    model = ""

    @property
    def signature(self) -> str:
        return f"{self.name}:{self.model}"

    def generate(self, images: list, prompt_id: str, lang: str, **fields: Any) -> str:
        """Free text answer of the model to the prompt about the images (PIL, RGB)."""
        raise NotImplementedError


def get_vlm(s: EnrichSettings, backend: str | None = None) -> VLMBackend:
    return VLM_BACKENDS.lookup(backend or s.caption_backend)(s)


def data_url(image) -> str:
    """PNG for lossless text (OCR); JPEG would smear small characters."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@VLM_BACKENDS.register("openai")
class EndpointVLM(VLMBackend):
    name = "openai"

    def __init__(self, s: EnrichSettings):
        from ..annotate.endpoint import Endpoint   # the one OpenAI-compatible client

        if not s.caption_base_url:
            raise SomekitError("the openai VLM backend needs an endpoint: --base-url, SOMEKIT_VL_BASE_URL "
                               "or [enrich] caption_base_url")
        self.model = s.caption_model
        self.max_tokens = s.max_tokens
        self._client = Endpoint(s.caption_base_url, s.vl_api_key, timeout_s=s.timeout_s)
        self._retry = endpoint_retry(s.max_retries)

    def generate(self, images: list, prompt_id: str, lang: str, **fields: Any) -> str:
        messages = get_prompt(prompt_id).render(lang, images=[data_url(im) for im in images], **fields)
        return self._retry(lambda: self._client.chat(messages, self.model, self.max_tokens))


@VLM_BACKENDS.register("transformers")
class LocalQwenVL(VLMBackend):
    """Qwen2.5-VL through transformers; `caption_model` is a hub id or a local folder."""

    name = "transformers"

    def __init__(self, s: EnrichSettings):
        torch = require("torch", "the transformers VLM backend (install torch==2.13.0 first for the CPU build)")
        Qwen2_5_VLForConditionalGeneration = require(
            "transformers", "the transformers VLM backend").Qwen2_5_VLForConditionalGeneration
        from .qwen_inputs import load_processor

        self.model = s.caption_model
        self.max_tokens = s.max_tokens
        self.max_pixels = s.max_pixels
        self._torch = torch
        device = "cuda" if torch.cuda.is_available() else "cpu"
        dtype = torch.bfloat16 if device == "cuda" else torch.float32
        self._model = Qwen2_5_VLForConditionalGeneration.from_pretrained(self.model, dtype=dtype).to(device).eval()
        self._processor = load_processor(self.model)

    def generate(self, images: list, prompt_id: str, lang: str, **fields: Any) -> str:
        from .qwen_inputs import build_inputs

        messages = _qwen_messages(get_prompt(prompt_id).render(lang, **fields), images, self.max_pixels)
        inputs = build_inputs(self._processor, messages, self.max_pixels).to(self._model.device)
        with self._torch.inference_mode():
            out = self._model.generate(**inputs, max_new_tokens=self.max_tokens, do_sample=False)
        new = out[:, inputs["input_ids"].shape[1]:]
        return self._processor.batch_decode(new, skip_special_tokens=True)[0].strip()


def _qwen_messages(messages: list[dict], images: list, max_pixels: int) -> list[dict]:
    """Qwen chat format: the user turn becomes image parts (with their pixel budget) + text."""
    out = []
    for m in messages:
        if m["role"] == "user":
            parts = [{"type": "image", "image": im, "max_pixels": max_pixels} for im in images]
            parts.append({"type": "text", "text": m["content"]})
            out.append({"role": "user", "content": parts})
        else:
            out.append({"role": m["role"], "content": [{"type": "text", "text": m["content"]}]})
    return out
