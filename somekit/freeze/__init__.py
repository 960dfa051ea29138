"""Freezing: immutable, reproducible split files plus a MANIFEST.json that proves it."""

from ..errors import SomekitError


class FreezeError(SomekitError):
    """A version cannot be frozen (nothing to freeze, bad name, or it exists with other content)."""


from .build import FreezeResult, freeze  # noqa: E402
from .verify import load_manifest, read_frozen, verify_frozen  # noqa: E402

__all__ = ["FreezeError", "FreezeResult", "freeze", "load_manifest", "read_frozen", "verify_frozen"]
