"""`review push`: items of a task -> tasks with pre-annotations in the task's Label Studio project.

Idempotent: every task carries our item id (data.somekit_id and meta), sync.json remembers what
went where, and a push after a crash first lists the server's tasks, so re-running never
duplicates. A draft whose content changed since it was sent is updated in place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import orjson

from ...schemas.items import ItemBase
from ...store.items import read_items, write_items
from ...workspace import Workspace
from .configs import machine_values, prediction_result
from .connection import Connection, ReviewError, connect
from .context import ContextBuilder
from .decisions import machine_answer, machine_question, with_question
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
    counts: dict[str, int] = field(default_factory=dict)


def task_payload(item: ItemBase, context: str) -> dict[str, Any]:
    """One Label Studio task: what is shown, our id, and the machine answer as a prediction."""
    item = _as_machine(item)
    values = machine_values(item)
    data = {"query": item.query, "context": context, "somekit_id": item.id, "somekit_task": item.task}
    score = next((s.agreement for s in item.provenance.llm if s.agreement is not None), None)
    prediction = {"model_version": item.provenance.builder, "result": prediction_result(item, values)}
    if score is not None:
        prediction["score"] = score
    return {"data": data, "meta": {"somekit_id": item.id}, "predictions": [prediction]}


def _as_machine(item: ItemBase) -> ItemBase:
    # A corrected item is re-sent with the machine answer (and SMQ question), so a correction
    # never looks like a changed draft and its prediction keeps showing what the machine said.
    if item.review.state != "corrected" or item.review.original_answer is None:
        return item
    update: dict[str, Any] = {"answer": type(item.answer).model_validate(machine_answer(item))}
    question = machine_question(item)
    if question is not None and question != item.inputs.question:
        update.update(with_question(item, item.inputs.question, question))
    return item.model_copy(update=update)


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
         reset: bool = False, progress: Progress | None = None) -> PushResult:
    """Create or reuse the project '<workspace name> / <task>' and bring it up to date with the items."""
    cfg = ws.config()
    conn = conn or connect(ws)
    items = read_items(ws, task)
    if not items:
        raise ReviewError(f"no items for task {task} in {ws.items(task)}; run `somekit build` first")
    state = load_state(ws, task)
    title = project_title(cfg.workspace.name, task)
    project_id, on_server = ensure_project(conn, state, title, task, reset=reset)
    result = PushResult(project_id, title)
    if state.inflight or on_server != len(state.tasks):
        result.duplicates_removed = reconcile(conn, state, project_id)
    ctx = ContextBuilder(ws, items)
    payloads = {it.id: task_payload(it, ctx.render(it)) for it in items}
    hashes = {iid: payload_hash(p) for iid, p in payloads.items()}
    new = [iid for iid in payloads if iid not in state.tasks]
    changed = [iid for iid in payloads if iid in state.tasks and state.tasks[iid][1] != hashes[iid]]
    result.created = _import(conn, state, project_id, new, payloads, hashes, batch_size or cfg.review.batch_size, progress)
    result.updated = _update(conn, state, project_id, changed, payloads, hashes)
    result.unchanged = len(payloads) - len(new) - len(changed)
    result.server_tasks = len(state.tasks)
    _mark_pending(ws, task, items, state)
    result.counts = {"items": len(items), "created": result.created, "updated": result.updated,
                     "unchanged": result.unchanged, "server_tasks": result.server_tasks}
    return result


def _import(conn: Connection, state: SyncState, project_id: int, new: list[str], payloads: dict,
            hashes: dict, batch_size: int, progress: Progress | None) -> int:
    done = 0
    for start in range(0, len(new), batch_size):
        batch = new[start:start + batch_size]
        # Journal first: if the request dies after the server committed it, the next push
        # sees `inflight` and reconciles instead of importing the batch again.
        state.inflight = {iid: hashes[iid] for iid in batch}
        state.save()
        with conn.errors(f"importing tasks ({done} of {len(new)} imported so far)"):
            response = conn.client.projects.import_tasks(
                id=project_id, request=[payloads[iid] for iid in batch], return_task_ids=True,
                commit_to_project=True)
        task_ids = list(getattr(response, "task_ids", None) or [])
        if len(task_ids) != len(batch):  # cannot pair ids with items: ask the server
            reconcile(conn, state, project_id)
        else:
            for iid, tid in zip(batch, task_ids):
                state.tasks[iid] = [tid, hashes[iid]]
        state.inflight = {}
        state.save()
        done += len(batch)
        if progress:
            progress(done, len(new))
    return done


def _update(conn: Connection, state: SyncState, project_id: int, changed: list[str], payloads: dict, hashes: dict) -> int:
    for iid in changed:
        tid, payload = state.tasks[iid][0], payloads[iid]
        with conn.errors(f"updating task {tid}"):
            task = conn.client.tasks.get(id=str(tid))
            if (task.data or {}).get("somekit_id") != iid:
                raise ReviewError(f"task {tid} does not hold item {iid}; the sync state is stale: "
                                  "re-run push after deleting review/<task>/sync.json")
            conn.client.tasks.update(id=str(tid), data=payload["data"], meta=payload["meta"])
            for old in conn.client.predictions.list(task=tid):
                conn.client.predictions.delete(id=old.id)
            pred = payload["predictions"][0]
            conn.client.predictions.create(task=tid, result=pred["result"], model_version=pred["model_version"],
                                           score=pred.get("score"))
        state.tasks[iid] = [tid, hashes[iid]]
        state.save()
    return len(changed)


def reconcile(conn: Connection, state: SyncState, project_id: int) -> int:
    """Rebuild the item -> task map from the server; delete duplicate tasks nobody annotated.
    Returns the number of duplicates removed."""
    by_item: dict[str, list[dict[str, Any]]] = {}
    for t in list_tasks(conn, project_id):
        iid = (t.get("data") or {}).get("somekit_id")
        if iid:
            by_item.setdefault(iid, []).append(t)
    removed = 0
    tasks: dict[str, list[Any]] = {}
    for iid, found in by_item.items():
        # keep the annotated copy (or the oldest); a copy with annotations is never deleted
        found.sort(key=lambda t: (not t.get("total_annotations"), t["id"]))
        keep = found[0]
        for extra in found[1:]:
            if not extra.get("total_annotations"):
                with conn.errors(f"removing duplicate task {extra['id']}"):
                    conn.client.tasks.delete(id=str(extra["id"]))
                removed += 1
        tasks[iid] = [keep["id"], payload_hash(keep)]
    state.tasks, state.inflight = tasks, {}
    state.save()
    return removed


def _mark_pending(ws: Workspace, task: str, items: list[ItemBase], state: SyncState) -> None:
    """Items now in Label Studio go from draft to pending (decided items keep their state)."""
    changed = False
    out = []
    for item in items:
        if item.review.state == "draft" and item.id in state.tasks:
            item = item.model_copy(update={"review": item.review.model_copy(
                update={"state": "pending", "at": datetime.now(timezone.utc)})})
            changed = True
        out.append(item)
    if changed:
        write_items(ws, task, out)
