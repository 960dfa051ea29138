"""OCR backends: RapidOCR (PP-OCR, Chinese + English, offline ONNX models shipped in the wheel)
by default; or the caption VLM asked with the image.ocr prompt."""

from __future__ import annotations

import json
import os

import numpy as np

from ..deps import require
from .settings import EnrichSettings


class RapidOCRBackend:
    name = "rapidocr"

    def __init__(self, s: EnrichSettings):
        RapidOCR = require("rapidocr_onnxruntime", "OCR").RapidOCR
        threads = max(1, os.cpu_count() or 1)
        self._engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
        self.min_score = s.ocr_min_score
        self.model = "PP-OCRv4 zh+en"

    @property
    def signature(self) -> str:
        return f"{self.name}:{self.model}:min_score={self.min_score:g}"

    def read(self, image) -> str:
        result, _ = self._engine(np.ascontiguousarray(np.asarray(image)[:, :, ::-1]))  # BGR, as OpenCV
        lines = [(box, text) for box, text, score in (result or []) if float(score) >= self.min_score]
        # Reading order: top to bottom by line, then left to right within a line band.
        lines.sort(key=lambda bt: (round(min(p[1] for p in bt[0]) / 10), min(p[0] for p in bt[0])))
        return "\n".join(text for _, text in lines)


class VLMOCRBackend:
    """OCR through a vision-language model; the model answers {"text": ...}."""

    prompt_id = "image.ocr@1"

    def __init__(self, vlm, lang: str):
        self._vlm = vlm
        self.lang = lang
        self.name = f"vlm-{vlm.name}"

    @property
    def signature(self) -> str:
        return f"{self._vlm.signature}:{self.prompt_id}"

    def read(self, image) -> str:
        raw = self._vlm.generate([image], self.prompt_id, self.lang)
        return parse_ocr_reply(raw)


def parse_ocr_reply(raw: str) -> str:
    """The text from a {"text": ...} reply; models sometimes wrap JSON in a code fence or answer
    in plain text, which is kept as is rather than dropped."""
    body = raw.strip()
    if body.startswith("```"):
        body = body.strip("`")
        body = body[body.find("{"):] if "{" in body else body
    try:
        value = json.loads(body)
    except (json.JSONDecodeError, ValueError):
        return raw.strip()
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"].strip()
    return raw.strip()
