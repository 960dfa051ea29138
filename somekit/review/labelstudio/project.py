"""Find, create or check the one Label Studio project of a workspace task, and read its tasks."""

from __future__ import annotations

from typing import Any

import orjson
from label_studio_sdk.core.api_error import ApiError

from .configs import is_text_task, label_config
from .connection import Connection, ReviewError
from .guide import instructions_html
from .state import SyncState


def project_title(ws_name: str, task: str) -> str:
    return f"{ws_name} / {task}"


def ensure_project(conn: Connection, state: SyncState, title: str, task: str, reset: bool = False,
                   annotators: int = 1) -> tuple[int, int]:
    """The project id and its current task count; creates the project on first push. `annotators`
    ([review] min_annotators) becomes the project's annotations per task, so Label Studio hands
    each task to that many people.

    A project recorded in sync.json that is gone from the server is an error (the pending items'
    annotations went with it) unless `reset` asks for a fresh project.
    """
    client, config = conn.client, label_config(task)
    guide = {"expert_instruction": instructions_html(task, is_text_task(task)), "show_instruction": True}
    if state.project_id is not None and not reset:
        if state.url and state.url != conn.url:
            raise ReviewError(f"review/{task} is synced with {state.url}, not {conn.url}; "
                              "use --reset to start a new project on this server")
        project = get_project(conn, state.project_id, task)
        if project.label_config != config or (project.maximum_annotations or 1) != annotators:
            with conn.errors("updating the label config"):
                client.projects.update(id=project.id, label_config=config, maximum_annotations=annotators, **guide)
        return project.id, project.task_number or 0
    if reset:
        state.project_id, state.tasks, state.inflight = None, {}, {}
    with conn.errors("looking for the project"):
        found = [p for p in client.projects.list(title=title) if p.title == title]
        if found:  # reuse: e.g. the sync state was lost; reconcile() maps its tasks back
            project = found[0]
            if project.label_config != config or (project.maximum_annotations or 1) != annotators:
                client.projects.update(id=project.id, label_config=config, maximum_annotations=annotators, **guide)
        else:
            project = client.projects.create(title=title, label_config=config, maximum_annotations=annotators,
                                              description=f"somekit review of task {task}", **guide)
    state.url, state.project_id, state.title = conn.url, project.id, title
    state.save()
    return project.id, project.task_number or 0


def get_project(conn: Connection, project_id: int, task: str):
    with conn.errors("reading the project"):
        return check_exists(conn, project_id, task)


def check_exists(conn: Connection, project_id: int, task: str) -> Any:
    """projects.get with a 404 turned into a 'deleted' message."""
    try:
        return conn.client.projects.get(id=project_id)
    except ApiError as exc:
        if exc.status_code == 404:
            raise ReviewError(f"Label Studio project {project_id} for task {task} no longer exists on {conn.url} "
                              f"(deleted?); `somekit review push WS {task} --reset` creates a new one") from None
        raise


def export_tasks(conn: Connection, project_id: int, all_tasks: bool) -> list[dict[str, Any]]:
    """Every task (all_tasks) or every annotated task of a project, with annotations, in one export."""
    with conn.errors("exporting tasks"):
        chunks = conn.client.projects.exports.download_sync(project_id, export_type="JSON",
                                                           download_all_tasks=all_tasks)
        data = b"".join(chunks)
    return orjson.loads(data) if data else []


def list_tasks(conn: Connection, project_id: int) -> list[dict[str, Any]]:
    """Every task of a project with its data and predictions (as plain dicts); the JSON export
    gives prediction ids only, which is not enough to tell whether a draft changed."""
    with conn.errors("listing tasks"):
        pager = conn.client.tasks.list(project=project_id, fields="all", page_size=1000)
        return [t.model_dump(mode="json") for t in pager]
