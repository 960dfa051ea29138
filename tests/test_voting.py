"""Vote aggregation, Fleiss' kappa, rebalancing and quality gates with scripted votes (no fakes:
these are pure functions over hand-written inputs)."""

from __future__ import annotations

import math

import pytest

from somekit.annotate.aggregate import (SOME_UEA_TARGETS, label_gates, quality_block, rebalance,
                                        scale_targets, draft_gates)
from somekit.annotate.voters import parse_spec, parse_vote, default_specs
from somekit.annotate.voting import (fleiss_kappa, kappa_from_votes, majority, per_class_agreement, quality_weights,
                                     weighted_vote)
from somekit.errors import ConfigError


def test_majority_three_zero():
    agg = majority(["sad", "sad", "sad"])
    assert agg.label == "sad" and agg.majority and not agg.needs_review
    assert agg.agreement == 1.0 and agg.note is None


def test_majority_two_one():
    agg = majority(["angry", "sad", "angry"])
    assert agg.label == "angry" and agg.majority
    assert agg.agreement == pytest.approx(2 / 3)
    assert agg.counts == {"angry": 2, "sad": 1}


def test_three_way_tie_needs_review():
    agg = majority(["fear", "sad", "positive"], order=["positive", "angry", "sad", "fear"])
    assert agg.needs_review and not agg.majority
    assert agg.label == "positive"          # plurality suggestion, tie broken by class order
    assert "no majority" in agg.note and "fear=1" in agg.note


def test_failed_votes_count_against_majority():
    assert majority(["sad", None, "sad"]).majority               # 2 of 3 still a majority
    one = majority(["sad", None, None])
    assert one.needs_review and one.failed == 2
    none = majority([None, None, None])
    assert none.label is None and none.needs_review


def test_fleiss_kappa_hand_computed():
    # 4 items, 3 raters, 3 categories. Rows: [3,0,0] [0,3,0] [2,1,0] [1,1,1]
    # P_i = (sum n_ij^2 - 3) / 6 -> 1, 1, 1/3, 0; P_bar = 7/12
    # p_j = (6/12, 5/12, 1/12); P_e = (36 + 25 + 1) / 144 = 62/144
    # kappa = (7/12 - 62/144) / (1 - 62/144) = (84 - 62) / (144 - 62) = 22/82
    table = [[3, 0, 0], [0, 3, 0], [2, 1, 0], [1, 1, 1]]
    assert fleiss_kappa(table) == pytest.approx(22 / 82)


def test_fleiss_kappa_edges():
    assert fleiss_kappa([[3, 0], [3, 0]]) is None          # one category only: undefined
    assert fleiss_kappa([[3, 0], [0, 3]]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        fleiss_kappa([[3, 0], [1, 1]])


def test_kappa_from_votes_skips_failed_items():
    votes = [["a", "a", "a"], ["b", "b", "b"], ["a", "b", "a"], ["a", "b", "c"], ["a", None, "a"]]
    out = kappa_from_votes(votes, ["a", "b", "c"])
    assert out["kappa_items"] == 4 and out["kappa_skipped"] == 1 and out["raters"] == 3
    assert out["fleiss_kappa"] == pytest.approx(22 / 82, abs=1e-6)


def test_scale_targets_keeps_total_and_minimum():
    scaled = scale_targets(SOME_UEA_TARGETS, 60)
    assert sum(scaled.values()) == 60 and scaled["fear"] >= 1
    assert scaled["positive"] > scaled["surprise"] > scaled["angry"]
    assert scale_targets(SOME_UEA_TARGETS, None) == SOME_UEA_TARGETS


def test_rebalance_prefers_majority_and_reports_shortfall():
    cands = [("p", True)] * 5 + [("p", False)] * 5 + [("s", False)] * 2
    cands = [(lab, ok, i) for i, (lab, ok) in enumerate(cands)]
    picked, short = rebalance(cands, lambda c: c[0], {"p": 5, "s": 3}, seed=1, prefer=lambda c: c[1])
    assert sum(1 for c in picked if c[0] == "p") == 5
    assert all(c[1] for c in picked if c[0] == "p")          # majority ones first
    assert short == {"s": 1}
    again, _ = rebalance(cands, lambda c: c[0], {"p": 5, "s": 3}, seed=1, prefer=lambda c: c[1])
    assert again == picked


def test_quality_gates():
    reasons = label_gates({"fear": 95, "sad": 5}, kappa=0.06)
    assert any("kappa 0.06" in r for r in reasons) and any("fear takes 95%" in r for r in reasons)
    block = quality_block(reasons)
    assert block["reliable"] is False and "must not be published unreviewed" in block["message"]
    assert label_gates({"a": 50, "b": 50}, kappa=0.7) == []
    assert quality_block([])["reliable"] is True
    assert draft_gates(10, 5) and not draft_gates(10, 1)


def test_voter_specs_and_label_parsing():
    assert parse_spec("embed:zh-a").name == "embed:zh-a"
    spec = parse_spec({"kind": "llm", "model": "qwen", "seed": 2, "temperature": 0.7})
    assert spec.name == "llm:qwen@uea.vote@1@s2@t0.7"
    with pytest.raises(ConfigError):
        parse_spec("embed:nope")
    with pytest.raises(ConfigError):
        parse_spec("human")
    for kind, name in (("lexicon", "lexicon:dutir"), ("head", "head:seed"), ("head", "head:builtin")):
        assert parse_spec(name).kind == kind and parse_spec(name).name == name
    with pytest.raises(ConfigError):
        parse_spec("head:other")
    # one parser, shared with eval (somekit.eval.extract): JSON label field first, negation-aware
    assert parse_vote('{"reason": "feels angry", "label": "sad"}') == "sad"
    assert parse_vote('{"label": "愤怒", "reason": "很开心"}') == "angry"
    assert parse_vote("这条评论表达了愤怒") == "angry"
    assert parse_vote("无情绪") == "emotionless"
    assert parse_vote("not angry, just sad") == "sad"
    assert parse_vote("a sense of danger and fear") == "fear"
    assert parse_vote("unhappy") != "positive" and parse_vote("不开心") != "positive"
    assert parse_vote("no idea") is None and parse_vote("") is None


def test_tie_suggestion_follows_the_most_trusted_voter_not_class_order():
    agg = majority(["fear", "sad", "positive"], order=["positive", "angry", "sad", "fear"], trust=[1, 0, 2])
    assert agg.needs_review and agg.label == "sad"            # voter 1 is trusted most
    assert majority(["fear", "sad", "sad"], trust=[0]).label == "sad"   # a majority is never overridden


def test_per_class_agreement_hand_computed():
    # 4 items x 3 raters: [a,a,a] [b,b,b] [a,a,b] [a,b,c]
    out = per_class_agreement([["a", "a", "a"], ["b", "b", "b"], ["a", "a", "b"], ["a", "b", "c"]], ["a", "b", "c"])
    # a: votes 6, p=0.5; pairs n(n-1): 6 + 2 + 0 = 8 -> agreement 8 / (6*2) = 0.667
    # kappa_a = 1 - sum n(n-n_ij) / (N n (n-1) p (1-p)) = 1 - (0 + 2 + 2) / (4*3*2*0.25) = 1 - 4/6
    assert out["a"]["votes"] == 6 and out["a"]["agreement"] == pytest.approx(8 / 12, abs=1e-6)
    assert out["a"]["kappa"] == pytest.approx(1 - 4 / 6, abs=1e-6)
    assert out["c"]["agreement"] == 0.0 and out["c"]["votes"] == 1
    assert per_class_agreement([], ["a"]) == {"a": {"kappa": None, "agreement": None, "votes": 0}}


def test_default_voters_are_three_different_methods(ws, monkeypatch):
    monkeypatch.delenv("SOMEKIT_LLM_BASE_URL", raising=False)
    cfg = ws.config()
    assert [s.name for s in default_specs(cfg)] == ["embed:zh-a", "lexicon:dutir", "head:builtin"]
    assert [s.name for s in default_specs(cfg, seeded=True)] == ["embed:zh-a", "lexicon:dutir", "head:seed"]
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert [s.kind for s in default_specs(cfg)] == ["llm"] * 3


def test_quality_weights_are_log_odds_and_chance_weighs_nothing():
    w = quality_weights({"good": 0.8, "chance": 1 / 6, "worse": 0.05}, 6)
    assert w["good"] == pytest.approx(math.log(5 * 0.8 / 0.2))
    assert w["chance"] == pytest.approx(0.0, abs=1e-12) and w["worse"] == 0.0


def test_weighted_vote_decides_a_split_by_measured_quality():
    weights = quality_weights({"head": 0.52, "embed": 0.43, "lexicon": 0.40}, 6)
    agg = weighted_vote([("embed", "sad"), ("lexicon", "fear"), ("head", "angry")], weights)
    assert agg.majority and agg.label == "angry" and agg.note is None      # the most accurate voter's label
    assert majority(["sad", "fear", "angry"]).needs_review                  # the plain vote could not
    # two average voters still outvote the best one: a weighted vote is no dictatorship of the best
    agg = weighted_vote([("embed", "sad"), ("lexicon", "sad"), ("head", "angry")], weights)
    assert agg.label == "sad" and agg.agreement == pytest.approx((weights["embed"] + weights["lexicon"]) / sum(weights.values()))


def test_weighted_vote_leaves_a_split_open_when_the_voters_weigh_the_same():
    weights = quality_weights({"a": 0.5, "b": 0.5, "c": 0.5}, 6)
    agg = weighted_vote([("a", "sad"), ("b", "fear"), ("c", "angry")], weights)
    assert not agg.majority and agg.needs_review and "no weighted winner" in agg.note
    failed = weighted_vote([("a", None), ("b", None), ("c", None)], weights)
    assert failed.label is None and failed.failed == 3
    # a failed vote counts against the winner's share, as in `majority`
    agg = weighted_vote([("a", "sad"), ("b", None), ("c", "fear")], {"a": 2.0, "b": 1.0, "c": 1.0})
    assert agg.majority and agg.label == "sad" and agg.agreement == pytest.approx(0.5)
