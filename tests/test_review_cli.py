"""`somekit review push/pull/status` through click's CliRunner against the real server; results
checked through the library."""

from __future__ import annotations

import orjson
from click.testing import CliRunner

from somekit.review.labelstudio import status
from somekit.review.labelstudio.state import load_state
from somekit.cli import main
from somekit.review.join import join_items
from somekit.review.ledger import read_selection
from somekit.store.items import read_items, write_items
from somekit.workspace import init_workspace
from tests.fixtures.label_studio import make_ubp_items


def test_review_cli_round_trip(ls_env, tmp_path):
    ws = init_workspace(tmp_path / "ws", name="clispace")
    write_items(ws, "ubp", make_ubp_items(6))
    runner = CliRunner()
    res = runner.invoke(main, ["review", "push", str(ws.root), "ubp", "--json"])
    assert res.exit_code == 0, res.output
    pushed = orjson.loads(res.stdout.strip().splitlines()[-1])
    assert pushed["created"] == 6 and pushed["title"] == "clispace / ubp"
    assert len(load_state(ws, "ubp").tasks) == 6
    item = read_items(ws, "ubp")[0]
    tid = load_state(ws, "ubp").tasks[item.id][0]
    flipped = "no" if item.answer.label == "yes" else "yes"
    ls_env.client().annotations.create(id=tid, result=[
        {"from_name": "label", "to_name": "query", "type": "choices", "value": {"choices": [flipped]}}])
    res = runner.invoke(main, ["review", "pull", str(ws.root), "ubp", "--json"])
    assert res.exit_code == 0, res.output
    assert orjson.loads(res.stdout.strip().splitlines()[-1])["counts"] == {"corrected": 1}
    joined = {j.draft.id: j for j in join_items(ws, "ubp")}
    assert joined[item.id].item.answer.label == flipped and joined[item.id].status == "corrected"
    assert read_items(ws, "ubp")[0].answer.label == item.answer.label   # items.jsonl stays the draft
    res = runner.invoke(main, ["review", "status", str(ws.root), "--json"])
    assert res.exit_code == 0, res.output
    shown = orjson.loads(res.stdout)
    assert shown["ubp"]["corrected"] == 1 and shown["ubp"]["pending"] == 5
    assert {k: shown["ubp"][k] for k in ("draft", "pending", "accepted", "corrected", "rejected")} == \
        {k: status(ws)["ubp"][k] for k in ("draft", "pending", "accepted", "corrected", "rejected")}
    assert shown["ubp"]["audit"] == status(ws)["ubp"]["audit"] and shown["ubp"]["audit"]["decided"] == 1
    res = runner.invoke(main, ["review", "status", str(ws.root)])
    assert res.exit_code == 0 and "ubp" in res.output


def test_review_cli_push_budget_sends_needs_review_and_audit(ls_env, tmp_path):
    ws = init_workspace(tmp_path / "ws", name="budgetspace")
    (ws.root / "somekit.toml").write_text('[workspace]\nname = "budgetspace"\n\n[review]\naudit_size = 4\n')
    items = make_ubp_items(20)
    items[3] = items[3].model_copy(update={"review": items[3].review.model_copy(update={"needs_review": True})})
    write_items(ws, "ubp", items)
    res = CliRunner().invoke(main, ["review", "push", str(ws.root), "ubp", "--budget", "7", "--json"])
    assert res.exit_code == 0, res.output
    pushed = orjson.loads(res.stdout.strip().splitlines()[-1])
    sel = read_selection(ws, "ubp")
    assert pushed["sent"] == 7 and pushed["needs_review"] == 1 and pushed["audit"] == 6
    assert items[3].id in sel["send"] and set(sel["audit"]) < set(sel["send"])
    tasks = list(ls_env.client().tasks.list(project=pushed["project_id"], fields="all"))
    assert len(tasks) == 7
    marked = {t.data["somekit_id"]: t.data for t in tasks}
    assert {i for i, d in marked.items() if d["somekit_audit"]} == set(sel["audit"])
    assert marked[items[3].id]["somekit_reasons"] == ["flagged:by the builder"]
    statuses = {j.status for j in join_items(ws, "ubp") if j.draft.id not in sel["send"]}
    assert statuses == {"unselected"}


def test_review_cli_errors_are_clean_messages(tmp_path, monkeypatch):
    ws = init_workspace(tmp_path / "ws", name="clierr")
    write_items(ws, "ubp", make_ubp_items(2))
    monkeypatch.setenv("SOMEKIT_LS_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SOMEKIT_LS_TOKEN", "0" * 40)
    res = CliRunner().invoke(main, ["review", "push", str(ws.root), "ubp"])
    assert res.exit_code == 1 and "not reachable" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(main, ["review", "pull", str(ws.root), "ubp"])
    assert res.exit_code == 1 and "never pushed" in res.output
