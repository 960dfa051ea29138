"""pydantic models only, no I/O."""

from .config import Config
from .corpus import TABLES, Claim, Interaction, InteractionKind, Media, MediaKind, Post, Report, User
from .items import ITEM_CLASSES, Item, item_adapter, item_id
from .tasks import TASKS
from .manifest import FileEntry, Manifest
from .provenance import LLMStep, Provenance, Vote
from .review import Review, ReviewDecision

__all__ = [
    "Config", "TABLES", "Claim", "Interaction", "InteractionKind", "Media", "MediaKind", "Post",
    "Report", "User", "ITEM_CLASSES", "TASKS", "Item", "item_adapter", "item_id", "FileEntry",
    "Manifest", "LLMStep", "Provenance", "Vote", "Review", "ReviewDecision",
]
