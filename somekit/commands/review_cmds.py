"""`somekit review push|pull|status`: the Label Studio round trip."""

from __future__ import annotations

import dataclasses

import click
from ..executors.progress import BatchProgress
from ..schemas.tasks import TASKS
from ..workspace import open_workspace
from .common import console, domain_errors, json_option, print_json, workspace_arg

task_arg = click.argument("task", type=click.Choice(list(TASKS)))
url_opt = click.option("--url", default=None, help="Label Studio URL (default: $SOMEKIT_LS_URL, then [review] url).")


@click.group("review")
def review_group() -> None:
    """Human verification in Label Studio: push items, pull decisions, see progress.

    \b
    The server URL comes from --url, $SOMEKIT_LS_URL or [review] url in somekit.toml; the token
    only from $SOMEKIT_LS_TOKEN (a legacy token or a personal access token).
    Start a local server with:  export $(bash scripts/label_studio.sh start --port 8080)
    """


@review_group.command("push")
@workspace_arg
@task_arg
@url_opt
@click.option("--batch-size", type=int, default=None, help="Tasks per import request (default: [review] batch_size).")
@click.option("--reset", is_flag=True, help="Forget the recorded project (e.g. it was deleted) and use/create '<name> / TASK'.")
@click.option("--budget", type=int, default=None,
              help="Send at most N items: a random audit sample ([review] audit_size, at most N/2), then what a rule "
                   "flags (ties, low agreement, failed checks), then the labels most likely wrong; default: [review] "
                   "budget, else every item.")
@click.option("--allow-over-budget", is_flag=True, help="Send every flagged item even past --budget.")
@json_option("counts")
@domain_errors
def push_cmd(ws: str, task: str, url: str | None, batch_size: int | None, reset: bool, budget: int | None,
             allow_over_budget: bool, as_json: bool) -> None:
    """Send TASK's items to the Label Studio project '<workspace name> / TASK'.

    \b
    Examples:
      somekit review push myspace ubp
      somekit review push myspace uea --batch-size 500 --json
      somekit review push myspace uea --budget 300   # audit sample, flagged, likeliest wrong labels
    Safe to re-run: items already in the project are not imported again; changed drafts are
    updated in place; an interrupted push resumes without duplicates.
    """
    from ..review.labelstudio import connect, push

    w = open_workspace(ws)
    conn = connect(w, url=url)
    with w.run_log(f"review push {task}", batch_size=batch_size, reset=reset, budget=budget,
                   allow_over_budget=allow_over_budget) as counts, \
            BatchProgress(None, "importing", False if as_json else None, unit="tasks") as bar:
        result = push(w, task, conn=conn, batch_size=batch_size, reset=reset, budget=budget,
                      allow_over_budget=allow_over_budget, progress=bar.update)
        counts.update(result.counts)
    if as_json:
        print_json({"task": task, **dataclasses.asdict(result)})
    else:
        console.print(f"[bold]{result.title}[/] (project {result.project_id} at {conn.url}): "
                      f"{result.created:,} created, {result.updated:,} updated, {result.unchanged:,} unchanged; "
                      f"{result.server_tasks:,} tasks in the project; {result.sent:,} items sent "
                      f"({result.needs_review:,} need a human, {result.audit:,} in the audit sample)")
        if result.flagged_unsent:
            console.print(f"  note: {result.flagged_unsent:,} flagged items did not fit the budget "
                          "(the lowest-scored were sent; --allow-over-budget sends them all)")
        if result.gate_failed:
            console.print("  [yellow]warning:[/] the task failed its quality gate: review more than usual "
                          "(`somekit review status` estimates the wrong labels left)")


@review_group.command("pull")
@workspace_arg
@task_arg
@url_opt
@json_option("decision counts")
@domain_errors
def pull_cmd(ws: str, task: str, url: str | None, as_json: bool) -> None:
    """Read TASK's annotations and turn them into one decision per item.

    \b
    Examples:
      somekit review pull myspace ubp
      somekit review pull myspace uea --json
    Several annotators per task: the majority decides; ties stay pending. Decisions go to
    WS/review/TASK/decisions.jsonl (items.jsonl is never rewritten); pulling again is safe and
    gives the same bytes.
    """
    from ..review.labelstudio import connect, pull

    w = open_workspace(ws)
    conn = connect(w, url=url)
    with w.run_log(f"review pull {task}") as counts:
        result = pull(w, task, conn=conn)
        counts.update(result.counts)
    if as_json:
        print_json({"task": task, **dataclasses.asdict(result)})
    else:
        shown = ", ".join(f"{n:,} {s}" for s, n in sorted(result.counts.items())) or "no annotations yet"
        console.print(f"[bold]{task}[/]: {result.annotated_tasks:,} annotated tasks -> {shown}")
        if result.stale_annotations:
            console.print(f"  note: {result.stale_annotations} annotations are on content since rebuilt (not counted)")
        if result.unknown_tasks:
            console.print(f"  [yellow]warning:[/] {result.unknown_tasks} tasks hold no item of this workspace")


@review_group.command("status")
@workspace_arg
@json_option("counts")
@domain_errors
def status_cmd(ws: str, as_json: bool) -> None:
    """Items per task and review state, the measured label accuracy, and annotator agreement.

    \b
    Examples:
      somekit review status myspace
      somekit review status myspace --json   # {"ubp": {"draft": 0, "pending": 10, "accepted": 5, ...}}
    The accuracy is the share of the audit sample (random, stratified by label) that people
    accepted unchanged, with a Wilson 95% interval. The wrong labels left among unreviewed items
    are estimated from the audit sample, stratified by label-quality band.
    """
    from rich.table import Table

    from ..review.labelstudio import status

    result = status(open_workspace(ws))
    if as_json:
        print_json(result)
        return
    table = Table("task", "draft", "pending", "accepted", "corrected", "rejected", "stale",
                  "audit accuracy (95% CI)", "wrong labels left (95% CI)", "agreement (pairwise / kappa)")
    for task, c in result.items():
        agr = c.get("agreement") or {}
        shown = f"{agr['pairwise']} / {agr['fleiss_kappa']} on {agr['items']}" if agr.get("items") else "-"
        audit = c["audit"]
        acc = (f"{audit['accuracy']:.3f} ({audit['ci'][0]:.3f}-{audit['ci'][1]:.3f}) on {audit['decided']}/{audit['size']}"
               if audit.get("accuracy") is not None else f"- (0/{audit['size']})")
        left = c.get("remaining_errors") or {}
        wrong = (f"{left['estimate']:.0f} ({left['ci'][0]:.0f}-{left['ci'][1]:.0f}) of {left['unreviewed']:,}"
                 if left.get("estimate") is not None else "-")
        table.add_row(task, *(f"{c[s]:,}" for s in ("draft", "pending", "accepted", "corrected", "rejected", "stale")),
                      acc, wrong, shown)
    console.print(table)


def register(group: click.Group) -> None:
    group.add_command(review_group)
