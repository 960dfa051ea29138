"""The Ray executor: a stage's per-row function as Ray Data tasks (`map_batches` over an actor
pool, so each worker process loads its models once).

Ray's weak spot is that a failed batch is lost and, past its retries, fails the whole dataset. So
batches are small, each worker writes every finished row to the stage's cache, and this driver
works in rounds: a round maps the rows still owed; rows it did not deliver (their batch was lost,
or the dataset failed) or whose result the task calls retryable (an endpoint down) go to the next
round; after `max_attempts` rounds the rest are reported lost, each with its last reason.

Rows travel pickled (Ray's cloudpickle), so a task takes any Python rows; results come back the
same way with the node and seconds they took, for the run record's per-node throughput.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any, Sequence

from ..deps import require
from ..schemas.config import ExecutorSection
from .base import BatchTask, MapStats, OnResult
from .progress import BatchProgress


class _Worker:
    """One Ray actor: sets the task up once, then works the batches it is sent."""

    def __init__(self, task: BatchTask):
        self.task = task
        self.task.setup()
        import ray

        self.node = f"{socket.gethostname()}/{ray.get_runtime_context().get_node_id()[:8]}"

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from ray import cloudpickle

        started = time.monotonic()
        items = [cloudpickle.loads(bytes(b)) for b in batch["payload"]]
        results = self.task.run(items)
        seconds = (time.monotonic() - started) / max(1, len(items))
        return {"i": list(batch["i"]), "result": [cloudpickle.dumps(r) for r in results],
                "node": [self.node] * len(items), "pid": [os.getpid()] * len(items),
                "seconds": [seconds] * len(items)}


class RayExecutor:
    name = "ray"

    def __init__(self, section: ExecutorSection):
        self.section = section
        self._runs: list[dict[str, Any]] = []

    def _connect(self):
        ray = require("ray", "the ray executor")
        if not ray.is_initialized():
            # address None: RAY_ADDRESS when set, else a local Ray for this run
            ray.init(address=self.section.ray_address, ignore_reinit_error=True, log_to_driver=False,
                     include_dashboard=False, logging_level="WARNING")
        data = require("ray.data", "the ray executor")
        ctx = data.DataContext.get_current()
        ctx.enable_progress_bars = False          # ours (executors/progress.py) shows rows, not blocks
        ctx.print_on_execution_start = False
        # A batch that still fails after Ray's retries is dropped instead of failing the dataset:
        # its rows were not delivered, so the next round redoes them (and only them).
        ctx.max_errored_blocks = -1
        return ray, data

    def _workers(self, ray, rows: int) -> int:
        wanted = self.section.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        return max(1, min(wanted, -(-rows // self.section.batch_size)))

    def map(self, task: BatchTask, items: Sequence[Any], on_result: OnResult, *, desc: str = "",
            progress: bool | None = None) -> MapStats:
        """`progress`: None draws the bar on a terminal; False when the caller has its own live display."""
        stats = MapStats(rows=len(items))
        if not items:
            return stats
        ray, data = self._connect()
        from ray import cloudpickle

        started = time.monotonic()
        cap = self.section.max_attempts
        pending = list(range(len(items)))
        reasons: dict[int, str] = {}
        with BatchProgress(len(items), desc or "ray", progress, unit="rows") as bar:
            for attempt in range(1, cap + 1):
                if not pending:
                    break
                stats.rounds = attempt
                stats.retried += len(pending) if attempt > 1 else 0
                delivered: set[int] = set()
                try:
                    ds = self._dataset(data, [{"i": i, "payload": cloudpickle.dumps(items[i])} for i in pending])
                    out = ds.map_batches(
                        _Worker, fn_constructor_kwargs={"task": task}, batch_size=self.section.batch_size,
                        compute=data.ActorPoolStrategy(size=self._workers(ray, len(pending))), batch_format="numpy",
                        # Ray's own retries are capped too: a row that kills its worker every time
                        # must end up counted as failed, not restart the pool forever.
                        max_restarts=cap, max_task_retries=cap)
                    for batch in out.iter_batches(batch_size=None, batch_format="numpy"):
                        for i, blob, node, secs in zip(batch["i"], batch["result"], batch["node"], batch["seconds"]):
                            i, result = int(i), cloudpickle.loads(bytes(blob))
                            if i in delivered:
                                continue          # a retried task's second copy of a row
                            stats.add_node(str(node), 1, float(secs))
                            if attempt < cap and task.retryable(result):
                                reasons[i] = "retryable failure"
                                continue
                            delivered.add(i)
                            on_result(i, result)
                            stats.delivered += 1
                            bar.advance(failed=not _ok(result))
                except Exception as exc:  # the engine failed the dataset: the rows not delivered go round again
                    reason = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ''}"
                    reasons.update({i: reason for i in pending if i not in delivered})
                pending = [i for i in pending if i not in delivered]
            stats.lost = {i: reasons.get(i, "not delivered") for i in pending}
            bar.advance(len(pending), failed=True)
        stats.wall_s = time.monotonic() - started
        self._runs.append({"desc": desc, **stats.to_dict()})
        return stats

    def _dataset(self, data, rows: list[dict[str, Any]]):
        # one block per batch: Ray redoes a whole block when a task fails, and blocks spread evenly
        blocks = max(1, -(-len(rows) // self.section.batch_size))
        return data.from_items(rows, override_num_blocks=blocks)

    def summary(self) -> dict[str, Any]:
        return {"executor": self.name, "ray_address": self.section.ray_address, "batch_size": self.section.batch_size,
                "max_attempts": self.section.max_attempts, "maps": self._runs}


def _ok(result: Any) -> bool:
    ok = getattr(result, "ok", None)
    if ok is None and isinstance(result, dict):
        ok = result.get("ok", True)
    return bool(True if ok is None else ok)
