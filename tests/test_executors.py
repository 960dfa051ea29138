"""The executor layer without a cluster: option resolution and the local executor's contract
(the Ray executor runs on a real cluster in tests/test_executor_ray.py)."""

from __future__ import annotations

import pytest

from somekit.executors import get_executor, with_executor
from somekit.schemas.config import Config, ExecutorSection


def test_flags_lay_over_the_config_and_an_address_implies_ray():
    cfg = Config()
    assert with_executor(cfg, None, None) is cfg and cfg.executor.kind == "local"
    assert with_executor(cfg, None, "10.0.0.5:6379").executor.model_dump()["kind"] == "ray"
    ray_cfg = with_executor(cfg, "ray", None)
    assert ray_cfg.executor.kind == "ray" and ray_cfg.executor.ray_address is None and cfg.executor.kind == "local"
    with pytest.raises(Exception):
        ExecutorSection(kind="spark")


class Doubler:
    def __init__(self):
        self.ready = False

    def setup(self) -> None:
        self.ready = True

    def run(self, items):
        assert self.ready, "run before setup"
        return [x * 2 for x in items]

    def retryable(self, result) -> bool:
        return False


def test_local_executor_runs_in_order_once_and_records_its_run():
    executor = get_executor(ExecutorSection())
    assert executor is get_executor(Config().executor) and executor.name == "local"
    seen: list[tuple[int, int]] = []
    stats = executor.map(Doubler(), [3, 1, 2], lambda i, r: seen.append((i, r)), desc="double")
    assert seen == [(0, 6), (1, 2), (2, 4)]
    assert stats.delivered == 3 and stats.rounds == 1 and not stats.lost
    assert sum(n["rows"] for n in stats.to_dict()["nodes"].values()) == 3
    assert executor.summary()["maps"][-1]["desc"] == "double"
