"""Integrity checks for `mid-zh` (Weibo rumour detection), written apart from the builder.

Enforced (a violation fails verify): the answer is the corpus's label for the post; labels are
balanced; one item per post and per event (near-duplicate texts = one event, recomputed here
exactly: verify/events.py); every visible cascade record belongs to the post and precedes the
cut-off; the visible cascade size and the item position predict nothing.

Matched design (builders/mid_zh_balance.py): unless `[tasks.mid-zh] options.match = []`, the
standardised mean difference of each covariate an agent sees (log followers, badge, post time,
log delay to the cut-off), recomputed here from the corpus, stays within `[verify] max_smd`.

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
#: Enforced as well when the build is matched (the features the matching balances).
MATCHED = ("post_time", "cutoff_delay", "author_followers", "author_verified")
REPORTED = ("post_time", "cutoff_delay", "text_length", "author_followers", "author_verified")


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
    # Near-copies of one post under different event ids could land in different splits: verify
    # recomputes events exactly (verify/events.py) and the item's event must be its own.
    yield from _event_agreement(ctx)


def _event_agreement(ctx: CheckContext) -> Iterator[Violation]:
    from ..schemas.tasks import options_for
    from .events import exact_events

    options = options_for(ctx.ws.config(), ctx.task)
    texts = dict(ctx.con.execute("SELECT id, text FROM posts WHERE veracity IS NOT NULL AND created_at IS NOT NULL").fetchall())
    events = exact_events(ctx.con, texts, options.event_threshold, options.shingle)
    seen: dict[str, str] = {}
    for item_id, post_id, event_id in ctx.con.execute("SELECT id, post_id, event_id FROM mz ORDER BY pos").fetchall():
        mine = events.get(post_id)
        if mine is None:
            continue  # a post missing from the corpus is mid-zh-label's violation
        if mine != event_id:
            yield Violation("mid-zh-events", ctx.task, item_id,
                            f"post {post_id} belongs to event {mine} (near-duplicates, threshold {options.event_threshold}), "
                            f"not {event_id}")
        if mine in seen:
            yield Violation("mid-zh-events", ctx.task, item_id, f"event {mine} is also asked by item {seen[mine]}")
        seen.setdefault(mine, item_id)


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


def _sort_key(x: float | None) -> tuple[bool, float]:
    return (x is not None, x if x is not None else 0.0)


def _fit_stump(pairs: list[tuple[float | None, int]]) -> tuple[tuple[bool, float] | None, int]:
    """(threshold as a sort key, label of the values above it) of the best one-threshold rule on
    `pairs`; (None, majority label) when no threshold beats the majority."""
    ordered = sorted(pairs, key=lambda p: _sort_key(p[0]))
    n, pos_total = len(ordered), sum(y for _, y in ordered)
    best, rule = max(pos_total, n - pos_total), (None, int(pos_total * 2 >= n))
    below = below_pos = 0
    for i, (x, y) in enumerate(ordered):
        below, below_pos = below + 1, below_pos + y
        if i + 1 < n and ordered[i + 1][0] == x:
            continue
        correct = (below - below_pos) + (pos_total - below_pos)  # above -> rumor
        if correct > best:
            best, rule = correct, (_sort_key(x), 1)
        if n - correct > best:
            best, rule = n - correct, (_sort_key(x), 0)
    return rule


def cv_stump_accuracy(keyed: list[tuple[str, float | None, int]]) -> float:
    """Accuracy of the best one-threshold rule fitted on one half of the items (split by a hash
    of the post id) and scored on the other, both ways: the best of many thresholds is not
    rewarded for fitting noise (in-sample, it reaches ~0.55 on pure noise at a few hundred items)."""
    import hashlib

    fold = [hashlib.sha256(k.encode()).digest()[0] & 1 for k, _, _ in keyed]
    correct = 0
    for f in (0, 1):
        threshold, above = _fit_stump([(x, y) for (k, x, y), g in zip(keyed, fold) if g != f])
        for (k, x, y), g in zip(keyed, fold):
            if g == f:
                if threshold is None:
                    pred = above  # no split: the majority label
                else:
                    pred = above if _sort_key(x) > threshold else 1 - above
                correct += pred == y
    return correct / len(keyed) if keyed else 0.5


def shortcut_figures(ctx: CheckContext, enforced: tuple[str, ...] = ENFORCED) -> dict[str, dict]:
    """{rule: {acc, ci, cv_acc, cv_ci, enforced}} for every feature (the `shortcuts` block of
    verify --json): in-sample best-threshold accuracy, and its cross-validated twin (enforced)."""
    out = {}
    keys = [r[0] for r in ctx.con.execute("SELECT post_id FROM mz ORDER BY pos").fetchall()]
    for name, pairs in _features(ctx).items():
        acc = stump_accuracy(pairs)
        lo, hi = wilson(acc, len(pairs))
        cv = cv_stump_accuracy([(k, x, y) for k, (x, y) in zip(keys, pairs)])
        clo, chi = wilson(cv, len(pairs))
        out[name] = {"acc": round(acc, 4), "ci": [round(lo, 4), round(hi, 4)], "cv_acc": round(cv, 4),
                     "cv_ci": [round(clo, 4), round(chi, 4)], "enforced": name in enforced}
    return out


@register_check("mid-zh-shortcuts", TASK)
def shortcuts(ctx: CheckContext) -> Iterator[Violation]:
    from ..schemas.tasks import options_for

    _prepare(ctx)
    # In a matched design the matched covariates are neutralised too, so they are enforced.
    matched = bool(options_for(ctx.ws.config(), ctx.task).match)
    enforced = ENFORCED + (MATCHED if matched else ())
    figures = shortcut_figures(ctx, enforced)
    ctx.shortcuts = figures  # picked up by the runner for verify --json
    for name in enforced:
        f = figures[name]
        acc, lo = (f["cv_acc"], f["cv_ci"][0]) if name in MATCHED else (f["acc"], f["ci"][0])
        if acc > 0.5 + MARGIN and lo > 0.5:
            yield Violation("mid-zh-shortcuts", ctx.task, "",
                            f"{name} alone predicts the label with accuracy {acc:.3f} (95% CI lower bound {lo:.3f})")


def _smd(a: list[float], b: list[float]) -> float:
    if not a or not b:
        return 0.0
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    va = sum((x - ma) ** 2 for x in a) / (len(a) - 1) if len(a) > 1 else 0.0
    vb = sum((x - mb) ** 2 for x in b) / (len(b) - 1) if len(b) > 1 else 0.0
    sd = math.sqrt((va + vb) / 2)
    return 0.0 if sd == 0 and ma == mb else (math.inf if sd == 0 else (ma - mb) / sd)


def balance_figures(ctx: CheckContext) -> dict[str, float]:
    """covariate -> standardised mean difference (rumour minus non-rumour) over the items."""
    rows = ctx.con.execute("""
        SELECT m.label = 'rumor', ln(1 + coalesce(u.followers_count, 0)), CAST(coalesce(u.verified, false) AS INTEGER),
               epoch(p.created_at),
               ln(1 + greatest(0, epoch(m.cutoff) - epoch(CAST(timezone('UTC', p.created_at) AS TIMESTAMP))))
        FROM mz m JOIN posts p ON p.id = m.post_id LEFT JOIN users u ON u.id = p.author_id""").fetchall()
    names = ("followers", "verified", "post_time", "delay")
    return {name: round(_smd([float(r[k + 1]) for r in rows if r[0]], [float(r[k + 1]) for r in rows if not r[0]]), 4)
            for k, name in enumerate(names)}


@register_check("mid-zh-balance-covariates", TASK)
def covariate_balance(ctx: CheckContext) -> Iterator[Violation]:
    from ..schemas.tasks import options_for

    _prepare(ctx)
    cfg = ctx.ws.config()
    figures = balance_figures(ctx)
    matched = bool(options_for(cfg, "mid-zh").match)
    ctx.notes["balance"] = {"design": "matched" if matched else "unmatched", "smd": figures}
    if not matched:
        return
    limit = cfg.verify.max_smd
    for name, value in figures.items():
        if abs(value) > limit:
            yield Violation("mid-zh-balance-covariates", ctx.task, "",
                            f"{name}: standardised mean difference {value:.3f} after matching exceeds {limit:g}")
