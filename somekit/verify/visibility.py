"""What an agent may see, checked on what was written (issue 32).

Three checks, each reading the files itself (pyarrow over the published Parquet, orjson over the
export), never through publish's or the exporter's code:
- `reviewer-only-in-inputs`: a published `inputs` column holds a field the task does not declare
  agent-visible (`agent_visible` in schemas/tasks.py);
- `reviewer-only-published`: a text from a reviewer-only field (UEA's labelled comment) appears in
  any published column but `evidence`, or in any file of an export (ground truth or user data);
- `cross-task-reuse`: a text one task's label was made from (the declared `labelled_texts`) appears
  in another task's agent-visible fields or query; the violation names both items.
The labelled texts themselves come from the workspace's items (the published or exported rows may
no longer carry them), restricted to the items the release holds. Texts compare squashed
(textrules.squash); one of CONTAINS_MIN characters or more also counts inside a longer text.
"""

from __future__ import annotations

import bisect
import collections
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson
import pyarrow.parquet as pq

from ..schemas.tasks import TASKS, task_spec
from . import CheckContext, Violation, register_check
from .textrules import squash

CONTAINS_MIN = 6
#: Export folder names (SoMe's, docs/architecture.md "Facts about the outside world"; ours for a
#: task SoMe lacks) read back to task codes.
EXPORT_TASKS = {spec.some_name or code: code for code, spec in TASKS.items()}
Owner = tuple[str, str]  # (task, item)


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON-like value, dict keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


class TextIndex:
    """Squashed texts with their owners; finds which of them a batch of other texts holds."""

    def __init__(self, texts: Iterable[tuple[str | None, Owner]]):
        self.owners: dict[str, list[Owner]] = collections.defaultdict(list)
        for text, owner in texts:
            norm = squash(text)
            if norm:
                self.owners[norm].append(owner)
        self.long = sorted(t for t in self.owners if len(t) >= CONTAINS_MIN)

    def find(self, shown: list[tuple[str, Owner]]) -> Iterator[tuple[Owner, Owner, str]]:
        """(labelled owner, showing owner, text) for every indexed text equal to a shown text, or
        (long ones) inside it."""
        parts, starts, pos = [], [], 0
        for text, owner in shown:
            norm = squash(text)
            if norm in self.owners:
                for lab in self.owners[norm]:
                    yield lab, owner, norm
            starts.append(pos)
            parts.append(norm)
            pos += len(norm) + 1
        blob = "\x00".join(parts)
        for text in self.long:
            at = blob.find(text)
            while at >= 0:
                k = bisect.bisect_right(starts, at) - 1
                if parts[k] != text:  # equality was reported above
                    for lab in self.owners[text]:
                        yield lab, shown[k][1], text
                at = blob.find(text, starts[k] + len(parts[k]) + 1)


def labelled_texts(ws, ids: set[str] | None = None, reviewer_only: bool = False) -> list[tuple[str, Owner]]:
    """(text, (task, item)) of every declared labelled text of the workspace's items (only `ids`
    when given; only reviewer-only fields with `reviewer_only`)."""
    from ..store.items import built_tasks, read_items

    out = []
    for task in built_tasks(ws):
        spec = TASKS.get(task)
        fields = [f for f in (spec.labelled_texts if spec else ()) if not reviewer_only or f in spec.reviewer_only]
        if not fields:
            continue
        for item in read_items(ws, task):
            if ids is None or item.id in ids:
                out += [(getattr(item.inputs, f, None), (task, item.id)) for f in fields]
    return out


def _reuse(index: TextIndex, shown: list[tuple[str, Owner]], where: str) -> list[Violation]:
    out, seen = [], set()
    for (ltask, litem), (stask, sitem), text in index.find(shown):
        if ltask != stask and (litem, sitem) not in seen:
            seen.add((litem, sitem))
            out.append(Violation("cross-task-reuse", stask, sitem,
                                 f"{where}: {ltask} item {litem}'s labelled text {text[:40]!r} is shown by {stask} item {sitem}"))
    return out


def _exposed(index: TextIndex, shown: list[tuple[str, Owner]], where: str) -> list[Violation]:
    out, seen = [], set()
    for (ltask, litem), (stask, sitem), text in index.find(shown):
        if (litem, sitem) not in seen:
            seen.add((litem, sitem))
            out.append(Violation("reviewer-only-published", ltask, litem,
                                 f"{where}: {ltask} item {litem}'s reviewer-only text {text[:40]!r} appears in {sitem}"))
    return out


# ---- the published dataset ----------------------------------------------------------------

def read_published(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows per task config of a published folder (<task>/<split>-*.parquet), split included."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.glob("*/*.parquet")):
        task = path.parent.name
        if task not in TASKS:
            continue
        for row in pq.read_table(path).to_pylist():
            row["_split"] = path.name.split("-")[0]
            rows.setdefault(task, []).append(row)
    return rows


def check_published(ws, folder: str | Path) -> list[Violation]:
    folder = Path(folder)
    rows = read_published(folder)
    where = f"published {folder.name}"
    found: list[Violation] = []
    shown, every = [], []
    for task, task_rows in rows.items():
        spec = task_spec(task)
        for row in task_rows:
            inputs = row.get("inputs") or {}
            for name in sorted(set(inputs) - set(spec.agent_visible)):
                found.append(Violation("reviewer-only-in-inputs", task, row["id"],
                                       f"{where}: {row['_split']} inputs hold {name!r}, which {task} does not declare agent-visible"))
            owner = (task, row["id"])
            shown += [(t, owner) for t in strings(inputs)] + [(row.get("query") or "", owner)]
            every += [(t, (task, f"{row['id']} ({row['_split']}.{col})")) for col, v in row.items()
                      if col not in ("evidence", "_split", "images") for t in strings(v)]
    ids = {r["id"] for task_rows in rows.values() for r in task_rows}
    found += _reuse(TextIndex(labelled_texts(ws, ids)), shown, where)
    found += _exposed(TextIndex(labelled_texts(ws, ids, reviewer_only=True)), every, where)
    return found


# ---- the SoMe export ----------------------------------------------------------------------

def _export_pairs(task: str, gt: Any) -> set[tuple[str, str]]:
    groups = gt.values() if task == "ubp" else [gt]
    return {(str(uid), str(e.get("weibo_id"))) for g in groups for uid, entries in g.items() for e in entries}


def check_export(ws, folder: str | Path) -> list[Violation]:
    """Cross-task reuse in an export's ground truth, and reviewer-only texts anywhere in it."""
    from ..store.items import built_tasks, read_items

    folder = Path(folder)
    where = f"export {folder.name}"
    shown, pairs = [], {}
    for path in sorted((folder / "datasets").glob("*/ground_truth.json")):
        task = EXPORT_TASKS.get(path.parent.name)
        if task is None:
            continue
        gt = orjson.loads(path.read_bytes())
        shown += [(t, (task, f"{path.parent.name}/ground_truth.json")) for t in strings(gt)]
        if TASKS[task].user_centric:
            pairs[task] = _export_pairs(task, gt)
    # The export names no item ids: the items it holds are found by their (user, post) pair.
    ids = {i.id for t in built_tasks(ws) if t in pairs for i in read_items(ws, t)
           if (i.inputs.user_id, i.inputs.post_id) in pairs[t]}
    found = _reuse(TextIndex(labelled_texts(ws, ids)), shown, where)
    users = [(t, ("user_data", p.parent.name)) for p in sorted((folder / "database" / "user_data").glob("*/*.json"))
             for t in strings(orjson.loads(p.read_bytes()).get("weibo", []))]
    found += _exposed(TextIndex(labelled_texts(ws, ids, reviewer_only=True)), shown + users, where)
    return found


# ---- the workspace's items ----------------------------------------------------------------

@register_check("cross-task-reuse", tuple(t for t, v in TASKS.items() if v.labelled_texts))
def cross_task_reuse(ctx: CheckContext) -> list[Violation]:
    return items_reuse(ctx.ws, ctx.task, ctx.items)


def items_reuse(ws, task: str, items: list[Any]) -> list[Violation]:
    """`task`'s labelled texts shown by another built task (rejected items aside)."""
    from ..store.items import built_tasks, read_items

    spec = task_spec(task)
    index = TextIndex((getattr(i.inputs, f, None), (task, i.id)) for i in items
                      if i.review.state != "rejected" for f in spec.labelled_texts)
    shown = []
    for other in built_tasks(ws):
        if other == task or other not in TASKS:
            continue
        for item in read_items(ws, other):
            if item.review.state == "rejected":
                continue
            inputs = item.inputs.model_dump(mode="json")
            owner = (other, item.id)
            shown += [(t, owner) for f in TASKS[other].agent_visible for t in strings(inputs.get(f))]
            shown.append((item.query, owner))
    return _reuse(index, shown, "items")
