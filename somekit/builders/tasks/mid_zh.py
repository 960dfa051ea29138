"""`mid-zh`: Weibo rumour detection from CED (SoMe's MID is English only).

An item asks whether a Weibo post is a rumour; the answer is the source's label (`posts.veracity`,
set by the CED reader from the folder that holds the post's cascade). What the agent may see is
fixed per item: the post, the first `k` records of its repost cascade (by time) and the profiles
of the users involved, up to the question's cut-off (the time of the k-th record).

Trust, item by item:
- balanced: as many rumours as non-rumours, chosen in a seeded order;
- one item per event: posts whose normalised text is the same are one event (CED holds copies
  of a rumour posted by several accounts); the event id is the split group, so a cascade and
  its copies never straddle splits, and no two items share a query;
- no cascade-size shortcut: items are paired (the i-th rumour with the i-th non-rumour in seeded
  order) and both members of a pair see the same number of cascade records, k = min(their
  cascade sizes, `visible`). How fast those k records came, the post time and the author's profile
  stay real signal (rumours spread differently); `somekit verify` reports how far each one alone
  predicts the label.
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
from ..sampling import norm_sql, open_corpus, rand_sql, resolve, seeded_order

BUILDER = "mid-zh@1"
ALL = 10**9        # default n: every event the balance allows
_TIME = "%Y-%m-%d %H:%M:%S"


def _events(con, seed: int) -> None:
    """Temp table `ev(event_id, post_id, label, origin, rnd)`: one labelled post per event, and
    `conflicted`, the events whose copies disagree on the label (left out, counted)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE lp AS
        SELECT id, veracity AS label, veracity_origin AS origin, {norm_sql('text')} AS key
        FROM posts WHERE veracity IS NOT NULL AND created_at IS NOT NULL""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE grp AS
        SELECT CASE WHEN key = '' THEN id ELSE key END AS gkey, min(id) AS event_id,
               count(DISTINCT label) AS labels, count(*) AS copies
        FROM lp GROUP BY gkey""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ev AS
        SELECT g.event_id, arg_min(p.id, {rand_sql(seed, 'p.id')}) AS post_id, any_value(p.label) AS label,
               any_value(p.origin) AS origin, {rand_sql(seed, 'g.event_id')} AS rnd, any_value(g.copies) AS copies
        FROM lp p JOIN grp g ON g.gkey = CASE WHEN p.key = '' THEN p.id ELSE p.key END
        WHERE g.labels = 1 GROUP BY g.event_id""")


def _pairs(con, n: int) -> list[tuple]:
    """(rumour row, non-rumour row) pairs in seeded order; each row: event, post, origin, copies,
    cascade size (records with a time), post text, post time."""
    rows = con.execute(f"""
        WITH c AS (SELECT post_id, count(*) AS size FROM interactions
                   WHERE created_at IS NOT NULL AND post_id IN (SELECT post_id FROM ev) GROUP BY post_id),
        r AS (SELECT e.*, coalesce(c.size, 0) AS size, p.text, strftime(p.created_at, '{_TIME}') AS posted,
                     row_number() OVER (PARTITION BY e.label ORDER BY e.rnd, e.event_id) AS k
              FROM ev e JOIN posts p ON p.id = e.post_id LEFT JOIN c USING (post_id))
        SELECT a.event_id, a.post_id, a.origin, a.copies, a.size, a.text, a.posted,
               b.event_id, b.post_id, b.origin, b.copies, b.size, b.text, b.posted
        FROM r a JOIN r b ON a.k = b.k AND a.label = 'rumor' AND b.label = 'non-rumor'
        WHERE a.k <= {int(n)} ORDER BY a.k""").fetchall()
    return [(row[:7], row[7:]) for row in rows]


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


def _item(row: tuple, label: str, visible: list[tuple[str, str]], partner: str, lang: str, seed: int) -> MIDZhItem:
    event_id, post_id, origin, copies, size, text, posted = row
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
                                     "event_copies": copies}))


@register_builder("mid-zh")
def build_mid_zh(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
                 **overrides: Any) -> BuildResult:
    """Build mid-zh items; `n` counts items per label (rumour and non-rumour each)."""
    n, seed, options = resolve(cfg, "mid-zh", n, seed, ALL, overrides)
    visible_max = int(options["visible"])
    if visible_max < 0:
        raise SomekitError(f"mid-zh: option visible must be >= 0 (got {visible_max})")
    con = open_corpus(ws)
    con.execute("SET TimeZone = 'UTC'")  # cut-offs are written in UTC
    if "veracity" not in {r[0] for r in con.execute("DESCRIBE posts").fetchall()}:
        raise SomekitError("mid-zh: the corpus has no veracity column; ingest CED again with this version of somekit")
    lang = corpus_lang(con, lang, cfg)
    _events(con, seed)
    labels = dict(con.execute("SELECT label, count(*) FROM ev GROUP BY label").fetchall())
    conflicted = con.execute("SELECT count(*) FROM grp WHERE labels > 1").fetchall()[0][0]
    # A post without a time has no cut-off to ask at; counted, never guessed.
    untimed = con.execute("SELECT count(*) FROM posts WHERE veracity IS NOT NULL AND created_at IS NULL").fetchall()[0][0]
    pairs = _pairs(con, n)
    k_by_post = {}
    for a, b in pairs:
        k_by_post[a[1]] = k_by_post[b[1]] = min(a[4], b[4], visible_max)
    shown = _visible(con, list(k_by_post), k_by_post)
    items = []
    for a, b in pairs:
        items.append(_item(a, "rumor", shown[a[1]], b[1], lang, seed))
        items.append(_item(b, "non-rumor", shown[b[1]], a[1], lang, seed))
    warnings = []
    if not pairs:
        warnings.append(f"mid-zh: no balanced items: the corpus holds {labels.get('rumor', 0)} rumour and "
                        f"{labels.get('non-rumor', 0)} non-rumour events (CED's non-rumor-repost/ is needed too)")
    elif len(pairs) < n < ALL:
        warnings.append(f"mid-zh: {len(pairs)} items per label, fewer than the {n} asked (the smaller class runs out)")
    if conflicted:
        warnings.append(f"mid-zh: {conflicted} events have copies labelled both ways; left out")
    if untimed:
        warnings.append(f"mid-zh: {untimed} labelled posts have no time (no cut-off possible); left out")
    items = seeded_order(items, seed)
    stats = {"seed": seed, "items": len(items), "per_label": len(pairs), "visible_max": visible_max,
             "events": {k: labels.get(k, 0) for k in ("rumor", "non-rumor")}, "conflicting_events": conflicted,
             "untimed_posts": untimed,
             "visible_records": sum(len(v) for v in shown.values())}
    write_items(ws, "mid-zh", items, stats={**stats, "warnings": warnings})
    return BuildResult("mid-zh", len(items), stats, warnings)
