"""Publishing a frozen version as a Hugging Face dataset (one config per task) with its card."""

from ..errors import PublishError
from .build import PublishResult, publish

__all__ = ["PublishError", "PublishResult", "publish"]
