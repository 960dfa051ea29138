"""MANIFEST.json of a frozen version: what is in it and how to check it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sha256: str = Field(..., description="sha256 of the file bytes.")
    rows: int | None = Field(None, description="Row count for tabular files.")
    bytes: int = Field(..., description="File size.")


class Manifest(BaseModel):
    """Immutable description of frozen/<version>/."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(..., description="Version name given to freeze.")
    somekit_version: str = Field(..., description="somekit version that froze it.")
    config_hash: str = Field(..., description="sha256 of the canonical config (secrets excluded).")
    corpus_hash: str = Field(..., description="sha256 over the corpus files' hashes.")
    include_unreviewed: bool = Field(False, description="True when unreviewed drafts were frozen.")
    files: dict[str, FileEntry] = Field(default_factory=dict, description="Relative path -> entry.")
    counts: dict[str, dict[str, int]] = Field(default_factory=dict, description="task -> split -> items.")
    labels: dict[str, dict[str, int]] = Field(default_factory=dict, description="task -> label -> items.")
    review: dict[str, dict[str, int]] = Field(default_factory=dict, description="task -> review state -> items.")
    excluded: dict[str, dict[str, int]] = Field(default_factory=dict, description="task -> reason -> items left out (e.g. 'review:rejected').")
    error_rates: dict[str, dict] = Field(default_factory=dict, description="task -> measured label quality from the "
                                         "human audit sample: accuracy with Wilson 95% interval (per task and "
                                         "machine label), shares accepted/corrected/rejected, annotator agreement.")
    split_seed: int = Field(42, description="Seed hashed with each group key to pick its split.")
    splits: dict[str, float] = Field(default_factory=dict, description="Configured split ratios (train/validation/test).")
    group_keys: dict[str, str] = Field(default_factory=dict, description="task -> item field whose value keeps a group in one split.")
    shortcuts: dict[str, dict[str, dict[str, Any]]] = Field(
        default_factory=dict, description="task -> shortcut-audit rule -> {acc, ci, n, baseline} over the frozen items.")
