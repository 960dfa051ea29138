"""The `nap` builder: persona cluster + context thread -> the user's next action set (+ text).

One item per (user, target): the target is the post acted on (like, repost, reply, quote and
their undos, edits, deletes), the user acted on (follow, block and their undos) or, for an
original post, the moment it was written. The answer is the set of action kinds the user took on
that target and, for post/reply/quote, the text. Splits follow time: the earliest share of
targets is assigned by `somekit freeze`: whole threads by time (freeze/challenge.py), with the
thread key in provenance.notes["thread"]; publish --hide-test-answers hides validation and test.
provenance.notes["clusters"] maps each cluster count K (option cluster_counts, plus k) to the
user's cluster, one BluePrint config per K (`publish --layout blueprint`).

Options ([tasks.nap.options]): `NAPOptions` in schemas/task_options.py, with their defaults
(embedder 'hashing' is a non-semantic offline embedder; pii_names needs the `persona` extra,
see persona/pii.py).
"""

from __future__ import annotations

from typing import Any, Iterator

from ...schemas.task_options import NAPOptions
from ...schemas.tasks import resolve_run
from ..registry import BuildResult, register_builder
from ...schemas.items import NAP_ACTIONS, NAPItem, item_id
from ...store.atomic import write_json
from ...store.items import write_items
from ...store.query import connect
from ..actions import build_action_log
from ...enrich.textview import use_post_text
from ...persona.anonymise import day_of, get_salt, hash_id, names_default, scrub_text
from ..user_clusters import cluster_means, get_persona_embedder, user_means
from ...persona.pii import name_engine, prime_names, reset_signal_counts
from ..threads import ThreadIndex

BUILDER = "nap@1"
TEXT_KINDS = ("post", "reply", "quote")
TEMPLATES = {
    "en": ("nap.next.en@1", "You are persona {user} (cluster {cluster}).\n{context}\n"
           "What do you do next? Answer with a set of actions from: {labels}. "
           "For post, reply or quote also write the text."),
    "zh": ("nap.next.zh@1", "你是用户画像 {user}（第 {cluster} 类）。\n{context}\n"
           "你接下来会做什么？请从以下动作中选择一个集合：{labels}。如果是 post、reply 或 quote，请同时写出文本。"),
}

GROUPS_SQL = """
CREATE OR REPLACE TEMP TABLE groups AS
SELECT user_id,
       CASE WHEN kind = 'post' THEN 'self:' || action_id
            WHEN post_id IS NOT NULL THEN 'post:' || post_id
            WHEN target_user_id IS NOT NULL THEN 'user:' || target_user_id
            ELSE 'self:' || action_id END AS target,
       list(DISTINCT kind ORDER BY kind) AS kinds,
       min(rank) AS rank, min(t_us) AS t_us,
       arg_min(text, rank) FILTER (WHERE kind IN ('post', 'reply', 'quote')) AS text,
       list(action_id ORDER BY action_id) AS ids
FROM actions GROUP BY ALL
"""
#: The thread of each group: the root of the conversation it acts on (a post's own id when it
#: starts one); a follow or block is a thread of its own. Freeze splits whole threads by time.
THREAD_SQL = """
CREATE OR REPLACE TEMP TABLE groups AS
SELECT g.*, CASE WHEN g.target LIKE 'post:%' OR g.target LIKE 'self:%' THEN coalesce(r.root_id, substr(g.target, 6))
                 ELSE g.user_id || '>' || g.target END AS thread
FROM groups g
LEFT JOIN (SELECT id, any_value(root_id) AS root_id FROM posts GROUP BY id) r ON substr(g.target, 6) = r.id
"""
#: A seeded sample of n groups (md5 is stable across DuckDB versions), then time order.
SAMPLE_SQL = """
CREATE OR REPLACE TEMP TABLE groups AS
SELECT * FROM groups ORDER BY md5(? || ':' || user_id || ':' || target) LIMIT ?
"""


def _options(options: NAPOptions) -> NAPOptions:
    # BluePrint publishes one config per cluster count; k is always one of them.
    return options.model_copy(update={"cluster_counts": sorted(set(options.cluster_counts) | {options.k})})


def _user_texts(con: Any, limit: int, names: bool) -> dict[str, list[str]]:
    """Scrubbed texts (post, reply, quote) per user, latest `limit`; every acting user is a key."""
    out: dict[str, list[str]] = {u: [] for (u,) in con.execute("SELECT DISTINCT user_id FROM actions").fetchall()}
    rows = con.execute(
        "SELECT user_id, text FROM (SELECT a.user_id, coalesce(nullif(p.text, ''), a.text) AS text, "
        "row_number() OVER (PARTITION BY a.user_id ORDER BY a.rank DESC, a.action_id) AS n "
        "FROM actions a LEFT JOIN posts p ON p.id = a.action_id AND a.kind <> 'post_update' "
        "WHERE a.kind IN ('post', 'reply', 'quote') AND a.text <> '') WHERE n <= ? ORDER BY user_id, n", [limit]).fetchall()
    for user, text in rows:
        out[user].append(scrub_text(text, names))
    return out


def _render(lang: str, user: str, cluster: int, context: list[dict[str, Any]]) -> tuple[str, str]:
    template_id, template = TEMPLATES[lang]
    lines = []
    for c in context:
        when = f"[t{c.get('rank')}{' ' + c['day'] if c.get('day') else ''}]"
        if c["kind"] == "post" and "text" in c:
            lines.append(f"{when} {c['author']}: {c['text']}")
        elif c["kind"] == "post":
            lines.append(f"{when} post {c['post']} (not in the capture)")
        elif c["kind"] == "user":
            lines.append(f"{when} user {c['user']}")
        else:
            lines.append(f"{when} (no thread)")
    return template_id, template.format(user=user, cluster=cluster, context="\n".join(lines), labels=", ".join(NAP_ACTIONS))


def _context(target: str, rank: int, t_us: int | None, threads: ThreadIndex, salt: bytes, opts: NAPOptions) -> list[dict]:
    kind, _, ref = target.partition(":")
    if kind == "post":
        chain = threads.chain(ref, opts.context_depth)
        if chain:
            return chain
        extra: dict[str, Any] = {"kind": "post", "post": hash_id(ref, salt, "p"), "rank": rank}
    elif kind == "user":
        extra = {"kind": "user", "user": hash_id(ref, salt), "rank": rank}
    else:
        extra = {"kind": "time", "rank": rank}
    if opts.keep_day:
        extra["day"] = day_of(t_us)
    return [extra]


def _items(rows: Iterator[tuple], clusterings: dict[int, dict[str, int]], threads: ThreadIndex, salt: bytes,
           opts: NAPOptions, names: bool, seed: int, lang: str, counts: dict[str, Any]) -> Iterator[NAPItem]:
    seen: set[str] = set()
    labels: dict[str, int] = counts.setdefault("labels", {})
    clusters = clusterings[opts.k]
    for user, target, kinds, rank, t_us, text, ids, thread in rows:
        huser = hash_id(user, salt)
        context = _context(target, rank, t_us, threads, salt, opts)
        inputs = {"cluster_id": clusters.get(user, -1), "user": huser, "context": context}
        iid = item_id("nap", inputs)
        if iid in seen:  # same user, same stimulus, same rank: one item
            counts["dropped_duplicate"] = counts.get("dropped_duplicate", 0) + 1
            continue
        seen.add(iid)
        has_text = any(k in TEXT_KINDS for k in kinds)
        counts["items"] = counts.get("items", 0) + 1
        for kind in kinds:
            labels[kind] = labels.get(kind, 0) + 1
        template_id, query = _render(lang, huser, inputs["cluster_id"], context)
        notes: dict[str, Any] = {"rank": rank, "target": target.partition(":")[0],
                                 "thread": hash_id(thread, salt, "t"),
                                 "clusters": {str(c): labels_.get(user, -1) for c, labels_ in clusterings.items()}}
        if opts.keep_day:
            notes["day"] = day_of(t_us)
        # One validation per item (from plain dicts): it is the build's hot loop.
        yield NAPItem.model_validate({
            "id": iid, "query": query, "template_id": template_id, "lang": lang, "inputs": inputs,
            "answer": {"actions": list(kinds), "text": scrub_text(text or "", names) if has_text else None},
            "provenance": {"source_ids": [hash_id(i, salt, "a") for i in ids], "rule": "next-action:target-group",
                           "seed": seed, "builder": BUILDER, "notes": notes}})


def _stream(con: Any, batch: int = 20_000) -> Iterator[tuple]:
    cur = con.execute("SELECT * FROM groups ORDER BY rank, user_id, target")
    while rows := cur.fetchmany(batch):
        yield from rows


@register_builder("nap")
def build_nap(ws: Any, cfg: Any, n: int | None = None, seed: int | None = None, lang: str | None = None,
              **overrides: Any) -> BuildResult:
    """Build items/nap/ from a jetstream corpus (see module docstring)."""
    salt = get_salt()
    run = resolve_run(cfg, "nap", n, seed, overrides)
    opts, seed = _options(run.options), run.seed
    lang = lang if lang in TEMPLATES else "en"
    names = opts.pii_names if opts.pii_names is not None else names_default()
    engine = name_engine() if names else None  # loads every signal: a missing package stops here
    con = connect(ws.corpus)
    action_counts = build_action_log(con)
    # After the action log (answers and threads keep the bodies): persona texts read media text.
    use_post_text(con, ws, cfg, "nap")
    if names:
        reset_signal_counts()
        # The name model runs in batches over every text the items can show (much faster than
        # one call per text); scrub_text then finds the results.
        prime_names(t for (t,) in con.execute(
            "SELECT text FROM live_posts WHERE text <> '' UNION SELECT text FROM actions WHERE text <> ''").fetchall())
    ranks = dict(con.execute("SELECT action_id, rank FROM actions WHERE kind IN ('post', 'reply', 'quote')").fetchall())
    threads = ThreadIndex(con.execute("SELECT id, author_id, text, parent_id, t_us FROM live_posts").fetchall(),
                          salt, opts.keep_day, ranks, names=names)
    con.execute(GROUPS_SQL)
    if n is not None:
        con.execute(SAMPLE_SQL, [str(seed), n])
    con.execute(THREAD_SQL)
    embedder = get_persona_embedder(ws, cfg, opts.embedder)
    user_texts = _user_texts(con, opts.max_posts_per_user, names)
    # Users with fewer posts than min_posts stay unclustered (-1), as in BluePrint.
    eligible = {u: (t if len(t) >= opts.min_posts else []) for u, t in user_texts.items()}
    users, means = user_means(eligible, embedder)
    model = getattr(embedder, "model", "?")
    by_k = {k: cluster_means(eligible, users, means, model, k, opts.min_cluster_size, seed)
            for k in opts.cluster_counts}
    clustering = by_k[opts.k]
    counts: dict[str, Any] = {}
    written = write_items(ws, "nap", _items(_stream(con), {k: c.labels for k, c in by_k.items()}, threads, salt,
                                            opts, names, seed, lang, counts))
    con.close()
    n_items = counts.get("items", 0)
    stats = {"items": n_items, "cluster_counts": {str(k): c.stats.get("k", 0) for k, c in by_k.items()},
             "dropped_duplicate": counts.get("dropped_duplicate", 0), "labels": counts.get("labels", {}),
             "actions": {k: v for k, v in action_counts.items() if not k.startswith("_")},
             "deleted_posts": action_counts["_deleted_posts"], "clusters": clustering.stats,
             "options": {**opts.model_dump(), "names": names},
             "pii": {"structured": "somekit.persona.pii", "names": engine,
                     "name_signals": reset_signal_counts() if names else {}},
             "builder": BUILDER, "seed": seed}
    write_json(written.parent / "stats.json", stats)
    # Cluster membership by anonymised id only: the raw ids stay in the corpus.
    write_json(ws.items("nap") / "clusters.json", {"stats": clustering.stats, "members": dict(sorted(
        (hash_id(u, salt), c) for u, c in clustering.labels.items()))})
    warnings = [] if n_items else ["no actions in the corpus: is it a jetstream corpus?"]
    return BuildResult("nap", n_items, stats, warnings)
