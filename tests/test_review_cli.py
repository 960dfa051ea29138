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
from tests.fixtures.label_studio import make_ubp_items, make_uea_items


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
    assert pushed["sent"] == 7 and pushed["needs_review"] == 1 and pushed["audit"] == 3    # audit: at most half
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


def test_review_cli_push_order_within_budget(ls_env, tmp_path):
    """UEA items with label-quality scores: `--budget 8` sends 8 items, imported in review order:
    the audit sample, the flagged items (lowest score first), then the lowest scores; the same
    push again changes nothing; --allow-over-budget adds the flagged items left out."""
    ws = init_workspace(tmp_path / "ws", name="orderspace")
    (ws.root / "somekit.toml").write_text('[workspace]\nname = "orderspace"\n\n[review]\naudit_size = 3\n')
    items = []
    for i, it in enumerate(make_uea_items(24)):
        step = it.provenance.llm[0].model_copy(update={"label_quality": round((i * 7 % 24) / 24, 4)})
        review = it.review.model_copy(update={"needs_review": i in (1, 2, 4, 5, 8, 11, 14, 17, 20, 23), "note": "no majority"})
        items.append(it.model_copy(update={"provenance": it.provenance.model_copy(update={"llm": [step]}), "review": review}))
    write_items(ws, "uea", items)
    score = {it.id: it.provenance.llm[0].label_quality for it in items}
    runner = CliRunner()
    res = runner.invoke(main, ["review", "push", str(ws.root), "uea", "--budget", "8", "--json"])
    assert res.exit_code == 0, res.output
    pushed = orjson.loads(res.stdout.strip().splitlines()[-1])
    sel = read_selection(ws, "uea")
    assert pushed["sent"] == 8 and pushed["created"] == 8 and len(sel["audit"]) == 3
    flagged = [iid for iid in sel["needs_review"] if iid not in sel["audit"]]
    assert pushed["flagged_unsent"] == len(flagged) - 5                  # 5 places left after the audit
    tasks = sorted(ls_env.client().tasks.list(project=pushed["project_id"], fields="all"), key=lambda t: t.id)
    shown = [t.data["somekit_id"] for t in tasks]
    assert shown[:3] == [iid for iid in sel["order"][:3]] and set(shown[:3]) == set(sel["audit"])
    assert shown[3:] == sorted(flagged, key=score.get)[:5]               # more flagged than room: lowest scores
    assert [t.predictions[0].score for t in tasks[3:]] == sorted(score[i] for i in shown[3:])
    res = runner.invoke(main, ["review", "push", str(ws.root), "uea", "--budget", "8", "--json"])
    again = orjson.loads(res.stdout.strip().splitlines()[-1])
    assert res.exit_code == 0 and again["created"] == 0 and again["unchanged"] == 8 and read_selection(ws, "uea") == sel
    res = runner.invoke(main, ["review", "push", str(ws.root), "uea", "--budget", "8", "--allow-over-budget", "--json"])
    over = orjson.loads(res.stdout.strip().splitlines()[-1])
    assert res.exit_code == 0 and over["over_budget"] and over["created"] == len(flagged) - 5 and over["flagged_unsent"] == 0
    res = runner.invoke(main, ["review", "status", str(ws.root), "--json"])
    left = orjson.loads(res.stdout)["uea"]["remaining_errors"]
    assert left["unreviewed"] == 24 and left["estimate"] is None          # nobody has decided an audit item yet


def _split_items(n_majority: int, splits: list[tuple[str, str, str, str]]) -> list:
    """UEA items voted by three voters: `good` (what people will say), `fair` and `poor`. The first
    `n_majority` have a 2-1 majority; then one item per split (good, fair, poor, kept label): three
    different votes, flagged for review with the kept label as the tie's suggestion."""
    from somekit.schemas.items import CommentInputs, EmotionAnswer, UEAItem, item_id
    from somekit.schemas.provenance import LLMStep, Provenance, Vote
    from somekit.schemas.review import Review

    emotions = ["positive", "angry", "sad", "surprise", "fear", "emotionless"]
    rows = [(emotions[i % 6], emotions[i % 6], emotions[(i + 1) % 6] if i % 2 else emotions[i % 6], emotions[i % 6])
            for i in range(n_majority)]
    items = []
    for i, (good, fair, poor, kept) in enumerate(rows + splits):
        inputs = CommentInputs(user_id=f"u{i}", post_id=f"p{i}", comment_id=f"c{i}", comment=f"comment number {i}!")
        votes = [Vote(voter="good", value=good), Vote(voter="fair", value=fair), Vote(voter="poor", value=poor)]
        split = i >= n_majority
        # majority items score 0.3-0.8; splits in order, so the first pushed are the first splits
        score = 0.05 + (i - n_majority) / 40 if split else 0.3 + (i * 7 % 50) / 100
        step = LLMStep(step="vote", model="offline", backend="offline", votes=votes, label_quality=round(score, 4),
                       agreement=round(sum(v.value == kept for v in votes) / 3, 4))
        items.append(UEAItem(id=item_id("uea", inputs.model_dump()), query=f"What emotion does u{i} show in c{i}?",
                             template_id="uea.en@1", lang="en", inputs=inputs, answer=EmotionAnswer(emotion=kept),
                             provenance=Provenance(rule="label:no-majority" if split else "label:majority-vote", builder="uea@1",
                                                   llm=[step]),
                             review=Review(needs_review=split, note="no majority" if split else None)))
    return items


def test_review_cli_push_after_decisions_weighs_the_voters(ls_env, tmp_path):
    """People decide 24 items in Label Studio; the next push weighs the voters by those decisions:
    a split vote the accuracy-weighted vote decides for its own label is no longer flagged, one it
    decides for another label stays flagged (and goes first); status and the selection name the
    voters' measured accuracy."""
    from somekit.review.labelstudio.configs import prediction_result

    emotions = ["positive", "angry", "sad", "surprise", "fear", "emotionless"]
    splits = []
    for k in range(30):
        good, fair, poor = emotions[k % 6], emotions[(k + 1) % 6], emotions[(k + 2) % 6]
        # the first 22 splits are pushed first; of the 8 left, 4 keep the good voter's label, 4 the fair one's
        splits.append((good, fair, poor, good if k < 22 + 4 else fair))
    ws = init_workspace(tmp_path / "ws", name="weighspace")
    (ws.root / "somekit.toml").write_text('[workspace]\nname = "weighspace"\n\n[review]\naudit_size = 2\n')
    items = _split_items(30, splits)
    write_items(ws, "uea", items)
    runner = CliRunner()
    res = runner.invoke(main, ["review", "push", str(ws.root), "uea", "--budget", "24", "--json"])
    assert res.exit_code == 0, res.output
    first = read_selection(ws, "uea")
    assert not first["splits_decided"] and len(first["send"]) == 24
    people = {it.id: it.provenance.llm[0].votes[0].value for it in items}          # people agree with `good`
    by_id = {it.id: it for it in items}
    state = load_state(ws, "uea")
    for iid in first["send"]:
        ls_env.client().annotations.create(id=state.tasks[iid][0], result=prediction_result(by_id[iid], {"emotion": people[iid]}))
    res = runner.invoke(main, ["review", "pull", str(ws.root), "uea", "--json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["review", "push", str(ws.root), "uea", "--budget", "30", "--json"])
    assert res.exit_code == 0, res.output
    pushed = orjson.loads(res.stdout.strip().splitlines()[-1])
    sel = read_selection(ws, "uea")
    assert pushed["created"] == 6 and sel["voter_accuracy"]["good"] == 1.0
    assert sel["voter_accuracy"]["good"] > sel["voter_accuracy"]["fair"] > sel["voter_accuracy"]["poor"]
    unsent = [it for it in items[30:] if it.id not in set(first["send"])]
    confirmed = [it.id for it in unsent if it.answer.emotion == people[it.id]]
    overturned = [it.id for it in unsent if it.answer.emotion != people[it.id]]
    assert len(unsent) >= 7 and 3 <= len(confirmed) <= 4 and len(overturned) == 4   # 1 split may be in the audit
    assert all(sel["splits_decided"][i] == people[i] for i in confirmed + overturned)
    assert not set(confirmed) & set(sel["needs_review"])                          # no longer ties
    assert all(sel["needs_review"][i] == [f"split:weighted-vote-says-{people[i]}"] for i in overturned)
    tasks = sorted(ls_env.client().tasks.list(project=pushed["project_id"], fields="all"), key=lambda t: t.id)
    new = [t.data["somekit_id"] for t in tasks[24:]]
    assert set(new[:4]) == set(overturned)                                       # still flagged: first
    rest = sorted(sel["scores"][i] for i in sel["scores"] if i not in set(first["send"]) | set(overturned))
    assert [sel["scores"][i] for i in new[4:]] == rest[:2]                        # then by label-quality score
    res = runner.invoke(main, ["review", "status", str(ws.root), "--json"])
    shown = orjson.loads(res.stdout)["uea"]
    assert shown["splits_decided"] == 30 and shown["voter_accuracy"] == sel["voter_accuracy"]
