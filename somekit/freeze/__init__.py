"""Freezing: immutable, reproducible split files plus a MANIFEST.json that proves it."""

from ..errors import FreezeError
from .build import FreezeResult, freeze
from .verify import load_manifest, read_frozen, verify_frozen

__all__ = ["FreezeError", "FreezeResult", "freeze", "load_manifest", "read_frozen", "verify_frozen"]
