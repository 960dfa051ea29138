"""`somekit run` with human review, against a real Label Studio server, on the real CED build.

Two scripted annotators (alice, bob) review every item; bob disagrees with alice on a set share of
them, which leaves ties; a third person (carol) breaks those. The run stops at review (exit 3)
until every item is decided, then freezes the annotators' majority, and the card's audited
accuracy is the share of audit items whose majority accepted the machine label."""

from __future__ import annotations

import hashlib
import re
import shutil

import orjson
import pytest
from click.testing import CliRunner

from somekit.review.labelstudio.state import load_state
from somekit.cli import main
from somekit.freeze import read_frozen
from somekit.freeze.splits import SPLITS
from somekit.review.ledger import read_selection
from somekit.store.items import read_items
from somekit.workspace import init_workspace, open_workspace
from tests.fixtures.data import CED

CONFIG = """seed = 11

[workspace]
name = "cedreview"

[[sources]]
format = "ced"
paths = ["{ced}"]

[tasks.ubp]
n = 16

[review]
audit_size = 12
min_annotators = 2
"""
FLIP = {"yes": "no", "no": "yes"}
BOB_DISAGREES_EVERY = 4      # bob disagrees with alice on 1 item in 4
ALICE_CORRECTS_EVERY = 5     # alice corrects the machine on 1 item in 5


def _run(ws, *extra):
    return CliRunner().invoke(main, ["run", str(ws.root), "--allow-violations", *extra])


def _choice(label):
    return [{"from_name": "label", "to_name": "query", "type": "choices", "value": {"choices": [label]}}]


def _files(ws, version):
    root = ws.frozen(version)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.parquet"))}


@pytest.fixture(scope="module")
def ced_run(label_studio, tmp_path_factory):
    if not CED.is_dir():
        pytest.skip(f"real CED data not found at {CED} (../shared is absent)")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOMEKIT_LS_URL", label_studio.url)
    mp.setenv("SOMEKIT_LS_TOKEN", label_studio.token)
    ws = init_workspace(tmp_path_factory.mktemp("cedrun") / "ws", name="cedreview")
    (ws.root / "somekit.toml").write_text(CONFIG.format(ced=CED))
    ws = open_workspace(ws.root)
    yield ws, label_studio
    mp.undo()


def test_run_stops_at_review_then_freezes_the_majority(ced_run):
    ws, ls = ced_run
    first = _run(ws)
    items = read_items(ws, "ubp")
    assert first.exit_code == 3, first.output
    pid = load_state(ws, "ubp").project_id
    assert f"{len(items)} tasks await review in {ls.url}/projects/{pid}" in re.sub(r"\s+", " ", first.output)
    assert "run again to pull" in first.output and "Error:" not in first.output and not ws.frozen("v1").exists()

    client = ls.client()
    assert client.projects.get(id=pid).maximum_annotations == 2   # Label Studio hands each task to two people
    people = {name: client.users.create(email=f"{name}@somekit.local", username=name) for name in ("alice", "bob", "carol")}
    tasks = {iid: v[0] for iid, v in load_state(ws, "ubp").tasks.items()}
    votes: dict[str, list[str]] = {}
    for i, it in enumerate(items):
        alice = FLIP[it.answer.label] if i % ALICE_CORRECTS_EVERY == 0 else it.answer.label
        bob = FLIP[alice] if i % BOB_DISAGREES_EVERY == 1 else alice
        for who, label in (("alice", alice), ("bob", bob)):
            client.annotations.create(id=tasks[it.id], result=_choice(label), completed_by=people[who].id)
        votes[it.id] = [alice, bob]
    ties = [it for it in items if len(set(votes[it.id])) == 2]
    assert ties and len(ties) == sum(1 for i in range(len(items)) if i % BOB_DISAGREES_EVERY == 1)

    second = _run(ws)
    assert second.exit_code == 3, second.output
    assert f"{len(ties)} tasks await review" in re.sub(r"\s+", " ", second.output)
    for n, it in enumerate(ties):   # carol breaks each tie, siding with alice and bob in turn
        label = votes[it.id][n % 2]
        client.annotations.create(id=tasks[it.id], result=_choice(label), completed_by=people["carol"].id)
        votes[it.id].append(label)

    third = _run(ws)
    assert third.exit_code == 0, third.output
    majority = {iid: max(set(v), key=v.count) for iid, v in votes.items()}
    frozen = {it.id: it for split in SPLITS for it in read_frozen(ws, "v1", "ubp", split)}
    assert set(frozen) == {it.id for it in items}
    assert {iid: it.answer.label for iid, it in frozen.items()} == majority
    machine = {it.id: it.answer.label for it in items}
    assert all(frozen[i].review.state == ("accepted" if majority[i] == machine[i] else "corrected") for i in frozen)

    audit = read_selection(ws, "ubp")["audit"]
    assert len(audit) == 12
    share = sum(majority[i] == machine[i] for i in audit) / len(audit)
    manifest = orjson.loads((ws.frozen("v1") / "MANIFEST.json").read_bytes())
    rates = manifest["error_rates"]["ubp"]
    assert rates["audit"]["accuracy"] == round(share, 4) and rates["audit"]["complete"]
    assert rates["agreement"]["items"] == len(items) and rates["agreement"]["fleiss_kappa"] is not None
    card = (ws.root / "published" / "v1" / "README.md").read_text()
    body = card.split("---", 2)[2]
    assert body.index("## Measured label quality") < body.index("## Tasks")
    assert f"| `ubp` | 12 of 12 | {100 * share:.1f}% (" in card and "Warning" not in card

    status = orjson.loads(CliRunner().invoke(main, ["review", "status", str(ws.root), "--json"]).stdout)
    assert status["ubp"]["audit"]["accuracy"] == round(share, 4) and status["ubp"]["awaiting"] == 0


def test_rebuild_keeps_every_decision_and_pull_twice_gives_the_same_bytes(ced_run):
    ws, _ = ced_run
    v1 = _files(ws, "v1")
    decisions = (ws.review("ubp") / "decisions.jsonl").read_bytes()
    shutil.rmtree(ws.items("ubp"))                      # a rebuild from scratch, same config
    (ws.runs / "stages" / "build_ubp.json").unlink()
    again = _run(ws, "--json")
    assert again.exit_code == 0, again.output
    stages = {s["name"]: s for s in orjson.loads(again.stdout.strip().splitlines()[-1])["stages"]}
    assert stages["build ubp"]["status"] == "ran" and stages["review pull"]["status"] == "ran"
    assert (ws.review("ubp") / "decisions.jsonl").read_bytes() == decisions
    for _ in range(2):
        res = CliRunner().invoke(main, ["review", "pull", str(ws.root), "ubp"])
        assert res.exit_code == 0, res.output
        assert (ws.review("ubp") / "decisions.jsonl").read_bytes() == decisions
    res = CliRunner().invoke(main, ["freeze", str(ws.root), "--version", "v2"])
    assert res.exit_code == 0, res.output
    assert _files(ws, "v2") == v1
    res = CliRunner().invoke(main, ["freeze", str(ws.root), "--version", "v1", "--json"])
    assert res.exit_code == 0 and orjson.loads(res.stdout)["unchanged"] is True


def test_server_down_during_the_run_pull_is_a_clear_error_and_the_rerun_completes(ced_run):
    ws, ls = ced_run
    decisions = (ws.review("ubp") / "decisions.jsonl").read_bytes()
    manifest = (ws.frozen("v1") / "MANIFEST.json").read_bytes()
    ls.stop()
    try:
        down = _run(ws)
        assert down.exit_code == 1, down.output
        assert "not reachable" in down.output and "Traceback" not in down.output
        assert (ws.review("ubp") / "decisions.jsonl").read_bytes() == decisions
    finally:
        ls.start()
    up = _run(ws)
    assert up.exit_code == 0, up.output
    assert (ws.review("ubp") / "decisions.jsonl").read_bytes() == decisions
    assert (ws.frozen("v1") / "MANIFEST.json").read_bytes() == manifest
