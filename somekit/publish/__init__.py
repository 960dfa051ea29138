"""Publishing a frozen version as a Hugging Face dataset (one config per task) with its card."""

from ..errors import SomekitError


class PublishError(SomekitError):
    """The version cannot be published (not frozen, tampered, target not ours, no token)."""


from .build import PublishResult, publish  # noqa: E402

__all__ = ["PublishError", "PublishResult", "publish"]
