"""Model inputs for local Qwen2.5-VL.

The normal path is transformers' AutoProcessor plus qwen-vl-utils' process_vision_info. Both
import torchvision (transformers 5 for its video processor, qwen-vl-utils at module import);
where no torchvision build matches the installed torch (e.g. a CPU-only torch with only CUDA
torchvision wheels available), images are bounded with the same rule as qwen-vl-utils
(sides multiples of 28, total pixels within max_pixels) and the image placeholder is expanded
here, exactly as the Qwen2.5-VL processor does: one <|image_pad|> per merged 28x28 patch.
"""

from __future__ import annotations

import math
from pathlib import Path

FACTOR = 28           # patch 14 x spatial merge 2
MIN_PIXELS = 4 * FACTOR * FACTOR


def load_processor(model: str):
    try:
        from transformers import AutoProcessor

        return AutoProcessor.from_pretrained(model)
    except (ImportError, AttributeError, ValueError, TypeError):
        return ManualProcessor(model)


def smart_size(height: int, width: int, max_pixels: int, min_pixels: int = MIN_PIXELS) -> tuple[int, int]:
    """Nearest size with both sides multiples of 28 and area within [min_pixels, max_pixels],
    keeping the aspect ratio (the rule qwen-vl-utils applies)."""
    h = max(FACTOR, round(height / FACTOR) * FACTOR)
    w = max(FACTOR, round(width / FACTOR) * FACTOR)
    if h * w > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h = max(FACTOR, math.floor(height / beta / FACTOR) * FACTOR)
        w = max(FACTOR, math.floor(width / beta / FACTOR) * FACTOR)
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / FACTOR) * FACTOR
        w = math.ceil(width * beta / FACTOR) * FACTOR
    return h, w


def _vision_inputs(messages: list[dict], max_pixels: int) -> list:
    try:
        from qwen_vl_utils import process_vision_info
    except ImportError:  # torchvision missing or broken: same bound, applied here
        images = [p["image"] for m in messages if isinstance(m["content"], list)
                  for p in m["content"] if p.get("type") == "image"]
        out = []
        for im in images:
            h, w = smart_size(im.height, im.width, max_pixels)
            out.append(im.resize((w, h)))
        return out
    result = process_vision_info(messages)
    return list(result[0] or [])


def build_inputs(processor, messages: list[dict], max_pixels: int):
    images = _vision_inputs(messages, max_pixels)
    text = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return processor(text=[text], images=images or None, return_tensors="pt", padding=True)


class ManualProcessor:
    """The parts of Qwen2_5_VLProcessor the caption path needs, without a video processor."""

    image_token = "<|image_pad|>"

    def __init__(self, model: str):
        from transformers import AutoTokenizer, Qwen2VLImageProcessor

        self.tokenizer = AutoTokenizer.from_pretrained(model)
        self.image_processor = Qwen2VLImageProcessor.from_pretrained(model)
        self.chat_template = self.tokenizer.chat_template or _template_file(model)
        if not self.chat_template:
            raise ValueError(f"{model}: no chat template in the tokenizer or the model folder")

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=True):
        return self.tokenizer.apply_chat_template(messages, chat_template=self.chat_template, tokenize=tokenize,
                                                  add_generation_prompt=add_generation_prompt)

    def __call__(self, text: list[str], images=None, return_tensors="pt", padding=True):
        from transformers import BatchFeature

        data = {}
        if images:
            # Images are already bounded and 28-aligned: stop the processor from resizing again.
            vision = self.image_processor(images=images, return_tensors=return_tensors, do_resize=False)
            data.update(vision)
            merge = self.image_processor.merge_size ** 2
            counts = iter(int(g.prod()) // merge for g in vision["image_grid_thw"])
            expanded = []
            for t in text:
                while self.image_token in t:
                    t = t.replace(self.image_token, "<|placeholder|>" * next(counts), 1)
                expanded.append(t.replace("<|placeholder|>", self.image_token))
            text = expanded
        data.update(self.tokenizer(text, return_tensors=return_tensors, padding=padding))
        return BatchFeature(data=dict(data))

    def batch_decode(self, ids, skip_special_tokens=True):
        return self.tokenizer.batch_decode(ids, skip_special_tokens=skip_special_tokens)


def _template_file(model: str) -> str | None:
    for name in ("chat_template.jinja", "chat_template.json"):
        path = Path(model) / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if name.endswith(".json"):
                import json

                return json.loads(text).get("chat_template")
            return text
    return None
