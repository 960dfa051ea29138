"""Failures a reviewer's server really has, against the real Label Studio server: stopped in the
middle of a push, a wrong token, a deleted project, no server at all; plus a personal access
token. The mid-push stop is the real server stopped from the progress callback (a fault injected
on purpose, because the fault is the point)."""

from __future__ import annotations

from collections import Counter

import pytest

from somekit.review.labelstudio import ReviewError, connect, pull, push
from somekit.review.labelstudio.project import export_tasks
from somekit.review.labelstudio.state import load_state
from somekit.review.join import join_items
from somekit.store.items import read_items, write_items
from somekit.workspace import init_workspace
from tests.fixtures.label_studio import free_port, make_ubp_items, make_uea_items


def _ws(tmp_path, name, items, task="ubp"):
    ws = init_workspace(tmp_path / "ws", name=name)
    write_items(ws, task, items)
    return ws


def _server_ids(conn, project_id):
    return Counter(t["data"]["somekit_id"] for t in export_tasks(conn, project_id, all_tasks=True))


def test_server_stopped_mid_push_then_rerun_completes_without_duplicates(label_studio, tmp_path):
    ws = _ws(tmp_path, "midpush", make_ubp_items(40))
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    stopped = []

    def stop_after_first_batch(done, total):
        if not stopped:
            stopped.append(done)
            label_studio.stop()

    try:
        with pytest.raises(ReviewError, match="not reachable while importing tasks .10 of 40"):
            push(ws, "ubp", conn=conn, batch_size=10, progress=stop_after_first_batch)
    finally:
        label_studio.start()
    assert stopped == [10] and len(load_state(ws, "ubp").tasks) == 10
    result = push(ws, "ubp", conn=conn, batch_size=10)
    assert (result.created, result.unchanged) == (30, 10)
    ids = _server_ids(conn, result.project_id)
    assert len(ids) == 40 and max(ids.values()) == 1
    assert {j.status for j in join_items(ws, "ubp")} == {"pending"}


def test_server_stopped_during_pull_leaves_decisions_untouched_and_rerun_completes(label_studio, tmp_path):
    ws = _ws(tmp_path, "midpull", make_ubp_items(8))
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    push(ws, "ubp", conn=conn)
    tasks = load_state(ws, "ubp").tasks
    items = read_items(ws, "ubp")
    client = label_studio.client()
    for it in items[:3]:
        client.annotations.create(id=tasks[it.id][0], result=[{"from_name": "label", "to_name": "query",
                                  "type": "choices", "value": {"choices": [it.answer.label]}}])
    first = pull(ws, "ubp", conn=conn)
    assert first.counts == {"accepted": 3}
    decisions = (ws.review("ubp") / "decisions.jsonl").read_bytes()
    for it in items[3:6]:   # new work that the interrupted pull must not half-apply
        client.annotations.create(id=tasks[it.id][0], result=[{"from_name": "label", "to_name": "query",
                                  "type": "choices", "value": {"choices": ["yes" if it.answer.label == "no" else "no"]}}])

    def stop_after_export(step):
        if step == "exported":
            label_studio.stop()

    try:
        with pytest.raises(ReviewError, match="not reachable while listing users"):
            pull(ws, "ubp", conn=conn, progress=stop_after_export)
        assert (ws.review("ubp") / "decisions.jsonl").read_bytes() == decisions
        assert [j.status for j in join_items(ws, "ubp")][:6] == ["accepted"] * 3 + ["pending"] * 3
    finally:
        label_studio.start()
    again = pull(ws, "ubp", conn=conn)
    assert again.counts == {"accepted": 3, "corrected": 3}
    assert [j.status for j in join_items(ws, "ubp")][:6] == ["accepted"] * 3 + ["corrected"] * 3


def test_batch_landed_but_unconfirmed_is_not_imported_again(label_studio, tmp_path):
    """The journal path: the server committed a batch whose response never arrived (simulated by
    moving confirmed items back into `inflight`), and a stray duplicate exists on the server."""
    ws = _ws(tmp_path, "inflight", make_ubp_items(15))
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    first = push(ws, "ubp", conn=conn, batch_size=5)
    state = load_state(ws, "ubp")
    lost = list(state.tasks)[-5:]
    state.inflight = {iid: state.tasks.pop(iid)[1] for iid in lost}
    state.save()
    dup = {"data": {"query": "dup", "context": "", "history": "", "evidence": "", "somekit_id": lost[0], "somekit_task": "ubp"}}
    label_studio.client().projects.import_tasks(id=first.project_id, request=[dup])
    again = push(ws, "ubp", conn=conn, batch_size=5)
    assert again.created == 0 and again.duplicates_removed == 1
    ids = _server_ids(conn, first.project_id)
    assert len(ids) == 15 and max(ids.values()) == 1


def test_wrong_token_is_a_clear_error(label_studio, tmp_path):
    ws = _ws(tmp_path, "badtoken", make_ubp_items(2))
    conn = connect(ws, url=label_studio.url, token="0" * 40)
    with pytest.raises(ReviewError, match="refused the token"):
        push(ws, "ubp", conn=conn)


def test_no_server_is_a_clear_error(tmp_path):
    ws = _ws(tmp_path, "down", make_ubp_items(2))
    conn = connect(ws, url=f"http://127.0.0.1:{free_port()}", token="0" * 40)
    with pytest.raises(ReviewError, match="not reachable"):
        push(ws, "ubp", conn=conn)


def test_missing_url_or_token_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("SOMEKIT_LS_URL", raising=False)
    monkeypatch.delenv("SOMEKIT_LS_TOKEN", raising=False)
    ws = _ws(tmp_path, "noenv", make_ubp_items(2))
    with pytest.raises(ReviewError, match="no Label Studio URL"):
        connect(ws)
    monkeypatch.setenv("SOMEKIT_LS_URL", "http://127.0.0.1:1")
    with pytest.raises(ReviewError, match="no Label Studio token"):
        connect(ws)


def test_deleted_project_is_a_clear_error_and_reset_recovers(label_studio, tmp_path):
    ws = _ws(tmp_path, "deleted", make_uea_items(3), task="uea")
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    first = push(ws, "uea", conn=conn)
    label_studio.client().projects.delete(id=first.project_id)
    with pytest.raises(ReviewError, match="no longer exists"):
        pull(ws, "uea", conn=conn)
    with pytest.raises(ReviewError, match="--reset"):
        push(ws, "uea", conn=conn)
    again = push(ws, "uea", conn=conn, reset=True)
    assert again.project_id != first.project_id and again.created == 3


def test_personal_access_token_works(label_studio, tmp_path):
    pat = label_studio.client().tokens.create().token   # a JWT refresh token
    assert pat.count(".") == 2
    ws = _ws(tmp_path, "pat", make_ubp_items(3))
    conn = connect(ws, url=label_studio.url, token=pat)
    assert conn.check()["email"] == "admin@somekit.local"
    assert push(ws, "ubp", conn=conn).created == 3
