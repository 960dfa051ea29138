"""Review decisions as data of their own, without a server: the audit selection, the join of
decisions with items (stale on changed content), the Wilson interval and the error-rate figures,
the card's quality table, and freeze's refusal of an incomplete audit."""

from __future__ import annotations

import math

import pytest

from somekit.freeze import FreezeError, freeze
from somekit.review.join import join_items
from somekit.review.ledger import content_hash, read_decisions, write_decisions, write_selection
from somekit.review.metrics import error_rates, wilson
from somekit.review.selection import allocate, select
from somekit.schemas.review import AnnotationRef, DecisionRecord
from somekit.store.items import write_items
from somekit.workspace import init_workspace
from tests.fixtures.label_studio import make_uea_items, make_ubp_items


def test_wilson_matches_the_closed_form_and_edges():
    lo, hi = wilson(81, 100)
    # Closed form computed independently (z = 1.96 rounded gives the textbook 0.7222-0.8756).
    z, p, n = 1.959963984540054, 0.81, 100
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (lo, hi) == (round(c - h, 4), round(c + h, 4)) and 0.72 < lo < 0.73 and 0.87 < hi < 0.88
    assert wilson(0, 0) is None
    assert wilson(10, 10)[1] == 1.0 and wilson(10, 10)[0] > 0.69
    assert wilson(0, 10)[0] == 0.0


def test_allocation_is_proportional_and_gives_every_class_one():
    assert allocate({"yes": 500, "no": 500}, 100) == {"yes": 50, "no": 50}
    a = allocate({"a": 900, "b": 90, "c": 10}, 100)
    assert sum(a.values()) == 100 and a["a"] == 90 and a["b"] == 9 and a["c"] == 1
    assert allocate({"a": 990, "b": 10}, 10) == {"a": 9, "b": 1}   # the small class still gets one
    assert allocate({"a": 3, "b": 2}, 100) == {"a": 3, "b": 2}


def test_selection_needs_review_audit_and_budget(tmp_path):
    ws = init_workspace(tmp_path / "ws", name="sel")
    items = make_ubp_items(60)
    items[0] = items[0].model_copy(update={"review": items[0].review.model_copy(update={"needs_review": True, "note": "tie"})})
    write_items(ws, "ubp", items)
    full = select(ws, "ubp", items, audit_size=20, seed=7)
    assert full["send"] == sorted(i.id for i in items)          # no budget: everything goes
    assert len(full["audit"]) == 20 and full["audit_by_label"] == {"no": 10, "yes": 10}
    assert list(full["needs_review"]) == [items[0].id] and full["needs_review"][items[0].id][0].startswith("flagged:tie")
    assert select(ws, "ubp", items, audit_size=20, seed=7) == full          # deterministic
    assert select(ws, "ubp", items, audit_size=20, seed=8)["audit"] != full["audit"]
    budgeted = select(ws, "ubp", items, audit_size=20, budget=30, seed=7)
    # the audit takes at most half the budget; the flagged item and unscored items (random order) fill it
    assert len(budgeted["audit"]) == 15 and len(budgeted["send"]) == 30 and items[0].id in budgeted["send"]
    assert not budgeted["over_budget"] and set(budgeted["audit"]) < set(full["audit"])
    tight = select(ws, "ubp", items, audit_size=20, budget=5, seed=7)
    assert len(tight["audit"]) == 2 and len(tight["send"]) == 5 and not tight["over_budget"]   # a budget is a budget
    uea = make_uea_items(12)   # votes [e, e, sad]: agreement 2/3, or 1 when e is sad
    low = select(ws, "uea", uea, audit_size=0, min_agreement=0.7, seed=7)
    assert len(low["needs_review"]) == 10 and all(r[0].startswith("low-agreement:0.67") for r in low["needs_review"].values())


def _rec(item, state, who=("alice",), answer=None, chash=None, at="2026-01-02T03:04:05.000000Z"):
    refs = [AnnotationRef(annotator=w, annotation_id=i + 1, task_id=1, outcome=state, created_at=at, updated_at=at)
            for i, w in enumerate(who)]
    return DecisionRecord(item_id=item.id, content_hash=chash or content_hash(item), state=state, answer=answer,
                          reviewers=list(who), decided_at=at, annotations=refs)


@pytest.fixture
def decided(tmp_path):
    """12 UBP items, all pushed; audit = first 8; decisions on 10 of them (one on old content)."""
    ws = init_workspace(tmp_path / "ws", name="joined")
    items = make_ubp_items(12)
    write_items(ws, "ubp", items)
    (ws.review("ubp")).mkdir(parents=True, exist_ok=True)
    (ws.review("ubp") / "sync.json").write_text('{"tasks": {%s}}' % ", ".join(f'"{i.id}": [1, "x"]' for i in items))
    write_selection(ws, "ubp", {"audit": sorted(i.id for i in items[:8]), "budget": None, "send": sorted(i.id for i in items),
                                "gate_failed": True})
    flip = {"yes": "no", "no": "yes"}
    recs = [_rec(items[i], "accepted") for i in range(5)]
    recs.append(_rec(items[5], "corrected", answer={"label": flip[items[5].answer.label]}))
    recs.append(_rec(items[6], "rejected"))
    recs.append(_rec(items[7], "accepted", chash="0" * 16))     # decided on content since rebuilt
    recs.append(_rec(items[8], "accepted"))
    write_decisions(ws, "ubp", recs)
    return ws, items


def test_join_applies_decisions_and_marks_changed_content_stale(decided):
    ws, items = decided
    before = (ws.items("ubp") / "items.jsonl").read_bytes()
    joined = {j.draft.id: j for j in join_items(ws, "ubp")}
    assert [joined[i.id].status for i in items] == ["accepted"] * 5 + ["corrected", "rejected", "stale", "accepted",
                                                                      "pending", "pending", "pending"]
    fixed = joined[items[5].id].item
    assert fixed.answer.label != items[5].answer.label and fixed.review.original_answer == {"label": items[5].answer.label}
    assert fixed.review.at.isoformat() == "2026-01-02T03:04:05+00:00"     # the annotation's time, not now()
    assert joined[items[7].id].item.review.state == "pending" and "content changed" in joined[items[7].id].item.review.note
    assert (ws.items("ubp") / "items.jsonl").read_bytes() == before        # the build output is never rewritten
    rates = error_rates(joined.values(), {"audit": [i.id for i in items[:8]]})
    audit = rates["audit"]
    assert (audit["size"], audit["decided"], audit["complete"]) == (8, 7, False)
    assert audit["accuracy"] == round(5 / 7, 4) and audit["ci"] == wilson(5, 7)
    assert sum(c["n"] for c in audit["per_class"].values()) == 7
    assert rates["shares"]["decided"] == 8 and rates["shares"]["accepted"] == 0.75
    # 2 of 7 decided audit items wrong: 12 * 2/7 wrong in all, 2 of them already found, 4 items undecided
    left = rates["remaining_errors"]
    assert (left["unreviewed"], left["known_wrong"], left["estimate"]) == (4, 2, round(12 * 2 / 7 - 2, 2))
    assert 0 <= left["ci"][0] <= left["estimate"] <= left["ci"][1] <= 4


def test_freeze_refuses_an_incomplete_audit_and_says_so_when_forced(decided, tmp_path):
    from somekit.publish.build import publish

    ws, items = decided
    with pytest.raises(FreezeError, match="ubp: the audit sample is incomplete .7 of 8"):
        freeze(ws, "v1")
    result = freeze(ws, "v1", include_unreviewed=True)
    m = result.manifest
    assert m.review["ubp"] == {"accepted": 6, "corrected": 1, "pending": 3, "rejected": 1, "stale": 1}
    assert m.error_rates["ubp"]["audit"]["accuracy"] == round(5 / 7, 4)
    card = (publish(ws, "v1", to=tmp_path / "pub").path / "README.md").read_text()
    body = card.split("---", 2)[2].strip().split("\n\n")
    assert body[0].startswith("# ") and body[1].startswith("> **Warning:**")
    assert "`ubp` is incomplete" in body[1] and "no human has reviewed" in body[1]
    assert "| `ubp` | 7 of 8 | 71.4% (" in card
    assert "`ubp` failed its machine-label quality gate: a reason to review more of it, not less" in card
    assert "`ubp`: about 1 wrong labels are expected among the 4 items nobody reviewed (95% interval 0-4)" in card
    # completing the audit (the stale item decided again on its current content) lets freeze run
    recs = list(read_decisions(ws, "ubp").values())
    recs = [r for r in recs if r.item_id != items[7].id] + [_rec(items[7], "accepted")]
    write_decisions(ws, "ubp", recs)
    m2 = freeze(ws, "v2").manifest
    assert m2.error_rates["ubp"]["audit"]["complete"] and m2.error_rates["ubp"]["audit"]["accuracy"] == 0.75
    assert sum(m2.counts["ubp"].values()) == 8 and not m2.include_unreviewed


def test_freeze_cli_refuses_an_incomplete_audit_with_a_clear_message(decided):
    import orjson
    from click.testing import CliRunner

    from somekit.cli import main

    ws, _ = decided
    res = CliRunner().invoke(main, ["freeze", str(ws.root), "--version", "v1"])
    assert res.exit_code == 1 and "audit sample is incomplete" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(main, ["freeze", str(ws.root), "--version", "v1", "--include-unreviewed", "--json"])
    assert res.exit_code == 0, res.output
    shown = orjson.loads(res.stdout)
    assert shown["error_rates"]["ubp"]["audit"]["decided"] == 7 and shown["counts"]["ubp"]
