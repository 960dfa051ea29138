"""Deterministic split assignment by hashing a group key.

All items that share a group (one user's items, one claim, one persona cluster, one topic or
location) land in the same split, so a model cannot meet a test user's other items in training.
The split depends only on the seed, the group's namespace and the group key: adding items never
moves old ones. The user-centric tasks share one namespace ("user"), so a user sits in the same
split in every one of them and no (user, post) fact of one task's test split is trained on in
another task.
"""

from __future__ import annotations

import hashlib

from ..schemas.config import SplitsSection
from ..schemas.items import ItemBase
from ..schemas.tasks import TASKS, task_spec

SPLITS: tuple[str, ...] = ("train", "validation", "test")

#: What identifies a group for each task (documented in the manifest and the card).
GROUP_KEYS: dict[str, str] = {code: spec.group_doc for code, spec in TASKS.items()}


def group_key(item: ItemBase) -> str:
    """The item's split group (a mid-zh cascade and its near-copies share one event: one split)."""
    return task_spec(item.task).group_of(item)


def group_namespace(task: str) -> str:
    """User-centric tasks share the namespace "user", so a user sits in one split in all of them."""
    return "user" if task_spec(task).user_centric else task


def unit_hash(seed: int, task: str, key: str) -> float:
    """A number in [0, 1) fixed by (seed, the task's group namespace, key)."""
    digest = hashlib.sha256(f"{seed}\x1f{group_namespace(task)}\x1f{key}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_split(seed: int, task: str, key: str, ratios: SplitsSection) -> str:
    u = unit_hash(seed, task, key)
    if u < ratios.train:
        return "train"
    if u < ratios.train + ratios.validation:
        return "validation"
    # Whatever rounding leaves over goes to test, so every item gets a split.
    return "test" if ratios.test > 0 else ("validation" if ratios.validation > 0 else "train")
