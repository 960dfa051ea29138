"""Review round trip against a real Label Studio server (tests/fixtures/label_studio.py): push UBP,
UEA and SMQ items, annotate through the SDK as reviewers would, pull, check the decisions joined
with the items (items.jsonl itself is never rewritten by review)."""

from __future__ import annotations

import pytest

from somekit.review.labelstudio import connect, pull, push, status
from somekit.review.labelstudio.configs import FLAG, VERDICT
from somekit.review.join import join_items
from somekit.review.ledger import read_decisions
from somekit.store.items import read_items, write_items
from somekit.workspace import init_workspace
from tests.fixtures.label_studio import make_smq_items, make_ubp_items, make_uea_items


def choice(name, value):
    return {"from_name": name, "to_name": "query", "type": "choices", "value": {"choices": [value]}}


def text(name, value):
    return {"from_name": name, "to_name": "query", "type": "textarea", "value": {"text": [value]}}


@pytest.fixture(scope="module")
def reviewed(label_studio, tmp_path_factory):
    """A workspace whose three tasks were pushed, annotated in several ways, and pulled."""
    ws = init_workspace(tmp_path_factory.mktemp("review") / "ws", name="roundtrip")
    write_items(ws, "ubp", make_ubp_items(12))
    write_items(ws, "uea", make_uea_items(6))
    write_items(ws, "smq", make_smq_items(4))
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    pushed = {t: push(ws, t, conn=conn, batch_size=5) for t in ("ubp", "uea", "smq")}
    client = label_studio.client()
    second = client.users.create(email="second@somekit.local", username="second")
    third = client.users.create(email="third@somekit.local", username="third")
    sync = {t: _task_ids(ws, t) for t in pushed}
    items = {t: read_items(ws, t) for t in pushed}

    def annotate(task, index, result, who=None, cancelled=False):
        tid = sync[task][items[task][index].id]
        client.annotations.create(id=tid, result=result, was_cancelled=cancelled,
                                  **({"completed_by": who.id} if who else {}))

    flip = {"yes": "no", "no": "yes"}
    ubp = items["ubp"]
    annotate("ubp", 0, [choice("label", ubp[0].answer.label)])                       # accept
    annotate("ubp", 1, [choice("label", flip[ubp[1].answer.label])])                 # correct
    annotate("ubp", 2, [choice("label", ubp[2].answer.label), choice(FLAG, "reject")])  # reject
    annotate("ubp", 3, [choice("label", "yes")])                                     # tie: yes vs no
    annotate("ubp", 3, [choice("label", "no")], who=second)
    annotate("ubp", 4, [choice("label", flip[ubp[4].answer.label])])                 # 2 of 3 correct
    annotate("ubp", 4, [choice("label", flip[ubp[4].answer.label])], who=second)
    annotate("ubp", 4, [choice("label", ubp[4].answer.label)], who=third)
    annotate("ubp", 5, [], cancelled=True)                                            # skipped
    annotate("uea", 0, [choice("emotion", items["uea"][0].answer.emotion)])
    annotate("uea", 1, [choice("emotion", "fear" if items["uea"][1].answer.emotion != "fear" else "sad")])
    annotate("uea", 2, [choice("emotion", "sad"), choice(FLAG, "reject")])
    smq = items["smq"]
    annotate("smq", 0, [text("question", smq[0].inputs.question), text("answer", smq[0].answer.answer), choice(VERDICT, "accept")])
    annotate("smq", 1, [text("question", smq[1].inputs.question), text("answer", "A better answer."), choice(VERDICT, "accept")])
    annotate("smq", 2, [text("question", "What exactly happened?"), text("answer", smq[2].answer.answer), choice(VERDICT, "accept")])
    annotate("smq", 3, [text("question", smq[3].inputs.question), text("answer", smq[3].answer.answer), choice(VERDICT, "reject")])
    drafts = {t: (ws.items(t) / "items.jsonl").read_bytes() for t in pushed}
    pulled = {t: pull(ws, t, conn=conn) for t in pushed}
    assert drafts == {t: (ws.items(t) / "items.jsonl").read_bytes() for t in pushed}
    return ws, conn, pushed, pulled, items


def joined(ws, task):
    return {j.draft.id: j.item for j in join_items(ws, task)}


def _task_ids(ws, task):
    from somekit.review.labelstudio.state import load_state

    return {iid: v[0] for iid, v in load_state(ws, task).tasks.items()}


def test_push_creates_one_project_per_task_with_predictions(reviewed, label_studio):
    ws, conn, pushed, _, items = reviewed
    assert {r.title for r in pushed.values()} == {"roundtrip / ubp", "roundtrip / uea", "roundtrip / smq"}
    assert pushed["ubp"].created == 12 and pushed["uea"].created == 6
    tasks = list(label_studio.client().tasks.list(project=pushed["ubp"].project_id, fields="all"))
    assert len(tasks) == 12
    first = next(t for t in tasks if t.data["somekit_id"] == items["ubp"][0].id)
    assert first.predictions[0].result[0]["value"]["choices"] == [items["ubp"][0].answer.label]
    uea = next(iter(label_studio.client().tasks.list(project=pushed["uea"].project_id, fields="all")))
    assert "agreement" in uea.data["context"]   # votes shown as context


def test_pull_applies_accept_correct_reject_majority_tie_skip(reviewed):
    ws, _, _, pulled, items = reviewed
    after = joined(ws, "ubp")
    before = items["ubp"]
    states = [after[it.id].review.state for it in before]
    assert states[:6] == ["accepted", "corrected", "rejected", "pending", "corrected", "pending"]
    assert all(s == "pending" for s in states[6:])
    corrected = after[before[1].id]
    assert corrected.answer.label != before[1].answer.label
    assert corrected.review.original_answer == {"label": before[1].answer.label}
    assert "tie" in after[before[3].id].review.note
    assert after[before[4].id].review.reviewers == ["admin@somekit.local", "second@somekit.local"]
    assert "skipped" in after[before[5].id].review.note
    assert pulled["ubp"].agreement["items"] == 2
    rec = read_decisions(ws, "ubp")[before[4].id]
    assert [a.annotator for a in rec.annotations] == ["admin@somekit.local", "second@somekit.local", "third@somekit.local"]
    assert [a.outcome for a in rec.annotations] == ["corrected", "corrected", "accepted"]
    assert rec.decided_at == max(a.updated_at for a in rec.annotations[:2]) and rec.annotations[0].annotation_id > 0
    assert after[before[1].id].review.at is not None


def test_pull_uea_and_smq_values(reviewed):
    ws, _, _, _, items = reviewed
    uea = joined(ws, "uea")
    u = items["uea"]
    assert [uea[i.id].review.state for i in u[:3]] == ["accepted", "corrected", "rejected"]
    assert uea[u[1].id].answer.emotion in ("fear", "sad") and uea[u[1].id].answer.emotion != u[1].answer.emotion
    smq = joined(ws, "smq")
    s = items["smq"]
    assert [smq[i.id].review.state for i in s] == ["accepted", "corrected", "corrected", "rejected"]
    assert smq[s[1].id].answer.answer == "A better answer."
    assert smq[s[2].id].inputs.question == "What exactly happened?"
    assert smq[s[2].id].review.original_answer["answer"] == s[2].answer.answer


def test_repush_and_repull_change_nothing(reviewed, label_studio):
    ws, conn, pushed, _, _ = reviewed
    before = [(i.review.state, i.answer) for i in joined(ws, "ubp").values()]
    again = push(ws, "ubp", conn=conn, batch_size=5)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)
    assert label_studio.client().projects.get(id=pushed["ubp"].project_id).task_number == 12
    files = [ws.review("ubp") / n for n in ("decisions.jsonl", "pull.json")]
    first = [f.read_bytes() for f in files]
    pull(ws, "ubp", conn=conn)
    assert [f.read_bytes() for f in files] == first     # pulling twice gives identical bytes
    assert [(i.review.state, i.answer) for i in joined(ws, "ubp").values()] == before


def test_changed_content_of_an_annotated_item_goes_back_to_review(reviewed, label_studio):
    ws, conn, pushed, _, _ = reviewed
    items = read_items(ws, "smq")
    target = items[3]   # rejected by its reviewer; a rebuild drafts a new answer under the same id
    items[3] = target.model_copy(update={"answer": target.answer.model_copy(update={"answer": "Redrafted."})})
    write_items(ws, "smq", items)
    assert joined(ws, "smq")[target.id].review.state == "pending"
    assert [j.status for j in join_items(ws, "smq") if j.draft.id == target.id] == ["stale"]
    result = push(ws, "smq", conn=conn)
    assert (result.created, result.updated) == (0, 1)
    client = label_studio.client()
    tasks = [t for t in client.tasks.list(project=pushed["smq"].project_id, fields="all") if t.data["somekit_id"] == target.id]
    # the annotated task keeps what its reviewer saw; the new content is a new task
    assert len(tasks) == 2 and sum(1 for t in tasks if t.total_annotations) == 1
    new = next(t for t in tasks if not t.total_annotations)
    preds = list(client.predictions.list(task=new.id))
    assert len(preds) == 1 and any(r["value"].get("text") == ["Redrafted."] for r in preds[0].result)
    again = pull(ws, "smq", conn=conn)
    assert again.stale_annotations == 1 and target.id not in read_decisions(ws, "smq")
    assert [j.status for j in join_items(ws, "smq") if j.draft.id == target.id] == ["pending"]
    assert push(ws, "smq", conn=conn).created == 0   # the map points at the new task


def test_status_counts_and_agreement(reviewed):
    ws = reviewed[0]
    st = status(ws)
    assert st["ubp"]["accepted"] == 1 and st["ubp"]["corrected"] == 2 and st["ubp"]["rejected"] == 1
    assert st["ubp"]["pending"] == 8 and st["ubp"]["draft"] == 0
    assert st["ubp"]["agreement"]["items"] == 2 and 0 <= st["ubp"]["agreement"]["pairwise"] < 1
    # 12 items < audit_size: all are audited; 1 of the 4 decided was accepted unchanged
    audit = st["ubp"]["audit"]
    assert (audit["size"], audit["decided"], audit["accepted"], audit["accuracy"]) == (12, 4, 1, 0.25)
    # smq: accepted 1, corrected 2, and the rejected one was redrafted (stale, back in review)
    shares = st["smq"]["shares"]
    assert (shares["decided"], shares["accepted"], shares["corrected"], shares["rejected"]) == (3, 0.3333, 0.6667, 0.0)
    assert st["smq"]["stale"] == 0 and st["smq"]["pending"] == 1 and st["smq"]["awaiting"] == 1


def test_real_ubp_build_on_ced_pushes_with_post_context(ced_ws, label_studio, tmp_path):
    """The UBP builder's own items (real CED corpus) through push: real post text as context."""
    import shutil

    from somekit.builders.registry import get_builder
    from somekit.workspace import open_workspace

    shutil.copytree(ced_ws.root, tmp_path / "ws")
    ws = open_workspace(tmp_path / "ws")
    get_builder("ubp")(ws, ws.config(), n=8, seed=3)
    items = read_items(ws, "ubp")
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    result = push(ws, "ubp", conn=conn)
    assert result.created == len(items) > 0
    tasks = list(label_studio.client().tasks.list(project=result.project_id, fields="all"))
    assert len(tasks) == len(items)
    assert all("[post " in t.data["context"] for t in tasks)
