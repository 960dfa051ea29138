"""Per-user action logs over the 13 BluePrint action kinds, honouring deletes.

Reads the corpus written by the `jetstream` adapter (see ingest/jetstream.py for how
events map onto posts and interactions) and produces one DuckDB table `actions`:

    action_id, user_id, kind, post_id (the post acted on), target_user_id, text, t_us, rank

Deletes are honoured here, once, so every later stage inherits it: a post with a `post_delete`
loses its `post` / `reply` / `quote` / `post_update` actions and its text everywhere (the
`post_delete` action itself stays, without text, because deleting is an action BluePrint
predicts). Undo actions (unlike, unrepost, unfollow, unblock) name the record they take back;
they are resolved to the post or user of that record when it is in the corpus.
"""

from __future__ import annotations

import duckdb

from ..schemas.items import NAP_ACTIONS

#: SQL for the live posts: not deleted, with the time of creation in microseconds.
LIVE_POSTS_SQL = """
CREATE OR REPLACE TEMP TABLE deleted AS
  SELECT DISTINCT post_id AS id FROM interactions WHERE kind = 'post_delete' AND post_id IS NOT NULL;
CREATE OR REPLACE TEMP TABLE live_posts AS
  SELECT p.id, p.author_id, p.text, p.parent_id, p.root_id, epoch_us(p.created_at) AS t_us
  FROM posts p ANTI JOIN deleted d ON p.id = d.id
  WHERE p.platform = 'bluesky' OR p.platform IS NULL;
"""

ACTIONS_SQL = """
CREATE OR REPLACE TEMP TABLE raw_actions AS
  -- original posts: posts that are no reply/quote interaction
  SELECT p.id AS action_id, p.author_id AS user_id, 'post' AS kind, NULL::VARCHAR AS post_id,
         NULL::VARCHAR AS target_user_id, p.text AS text, p.t_us
  FROM live_posts p ANTI JOIN interactions i ON i.id = p.id AND i.kind IN ('reply', 'quote')
  WHERE p.author_id IS NOT NULL
  UNION ALL
  -- replies act on the post replied to; quotes on the quoted post; deleted ones vanish
  SELECT i.id, i.user_id, i.kind, CASE WHEN i.kind = 'reply' THEN coalesce(i.parent_id, i.post_id) ELSE i.post_id END,
         NULL, i.text, epoch_us(i.created_at)
  FROM interactions i ANTI JOIN deleted d ON i.id = d.id
  WHERE i.kind IN ('reply', 'quote')
  UNION ALL
  -- edits of a deleted post disappear with it (their text is the post's text)
  SELECT i.id, i.user_id, i.kind, i.post_id, NULL, i.text, epoch_us(i.created_at)
  FROM interactions i ANTI JOIN deleted d ON i.post_id = d.id
  WHERE i.kind = 'post_update'
  UNION ALL
  SELECT i.id, i.user_id, i.kind, i.post_id, NULL, '', epoch_us(i.created_at)
  FROM interactions i WHERE i.kind = 'post_delete'
  UNION ALL
  SELECT i.id, i.user_id, i.kind, i.post_id, i.target_user_id, '', epoch_us(i.created_at)
  FROM interactions i WHERE i.kind IN ('like', 'repost', 'follow', 'block')
  UNION ALL
  -- undo actions name the record taken back (parent_id); resolve it to its post / user
  SELECT u.id, u.user_id, u.kind, coalesce(u.post_id, o.post_id), coalesce(u.target_user_id, o.target_user_id),
         '', epoch_us(u.created_at)
  FROM interactions u LEFT JOIN interactions o ON o.id = u.parent_id
  WHERE u.kind IN ('unlike', 'unrepost', 'unfollow', 'unblock');
CREATE OR REPLACE TEMP TABLE actions AS
  SELECT *, dense_rank() OVER (ORDER BY t_us NULLS LAST) AS rank
  FROM raw_actions WHERE user_id IS NOT NULL AND kind IN ({kinds});
DROP TABLE raw_actions;
"""


def build_action_log(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Create the temp tables `live_posts` and `actions` on a corpus connection (store.query.connect).

    `rank` is the global time rank (dense, over all actions): BluePrint replaces times by it so
    that exact timestamps, which can re-identify a user, never reach an item. Returns action
    counts by kind plus the number of deleted posts."""
    kinds = ", ".join(f"'{k}'" for k in NAP_ACTIONS)
    con.execute(LIVE_POSTS_SQL)
    con.execute(ACTIONS_SQL.format(kinds=kinds))
    counts = dict(con.execute("SELECT kind, count(*) FROM actions GROUP BY kind ORDER BY kind").fetchall())
    counts["_deleted_posts"] = con.execute("SELECT count(*) FROM deleted").fetchone()[0]
    return counts
