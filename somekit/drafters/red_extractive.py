"""RED's extractive drafter: an event summary made from the cluster itself, no LLM.

Used when the configured LLM is the embedded one, and as a cheap, checkable baseline for real
builds. Per cluster (a location's posts of one day, grouped by embedding):

- event or not: an event is reported by several people, so a cluster written by fewer than
  `min_authors` distinct authors (default 2) is dropped as not an event;
- representative post: the medoid (the post most similar, on average, to the others);
- time span: first to last post of the cluster (each hourly window it is listed in also gets
  its time within that window: builders/tasks/red.py);
- key terms, in their own field: jieba keywords of content parts of speech that are dictionary
  words, hashtags and English words, each in 2+ posts (drafters/draft_text.py);
- title: the location and the representative post's first clause (or the cluster's hashtag);
  summary: the representative post, media text said in words, with the span and counts.

Everything kept (representative id, terms, authors) goes into the item's provenance so `somekit
verify` can check it against the corpus with its own queries.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..schemas.items import Event
from .draft_text import excerpt, headline, key_terms

DRAFTER = "extractive"


def medoid(vecs: np.ndarray) -> int:
    """Index of the vector with the highest mean cosine to the others (first on ties)."""
    if len(vecs) <= 2:
        return 0
    sims = vecs @ vecs.T
    return int(np.argmax(sims.sum(axis=1)))


def summarise(c: dict[str, Any], authors: dict[str, str | None], lang: str,
              min_authors: int = 2) -> tuple[Event | None, dict[str, Any]]:
    """(the cluster's event, or None when it is not one; what was extracted, for provenance).
    The event's `time` is its full span here; red.window_items gives each window its own."""
    posts = c["posts"]
    who = {authors.get(p[0]) for p in posts} - {None}
    note: dict[str, Any] = {"authors": len(who)}
    if len(who) < min_authors:
        note["dropped"] = f"fewer than {min_authors} authors"
        return None, note
    order = np.argsort(-(c["vecs"] @ c["vecs"].T).sum(axis=1), kind="stable") if len(posts) > 2 else range(len(posts))
    ranked = [posts[i] for i in order]      # the medoid first, then the posts closest to the rest
    rep = ranked[0]                         # = posts[medoid(c["vecs"])]
    texts = [p[1] or "" for p in posts]
    head = headline(rep[1], [p[1] or "" for p in ranked], lang)
    if head is None:
        note["dropped"] = "no post has words to name the event"
        return None, note
    start, end = min(p[2] for p in posts), max(p[2] for p in posts)
    loc = c["location"]
    terms = key_terms(texts, exclude=loc)
    span = f"{start:%Y-%m-%d %H:%M} ~ {end:%Y-%m-%d %H:%M}"
    if lang == "zh":
        title = f"{loc}：{head}"
        summary = f"{excerpt(rep[1], lang)}（{len(posts)}条帖子，{len(who)}位用户，{span}，UTC）"
    else:
        title = f"{loc}: {head}"
        summary = f"{excerpt(rep[1], lang)} ({len(posts)} posts by {len(who)} users, {span} UTC)"
    note.update({"representative": rep[0], "terms": terms, "span": [f"{start:%Y-%m-%d %H:%M}", f"{end:%Y-%m-%d %H:%M}"]})
    return Event(title=title, summary=summary, time=span, span=span, location=loc, key_terms=terms,
                 post_ids=[p[0] for p in posts]), note


def extract_events(con: Any, clusters: list[dict[str, Any]], lang: str, min_authors: int = 2) -> dict[str, int]:
    """Fill cluster['event'] and cluster['extracted'] for the clusters that are events."""
    ids = sorted({p[0] for c in clusters for p in c["posts"]})
    con.execute("CREATE OR REPLACE TEMP TABLE _red_ids AS SELECT unnest(?::VARCHAR[]) AS id", [ids])
    authors = dict(con.execute("SELECT p.id, p.author_id FROM posts p JOIN _red_ids USING (id)").fetchall())
    counts = {"judged": len(clusters), "events": 0, "not_events": 0}
    for c in clusters:
        event, note = summarise(c, authors, lang, min_authors)
        c["extracted"] = note
        if event is None:
            counts["not_events"] += 1
        else:
            c["event"] = event
            counts["events"] += 1
    return counts
