"""What a finished `somekit run` / `somekit demo` tells its user, per task: items, which drafter
made them, whether the quality gates call them reliable, verify's verdict and violations, the
shortcut audit (when verify reports one) and the review state.

Read from the workspace (stats.json, runs/verify.json, the items' review states), so it shows
what was written, whatever the stages printed on the way.
"""

from __future__ import annotations

from typing import Any

from ..store.atomic import read_json
from ..store.items import built_tasks, read_stats
from ..workspace import Workspace


def _verify_report(ws: Workspace) -> dict[str, Any] | None:
    path = ws.runs / "verify.json"
    return read_json(path) if path.exists() else None


def _violations_by_task(report: dict[str, Any]) -> dict[str, dict[str, int]]:
    """check -> count per task, from the listed examples (the full per-check count is global)."""
    out: dict[str, dict[str, int]] = {}
    for v in report.get("violations", []):
        per = out.setdefault(v.get("task") or "", {})
        per[v["check"]] = per.get(v["check"], 0) + 1
    return out


def run_summary(ws: Workspace) -> dict[str, Any]:
    """{"verify": {"ran", "ok", "violations"}, "tasks": {task: {items, drafter, reliable, quality,
    verify_violations, shortcuts, review}}}."""
    from ..review.labelstudio.status import STATES, status

    report = _verify_report(ws)
    per_task_violations = _violations_by_task(report) if report else {}
    shortcuts = (report or {}).get("shortcuts") or {}
    review = status(ws)
    tasks: dict[str, Any] = {}
    for task in built_tasks(ws):
        stats = read_stats(ws, task)
        quality = stats.get("quality") or {}
        tasks[task] = {
            "items": stats.get("items", review.get(task, {}).get("items", 0)),
            "drafter": stats.get("drafter"),
            "reliable": quality.get("reliable"),
            "quality": quality.get("message"),
            "verify_violations": per_task_violations.get(task, {}),
            "shortcuts": shortcuts.get(task),
            "review": {k: v for k, v in review.get(task, {}).items() if k in STATES and v},
        }
    verify = {"ran": report is not None, "ok": bool(report and report.get("ok")),
              "violations": (report or {}).get("violation_counts", {}),
              "checks_run": len((report or {}).get("checks_run", []))}
    return {"verify": verify, "tasks": tasks}


def shortcut_text(audit: Any) -> str:
    """'rule acc [lo, hi]' of the strongest rule of a task's audit, or '' when there is none."""
    if not isinstance(audit, dict) or not audit:
        return ""
    rows = [(name, r) for name, r in audit.items() if isinstance(r, dict) and "acc" in r]
    if not rows:
        return ""
    name, r = max(rows, key=lambda kv: (kv[1]["acc"], kv[0]))
    ci = r.get("ci")
    return f"best rule {name}: {r['acc']:.2f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")
