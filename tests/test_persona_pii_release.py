"""Names the scrubber's sources do not contain never reach a persona release.

Jetstream events (tests/support/synth.py) get planted sentences naming people of the gazetteer's
held-out countries (first and last name both absent from the gazetteer), and Chinese names
(bench/data/pii_heldout/names_zh.txt, written by someone other than the scrubber's author) inside
`@`, `回复@` and `//@` mentions. Then the real flow: `jetstream` ingest, `build nap` (names on by
default), `freeze`, `publish --layout blueprint`; no planted name may be left in the items, the
frozen splits or the published BluePrint config, in any encoding scan.py decodes.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.persona.anonymise import SALT_ENV
from somekit.persona.scan import scan_tree
from somekit.workspace import init_workspace
from tests.support.pii_heldout import chinese_names, english_names
from tests.support.synth import generate, write_jsonl

HELDOUT = Path(__file__).parent.parent / "bench" / "data" / "pii_heldout"
EN_TEMPLATES = ("Lunch with {name} today, {text}", "{name} shared this: {text}", "{text}. Thanks {name} for the tip!",
                "so {name} said {text} lol")
ZH_TEMPLATES = ("问问@{name} 这个怎么弄 {text}", "回复@{name}:谢谢提醒 {text}", "转发微博 //@{name}: 支持！{text}")


@pytest.fixture(autouse=True)
def salt(monkeypatch):
    monkeypatch.setenv(SALT_ENV, "pii-release-test-salt-0123456789")
    monkeypatch.delenv("SOMEKIT_PII_NAMES", raising=False)


def planted_names() -> tuple[list[str], list[str]]:
    english = [n["name"] for n in english_names(400, seed=7) if n["known"] == "neither"][:16]
    return english, chinese_names(HELDOUT)[:12]


def plant(events, english: list[str], chinese: list[str], seed: int = 3):
    """Rewrite about a third of the post texts to name one of the planted people."""
    rng = random.Random(seed)
    for i, ev in enumerate(events):
        record = (ev.get("commit") or {}).get("record") or {}
        if record.get("$type") == "app.bsky.feed.post" and rng.random() < 0.35:
            english_turn = rng.random() < 0.5
            template = rng.choice(EN_TEMPLATES if english_turn else ZH_TEMPLATES)
            name = english[i % len(english)] if english_turn else chinese[i % len(chinese)]
            record["text"] = template.format(name=name, text=record["text"])
        yield ev


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_unseen_names_never_reach_items_frozen_files_or_the_blueprint_config(tmp_path):
    from somekit.ingest import ingest

    english, chinese = planted_names()
    assert len(english) == 16 and len(chinese) == 12
    ws = init_workspace(tmp_path / "ws")
    ws.config_path.write_text(ws.config_path.read_text() + "\n[tasks.nap]\noptions = "
                              "{ k = 3, min_cluster_size = 2, embedder = 'hashing' }\n")
    _, events = generate(1500, 20, seed=2)
    src = tmp_path / "events.jsonl"
    write_jsonl(src, plant(events, english, chinese))
    ingest(ws, "jetstream", [src])
    needles = {f"en{i}": n for i, n in enumerate(english)} | {f"zh{i}": n for i, n in enumerate(chinese)}
    # Surnames alone too: half a name left behind still identifies.
    needles |= {f"en{i}-last": n.split(" ", 1)[1] for i, n in enumerate(english) if len(n.split(" ", 1)[1]) >= 5}
    planted = scan_tree(ws.corpus, needles)
    found_in_corpus = {label for labels in planted.values() for label in labels}
    assert {f"en{i}" for i in range(16)} | {f"zh{i}" for i in range(12)} <= found_in_corpus

    run("build", ws.root, "nap")
    run("freeze", ws.root, "--version", "v1", "--include-unreviewed")
    out = tmp_path / "bp"
    result = run("publish", ws.root, "--version", "v1", "--to", out, "--layout", "blueprint", "--json")
    configs = json.loads(result.stdout.strip().splitlines()[-1])["configs"]
    assert configs and any(files for files in out.rglob("*") if files.is_file())

    assert scan_tree(ws.root / "items", needles) == {}
    assert scan_tree(ws.root / "frozen", needles) == {}
    assert scan_tree(out, needles) == {}
    # The names were there to remove: placeholders took their place, and the stats say which
    # signal found them (counts only).
    items_text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (ws.root / "items").rglob("*.jsonl"))
    assert "[NAME]" in items_text and "[HANDLE]" in items_text
    stats = json.loads((ws.root / "items" / "nap" / "stats.json").read_text())
    signals = stats["pii"]["name_signals"]
    assert sum(signals.values()) > 0 and all(isinstance(v, int) for v in signals.values())
    assert not any(n in json.dumps(stats, ensure_ascii=False) for n in english + chinese)
    assert re.search(r"names-dataset", stats["pii"]["names"])
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "Personal names are replaced by `[NAME]`" in card and "jieba" in card
    assert "bench/data/pii_heldout" in card  # the measured recall names its test set


def test_missing_extra_stops_the_build_instead_of_leaking(tmp_path, monkeypatch):
    """No silent fallback: a nap build with names on and the gazetteer unavailable fails, naming
    the extra."""
    from somekit.ingest import ingest
    from somekit.persona import gazetteer

    ws = init_workspace(tmp_path / "ws")
    ws.config_path.write_text(ws.config_path.read_text() + "\n[tasks.nap]\noptions = { k = 2, min_cluster_size = 2, "
                              "embedder = 'hashing' }\n")
    _, events = generate(300, 6, seed=1)
    write_jsonl(tmp_path / "e.jsonl", events)
    ingest(ws, "jetstream", [tmp_path / "e.jsonl"])
    gazetteer.gazetteer.cache_clear()
    monkeypatch.setitem(__import__("sys").modules, "names_dataset", None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))  # no derived lists either
    try:
        result = CliRunner().invoke(main, ["build", str(ws.root), "nap"])
    finally:
        gazetteer.gazetteer.cache_clear()
    assert result.exit_code != 0
    assert "somekit[persona]" in result.output
    assert not (ws.root / "items" / "nap" / "stats.json").exists()
    assert os.environ.get(SALT_ENV)
