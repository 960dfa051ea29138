"""What publish writes beside the data (croissant.json, figures/, the card's datasheet) and the HTML
report, on real frozen versions of fixture items: mlcroissant validates and reads the published
folder back, the figures follow the frozen files, and `somekit report` works before and after a
freeze. The demo's own release is checked in tests/test_pipeline.py; the browser test is
tests/test_report_browser.py."""

from __future__ import annotations

import base64
import collections
import json
import re
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.freeze import freeze
from somekit.publish import publish
from somekit.publish.facts import from_built, from_frozen
from somekit.publish.figures import render_figures
from somekit.report import write_report
from somekit.store.items import write_items
from somekit.workspace import init_workspace, open_workspace

from .test_freeze_items import make_items

TASKS = ("ubp", "uea", "mid", "red", "nap")


def _workspace(root: Path, flip: int | None = None, datasheet: str = "") -> object:
    """A workspace with fixture items of TASKS frozen as v1; `flip` turns that ubp item's answer around."""
    w = init_workspace(root)
    if datasheet:
        w.config_path.write_text(w.config_path.read_text() + "\n" + datasheet)
    for task in TASKS:
        items = make_items(task, 48)
        if task == "ubp" and flip is not None:
            item = items[flip]
            items[flip] = item.model_copy(update={"answer": item.answer.model_copy(
                update={"label": "no" if item.answer.label == "yes" else "yes"})})
        write_items(w, task, items, stats={"items": 48})
    freeze(w, "v1")
    return w


def _records(folder: Path, record_set: str) -> list[dict]:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(folder / "croissant.json"))   # raises ValidationError on any error
    return list(dataset.records(record_set=record_set))


def _plain(value):
    """mlcroissant's values (bytes for text, numpy for lists, NaN for nulls) as plain Python."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, dict):
        return {k.rsplit("/", 1)[-1]: _plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (str, int, float)):
        value = value.tolist()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    w = _workspace(root / "ws", datasheet='[publish.datasheet]\nintended_uses = ["scoring agents"]\n'
                                         'prohibited_uses = ["profiling the people in the posts"]\n')
    publish(w, "v1", to=root / "hub")
    return w, root / "hub"


def test_croissant_validates_and_its_records_are_the_published_rows(released, tmp_path):
    w, hub = released
    doc = json.loads((hub / "croissant.json").read_text())
    assert {rs["name"] for rs in doc["recordSet"]} == set(TASKS)
    for entry in doc["distribution"]:
        if entry["@type"] == "cr:FileObject":      # every published file is hashed
            assert (hub / entry["contentUrl"]).exists()
            import hashlib
            assert hashlib.sha256((hub / entry["contentUrl"]).read_bytes()).hexdigest() == entry["sha256"]
    for task in TASKS:
        loaded = datasets.load_dataset(str(hub), task, cache_dir=str(tmp_path / "cache"))
        expected = {(split, row["id"]): row for split, ds in loaded.items() for row in ds}
        got = {}
        for record in _records(hub, task):
            row = _plain(record)
            got[(row.pop("split"), row["id"])] = row
            assert {"id", "query", "inputs", "provenance", "review"} <= set(row), row
        assert set(got) == set(expected), task
        for key, row in got.items():
            want = expected[key]
            for column, value in row.items():
                if isinstance(value, dict):   # struct columns: the members declared as subFields
                    assert value == {k: want[column][k] for k in value}, (task, key, column)
                else:
                    assert value == want[column], (task, key, column)


def test_croissant_rai_fields_come_from_the_release_and_the_publisher(released):
    w, hub = released
    doc = json.loads((hub / "croissant.json").read_text())
    assert doc["rai:dataUseCases"] == "Declared by the publisher: scoring agents"
    assert doc["rai:dataSocialImpact"] == "Declared by the publisher: profiling the people in the posts"
    # Recorded facts are not marked as declared, and they carry the measured numbers.
    manifest = json.loads((w.frozen("v1") / "MANIFEST.json").read_text())
    rule, r = max(manifest["shortcuts"]["ubp"].items(), key=lambda kv: (kv[1]["acc"] - kv[1]["baseline"], kv[0]))
    assert f"`{rule}` reaches accuracy {r['acc']:.3f}" in doc["rai:dataBiases"]
    assert not doc["rai:dataBiases"].startswith("Declared")
    assert doc["rai:annotatorDemographics"].startswith("not declared")


def test_card_has_the_datasheet_and_embeds_every_figure(released):
    _, hub = released
    card = (hub / "README.md").read_text(encoding="utf-8")
    assert "## Datasheet" in card and "### Collection process" in card
    assert "- **What are the intended uses?** scoring agents *(declared)*" in card
    figures = sorted(p.name for p in (hub / "figures").glob("*.png"))
    assert "label_balance.png" in figures and "shortcut_audit.png" in figures
    for name in figures:
        assert f"](figures/{name})" in card
    # The UEA description comes from the task table and says what the item asks (the user's
    # emotion toward the post, from their history), not where its label came from.
    from somekit.schemas.tasks import TASKS

    assert TASKS["uea"].asks in card and "history" in TASKS["uea"].asks


def test_figures_are_byte_reproducible_and_follow_the_frozen_labels(tmp_path):
    a = _workspace(tmp_path / "a")
    b = _workspace(tmp_path / "b", flip=0)
    fig_a = {f.name: f.png for f in render_figures(from_frozen(a, "v1"))}
    again = {f.name: f.png for f in render_figures(from_frozen(a, "v1"))}
    fig_b = {f.name: f.png for f in render_figures(from_frozen(b, "v1"))}
    assert fig_a == again
    assert fig_a["label_balance.png"] != fig_b["label_balance.png"]
    assert fig_a["label_balance.png"].startswith(b"\x89PNG") and b"Software" not in fig_a["label_balance.png"]
    counts = []
    for w in (a, b):
        publish(w, "v1", to=w.root / "hub")
        records = _records(w.root / "hub", "ubp")
        counts.append(collections.Counter(_plain(r)["label"] for r in records))
    assert counts[0] != counts[1] and sum(counts[0].values()) == sum(counts[1].values())
    assert abs(counts[0][0] - counts[1][0]) == 1


def test_report_cli_after_freeze_holds_figures_sections_and_samples(released, tmp_path):
    w, _ = released
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(w.root), "--version", "v1", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    page = out.read_text(encoding="utf-8")
    for section in ("overview", "figures", "quality", "shortcuts", "datasheet", "samples"):
        assert f'<section id="{section}">' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)             # nothing fetched from the network
    embedded = [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', page)]
    expected = render_figures(from_frozen(w, "v1"))
    assert embedded == [f.png for f in expected] and summary["figures"] == [f.name for f in expected]
    # 5 items per label, each with its provenance unfolded.
    facts = from_frozen(w, "v1")
    shown = re.findall(r'data-item="([^"]+)"', page)
    assert len(shown) == summary["samples"] == len(set(shown))
    by_task = collections.Counter(i.split("-")[0] for i in shown)
    labels = {t: {k for c in f.label_counts().values() for k in c} for t, f in facts.tasks.items()}
    assert by_task["mid"] == 5 * len(labels["mid"]) and by_task["red"] == 5
    item = facts.tasks["ubp"].items[0]
    if item.id in shown:
        assert item.provenance.rule in page


def test_report_before_freeze_reads_the_built_items(tmp_path):
    w = init_workspace(tmp_path / "ws")
    write_items(w, "uea", make_items("uea", 30), stats={"items": 30})
    result = write_report(open_workspace(w.root))
    assert result.path == w.root / "report" / "index.html" and result.tasks == {"uea": 30}
    page = result.path.read_text(encoding="utf-8")
    assert "Not frozen" in page and "label_balance" in page
    facts = from_built(w)
    assert facts.tasks["uea"].label_counts() == {"built": dict(collections.Counter(i.answer.emotion for i in make_items("uea", 30)))}
    empty = init_workspace(tmp_path / "empty")
    result = CliRunner().invoke(main, ["report", str(empty.root)])
    assert result.exit_code == 1 and "build some tasks first" in result.output
    result = CliRunner().invoke(main, ["report", str(w.root), "--version", "nope"])
    assert result.exit_code == 1 and "frozen/nope does not exist" in result.output
