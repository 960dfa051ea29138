"""`somekit corpus stats`: counts over the corpus and its quarantine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .query import connect
from .quarantine import quarantine_counts

if TYPE_CHECKING:   # for annotations only: the workspace sits above the store
    from ..workspace import Workspace


def corpus_stats(ws: Workspace) -> dict[str, Any]:
    """Counts with the keys of docs/architecture.md, "CLI contract" (plus claims and per-platform posts)."""
    con = connect(ws.corpus)
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    kinds = dict(con.execute("SELECT kind, count(*) FROM interactions GROUP BY kind ORDER BY kind").fetchall())
    reasons = quarantine_counts(ws.quarantine)
    stats = {
        "posts": one("SELECT count(*) FROM posts"),
        "users": one("SELECT count(*) FROM users"),
        "interactions": kinds,
        "media": one("SELECT count(*) FROM media"),
        "reports": one("SELECT count(*) FROM reports"),
        "claims": one("SELECT count(*) FROM claims"),
        "quarantined": sum(reasons.values()),
        "quarantine_reasons": dict(reasons.most_common()),
        "platforms": dict(con.execute("SELECT platform, count(*) FROM posts GROUP BY platform ORDER BY platform").fetchall()),
    }
    columns = {r[0] for r in con.execute("DESCRIBE posts").fetchall()}
    if "veracity" in columns:  # corpora written before the label was kept have no such column
        stats["veracity"] = dict(con.execute(
            "SELECT coalesce(veracity, 'none'), count(*) FROM posts GROUP BY 1 ORDER BY 1").fetchall())
    con.close()
    return stats
