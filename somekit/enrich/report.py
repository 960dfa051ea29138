"""What an enrichment run did: per-step counts, failures with reasons, and the failure check that
decides whether the stage succeeded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import SomekitError


@dataclass
class EnrichReport:
    media: int = 0
    steps: dict[str, dict[str, int]] = field(default_factory=dict)   # step -> done/cached/failed/none
    unresolved: int = 0                                               # media whose bytes could not be read
    failures: list[dict[str, str]] = field(default_factory=list)     # {media_id, step, reason}
    posts_enriched: int = 0
    attempted: int = 0                                                # media with at least one step asked
    executor: dict[str, Any] = field(default_factory=dict)            # where the rows ran (executors.MapStats)

    def failed_media(self) -> int:
        return len({f["media_id"] for f in self.failures})

    def failure_share(self) -> float:
        return self.failed_media() / self.attempted if self.attempted else 0.0

    def reason_counts(self) -> dict[str, int]:
        """Failures by reason, with file names and details dropped so like counts with like."""
        counts: dict[str, int] = {}
        for f in self.failures:
            reason = re.sub(r"'[^']*'|\"[^\"]*\"", "…", f["reason"]).split(":")[0].strip()
            key = f"{f['step']}: {reason}"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def check(self, max_share: float) -> None:
        """EnrichFailed when more than `max_share` of the media tried failed (a step that fails
        for most inputs is a broken step, not bad luck)."""
        if self.attempted and self.failure_share() > max_share:
            reasons = "; ".join(f"{k} ({v})" for k, v in self.reason_counts().items())
            raise EnrichFailed(f"{self.failed_media()} of {self.attempted} media failed "
                               f"({self.failure_share():.0%} > max_failure_share {max_share:.0%}): {reasons}")

    def count(self, step: str, outcome: str) -> None:
        bucket = self.steps.setdefault(step, {"done": 0, "cached": 0, "failed": 0, "none": 0})
        bucket[outcome] += 1

    def to_dict(self) -> dict[str, Any]:
        return {"media": self.media, "steps": self.steps, "unresolved": self.unresolved,
                "failed": len(self.failures), "failures": self.failures, "posts_enriched": self.posts_enriched,
                "attempted": self.attempted, "failed_media": self.failed_media(),
                "failure_share": round(self.failure_share(), 4), "reasons": self.reason_counts(),
                "executor": self.executor}


class EnrichFailed(SomekitError):
    """Too many media failed: the run's outputs are written, but the stage did not succeed."""
