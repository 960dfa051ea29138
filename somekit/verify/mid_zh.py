"""Integrity checks for `mid-zh` (Weibo rumour detection), written apart from the builder.

Enforced (a violation fails verify): the answer is the corpus's label for the post; labels are
balanced; one item per post and per event (same normalised text = same event, so no cascade or
copy of it can straddle splits); every visible cascade record belongs to the post and precedes the
cut-off; the visible cascade size and the item position predict nothing.

Reported, not enforced: how well the post time, the delay to the cut-off, the text length and
the author's followers or badge predict the label alone. Rumours do spread differently and come
from different accounts, so some of that signal is real; the figures go to `verify --json` under
`shortcuts["mid-zh"]` so a reader can judge them.
"""

from __future__ import annotations

import math
from typing import Iterator

from . import CheckContext, Violation, register_check

TASK = ("mid-zh",)
#: A rule is a shortcut when it beats chance by more than this and its 95% interval excludes chance.
MARGIN = 0.05
#: Features a builder can and must neutralise (enforced) vs real signal (reported).
ENFORCED = ("position", "visible_records")


def _rows(ctx: CheckContext, check: str, sql: str) -> Iterator[Violation]:
    for item, detail in ctx.con.execute(sql).fetchall():
        yield Violation(check, ctx.task, item, detail)


def _prepare(ctx: CheckContext) -> None:
    """Temp table `mz(id, pos, label, post_id, event_id, cutoff, cascade)` from the items."""
    ctx.con.execute("""
        CREATE OR REPLACE TEMP TABLE mz AS
        SELECT id, pos, label, post_id,
               json_extract_string(inputs_json, '$.event_id') AS event_id,
               CAST(json_extract_string(inputs_json, '$.cutoff') AS TIMESTAMP) AS cutoff,
               CAST(json_extract(inputs_json, '$.cascade_ids') AS VARCHAR[]) AS cascade,
               json_extract_string(answer_json, '$.origin') AS origin
        FROM items""")


@register_check("mid-zh-label", TASK)
def label_matches_corpus(ctx: CheckContext) -> Iterator[Violation]:
    _prepare(ctx)
    yield from _rows(ctx, "mid-zh-label", """
        SELECT m.id, 'answer ' || m.label || ' but the corpus labels post ' || m.post_id || ' '
                     || coalesce(CAST(p.veracity AS VARCHAR), 'nothing (or the post is missing)')
        FROM mz m LEFT JOIN posts p ON p.id = m.post_id
        WHERE p.veracity IS DISTINCT FROM m.label ORDER BY m.id""")
    yield from _rows(ctx, "mid-zh-label", """
        SELECT m.id, 'label origin ' || m.origin || ' differs from the corpus: ' || coalesce(p.veracity_origin, 'none')
        FROM mz m JOIN posts p ON p.id = m.post_id
        WHERE p.veracity_origin IS DISTINCT FROM m.origin ORDER BY m.id""")


@register_check("mid-zh-balance", TASK)
def balanced(ctx: CheckContext) -> Iterator[Violation]:
    counts = dict(ctx.con.execute("SELECT label, count(*) FROM items GROUP BY label").fetchall())
    if counts.get("rumor", 0) != counts.get("non-rumor", 0):
        yield Violation("mid-zh-balance", ctx.task, "", f"{counts.get('rumor', 0)} rumor vs {counts.get('non-rumor', 0)} non-rumor")


@register_check("mid-zh-events", TASK)
def one_item_per_event(ctx: CheckContext) -> Iterator[Violation]:
    _prepare(ctx)
    yield from _rows(ctx, "mid-zh-events", """
        SELECT id, 'post ' || post_id || ' is asked by ' || n || ' items' FROM (
            SELECT id, post_id, count(*) OVER (PARTITION BY post_id) AS n,
                   row_number() OVER (PARTITION BY post_id ORDER BY pos) AS k FROM mz) WHERE n > 1 AND k > 1""")
    yield from _rows(ctx, "mid-zh-events", """
        SELECT id, 'event ' || event_id || ' has ' || n || ' items' FROM (
            SELECT id, event_id, count(*) OVER (PARTITION BY event_id) AS n,
                   row_number() OVER (PARTITION BY event_id ORDER BY pos) AS k FROM mz) WHERE n > 1 AND k > 1""")
    # Copies of one text under different event ids could land in different splits.
    yield from _rows(ctx, "mid-zh-events", """
        WITH t AS (SELECT m.id, m.pos, m.event_id,
                          lower(regexp_replace(p.text, '[^\\p{L}\\p{N}]+', '', 'g')) AS same_text
                   FROM mz m JOIN posts p ON p.id = m.post_id)
        SELECT a.id, 'same text as item ' || b.id || ' but another event (' || a.event_id || ' vs ' || b.event_id || ')'
        FROM t a JOIN t b ON a.same_text = b.same_text AND a.same_text <> '' AND a.pos > b.pos
        WHERE a.event_id <> b.event_id ORDER BY a.id""")


@register_check("mid-zh-cascade", TASK)
def cascade_before_cutoff(ctx: CheckContext) -> Iterator[Violation]:
    _prepare(ctx)
    yield from _rows(ctx, "mid-zh-cascade", """
        WITH v AS (SELECT m.id, m.post_id, m.cutoff, unnest(m.cascade) AS rid FROM mz m)
        SELECT v.id, 'visible record ' || v.rid || CASE
                   WHEN i.id IS NULL THEN ' is not in the corpus'
                   WHEN i.post_id IS DISTINCT FROM v.post_id THEN ' belongs to post ' || coalesce(i.post_id, '?')
                   ELSE ' is after the cut-off ' || CAST(v.cutoff AS VARCHAR) END
        FROM v LEFT JOIN interactions i ON i.id = v.rid
        WHERE i.id IS NULL OR i.post_id IS DISTINCT FROM v.post_id
           OR i.created_at IS NULL OR CAST(timezone('UTC', i.created_at) AS TIMESTAMP) > v.cutoff
        ORDER BY v.id, v.rid""")
    yield from _rows(ctx, "mid-zh-cascade", """
        SELECT m.id, 'the cut-off is missing or before the post time' FROM mz m JOIN posts p ON p.id = m.post_id
        WHERE m.cutoff IS NULL OR (p.created_at IS NOT NULL AND m.cutoff < CAST(timezone('UTC', p.created_at) AS TIMESTAMP))
        ORDER BY m.id""")


def _features(ctx: CheckContext) -> dict[str, list[tuple[float | None, int]]]:
    """feature -> [(value, 1 if rumor else 0)] per item, read from the corpus by this module."""
    rows = ctx.con.execute("""
        SELECT m.label = 'rumor', m.pos, len(m.cascade), epoch(p.created_at),
               epoch(m.cutoff) - epoch(CAST(timezone('UTC', p.created_at) AS TIMESTAMP)),
               length(p.text), u.followers_count, CAST(u.verified AS INTEGER)
        FROM mz m LEFT JOIN posts p ON p.id = m.post_id LEFT JOIN users u ON u.id = p.author_id
        ORDER BY m.pos""").fetchall()
    names = ("position", "visible_records", "post_time", "cutoff_delay", "text_length", "author_followers", "author_verified")
    return {name: [(r[i + 1], int(r[0])) for r in rows] for i, name in enumerate(names)}


def stump_accuracy(pairs: list[tuple[float | None, int]]) -> float:
    """Best accuracy of a one-threshold rule on one feature (either direction; a missing value is
    its own lowest bin). Thresholds fall only between distinct values, so ties are never split."""
    n = len(pairs)
    if n == 0:
        return 0.5
    ordered = sorted(pairs, key=lambda p: (p[0] is not None, p[0] if p[0] is not None else 0.0))
    pos_total = sum(y for _, y in ordered)
    best = max(pos_total, n - pos_total)
    below_pos = below = 0
    for i, (x, y) in enumerate(ordered):
        below += 1
        below_pos += y
        if i + 1 < n and ordered[i + 1][0] == x:
            continue
        # rule "above the threshold -> rumor" and its mirror
        above_pos = pos_total - below_pos
        correct = (below - below_pos) + above_pos
        best = max(best, correct, n - correct)
    return best / n


def wilson(acc: float, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    centre = (acc + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(acc * (1 - acc) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def shortcut_figures(ctx: CheckContext) -> dict[str, dict]:
    """{rule: {acc, ci, enforced}} for every feature (the `shortcuts` block of verify --json)."""
    out = {}
    for name, pairs in _features(ctx).items():
        acc = stump_accuracy(pairs)
        lo, hi = wilson(acc, len(pairs))
        out[name] = {"acc": round(acc, 4), "ci": [round(lo, 4), round(hi, 4)], "enforced": name in ENFORCED}
    return out


@register_check("mid-zh-shortcuts", TASK)
def shortcuts(ctx: CheckContext) -> Iterator[Violation]:
    _prepare(ctx)
    figures = shortcut_figures(ctx)
    ctx.shortcuts = figures  # picked up by the runner for verify --json
    for name in ENFORCED:
        f = figures[name]
        if f["acc"] > 0.5 + MARGIN and f["ci"][0] > 0.5:
            yield Violation("mid-zh-shortcuts", ctx.task, "",
                            f"{name} alone predicts the label with accuracy {f['acc']:.3f} (95% CI {f['ci'][0]:.3f}-{f['ci'][1]:.3f})")
