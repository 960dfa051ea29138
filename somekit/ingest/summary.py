"""The table every ingest ends with: what was read, kept and quarantined (by reason), per table
and per source folder. Plain data first (`summary_rows`), rendered by rich for the terminal."""

from __future__ import annotations

from rich.table import Table

from .engine import MERGE_ORDER, IngestReport

COLUMNS = ("", "read", "kept", "quarantined", "corpus")


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def summary_rows(report: IngestReport) -> list[tuple[str, ...]]:
    """Rows of (what, read, kept, quarantined, corpus total): one per table, one per quarantine
    reason, one per source folder and table, then the totals. Kept = added + already present
    (users merge duplicates into one profile, so fewer are kept than read)."""
    rows: list[tuple[str, ...]] = []
    for table in MERGE_ORDER:
        if table not in report.read and table not in report.added:
            continue
        new = report.added.get(table, 0)
        rows.append((table, _n(report.read.get(table, 0)), _n(new + report.already_present.get(table, 0)), "",
                     _n(report.totals.get(table, 0))))
    for reason, n in sorted(report.quarantined.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append((f"  {reason}", "", "", _n(n), ""))
    for folder, counts in report.folders.items():
        tables = [t for t in counts if t != "quarantined"] or [""]
        for i, t in enumerate(tables):
            q = _n(counts.get("quarantined", 0)) if i == 0 else ""
            rows.append((f"{folder}/ {t}".rstrip(), _n(counts.get(t, 0)), "", q, ""))
    kept = sum(report.added.values()) + sum(report.already_present.values())
    rows.append(("total", _n(report.records_in), _n(kept), _n(sum(report.quarantined.values())),
                 _n(sum(report.totals.values()))))
    return rows


def summary_table(report: IngestReport) -> Table:
    table = Table(title=f"ingest --format {report.format}", title_justify="left")
    for name in COLUMNS:
        # The first column (table, reason, folder) never wraps: it is what a reader scans for.
        table.add_column(name, justify="left" if not name else "right", no_wrap=True)
    for row in summary_rows(report):
        table.add_row(*row)
    return table
