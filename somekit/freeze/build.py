"""`somekit freeze WS --version V`: write frozen/V/<task>/<split>.parquet and MANIFEST.json.

The version is written into a staging folder first and moved into place with one rename, so a
killed freeze never leaves a half-written version. Re-freezing the same content is a no-op;
re-freezing different content under an existing version is refused.
"""

from __future__ import annotations

import collections
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from .. import __version__
from ..environment import environment
from ..schemas.items import ItemBase
from ..schemas.tasks import TASKS, task_spec
from ..schemas.manifest import FileEntry, Manifest
from ..store.atomic import atomic_path, write_bytes, write_json
from ..review.join import join_items
from ..review.ledger import pull_summary, read_selection
from ..review.metrics import error_rates
from ..store.items import read_stats
from ..workspace import Workspace
from ..errors import FreezeError
from .hashing import config_hash, corpus_hash, sha256_file
from .splits import GROUP_KEYS, SPLITS, assign_split, group_key
from ..store.item_rows import item_label, items_to_table

MANIFEST_NAME = "MANIFEST.json"
REVIEWED = ("accepted", "corrected")
UNREVIEWED = ("draft", "pending", "stale")
_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass
class FreezeResult:
    version: str
    path: Path
    manifest: Manifest
    unchanged: bool = False          # True when V already held exactly this content
    warnings: list[str] = field(default_factory=list)


def _keep(item: ItemBase, status: str, include_unreviewed: bool) -> str | None:
    """None when the item is frozen, else the reason it is left out. `unselected` items (not sent
    under a review budget) are machine answers whose error rate the audit sample measures."""
    if status in REVIEWED:
        return None
    if item.provenance.rule == "label:no-majority":
        return "review:no-majority-unreviewed"   # a voters' tie has no label until a person decides
    if status == "unselected" or (include_unreviewed and status in UNREVIEWED):
        return None
    return f"review:{status}"


def _check_audit(task: str, rates: dict, include_unreviewed: bool) -> None:
    audit = rates["audit"]
    if audit["sampled"] and not audit["complete"] and not include_unreviewed:
        raise FreezeError(f"{task}: the audit sample is incomplete ({audit['decided']} of {audit['size']} audit items "
                          "decided); review them in Label Studio and run `somekit review pull`, or pass "
                          "--include-unreviewed (the card will say so)")


def _write_parquet(path: Path, table) -> None:
    # Fixed writer settings: the same rows always give the same bytes.
    with atomic_path(path, suffix=".parquet") as tmp:
        pq.write_table(table, tmp, compression="zstd", compression_level=3, row_group_size=100_000)


def _freeze_task(ws: Workspace, task: str, staging: Path, manifest: Manifest, include_unreviewed: bool, seed: int, ratios) -> None:
    by_split: dict[str, list[ItemBase]] = collections.defaultdict(list)
    reviews: collections.Counter = collections.Counter()
    excluded: collections.Counter = collections.Counter()
    labels: collections.Counter = collections.Counter()
    kept: list[ItemBase] = []
    timed: list[ItemBase] = []  # nap: split by time once every item is known (freeze/challenge.py)
    joined = join_items(ws, task)
    rates = error_rates(joined, read_selection(ws, task), pull_summary(ws, task).get("agreement"))
    _check_audit(task, rates, include_unreviewed)
    manifest.error_rates[task] = rates
    for j in joined:
        item = j.item
        reviews[j.status] += 1
        reason = _keep(item, j.status, include_unreviewed)
        if reason:
            excluded[reason] += 1
            continue
        kept.append(item)
        if task_spec(task).time_split:
            timed.append(item)
        else:
            by_split[assign_split(seed, task, group_key(item), ratios)].append(item)
        label = item_label(item)
        if label is not None:
            labels[label] += 1
        elif task_spec(task).time_split:
            for action in item.answer.actions:
                labels[action] += 1
    if timed:
        from .challenge import thread_and_rank, time_splits

        splits = time_splits(((i.id, *thread_and_rank(i)) for i in timed), ratios)
        for item in timed:
            by_split[splits[item.id]].append(item)
    manifest.review[task] = dict(sorted(reviews.items()))
    manifest.excluded[task] = dict(sorted(excluded.items()))
    manifest.labels[task] = dict(sorted(labels.items()))
    manifest.counts[task] = {s: len(by_split.get(s, [])) for s in SPLITS if getattr(ratios, s) > 0 or by_split.get(s)}
    _shortcut_gate(ws, task, kept, manifest)
    for split, items in by_split.items():
        if task_spec(task).time_split:
            from .challenge import row_order

            items.sort(key=row_order)  # time order: each user's actions stay in sequence
        else:
            items.sort(key=lambda i: i.id)
        _write_parquet(staging / task / f"{split}.parquet", items_to_table(task, items))
    stats = read_stats(ws, task)
    if stats:
        # The builder's stats travel with the version so the card can be rebuilt from frozen/ alone.
        write_json(staging / task / "stats.json", stats)


def _shortcut_gate(ws: Workspace, task: str, items: list[ItemBase], manifest: Manifest) -> None:
    """The shortcut audit over the items being frozen goes to the MANIFEST; a rule beating chance
    by more than the configured margin refuses the freeze (verify/shortcuts.py)."""
    if not task_spec(task).audited or not items:
        return
    from ..store.query import connect
    from ..verify.shortcut_rows import rows_from_items
    from ..verify.shortcuts import audit, report, violations

    con = connect(ws.corpus)
    con.execute("SET enable_progress_bar = false")
    results = audit(rows_from_items(task, items, con))
    manifest.shortcuts[task] = report(results)
    settings = ws.config().verify
    found = violations(results, settings.max_shortcut_margin, settings.shortcut_min_items)
    if found:
        raise FreezeError(f"{task}: the shortcut audit fails ({len(found)} rule(s)), e.g. {found[0][1]}; "
                          "fix the items (or raise [verify] max_shortcut_margin) before freezing")


def _record_files(staging: Path, manifest: Manifest) -> None:
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        rel = path.relative_to(staging).as_posix()
        rows = pq.ParquetFile(path).metadata.num_rows if path.suffix == ".parquet" else None
        manifest.files[rel] = FileEntry(sha256=sha256_file(path), rows=rows, bytes=path.stat().st_size)


def _manifest_bytes(manifest: Manifest) -> bytes:
    import orjson

    return orjson.dumps(manifest.model_dump(mode="json"), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def freeze(ws: Workspace, version: str, include_unreviewed: bool = False, tasks: list[str] | None = None) -> FreezeResult:
    """Freeze the workspace's items into frozen/<version>/ (see module docstring)."""
    if not _VERSION_RE.match(version) or ".." in version:
        raise FreezeError(f"invalid version name {version!r}: use letters, digits, '.', '_' or '-'")
    cfg = ws.config()
    chosen = [t for t in (tasks or TASKS) if (ws.items(t) / "items.jsonl").exists()]
    if not chosen:
        raise FreezeError(f"nothing to freeze: no built tasks in {ws.root / 'items'} (run `somekit build` first)")
    manifest = Manifest(
        version=version, somekit_version=__version__, environment=environment(), config_hash=config_hash(cfg),
        corpus_hash=corpus_hash(ws.corpus), include_unreviewed=include_unreviewed,
        split_seed=cfg.seed, splits=cfg.splits.model_dump(), group_keys={t: GROUP_KEYS[t] for t in chosen},
    )
    final = ws.frozen(version)
    staging = final.parent / f".{version}.staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        for task in chosen:
            _freeze_task(ws, task, staging, manifest, include_unreviewed, cfg.seed, cfg.splits)
        _record_files(staging, manifest)
        write_bytes(staging / MANIFEST_NAME, _manifest_bytes(manifest))
        frozen_items = sum(sum(c.values()) for c in manifest.counts.values())
        if frozen_items == 0:
            raise FreezeError("nothing to freeze: no accepted or corrected items (review them, or pass --include-unreviewed)")
        if final.exists():
            return _compare_existing(final, staging, version, manifest)
        staging.rename(final)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    warnings = [f"{t}: {n} items left out ({', '.join(f'{k} {v}' for k, v in manifest.excluded[t].items())})"
                for t in chosen if (n := sum(manifest.excluded[t].values()))]
    return FreezeResult(version=version, path=final, manifest=manifest, warnings=warnings)


def _same_but_environment(old_bytes: bytes, manifest: Manifest) -> bool:
    """Same content frozen by other package versions: the existing version stands."""
    old = Manifest.model_validate_json(old_bytes).model_dump(mode="json", exclude={"environment"})
    return old == manifest.model_dump(mode="json", exclude={"environment"})


def _compare_existing(final: Path, staging: Path, version: str, manifest: Manifest) -> FreezeResult:
    old = final / MANIFEST_NAME
    new_bytes = (staging / MANIFEST_NAME).read_bytes()
    if old.exists() and old.read_bytes() == new_bytes:
        return FreezeResult(version=version, path=final, manifest=manifest, unchanged=True)
    if old.exists() and _same_but_environment(old.read_bytes(), manifest):
        return FreezeResult(version=version, path=final, manifest=Manifest.model_validate_json(old.read_bytes()),
                            unchanged=True)
    differing = []
    if old.exists():
        old_m = Manifest.model_validate_json(old.read_bytes())
        names = sorted(set(old_m.files) | set(manifest.files))
        differing = [n for n in names if (old_m.files.get(n) and old_m.files[n].sha256) != (manifest.files.get(n) and manifest.files[n].sha256)]
    detail = f"; differing files: {', '.join(differing[:10])}" if differing else ""
    raise FreezeError(f"version {version} already exists at {final} with different content{detail}; freeze under a new version")
