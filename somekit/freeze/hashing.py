"""Hashes recorded in a manifest: files, the corpus, and the config without secrets."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from ..schemas.config import Config

_SECRET_KEY = re.compile(r"(key|token|secret|password|authorization)", re.I)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _scrub(value: Any) -> Any:
    """Drop anything secret-looking; credentials inside URLs are removed too."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str) and "@" in value and "://" in value:
        parts = urlsplit(value)
        if parts.username or parts.password:
            host = parts.hostname or ""
            netloc = f"{host}:{parts.port}" if parts.port else host
            return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return value


def config_hash(cfg: Config) -> str:
    """sha256 of the canonical config JSON; the config holds no secrets by design, and anything
    that looks like one is dropped before hashing anyway so the hash cannot be used to guess it."""
    canonical = orjson.dumps(_scrub(cfg.model_dump(mode="json")), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def corpus_hash(corpus_dir: Path) -> str:
    """sha256 over the names and hashes of the corpus Parquet tables (empty corpus: hash of '')."""
    h = hashlib.sha256()
    for path in sorted(corpus_dir.glob("*.parquet")):
        h.update(f"{path.name}\x1f{sha256_file(path)}\n".encode())
    return h.hexdigest()
