"""`somekit run` and `somekit demo`."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..pipeline.api import run_demo, run_pipeline
from ..pipeline.runner import StageReport
from ..pipeline.stages import STAGE_NAMES
from ..pipeline.summary import run_summary, shortcut_text
from ..workspace import open_workspace
from .common import console, domain_errors, json_option, print_json, workspace_arg


def _printer(as_json: bool):
    started = time.time()

    def on_stage(r: StageReport) -> None:
        if as_json:
            return
        colour = {"ran": "green", "skipped": "dim", "failed": "red", "waiting": "yellow"}[r.status]
        console.print(f"[{colour}]{r.status:>7}[/] {r.name:<14} {r.seconds:7.1f}s  (total {time.time() - started:.0f}s)"
                      + (f"  [red]{escape(r.error)}[/]" if r.error else ""))

    return on_stage


def _summary(reports: list[StageReport], as_json: bool, ws=None) -> None:
    tasks = run_summary(ws) if ws is not None else None
    if as_json:
        out = {"stages": [{"name": r.name, "status": r.status, "seconds": round(r.seconds, 3),
                           "counts": r.counts, "error": r.error} for r in reports]}
        if tasks is not None:
            out["summary"] = tasks
        print_json(out)
        return
    table = Table(title="somekit run")
    for col in ("stage", "status", "seconds", "result"):
        table.add_column(col)
    for r in reports:
        result = r.counts.get("items") if "items" in r.counts else ""
        if r.name == "eval":
            result = ", ".join(f"{t} acc {v.get('acc', 0):.1f}" for t, v in r.counts.items())
        elif r.error:
            result = r.error
        elif "skipped" in r.counts:
            result = r.counts["skipped"]
        elif r.name == "verify":
            result = "ok" if r.counts.get("ok") else f"VIOLATIONS {r.counts.get('violations')}"
        table.add_row(r.name, r.status, f"{r.seconds:.1f}", escape(str(result)[:80]))
    console.print(table)
    if tasks is not None:
        _task_table(tasks)


def _task_table(summary: dict) -> None:
    """Per task: items, drafter, quality verdict, verify, shortcut audit, review state."""
    v = summary["verify"]
    verdict = ("[green]ok[/]" if v["ok"] else f"[red]violations {escape(str(v['violations']))}[/]") if v["ran"] \
        else "[yellow]not run[/]"
    table = Table(title=f"tasks (verify: {verdict}, {v['checks_run']} checks)")
    for col in ("task", "items", "drafter", "reliable", "verify", "shortcut audit", "review"):
        table.add_column(col)
    for task, t in summary["tasks"].items():
        reliable = {True: "[green]yes[/]", False: "[red]no[/]", None: "-"}[t["reliable"]]
        checks = ", ".join(f"{k} {n}" for k, n in t["verify_violations"].items())
        table.add_row(task, str(t["items"]), t["drafter"] or "-", reliable,
                      f"[red]{escape(checks)}[/]" if checks else ("[green]ok[/]" if v["ran"] else "-"),
                      escape(shortcut_text(t["shortcuts"]) or "-"),
                      escape(", ".join(f"{k} {n}" for k, n in t["review"].items()) or "-"))
    console.print(table)


@click.command("run")
@workspace_arg
@click.option("--until", type=click.Choice(STAGE_NAMES), default=None, help="Stop after this stage.")
@click.option("--version", "version", default="v1", show_default=True, help="Version name for freeze/publish.")
@click.option("--include-unreviewed", is_flag=True, help="Freeze unreviewed drafts too (marked in the manifest and card).")
@click.option("--n", type=int, default=None,
              help="--n for every builder (overrides somekit.toml); what it counts per task: `somekit build --help`.")
@click.option("--allow-violations", is_flag=True, help="Do not stop when verify finds violations.")
@json_option("the stage summary")
@domain_errors
def run_cmd(ws: str, until: str | None, version: str, include_unreviewed: bool, n: int | None,
            allow_violations: bool, as_json: bool) -> None:
    """Run every stage that WS/somekit.toml enables, in order, resumably.

    Stages: ingest, enrich, build (one per task), verify, review, freeze, publish, eval. A stage
    whose inputs and config are unchanged since it last completed is skipped, so a killed run
    picks up where it stopped.

    \b
    Examples:
      somekit run myspace --until build
      somekit run myspace --version v1 --include-unreviewed
    """
    w = open_workspace(ws)
    reports: list[StageReport] = []

    def on_stage(r: StageReport) -> None:
        reports.append(r)
        printer(r)

    printer = _printer(as_json)
    try:
        run_pipeline(w, until=until, on_stage=on_stage, version=version, include_unreviewed=include_unreviewed,
                     n=n, allow_violations=allow_violations)
    finally:
        _summary(reports, as_json, w)


@click.command("demo")
@click.argument("directory", required=False, default="somekit-demo", type=click.Path(file_okay=False))
@json_option("the stage summary")
@domain_errors
def demo_cmd(directory: str, as_json: bool) -> None:
    """Run the bundled sample corpus through the whole pipeline on the embedded models.

    Copies the sample (Weibo-like posts with images and a speech clip, fact-checked claims,
    Bluesky events) into DIRECTORY, then ingests, enriches (offline OCR and ASR), builds every
    task, verifies, freezes unreviewed items as version "demo", publishes to a local folder and
    scores a simple baseline. Runs offline; re-running skips finished stages.

    \b
    Example:
      somekit demo /tmp/somekit-demo
    """
    reports: list[StageReport] = []
    printer = _printer(as_json)

    def on_stage(r: StageReport) -> None:
        reports.append(r)
        printer(r)

    try:
        ws, _ = run_demo(directory, on_stage=on_stage)
    finally:
        target = Path(directory)
        _summary(reports, as_json, open_workspace(target) if (target / "somekit.toml").exists() else None)
    if not as_json:
        root = ws.root
        console.print(f"""
[bold]where everything is[/] ({root})
  corpus      {root / 'corpus'}        (quarantine: {root / 'corpus/quarantine'})
  enrichment  {root / 'enrich'}
  items       {root / 'items'}/<task>/items.jsonl + stats.json
  verify      {root / 'runs/verify.json'}
  frozen      {root / 'frozen/demo'}   (MANIFEST.json)
  published   {root / 'published/demo'}   (datasets.load_dataset('{root / 'published/demo'}', 'ubp'))
  baseline    {root / 'eval'}
  run logs    {root / 'runs'}""")


def register(group: click.Group) -> None:
    group.add_command(run_cmd)
    group.add_command(demo_cmd)
