"""Re-check a frozen version against its MANIFEST.json, and read frozen items back."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from pydantic import ValidationError

from ..schemas.items import ItemBase
from ..schemas.manifest import Manifest
from ..workspace import Workspace
from ..errors import FreezeError
from .hashing import sha256_file
from ..store.item_rows import table_to_items

MANIFEST_NAME = "MANIFEST.json"


def load_manifest(ws: Workspace, version: str) -> Manifest:
    path = ws.frozen(version) / MANIFEST_NAME
    if not path.exists():
        raise FreezeError(f"version {version} is not frozen in {ws.root} (no {path})")
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise FreezeError(f"{path}: invalid manifest: {exc}") from None


def verify_frozen(ws: Workspace, version: str) -> list[str]:
    """Every problem found in frozen/<version>/, one sentence each naming the file; [] when intact.

    Checks that each listed file exists with the recorded size, sha256 and row count, and that
    no unlisted file was added next to them.
    """
    root = ws.frozen(version)
    if not (root / MANIFEST_NAME).exists():
        return [f"{root / MANIFEST_NAME}: missing (version {version} is not frozen)"]
    try:
        manifest = Manifest.model_validate_json((root / MANIFEST_NAME).read_bytes())
    except ValidationError as exc:
        return [f"{MANIFEST_NAME}: invalid manifest ({exc.error_count()} errors)"]
    problems: list[str] = []
    for rel, entry in sorted(manifest.files.items()):
        path = root / rel
        if not path.is_file():
            problems.append(f"{rel}: missing")
            continue
        if path.stat().st_size != entry.bytes:
            problems.append(f"{rel}: size {path.stat().st_size} != {entry.bytes} recorded (file changed)")
            continue  # one problem per file is enough to name it
        digest = sha256_file(path)
        if digest != entry.sha256:
            problems.append(f"{rel}: sha256 {digest[:12]}... != {entry.sha256[:12]}... recorded (file changed)")
            continue
        if entry.rows is not None and path.suffix == ".parquet":
            rows = pq.ParquetFile(path).metadata.num_rows
            if rows != entry.rows:
                problems.append(f"{rel}: {rows} rows != {entry.rows} recorded")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel != MANIFEST_NAME and rel not in manifest.files:
            problems.append(f"{rel}: not listed in the manifest (added after freezing)")
    return problems


def read_frozen(ws: Workspace, version: str, task: str, split: str) -> list[ItemBase]:
    """Items of one frozen split (empty when the split has none)."""
    return read_split_file(ws.frozen(version) / task / f"{split}.parquet", task)


def read_split_file(path: Path, task: str | None = None) -> list[ItemBase]:
    """Items of a frozen split file; the task defaults to the file's parent folder name."""
    path = Path(path)
    if not path.exists():
        return []
    return table_to_items(task or path.parent.name, pq.read_table(path))


def frozen_report(ws: Workspace, version: str) -> dict:
    """verify_frozen as a `somekit verify --json` report: one 'frozen-hash' violation per problem,
    its task being the file's top folder."""
    problems = verify_frozen(ws, version)
    violations = []
    for problem in problems:
        path = problem.split(":", 1)[0]
        task = path.split("/", 1)[0] if "/" in path else ""
        violations.append({"check": "frozen-hash", "task": task, "item": path, "detail": problem})
    tasks = {}
    if (ws.frozen(version) / MANIFEST_NAME).exists() and not any(p.startswith(MANIFEST_NAME) for p in problems):
        manifest = load_manifest(ws, version)
        tasks = {t: {"items": sum(c.values()), "labels": manifest.labels.get(t, {})} for t, c in manifest.counts.items()}
    return {"ok": not problems, "version": version, "tasks": tasks, "violations": violations,
            "violation_counts": {"frozen-hash": len(problems)} if problems else {}}
