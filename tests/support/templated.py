"""The CED workspace with ubp, ucs and mcr built, shared by the integrity and verify tests (each
module builds it once with its own seed; a test that plants something works on a copy)."""

from __future__ import annotations

import shutil

from somekit.builders.registry import get_builder
from somekit.schemas.items import item_id
from somekit.workspace import open_workspace

N = 60


def built_templated(ced_ws, tmp_path_factory, name: str, seed: int):
    root = tmp_path_factory.mktemp(name) / "ws"
    shutil.copytree(ced_ws.root, root)
    w = open_workspace(root)
    for task in ("ubp", "ucs", "mcr"):
        get_builder(task)(w, w.config(), n=N, seed=seed)
    return w


def copy_of(ws, tmp_path):
    shutil.copytree(ws.root, tmp_path / "ws")
    return open_workspace(tmp_path / "ws")


def with_inputs(item, **changes):
    """The item with changed inputs and the id those inputs give (a planted edit verify must see)."""
    inputs = item.inputs.model_copy(update=changes)
    return item.model_copy(update={"inputs": inputs, "id": item_id(item.task, inputs.model_dump(mode="json"))})
