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

SPLITS: tuple[str, ...] = ("train", "validation", "test")

#: What identifies a group for each task (documented in the manifest and the card).
GROUP_KEYS: dict[str, str] = {
    "ubp": "inputs.user_id", "ucs": "inputs.user_id", "mcr": "inputs.user_id", "uea": "inputs.user_id",
    "mid": "inputs.claim_id", "mid-zh": "inputs.event_id", "nap": "provenance.notes.thread (time-ordered, persona/challenge.py)",
    "smq": "inputs.scope:inputs.scope_id", "red": "inputs.location", "ses": "inputs.topic",
}


def group_key(item: ItemBase) -> str:
    inputs = item.inputs
    task = item.task
    if task in ("ubp", "ucs", "mcr", "uea"):
        return inputs.user_id
    if task == "mid":
        return inputs.claim_id
    if task == "mid-zh":
        return inputs.event_id  # a cascade (and its same-text copies) never straddles splits
    if task == "nap":
        return str(inputs.cluster_id)
    if task == "smq":
        return f"{inputs.scope}:{inputs.scope_id}"
    if task == "red":
        return inputs.location
    if task == "ses":
        return inputs.topic
    raise ValueError(f"no group key for task {task}")


#: Tasks whose groups are users: one namespace, so one split per user across them.
USER_CENTRIC = ("ubp", "ucs", "mcr", "uea")


def group_namespace(task: str) -> str:
    return "user" if task in USER_CENTRIC else task


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
