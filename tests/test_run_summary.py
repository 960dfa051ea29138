"""The per-task summary `somekit run` / `somekit demo` end with: read back from the workspace
(stats.json, runs/verify.json, review states), showing violations and the shortcut audit when
verify reports them."""

from __future__ import annotations

import io

import orjson
from rich.console import Console

from somekit.commands import run_cmds
from somekit.pipeline.summary import run_summary, shortcut_text
from somekit.store.atomic import write_bytes
from somekit.store.items import write_items

from .test_freeze_items import make_items


def test_summary_shows_violations_shortcuts_quality_and_review(ws, monkeypatch):
    items = make_items("ubp", 10, states=("draft",))
    items[0] = make_items("ubp", 1, states=("accepted",))[0]
    write_items(ws, "ubp", items, stats={"items": 10})
    write_items(ws, "smq", make_items("smq", 4, states=("draft",)), stats={"items": 4, "drafter": "data",
                                                        "quality": {"reliable": False, "message": "unreliable: x"}})
    report = {"ok": False, "checks_run": ["ubp:a", "smq:b"], "violation_counts": {"negative-valid": 2},
              "violations": [{"check": "negative-valid", "task": "ubp", "item": i.id, "detail": "d"} for i in items[:2]],
              "shortcuts": {"ubp": {"position": {"acc": 0.5, "ci": [0.4, 0.6]}, "post-popularity": {"acc": 0.71, "ci": [0.6, 0.8]}}}}
    write_bytes(ws.runs / "verify.json", orjson.dumps(report))
    s = run_summary(ws)
    assert s["verify"] == {"ran": True, "ok": False, "violations": {"negative-valid": 2}, "checks_run": 2}
    ubp, smq = s["tasks"]["ubp"], s["tasks"]["smq"]
    assert ubp["verify_violations"] == {"negative-valid": 2} and smq["verify_violations"] == {}
    assert ubp["review"] == {"draft": 9, "accepted": 1} and ubp["items"] == 10
    assert smq["reliable"] is False and smq["drafter"] == "data" and smq["shortcuts"] is None
    assert shortcut_text(ubp["shortcuts"]) == "best rule post-popularity: 0.71 [0.60, 0.80]"
    buf = io.StringIO()
    monkeypatch.setattr(run_cmds, "console", Console(file=buf, width=200))
    run_cmds._task_table(s)
    out = buf.getvalue()
    assert "violations" in out and "negative-valid 2" in out and "post-popularity: 0.71" in out and "accepted 1" in out


def test_summary_before_verify_ran(ws):
    write_items(ws, "ubp", make_items("ubp", 4, states=("draft",)), stats={"items": 4})
    s = run_summary(ws)
    assert s["verify"]["ran"] is False and s["verify"]["ok"] is False and s["tasks"]["ubp"]["items"] == 4
