"""publish: Hub layout on disk loaded back with datasets.load_dataset, the card's YAML, hidden test
answers, and the upload path (the Hub cannot run here: HfApi is replaced by a recording fake at
its boundary, as the only fake in this file)."""

from __future__ import annotations

import json
import re

import datasets
import pytest
from click.testing import CliRunner
from huggingface_hub import DatasetCard
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs

from somekit.cli import main
from somekit.eval import evaluate
from somekit.freeze import freeze, read_frozen
from somekit.store.item_rows import row_to_item
from somekit.publish import PublishError, publish
from somekit.publish.features import decode_label
from somekit.store.items import write_items

from .test_freeze_items import make_items

TASKS = ("ubp", "uea", "mid", "smq", "red", "ses", "nap")


@pytest.fixture(scope="module")
def frozen_ws(tmp_path_factory):
    from somekit.workspace import init_workspace

    w = init_workspace(tmp_path_factory.mktemp("pub") / "ws")
    text = re.sub(r"\[splits\]\n(?:.*\n)*?(?=\n\[)", "[splits]\ntrain = 0.6\nvalidation = 0.0\ntest = 0.4\n", w.config_path.read_text())
    w.config_path.write_text(text.replace('license = "cc-by-nc-4.0"', 'license = "cc-by-4.0"'))
    for task in TASKS:
        write_items(w, task, make_items(task, 48), stats={"items": 48, "votes": {"fleiss_kappa": 0.375}})
    freeze(w, "v1")
    return w


def _load(folder, task, cache):
    return datasets.load_dataset(str(folder), task, cache_dir=str(cache))


def _back_to_items(task, ds):
    rows = []
    for row in ds:
        row = dict(row)
        row["label"] = decode_label(task, row["label"]) if "label" in row else None
        rows.append(row_to_item(task, row))
    return rows


def test_publish_to_folder_round_trips_through_load_dataset(frozen_ws, tmp_path):
    out = tmp_path / "hub"
    result = publish(frozen_ws, "v1", to=out)
    assert set(result.configs) == set(TASKS)
    for task in TASKS:
        dsd = _load(out, task, tmp_path / "cache")
        for split in ("train", "test"):
            frozen = read_frozen(frozen_ws, "v1", task, split)
            # Few groups (smq has 4) may all hash to one split; an empty split is simply absent.
            assert (_back_to_items(task, dsd[split]) if split in dsd else []) == frozen, (task, split)
        assert sum(len(d) for d in dsd.values()) == 24
        if task in ("ubp", "uea", "mid"):
            assert isinstance(dsd["test"].features["label"], datasets.ClassLabel)
    assert dsd["train"].features["inputs"]["cluster_id"] == datasets.Value("int64")


def test_card_yaml_validates_and_carries_the_construction_details(frozen_ws, tmp_path):
    out = tmp_path / "hub"
    publish(frozen_ws, "v1", to=out)
    card = DatasetCard.load(out / "README.md")
    data = card.data
    assert data.license == "cc-by-4.0" and "somekit" in data.tags
    assert set(data.task_categories) == {"text-classification", "question-answering", "summarization", "text-generation"}
    configs = MetadataConfigs.from_dataset_card_data(data)
    assert set(configs) == set(TASKS)
    infos = DatasetInfosDict.from_dataset_card_data(data)
    assert infos["uea"].features["label"].names == ["positive", "angry", "sad", "fear", "surprise", "emotionless"]
    assert infos["ubp"].splits["test"].num_examples == len(read_frozen(frozen_ws, "v1", "ubp", "test"))
    text = card.text
    assert "fleiss_kappa = 0.375" in text and "`uea.vote@1`" in text and "smollm2-135m (embedded)" in text
    assert "accepted 16 (33.3%)" in text and "inputs.claim_id" in text
    assert "no human has reviewed" not in text  # every frozen item was reviewed
    assert "no human audit sample was drawn for `ubp`" in text   # but no audit sample measured the error rate


def test_hidden_test_answers(frozen_ws, tmp_path):
    out, answers = tmp_path / "hub", tmp_path / "private"
    result = publish(frozen_ws, "v1", to=out, hide_test_answers=True, answers_to=answers)
    assert result.answers == answers
    dsd = _load(out, "uea", tmp_path / "cache")
    assert set(dsd["test"]["label"]) == {-1}
    assert all(a is None for a in dsd["test"]["answer"]) and all(p is None for p in dsd["test"]["provenance"])
    assert -1 not in set(dsd["train"]["label"])  # train keeps its answers
    assert not list(out.rglob("*answers*"))
    # The answers file is a gold file for eval: the true labels as predictions score 100.
    gold = answers / "uea.test.jsonl"
    items = [json.loads(x) for x in gold.read_text().splitlines()]
    assert [i["id"] for i in items] == dsd["test"]["id"]
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(json.dumps({"id": i["id"], "answer": i["answer"]["emotion"]}) for i in items))
    assert evaluate("uea", gold, pred)["acc"] == 100.0


class FakeHfApi:
    """Records calls at the huggingface_hub boundary (the Hub cannot run here)."""

    calls: list = []

    def __init__(self, token=None):
        self.token = token

    def create_repo(self, repo_id, repo_type=None, exist_ok=False, private=False):
        FakeHfApi.calls.append(("create_repo", repo_id, repo_type, exist_ok, private, self.token))
        return f"https://huggingface.co/datasets/{repo_id}"

    def upload_folder(self, folder_path, repo_id, repo_type, commit_message):
        from pathlib import Path

        files = sorted(p.relative_to(folder_path).as_posix() for p in Path(folder_path).rglob("*") if p.is_file())
        readme = (Path(folder_path) / "README.md").read_text()
        FakeHfApi.calls.append(("upload_folder", repo_id, repo_type, commit_message, files, readme))


def test_repo_id_uploads_the_hub_layout_with_the_env_token(frozen_ws, tmp_path, monkeypatch):
    import somekit.publish.hub as hub

    monkeypatch.setattr(hub, "HfApi", FakeHfApi)
    FakeHfApi.calls = []
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with pytest.raises(PublishError, match="HF_TOKEN"):
        publish(frozen_ws, "v1", repo_id="org/bench")
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token_value")
    result = publish(frozen_ws, "v1", repo_id="org/bench", hide_test_answers=True, answers_to=tmp_path / "ans")
    assert result.repo_url == "https://huggingface.co/datasets/org/bench"
    create, upload = FakeHfApi.calls
    assert create == ("create_repo", "org/bench", "dataset", True, False, "hf_secret_token_value")
    assert upload[1:4] == ("org/bench", "dataset", "somekit publish v1")
    assert "README.md" in upload[4] and "uea/test-00000-of-00001.parquet" in upload[4]
    assert not any("answers" in f for f in upload[4]) and "hf_secret" not in upload[5]
    assert not [p for p in (frozen_ws.root / "publish").iterdir() if p.name.startswith(".publish-")]  # staging removed


def test_refuses_tampered_versions_and_foreign_folders(frozen_ws, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(PublishError, match="not an earlier somekit publish"):
        publish(frozen_ws, "v1", to=foreign)
    assert (foreign / "notes.txt").exists()
    import shutil

    ws2 = tmp_path / "ws2"
    shutil.copytree(frozen_ws.root, ws2)
    from somekit.workspace import open_workspace

    w2 = open_workspace(ws2)
    target = w2.frozen("v1") / "mid" / "test.parquet"
    target.write_bytes(target.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(PublishError, match="mid/test.parquet"):
        publish(w2, "v1", to=tmp_path / "out")


def test_cli_publish(frozen_ws, tmp_path):
    out = tmp_path / "cli-hub"
    res = CliRunner().invoke(main, ["publish", str(frozen_ws.root), "--version", "v1", "--to", str(out), "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    dsd = _load(out, "mid", tmp_path / "cache")
    assert {s: len(d) for s, d in dsd.items()} == payload["configs"]["mid"]
    # Publishing again to the same folder replaces our own earlier output.
    res = CliRunner().invoke(main, ["publish", str(frozen_ws.root), "--version", "v1", "--to", str(out)])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["publish", str(frozen_ws.root), "--version", "v1"])
    assert res.exit_code == 1 and "--to DIR" in res.output
    assert "Examples" in CliRunner().invoke(main, ["publish", "--help"]).output


def test_unreviewed_versions_are_marked_in_the_card(frozen_ws, tmp_path):
    freeze(frozen_ws, "v1-draft", include_unreviewed=True, tasks=["ubp"])
    out = tmp_path / "hub"
    publish(frozen_ws, "v1-draft", to=out)
    card = DatasetCard.load(out / "README.md")
    assert "**Warning:** this version includes items that no human has reviewed" in card.text
    assert list(MetadataConfigs.from_dataset_card_data(card.data)) == ["ubp"]
