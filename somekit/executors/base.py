"""The executor contract: the task a stage hands over, what an executor reports back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence


class BatchTask(Protocol):
    """The per-row function of a stage, in a form both executors call. It must pickle (Ray sends
    it to its workers): hold settings and paths, and build models in `setup`."""

    def setup(self) -> None: ...

    def run(self, items: Sequence[Any]) -> list[Any]: ...

    def retryable(self, result: Any) -> bool: ...


@dataclass
class MapStats:
    """What one `map` did: rows delivered, rows lost with their reason, and where the work ran."""

    rows: int = 0
    delivered: int = 0
    retried: int = 0
    rounds: int = 0
    lost: dict[int, str] = field(default_factory=dict)
    wall_s: float = 0.0
    nodes: dict[str, dict[str, float]] = field(default_factory=dict)   # node -> rows, busy_s

    def add_node(self, node: str, rows: int, busy_s: float) -> None:
        entry = self.nodes.setdefault(node, {"rows": 0, "busy_s": 0.0})
        entry["rows"] += rows
        entry["busy_s"] += busy_s

    def to_dict(self) -> dict[str, Any]:
        nodes = {n: {"rows": int(v["rows"]), "busy_s": round(v["busy_s"], 3),
                     "rows_per_s": round(v["rows"] / v["busy_s"], 4) if v["busy_s"] else None}
                 for n, v in sorted(self.nodes.items())}
        return {"rows": self.rows, "delivered": self.delivered, "retried": self.retried, "rounds": self.rounds,
                "lost": len(self.lost), "lost_reasons": sorted(set(self.lost.values()))[:20],
                "wall_s": round(self.wall_s, 3),
                "rows_per_s": round(self.delivered / self.wall_s, 4) if self.wall_s else None, "nodes": nodes}


OnResult = Callable[[int, Any], None]


class Executor(Protocol):
    name: str

    def map(self, task: BatchTask, items: Sequence[Any], on_result: OnResult, *, desc: str = "",
            progress: bool | None = None) -> MapStats: ...

    def summary(self) -> dict[str, Any]: ...
