"""A somekit workspace on disk (docs/architecture.md, "Workspace"): paths, config, run logs."""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import time
import tomllib
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from . import __version__
from .errors import ConfigError, WorkspaceError
from .schemas.config import Config
from .store.atomic import write_json, write_text

CONFIG_NAME = "somekit.toml"
SUBDIRS = ("corpus", "corpus/quarantine", "enrich", "items", "review", "frozen", "cache", "runs")


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def quarantine(self) -> Path:
        return self.root / "corpus" / "quarantine"

    @property
    def enrich(self) -> Path:
        return self.root / "enrich"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    def items(self, task: str) -> Path:
        return self.root / "items" / task

    def review(self, task: str) -> Path:
        return self.root / "review" / task

    def frozen(self, version: str) -> Path:
        return self.root / "frozen" / version

    def config(self) -> Config:
        return load_config(self.config_path)

    @contextlib.contextmanager
    def run_log(self, stage: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Record one command run in runs/: stage, params, counts, timings, error. Yields the
        mutable `counts` dict for the stage to fill."""
        with _run_log(self, stage, params) as counts:
            yield counts


def open_workspace(path: str | os.PathLike) -> Workspace:
    """Open an existing workspace, with a clear error when it is not one."""
    root = Path(path)
    if not (root / CONFIG_NAME).exists():
        raise WorkspaceError(f"{root} is not a somekit workspace (no {CONFIG_NAME}); run `somekit init {root}` first")
    ws = Workspace(root)
    for sub in SUBDIRS:
        (root / sub).mkdir(parents=True, exist_ok=True)
    return ws


def init_workspace(path: str | os.PathLike, template: str = "default", name: str | None = None) -> Workspace:
    """Create a workspace with a commented somekit.toml; an existing config is never overwritten."""
    from .templates import render_template

    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    for sub in SUBDIRS:
        (root / sub).mkdir(parents=True, exist_ok=True)
    cfg = root / CONFIG_NAME
    if not cfg.exists():
        write_text(cfg, render_template(template, name=name or root.resolve().name))
    load_config(cfg)  # the template must always validate
    return Workspace(root)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of a dotted config key in the TOML text (tomllib gives none)."""
    keys = [str(k) for k in loc if not isinstance(k, int)]
    if not keys:
        return None
    lines = text.splitlines()
    leaf = keys[-1]
    section = ".".join(keys[:-1])
    in_section = section == ""
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*$")
    for number, line in enumerate(lines, 1):
        m = header.match(line)
        if m:
            in_section = section == "" or m.group(1).strip() == section or m.group(1).strip().endswith("." + section)
            if m.group(1).strip() == ".".join(keys):
                return number
            continue
        if in_section and re.match(rf"^\s*{re.escape(leaf)}\s*=", line):
            return number
    return None


def load_config(path: str | os.PathLike) -> Config:
    """Parse and validate somekit.toml; errors name the bad key and its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            line = _line_of(text, err["loc"])
            where = f"line {line}: " if line else ""
            problems.append(f"{where}{key}: {err['msg']}")
        raise ConfigError(f"{path}: invalid configuration:\n  " + "\n  ".join(problems)) from None


@contextlib.contextmanager
def _run_log(ws: Workspace, stage: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    started = time.time()
    run_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{stage.replace(' ', '-')}-{uuid.uuid4().hex[:6]}"
    counts: dict[str, Any] = {}
    record: dict[str, Any] = {
        "run_id": run_id,
        "stage": stage,
        "params": {k: ("***" if _SECRET_KEY.search(k) else _safe(v)) for k, v in params.items()},
        "somekit_version": __version__,
        "user": _user(),
        "started_at": datetime.fromtimestamp(started, timezone.utc).isoformat(),
    }
    try:
        yield counts
        record["status"] = "ok"
    except BaseException as exc:
        record["status"] = "error"
        record["error"] = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        record["counts"] = counts
        record["seconds"] = round(time.time() - started, 3)
        ws.runs.mkdir(parents=True, exist_ok=True)
        write_json(ws.runs / f"{run_id}.json", record)


_SECRET_KEY = re.compile(r"(key|token|secret|password|authorization)", re.I)


def _safe(value: Any) -> Any:
    """Run logs never hold secrets: parameters whose names look secret are masked by the caller's
    key; values are stringified when not JSON-native."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: ("***" if _SECRET_KEY.search(str(k)) else _safe(v)) for k, v in value.items()}
    return str(value)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"
