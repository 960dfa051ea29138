"""Run a list of stages with completion markers.

A stage is skipped when its marker in runs/stages/<name>.json holds the same input fingerprint:
the fingerprint covers the stage's config and the content digests of what it reads (the output
digests of the stages before it), so editing the config or changing upstream outputs re-runs
exactly the stages affected. The marker is written only after the stage's outputs are complete
(every stage writes its files atomically), so a killed run resumes at the stage it was in.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson

from ..store.atomic import read_json, write_json
from ..workspace import Workspace


@dataclass
class Stage:
    name: str
    run: Callable[["RunContext"], dict[str, Any]]           # does the work, returns counts
    outputs: Callable[["RunContext"], Iterable[Path]]      # files whose content is the stage's result
    config: Callable[["RunContext"], Any] = lambda ctx: None  # config slice that affects the stage
    always: bool = False   # runs every time: its input lives outside the workspace (Label Studio)


@dataclass
class RunContext:
    ws: Workspace
    cfg: Any
    options: dict[str, Any] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)   # stage -> output digest, in run order


@dataclass
class StageReport:
    name: str
    status: str            # ran, skipped, failed, waiting (for human review)
    seconds: float = 0.0
    counts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def file_digest(paths: Iterable[Path]) -> str:
    """sha256 over (relative name, content sha256) of the given files, in sorted order."""
    h = hashlib.sha256()
    for p in sorted({Path(p) for p in paths}):
        if p.is_file():
            h.update(p.name.encode() + b"\0")
            with open(p, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
    return h.hexdigest()


def _fingerprint(stage: Stage, ctx: RunContext) -> str:
    material = {"stage": stage.name, "config": stage.config(ctx), "upstream": ctx.digests}
    return hashlib.sha256(orjson.dumps(material, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def marker_path(ws: Workspace, name: str) -> Path:
    return ws.runs / "stages" / f"{name.replace(' ', '_').replace('/', '_')}.json"


def stage_group(name: str) -> str:
    """'build ubp' -> 'build': `--until build` means after every build stage."""
    return name.split(" ")[0]


def run_stages(ctx: RunContext, stages: Iterable[Stage], until: str | None = None,
               on_stage: Callable[[StageReport], None] | None = None) -> list[StageReport]:
    """Run stages in order (an iterable: later stages may depend on earlier results); stop after
    the stage group `until`; record, then re-raise, a failure."""
    reports: list[StageReport] = []
    passed_until = False
    for stage in stages:
        if until and passed_until and stage_group(stage.name) != until:
            break
        if until and stage_group(stage.name) == until:
            passed_until = True
        marker = marker_path(ctx.ws, stage.name)
        fp = _fingerprint(stage, ctx)
        if marker.exists() and not stage.always:
            saved = read_json(marker)
            outputs_now = file_digest(stage.outputs(ctx))
            if saved.get("fingerprint") == fp and saved.get("output_digest") == outputs_now:
                ctx.digests[stage.name] = outputs_now
                report = StageReport(stage.name, "skipped", counts=saved.get("counts", {}))
                reports.append(report)
                if on_stage:
                    on_stage(report)
                continue
        started = time.time()
        try:
            with ctx.ws.run_log(f"run:{stage.name}") as log_counts:
                counts = stage.run(ctx) or {}
                log_counts.update(counts)
        except Exception as exc:
            waiting = getattr(exc, "exit_code", 1) == 3   # stopped on purpose: people have work to do
            report = StageReport(stage.name, "waiting" if waiting else "failed", time.time() - started,
                                 error=str(exc) if waiting else f"{type(exc).__name__}: {exc}")
            reports.append(report)
            if on_stage:
                on_stage(report)
            raise
        digest = file_digest(stage.outputs(ctx))
        ctx.digests[stage.name] = digest
        write_json(marker, {"stage": stage.name, "fingerprint": fp, "output_digest": digest,
                            "counts": counts, "seconds": round(time.time() - started, 3)})
        report = StageReport(stage.name, "ran", time.time() - started, counts)
        reports.append(report)
        if on_stage:
            on_stage(report)
    return reports
