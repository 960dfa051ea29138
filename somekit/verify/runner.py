"""Run every registered integrity check over the built tasks (docs/architecture.md, "Integrity").

The runner knows nothing about particular tasks: it loads each built task's items, exposes them
to the checks as a DuckDB table next to the corpus views, runs the checks registered for that task
and gathers violations into the `verify --json` shape. A check that crashes is itself reported as a
violation, so a broken check can never make a dataset look clean.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any, Iterable

import orjson
import pyarrow as pa

from ..store.items import built_tasks, read_items
from ..store.query import connect
from . import CheckContext, Violation, load_checks

#: Columns of the `items` table every check can query (null where a task has no such input).
_INPUT_COLUMNS = ("user_id", "post_id", "comment_id", "comment", "action", "claim_id")


def label_of(item: Any) -> str | None:
    """The categorical answer of an item (yes/no, an emotion, a 3-way label), if it has one."""
    answer = item.answer
    for name in ("label", "emotion"):
        value = getattr(answer, name, None)
        if isinstance(value, str):
            return value
    return None


def items_table(items: list[Any]) -> pa.Table:
    """Arrow table of a task's items for SQL checks: id, query, label, flat inputs, raw JSON."""
    cols: dict[str, list] = {k: [] for k in ("pos", "id", "query", "template_id", "label", "rule", *_INPUT_COLUMNS,
                                             "inputs_json", "answer_json")}
    for pos, item in enumerate(items):
        inputs = item.inputs.model_dump(mode="json")
        cols["pos"].append(pos)
        cols["id"].append(item.id)
        cols["query"].append(item.query)
        cols["template_id"].append(item.template_id)
        cols["label"].append(label_of(item))
        cols["rule"].append(item.provenance.rule)
        for name in _INPUT_COLUMNS:
            value = inputs.get(name)
            cols[name].append(value if isinstance(value, str) else None)
        cols["inputs_json"].append(orjson.dumps(inputs).decode())
        cols["answer_json"].append(orjson.dumps(item.answer.model_dump(mode="json")).decode())
    schema = pa.schema([("pos", pa.int64())] + [(k, pa.string()) for k in cols if k != "pos"])
    return pa.table(cols, schema=schema)


def run_checks(ws, tasks: Iterable[str] | None = None, export_dirs: Iterable[str | Path] = (),
               max_examples: int = 20) -> dict[str, Any]:
    """Check the built tasks (all, or `tasks`) and optional export folders; the `verify --json`
    object: ok, per-task item and label counts, violations (at most `max_examples` per check and
    task) and the full count per check."""
    wanted = set(tasks) if tasks else None
    todo = [t for t in built_tasks(ws) if wanted is None or t in wanted]
    checks = load_checks()
    con = connect(ws.corpus)
    con.execute("SET enable_progress_bar = false")
    report: dict[str, Any] = {"ok": True, "tasks": {}, "violations": [], "violation_counts": {}, "checks_run": []}
    found: list[Violation] = []
    for task in todo:
        items = read_items(ws, task)
        labels = collections.Counter(label for label in map(label_of, items) if label is not None)
        report["tasks"][task] = {"items": len(items), "labels": dict(sorted(labels.items()))}
        con.register("_items_arrow", items_table(items))
        con.execute("CREATE OR REPLACE TEMP TABLE items AS SELECT * FROM _items_arrow")
        con.unregister("_items_arrow")
        ctx = CheckContext(ws=ws, task=task, con=con, items=items)
        for name, applies, func in checks:
            if applies is not None and task not in applies:
                continue
            report["checks_run"].append(f"{task}:{name}")
            try:
                found.extend(func(ctx))
            except Exception as exc:  # noqa: BLE001 - a crashing check must fail verify, not pass it
                found.append(Violation(name, task, "", f"check crashed: {type(exc).__name__}: {exc}"))
        for section, value in ctx.notes.items():
            report.setdefault(section, {})[task] = value
        if getattr(ctx, "shortcuts", None):  # figures a check measured (e.g. mid-zh's one-feature rules)
            report.setdefault("shortcuts", {})[task] = ctx.shortcuts
    report.setdefault("shortcuts", {})  # docs/architecture.md, "CLI contract": always present
    for folder in export_dirs:
        from .export_leaks import check_export

        found.extend(check_export(Path(folder), ws.config().verify))
        from .some_layout import check_some_layout  # every path and key SoMe's harness reads

        found.extend(Violation("some-layout", "export", "", problem) for problem in check_some_layout(Path(folder))["problems"])
        report["checks_run"].append(f"export:{folder}")
    shown: collections.Counter = collections.Counter()
    for v in found:
        report["violation_counts"][v.check] = report["violation_counts"].get(v.check, 0) + 1
        if shown[(v.check, v.task)] < max_examples:
            shown[(v.check, v.task)] += 1
            report["violations"].append(v.to_dict())
    report["ok"] = not found
    return report
