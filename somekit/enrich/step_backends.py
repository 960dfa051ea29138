"""The model behind each enrichment step (ocr, caption, transcript), loaded on first use, and the
signature a cached result must carry to count as made by it."""

from __future__ import annotations

from typing import Any

from .settings import EnrichSettings

CAPTION_PROMPT = "image.caption@1"


class StepBackends:
    """Models are loaded on first use only: a run where everything is cached loads nothing."""

    def __init__(self, s: EnrichSettings):
        self.s = s
        self._made: dict[str, Any] = {}

    def get(self, step: str):
        if step not in self._made:
            self._made[step] = self._make(step)
        return self._made[step]

    def _make(self, step: str):
        from .vlm import get_vlm

        if step == "transcript":
            from .asr import get_asr
            return get_asr(self.s)
        if step == "caption":
            return get_vlm(self.s)
        from .ocr import RapidOCRBackend, VLMOCRBackend
        if self.s.ocr_backend == "rapidocr":
            return RapidOCRBackend(self.s)
        vlm = self._made.get("caption") if self.s.caption_backend == self.s.ocr_backend else None
        return VLMOCRBackend(vlm or get_vlm(self.s, self.s.ocr_backend), self.s.lang)

    def signature(self, step: str) -> str:
        """What the step's cached entry must have been made by, known without loading a model."""
        s = self.s
        if step == "transcript":
            default = {"faster-whisper": "whisper-base (embedded)", "whisper": "base", "openai": "whisper-1"}
            return f"{s.asr_backend}:{s.asr_model or default.get(s.asr_backend, '')}"
        if step == "caption":
            return f"{s.caption_backend}:{s.caption_model}:{CAPTION_PROMPT}"
        if s.ocr_backend == "rapidocr":
            return f"rapidocr:PP-OCRv4 zh+en:min_score={s.ocr_min_score:g}"
        return f"{s.ocr_backend}:{s.caption_model}:image.ocr@1"
