"""The whole tail of the pipeline on real data: CED ingested, ubp/ucs built by the real builders,
frozen (unreviewed drafts, explicitly), published, loaded with datasets, and scored by eval."""

from __future__ import annotations

import json
import shutil

import datasets

from somekit.builders.registry import get_builder
from somekit.eval import evaluate
from somekit.freeze import freeze, read_frozen, verify_frozen
from somekit.publish import publish
from somekit.workspace import open_workspace


def test_real_items_freeze_publish_load_and_score(ced_ws, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(ced_ws.root, root)
    w = open_workspace(root)
    cfg = w.config()
    for task in ("ubp", "ucs"):
        assert get_builder(task)(w, cfg, n=20).items > 0
    first = freeze(w, "v0", include_unreviewed=True)
    assert first.manifest.include_unreviewed and verify_frozen(w, "v0") == []
    assert freeze(w, "v0", include_unreviewed=True).unchanged  # same corpus, config, items: same bytes

    out = tmp_path / "hub"
    publish(w, "v0", to=out)
    for task in ("ubp", "ucs"):
        frozen = read_frozen(w, "v0", task, "test")
        ds = datasets.load_dataset(str(out), task, cache_dir=str(tmp_path / "cache"))["test"]
        assert ds["id"] == [i.id for i in frozen]
        names = ds.features["label"].names
        assert [names[x] for x in ds["label"]] == [i.answer.label for i in frozen]
        # Answers phrased as Chinese sentences, right for all but one item.
        say = {"yes": "我认为会，答案：是。", "no": "我觉得不会。答案：否"}
        pred = tmp_path / f"{task}.jsonl"
        lines = [{"id": i.id, "answer": say[i.answer.label if k else ("no" if i.answer.label == "yes" else "yes")]}
                 for k, i in enumerate(frozen)]
        pred.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
        result = evaluate(task, w.frozen("v0") / task / "test.parquet", pred)
        n = len(frozen)
        assert result["tcr"] == 100.0 and result["acc"] == round(100 * (n - 1) / n, 4)
