"""What a release has measured, gathered once for the figures, the datasheet, croissant.json and the
HTML report: items per split, label counts, the shortcut audit, the human audit, builders' stats.

Two sources give the same shape: a frozen version (MANIFEST.json, split files, frozen stats.json),
or, before any freeze, the built items (items/<task>/items.jsonl, one pseudo-split "built") so
organisers see problems early. Nothing here is typed by hand: every number is read from those files.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any

from ..freeze.splits import SPLITS
from ..schemas.items import ItemBase
from ..schemas.tasks import TASKS, task_codes
from ..store.item_rows import item_label
from ..schemas.manifest import Manifest
from ..store.atomic import read_json
from ..workspace import Workspace

#: The pseudo-split of items read before a freeze.
BUILT = "built"


@dataclass
class TaskFacts:
    task: str
    splits: dict[str, list[ItemBase]]                       # split -> items, in file order
    stats: dict[str, Any] = field(default_factory=dict)     # the builder's stats.json
    shortcuts: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule -> {acc, ci, n, baseline}
    error_rates: dict[str, Any] = field(default_factory=dict)           # MANIFEST error_rates[task]

    @property
    def items(self) -> list[ItemBase]:
        return [i for items in self.splits.values() for i in items]

    def label_counts(self) -> dict[str, dict[str, int]]:
        """split -> label -> items; nap counts each target action (an item may have several)."""
        out: dict[str, dict[str, int]] = {}
        for split, items in self.splits.items():
            counts: collections.Counter = collections.Counter()
            for item in items:
                counts.update(item_labels(item))
            if counts:
                out[split] = dict(sorted(counts.items()))
        return out


@dataclass
class ReleaseFacts:
    source: str                                  # "frozen/<V>" or "items (built, not frozen)"
    version: str | None
    manifest: Manifest | None
    tasks: dict[str, TaskFacts]
    history: dict[str, list[int]] = field(default_factory=dict)  # task -> asked user's corpus interactions

    @property
    def frozen(self) -> bool:
        return self.manifest is not None


def item_labels(item: ItemBase) -> list[str]:
    """The class label(s) an item answers with: its label, or its action set (next-action items);
    empty for free-text tasks."""
    label = item_label(item)
    if label is not None:
        return [label]
    return list(getattr(item.answer, "actions", None) or [])


def from_frozen(ws: Workspace, version: str) -> ReleaseFacts:
    from ..freeze.verify import load_manifest, read_frozen

    manifest = load_manifest(ws, version)
    tasks: dict[str, TaskFacts] = {}
    for task in [t for t in TASKS if t in manifest.counts]:
        splits = {s: read_frozen(ws, version, task, s) for s in SPLITS
                  if manifest.counts[task].get(s) and f"{task}/{s}.parquet" in manifest.files}
        if not splits:
            continue
        stats_path = ws.frozen(version) / task / "stats.json"
        tasks[task] = TaskFacts(task, splits, read_json(stats_path) if stats_path.exists() else {},
                                manifest.shortcuts.get(task) or {}, manifest.error_rates.get(task) or {})
    return ReleaseFacts(f"frozen/{version}", version, manifest, tasks, _history(ws, tasks))


def from_built(ws: Workspace) -> ReleaseFacts:
    from ..store.items import built_tasks, read_items, read_stats

    tasks: dict[str, TaskFacts] = {}
    for task in built_tasks(ws):
        items = read_items(ws, task)
        if items:
            stats = read_stats(ws, task)
            tasks[task] = TaskFacts(task, {BUILT: items}, stats, stats.get("shortcuts") or {})
    return ReleaseFacts("items (built, not frozen)", None, None, tasks, _history(ws, tasks))


def question(task: str) -> str:
    """What a task's item asks, from the task table (card, datasheet, croissant.json, report)."""
    spec = TASKS[task]
    return f"{spec.title[0].upper()}{spec.title[1:]}: {spec.asks}"


def gather(ws: Workspace, version: str | None) -> ReleaseFacts:
    """A frozen version's facts, or the built items' when no version is given."""
    return from_frozen(ws, version) if version else from_built(ws)


def _history(ws: Workspace, tasks: dict[str, TaskFacts]) -> dict[str, list[int]]:
    """Per user-centric task, the asked user's interactions in the corpus other than with the asked
    post (an upper bound of the visible history: the export also drops leaking records). One DuckDB
    query over the asked (user, post) pairs; the corpus never comes into Python."""
    user_tasks = task_codes(user_centric=True)   # items that ask about one user and one post
    asked = [(t, i.inputs.user_id, i.inputs.post_id) for t, f in tasks.items() if t in user_tasks for i in f.items]
    if not asked or not (ws.corpus / "interactions.parquet").exists():
        return {}
    import pyarrow as pa

    from ..store.query import connect

    con = connect(ws.corpus)
    try:
        con.register("asked", pa.table({"k": pa.array(range(len(asked)), pa.int64()),
                                        "user_id": pa.array([u for _, u, _ in asked], pa.string()),
                                        "post_id": pa.array([p for _, _, p in asked], pa.string())}))
        counts = [n for (n,) in con.execute("""
            WITH mine AS (SELECT user_id, post_id FROM interactions WHERE user_id IN (SELECT user_id FROM asked)),
                 per_user AS (SELECT user_id, count(*) AS n FROM mine GROUP BY user_id),
                 per_pair AS (SELECT user_id, post_id, count(*) AS n FROM mine GROUP BY user_id, post_id)
            SELECT coalesce(u.n, 0) - coalesce(p.n, 0) FROM asked a
            LEFT JOIN per_user u ON u.user_id = a.user_id
            LEFT JOIN per_pair p ON p.user_id = a.user_id AND p.post_id = a.post_id
            ORDER BY a.k""").fetchall()]
    finally:
        con.close()
    out: dict[str, list[int]] = {}
    for (task, _, _), n in zip(asked, counts):
        out.setdefault(task, []).append(n)
    return out
