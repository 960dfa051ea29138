"""`review push`: items of a task -> tasks with pre-annotations in the task's Label Studio project.

Idempotent: every task carries our item id (data.somekit_id and meta), sync.json remembers what
went where, and a push after a crash first lists the server's tasks, so re-running never
duplicates. A draft whose content changed since it was sent is updated in place, unless people
already annotated it: then the new content goes into a new task, so old annotations never count
for content nobody saw (pull matches them by data.somekit_content).

Push never writes items/<task>/items.jsonl. It writes review/<task>/selection.json: which items
need a human and why, the random audit sample (marked in each task's data as somekit_audit), and
the order of review (somekit/review/selection.py). With a budget at most that many items are sent;
without one, every item is.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from ...review.ledger import content_hash, write_selection
from ...review.join import join_items
from ...review.scores import people_labels
from ...review.selection import select
from ...schemas.items import ItemBase
from ...store.items import read_items
from ...workspace import Workspace
from .configs import machine_values, prediction_result
from .connection import Connection, ReviewError, connect
from .context import ContextBuilder
from .evidence import EvidenceBuilder, columns
from .project import ensure_project, list_tasks, project_title
from .state import SyncState, load_state

Progress = Callable[[int, int], None]   # (tasks imported so far, tasks to import)


@dataclass
class PushResult:
    project_id: int
    title: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates_removed: int = 0
    server_tasks: int = 0
    audit: int = 0                 # items in the audit sample
    needs_review: int = 0          # items that need a human (ties, low agreement, gates, checks)
    sent: int = 0                  # items selected for Label Studio (all items without a budget)
    over_budget: bool = False      # more sent than the budget (allow_over_budget, or sent by an earlier push)
    flagged_unsent: int = 0        # flagged items the budget left out (the lowest-scored were sent)
    gate_failed: bool = False      # the task failed its quality gate: review more (the card says so)
    counts: dict[str, int] = field(default_factory=dict)


def task_payload(item: ItemBase, context: str, audit: bool = False, reasons: list[str] | None = None,
                 shown: dict[str, str] | None = None) -> dict[str, Any]:
    """One Label Studio task: what is shown (`shown`: the history and evidence fields), the list
    columns, our id and content hash, whether it is in the audit sample and why it needs a human,
    and the machine answer as a prediction."""
    values = machine_values(item)
    # The short list columns first: Label Studio's task list shows data keys in this order.
    data = {**columns(item, audit, reasons), "query": item.query, "context": context, "history": "", "evidence": "",
            **(shown or {}), "somekit_id": item.id, "somekit_task": item.task,
            "somekit_content": content_hash(item), "somekit_audit": audit, "somekit_reasons": reasons or []}
    # the label-quality score where the builder gave one (Label Studio can sort by it), else agreement
    score = next((s.label_quality for s in item.provenance.llm if s.label_quality is not None),
                 next((s.agreement for s in item.provenance.llm if s.agreement is not None), None))
    prediction = {"model_version": item.provenance.builder, "result": prediction_result(item, values)}
    if score is not None:
        prediction["score"] = score
    return {"data": data, "meta": {"somekit_id": item.id}, "predictions": [prediction]}


def payload_hash(payload: dict[str, Any]) -> str:
    """Hash of what annotators see: task data and the prediction, in a canonical form that can
    also be computed from a task exported by the server (so a lost sync state costs no updates)."""
    preds = payload.get("predictions") or [{}]
    pred = preds[0]
    canonical = {
        "data": payload.get("data") or {},
        "model_version": pred.get("model_version"),
        "score": pred.get("score"),
        "result": [{k: r.get(k) for k in ("from_name", "to_name", "type", "value")} for r in pred.get("result") or []],
    }
    return hashlib.sha256(orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def push(ws: Workspace, task: str, conn: Connection | None = None, batch_size: int | None = None,
         reset: bool = False, progress: Progress | None = None, budget: int | None = None,
         allow_over_budget: bool = False) -> PushResult:
    """Create or reuse the project '<workspace name> / <task>' and bring it up to date with the
    selected items (`budget` overrides [review] budget; never more than it unless
    `allow_over_budget`, which sends every flagged item). New tasks are imported in review order
    (audit sample, flagged, then lowest label-quality first), so Label Studio's sequential
    sampling shows people the likeliest wrong labels first."""
    cfg = ws.config()
    conn = conn or connect(ws)
    items = read_items(ws, task)
    if not items:
        raise ReviewError(f"no items for task {task} in {ws.items(task)}; run `somekit build` first")
    budget = budget if budget is not None else cfg.review.budget
    state = load_state(ws, task)
    selection = select(ws, task, items, audit_size=cfg.review.audit_size, budget=budget,
                       min_agreement=cfg.review.min_agreement, seed=cfg.seed, allow_over_budget=allow_over_budget,
                       already_sent=set() if reset else set(state.tasks), people=people_labels(join_items(ws, task, items)))
    write_selection(ws, task, selection)
    title = project_title(cfg.workspace.name, task)
    project_id, on_server = ensure_project(conn, state, title, task, reset=reset,
                                           annotators=cfg.review.min_annotators)
    result = PushResult(project_id, title, audit=len(selection["audit"]),
                        needs_review=len(selection["needs_review"]), sent=len(selection["send"]),
                        over_budget=selection["over_budget"], flagged_unsent=len(selection["flagged_unsent"]),
                        gate_failed=selection["gate_failed"])
    rank = {iid: k for k, iid in enumerate(selection["order"])}
    chosen = sorted((it for it in items if it.id in rank), key=lambda it: rank[it.id])
    current = {it.id: content_hash(it) for it in chosen}
    if state.inflight or on_server != len(state.tasks):
        result.duplicates_removed = reconcile(conn, state, project_id, current)
    ctx = ContextBuilder(ws, chosen)
    evidence = EvidenceBuilder(ws, chosen, task_items=items, last=cfg.review.history_shown)
    audit = set(selection["audit"])
    by_id = {it.id: it for it in chosen}
    payloads: dict[str, dict[str, Any]] = {}
    hashes: dict[str, str] = {}

    def build(ids: list[str]) -> None:
        for iid in ids:
            it = by_id[iid]
            payloads[iid] = task_payload(it, ctx.render(it), iid in audit, selection["needs_review"].get(iid),
                                         evidence.fields(it))
            hashes[iid] = payload_hash(payloads[iid])

    build([iid for iid in by_id if iid in state.tasks])   # to see which sent drafts changed
    new = [iid for iid in by_id if iid not in state.tasks]
    changed = [iid for iid in by_id if iid in state.tasks and state.tasks[iid][1] != hashes[iid]]
    result.created = _import(conn, state, project_id, new, payloads, hashes, build,
                             batch_size or cfg.review.batch_size, progress)
    result.updated = _update(conn, state, project_id, changed, payloads, hashes)
    result.unchanged = len(chosen) - len(new) - len(changed)
    result.server_tasks = len(state.tasks)
    result.counts = {"items": len(items), "sent": result.sent, "audit": result.audit,
                     "needs_review": result.needs_review, "flagged_unsent": result.flagged_unsent, "created": result.created, "updated": result.updated,
                     "unchanged": result.unchanged, "server_tasks": result.server_tasks}
    return result


def _import(conn: Connection, state: SyncState, project_id: int, new: list[str], payloads: dict,
            hashes: dict, build: Callable[[list[str]], None], batch_size: int, progress: Progress | None) -> int:
    """Import new items batch by batch; the next batch's payloads are built in a thread while the
    server works on the current one (the request releases the GIL), so rendering costs no time."""
    done = 0
    batches = [new[start:start + batch_size] for start in range(0, len(new), batch_size)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = pool.submit(build, batches[0]) if batches else None
        for k, batch in enumerate(batches):
            ahead.result()
            if k + 1 < len(batches):
                ahead = pool.submit(build, batches[k + 1])
            # Journal first: if the request dies after the server committed it, the next push
            # sees `inflight` and reconciles instead of importing the batch again.
            state.inflight = {iid: hashes[iid] for iid in batch}
            state.save()
            with conn.errors(f"importing tasks ({done} of {len(new)} imported so far)"):
                response = conn.client.projects.import_tasks(
                    id=project_id, request=[payloads.pop(iid) for iid in batch], return_task_ids=True,
                    commit_to_project=True)
            task_ids = list(getattr(response, "task_ids", None) or [])
            if len(task_ids) != len(batch):  # cannot pair ids with items: ask the server
                reconcile(conn, state, project_id)
            else:
                for iid, tid in zip(batch, task_ids):
                    state.tasks[iid] = [tid, hashes[iid]]
            state.inflight = {}
            if k + 1 == len(batches):
                state.save()   # otherwise the next batch's journal write records this one
            done += len(batch)
            if progress:
                progress(done, len(new))
    return done


def _update(conn: Connection, state: SyncState, project_id: int, changed: list[str], payloads: dict, hashes: dict) -> int:
    for iid in changed:
        tid, payload = state.tasks[iid][0], payloads[iid]
        with conn.errors(f"updating task {tid}"):
            task = conn.client.tasks.get(id=str(tid))
            data = task.data or {}
            if data.get("somekit_id") != iid:
                raise ReviewError(f"task {tid} does not hold item {iid}; the sync state is stale: "
                                  "re-run push after deleting review/<task>/sync.json")
            if task.total_annotations and data.get("somekit_content") != payload["data"]["somekit_content"]:
                # People judged the old content: keep their task as it is, show the new content in a new one.
                response = conn.client.projects.import_tasks(id=project_id, request=[payload], return_task_ids=True,
                                                             commit_to_project=True)
                tid = list(response.task_ids)[0]
            else:
                conn.client.tasks.update(id=str(tid), data=payload["data"], meta=payload["meta"])
                for old in conn.client.predictions.list(task=tid):
                    conn.client.predictions.delete(id=old.id)
                pred = payload["predictions"][0]
                conn.client.predictions.create(task=tid, result=pred["result"], model_version=pred["model_version"],
                                               score=pred.get("score"))
        state.tasks[iid] = [tid, hashes[iid]]
        state.save()
    return len(changed)


def reconcile(conn: Connection, state: SyncState, project_id: int, current: dict[str, str] | None = None) -> int:
    """Rebuild the item -> task map from the server; delete duplicate tasks nobody annotated.
    With `current` (item id -> content hash), the task showing the current content is the one
    mapped; annotated tasks showing older content are kept but no longer mapped. Returns the
    number of duplicates removed."""
    by_item: dict[str, list[dict[str, Any]]] = {}
    for t in list_tasks(conn, project_id):
        iid = (t.get("data") or {}).get("somekit_id")
        if iid:
            by_item.setdefault(iid, []).append(t)
    removed = 0
    tasks: dict[str, list[Any]] = {}
    for iid, found in by_item.items():
        want = (current or {}).get(iid)

        def rank(t: dict[str, Any]) -> tuple:
            stale = want is not None and (t.get("data") or {}).get("somekit_content") != want
            # current content first, then the annotated copy, then the oldest
            return (stale, not t.get("total_annotations"), t["id"])

        found.sort(key=rank)
        keep = found[0]
        annotated_old = want is not None and rank(keep)[0] and keep.get("total_annotations")
        for extra in found[1:]:
            if not extra.get("total_annotations"):
                with conn.errors(f"removing duplicate task {extra['id']}"):
                    conn.client.tasks.delete(id=str(extra["id"]))
                removed += 1
        if not annotated_old:   # an annotated task of old content is history, not the item's task
            tasks[iid] = [keep["id"], payload_hash(keep)]
    state.tasks, state.inflight = tasks, {}
    state.save()
    return removed
