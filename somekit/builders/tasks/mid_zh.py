"""`mid-zh`: Weibo rumour detection from CED (SoMe's MID is English only).

An item asks whether a Weibo post is a rumour; the answer is the source's label (`posts.veracity`,
set by the CED reader from the folder that holds the post's cascade). What the agent may see is
fixed per item: the post, the first `k` records of its repost cascade (by time) and the profiles
of the users involved, up to the question's cut-off (the time of the k-th record).

Trust, item by item:
- balanced: as many rumours as non-rumours, chosen in a seeded order;
- one item per event: near-duplicate posts are one event (CED holds copies of a rumour posted by
  several accounts, with 【】, links, trimmed sentences: builders/events.py); the event id is the
  split group, so a cascade and its copies never straddle splits, and no two items share a query;
- matched pairs: CED collected its rumours and non-rumours differently (other years, other
  accounts), so each rumour is paired with the nearest non-rumour on what an agent sees besides
  the words (author followers and badge, post time, delay to the last visible record), within
  calipers (builders/mid_zh_balance.py); the balance table before/after and the pairs lost go
  to stats.json, and verify enforces the balance. `match = []` builds unmatched pairs, labelled so;
- no cascade-size shortcut: both members of a pair see the same number of cascade records,
  k = min(their cascade sizes, `visible`).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ...errors import SomekitError
from ...schemas.items import MIDZhInputs, MIDZhItem, RumorAnswer, item_id
from ...schemas.provenance import Provenance
from ...store.items import write_items
from ..query_templates import render
from ..registry import BuildResult, register_builder
from ...store.language import corpus_lang
from ..events import near_duplicate_events
from ...schemas.task_options import MIDZhOptions
from .mid_zh_balance import item_balance, match_pairs
from ..sampling import open_corpus, rand_sql, resolve, seeded_order

BUILDER = "mid-zh@2"
ALL = 10**9        # default n: every event the balance allows
_TIME = "%Y-%m-%d %H:%M:%S"


def _events(con, seed: int, options: MIDZhOptions) -> None:
    """Temp table `ev(event_id, post_id, label, origin, rnd, copies)`: one labelled post per event
    (near-duplicate texts are one event: builders/events.py), and `grp`, whose `labels > 1` rows
    are the events whose copies disagree on the label (left out, counted)."""
    texts = dict(con.execute("SELECT id, text FROM posts WHERE veracity IS NOT NULL AND created_at IS NOT NULL").fetchall())
    event_of = near_duplicate_events(texts, options.event_threshold, options.shingle)
    con.register("_lp_event", pa.table({"id": pa.array(list(event_of), pa.string()),
                                        "event_id": pa.array(list(event_of.values()), pa.string())}))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE lp AS
        SELECT p.id, p.veracity AS label, p.veracity_origin AS origin, e.event_id
        FROM posts p JOIN _lp_event e USING (id)""")
    con.unregister("_lp_event")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE grp AS
        SELECT event_id, count(DISTINCT label) AS labels, count(*) AS copies FROM lp GROUP BY event_id""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ev AS
        SELECT g.event_id, arg_min(p.id, {rand_sql(seed, 'p.id')}) AS post_id, any_value(p.label) AS label,
               any_value(p.origin) AS origin, {rand_sql(seed, 'g.event_id')} AS rnd, any_value(g.copies) AS copies
        FROM lp p JOIN grp g USING (event_id)
        WHERE g.labels = 1 GROUP BY g.event_id""")


def _candidates(con, visible_max: int) -> list[tuple]:
    """Every event's post in seeded order: (event, post, origin, copies, cascade size, text,
    post time, label, covariates...) with covariates as an agent would see them if the post's
    item showed min(size, visible) records (builders/mid_zh_balance.py)."""
    return con.execute(f"""
        WITH c AS (SELECT post_id, created_at,
                          row_number() OVER (PARTITION BY post_id ORDER BY created_at, id) AS r,
                          count(*) OVER (PARTITION BY post_id) AS size
                   FROM interactions WHERE created_at IS NOT NULL AND post_id IN (SELECT post_id FROM ev))
        SELECT e.event_id, e.post_id, e.origin, e.copies, coalesce(s.size, 0), p.text, strftime(p.created_at, '{_TIME}'),
               e.label, ln(1 + coalesce(u.followers_count, 0)), CAST(coalesce(u.verified, false) AS INTEGER),
               epoch(p.created_at), ln(1 + greatest(0, coalesce(epoch(k.created_at) - epoch(p.created_at), 0))),
               coalesce(t.times, [])
        FROM ev e JOIN posts p ON p.id = e.post_id LEFT JOIN users u ON u.id = p.author_id
        LEFT JOIN (SELECT post_id, list(epoch(created_at) ORDER BY r) AS times FROM c WHERE r <= {int(visible_max)}
                   GROUP BY post_id) t ON t.post_id = e.post_id
        LEFT JOIN (SELECT DISTINCT post_id, size FROM c) s ON s.post_id = e.post_id
        LEFT JOIN c k ON k.post_id = e.post_id AND k.r = least(s.size, {int(visible_max)})
        ORDER BY e.rnd, e.event_id""").fetchall()


def _visible(con, post_ids: list[str], k_by_post: dict[str, int]) -> dict[str, list[tuple[str, str]]]:
    """The first k cascade records (id, time) of each post, by (time, id)."""
    con.register("_want", pa.table({"post_id": pa.array(post_ids, pa.string()),
                                    "k": pa.array([k_by_post[p] for p in post_ids], pa.int64())}))
    out: dict[str, list[tuple[str, str]]] = {p: [] for p in post_ids}
    for post, rid, when in con.execute(f"""
            SELECT i.post_id, i.id, strftime(i.created_at, '{_TIME}') FROM interactions i JOIN _want w USING (post_id)
            WHERE i.created_at IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY i.post_id ORDER BY i.created_at, i.id) <= w.k
            ORDER BY i.post_id, i.created_at, i.id""").fetchall():
        out[post].append((rid, when))
    con.unregister("_want")
    return out


def _item(row: tuple, label: str, visible: list[tuple[str, str]], partner: str, lang: str, seed: int,
          design: str) -> MIDZhItem:
    event_id, post_id, origin, copies, size, text, posted = row[:7]
    cutoff = visible[-1][1] if visible else posted
    if cutoff is None:
        raise SomekitError(f"mid-zh: post {post_id} has no time, so no cut-off can be set")
    inputs = MIDZhInputs(post_id=post_id, event_id=event_id, text=text, cutoff=cutoff,
                         cascade_ids=[rid for rid, _ in visible])
    query, template_id = render("mid-zh", lang, post_id=post_id, cutoff=cutoff, text=text)
    return MIDZhItem(
        id=item_id("mid-zh", inputs.model_dump(mode="json")), query=query, template_id=template_id, lang=lang,
        inputs=inputs, answer=RumorAnswer(label=label, origin=origin or "unknown"),
        provenance=Provenance(source_ids=[post_id], rule="label:source-veracity", seed=seed, builder=BUILDER,
                              notes={"pair": partner, "visible": len(visible), "cascade_size": size,
                                     "event_copies": copies, "design": design}))


#: Share of the possible rumour/non-rumour pairs that matching may lose before the build says so.
MAX_SILENT_LOSS = 0.5


def _matching_loss(balance: dict[str, Any]) -> list[str]:
    """A warning when matching dropped most pairs: the corpus's classes differ in what an agent
    sees (on CED, followers and spread), and the few matched pairs are all it can honestly give."""
    possible, matched = balance.get("pairs_possible", 0), balance.get("pairs_matched", 0)
    if not possible or matched >= (1 - MAX_SILENT_LOSS) * possible:
        return []
    before = balance.get("smd_before", {})
    worst = ", ".join(f"{k} (SMD {v:+.2f})" for k, v in sorted(before.items(), key=lambda kv: -abs(kv[1]))
                      if abs(v) > 0.1)
    return [f"mid-zh: matching kept {matched} of {possible} possible pairs; before matching, "
            f"{worst or 'the matched covariates'} told rumours from non-rumours by themselves. Fewer, "
            "matched items are what this corpus supports; widening `calipers` trades items for shortcuts"]


@register_builder("mid-zh")
def build_mid_zh(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
                 **overrides: Any) -> BuildResult:
    """Build mid-zh items; `n` counts items per label (rumour and non-rumour each)."""
    n, seed, options = resolve(cfg, "mid-zh", n, seed, ALL, overrides)
    visible_max = options.visible
    if visible_max < 0:
        raise SomekitError(f"mid-zh: option visible must be >= 0 (got {visible_max})")
    con = open_corpus(ws)
    con.execute("SET TimeZone = 'UTC'")  # cut-offs are written in UTC
    if "veracity" not in {r[0] for r in con.execute("DESCRIBE posts").fetchall()}:
        raise SomekitError("mid-zh: the corpus has no veracity column; ingest CED again with this version of somekit")
    lang = corpus_lang(con, lang, cfg)
    _events(con, seed, options)
    labels = dict(con.execute("SELECT label, count(*) FROM ev GROUP BY label").fetchall())
    conflicted = con.execute("SELECT count(*) FROM grp WHERE labels > 1").fetchall()[0][0]
    # A post without a time has no cut-off to ask at; counted, never guessed.
    untimed = con.execute("SELECT count(*) FROM posts WHERE veracity IS NOT NULL AND created_at IS NULL").fetchall()[0][0]
    candidates = _candidates(con, visible_max)
    rows_by_post = {r[1]: r for r in candidates}
    pairs, balance = match_pairs(candidates, list(options.match), options.calipers, n, visible_max,
                                 cfg.verify.max_smd if cfg is not None else 0.1)
    design = "matched" if options.match else "unmatched"
    k_by_post = {}
    for a, b in pairs:
        k_by_post[a[1]] = k_by_post[b[1]] = min(a[4], b[4], visible_max)
    shown = _visible(con, list(k_by_post), k_by_post)
    items = []
    for a, b in pairs:
        items.append(_item(a, "rumor", shown[a[1]], b[1], lang, seed, design))
        items.append(_item(b, "non-rumor", shown[b[1]], a[1], lang, seed, design))
    warnings = []
    if not pairs:
        warnings.append(f"mid-zh: no balanced items: the corpus holds {labels.get('rumor', 0)} rumour and "
                        f"{labels.get('non-rumor', 0)} non-rumour events (CED's non-rumor-repost/ is needed too)")
    elif len(pairs) < n < ALL:
        warnings.append(f"mid-zh: {len(pairs)} items per label, fewer than the {n} asked (the smaller class runs out)")
    warnings += _matching_loss(balance)
    if conflicted:
        warnings.append(f"mid-zh: {conflicted} events have copies labelled both ways; left out")
    if untimed:
        warnings.append(f"mid-zh: {untimed} labelled posts have no time (no cut-off possible); left out")
    items = seeded_order(items, seed)
    stats = {"seed": seed, "items": len(items), "per_label": len(pairs), "visible_max": visible_max,
             "events": {k: labels.get(k, 0) for k in ("rumor", "non-rumor")}, "conflicting_events": conflicted,
             "untimed_posts": untimed,
             "visible_records": sum(len(v) for v in shown.values()), "design": design,
             "event_rule": {"threshold": options.event_threshold, "shingle": options.shingle},
             "balance": {**balance, **item_balance(items, rows_by_post)}}
    if design == "unmatched":
        warnings.append("mid-zh: built unmatched (match = []): author, time and spread may predict the label by themselves")
    write_items(ws, "mid-zh", items, stats={**stats, "warnings": warnings})
    return BuildResult("mid-zh", len(items), stats, warnings)
