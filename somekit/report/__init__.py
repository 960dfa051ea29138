"""`somekit report`: one self-contained HTML page a reviewer opens instead of reading JSON.

Figures, tables and a few items per label with their provenance, for a frozen version or, before
any freeze, for the built items.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import SomekitError
from ..store.atomic import write_text
from ..workspace import Workspace


class ReportError(SomekitError):
    """Nothing to report on (no built items, unknown version)."""


@dataclass
class ReportResult:
    path: Path
    source: str
    tasks: dict[str, int]          # task -> items covered
    figures: list[str]             # figure names embedded
    samples: int                   # items shown


def default_path(ws: Workspace) -> Path:
    return ws.root / "report" / "index.html"


def write_report(ws: Workspace, version: str | None = None, out: str | os.PathLike | None = None) -> ReportResult:
    """Write the report of frozen/<version> (or of the built items when no version is given)."""
    from ..publish.datasheet import build_datasheet
    from ..publish.facts import gather
    from ..publish.figures import render_figures
    from .html import render
    from .samples import pick

    if version and not (ws.frozen(version) / "MANIFEST.json").exists():
        raise ReportError(f"frozen/{version} does not exist; freeze it first, or leave out --version to report "
                          "on the built items")
    facts = gather(ws, version)
    if not facts.tasks:
        raise ReportError("no items to report on: build some tasks first (`somekit build WS TASK`)")
    cfg = ws.config()
    margin = cfg.verify.max_shortcut_margin
    figures = render_figures(facts, margin)
    samples = pick(facts)
    title = f"{cfg.publish.pretty_name or cfg.workspace.name}: " + (f"version {version}" if version else "built items")
    page = render(facts, figures, build_datasheet(facts, cfg), samples, title=title, margin=margin)
    path = Path(out) if out else default_path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, page)
    return ReportResult(path, facts.source, {t: len(f.items) for t, f in facts.tasks.items()},
                        [f.name for f in figures], sum(len(v) for g in samples.values() for v in g.values()))
