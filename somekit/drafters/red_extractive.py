"""RED's extractive drafter: an event summary made from the cluster itself, no LLM.

Used when the configured LLM is the embedded one, and as a cheap, checkable baseline for real
builds. Per cluster (a location's posts of one day, grouped by embedding):

- event or not: an event is reported by several people, so a cluster written by fewer than
  `min_authors` distinct authors (default 2) is dropped as not an event;
- representative post: the medoid (the post most similar, on average, to the others);
- time span: first to last post of the cluster;
- key terms: the terms most over-represented in the cluster against all of that location-day's
  posts (Chinese words segmented by jieba, English words of three letters and more), found in
  2+ posts;
- title: the location and key terms; summary: the representative post, with the span and counts.

Everything kept (representative id, terms, authors) goes into the item's provenance so `somekit
verify` can check it against the corpus with its own queries.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from ..schemas.items import Event

DRAFTER = "extractive"
_WORD = re.compile(r"[a-z][a-z0-9']{2,}")
_STOP = frozenset("the and for are but not you all any can had her was one our out has him his how its may new now "
                  "see two who did get let say she too use this that with from have they will what when your just "
                  "more been were into than them then some http https www com".split())


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _segment(text: str) -> list[str]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)     # its dictionary-loading chatter is not ours to print
    return jieba.lcut(text)


def terms_of(text: str) -> set[str]:
    """Terms of a text: Chinese words of 2+ characters (jieba) plus English words (3+ letters)."""
    out: set[str] = set()
    runs = _CJK_RUN.findall(text or "")
    if runs:
        out.update(w for w in _segment(" ".join(runs)) if len(w) >= 2 and _CJK_RUN.fullmatch(w))
    out.update(w for w in _WORD.findall((text or "").lower()) if w not in _STOP)
    return out


def key_terms(cluster_texts: list[str], background_texts: list[str], k: int = 3, exclude: str = "") -> list[str]:
    """Terms in 2+ cluster posts, ranked by cluster share minus background share (then count,
    term); terms inside `exclude` (the location, already in the title) are left out."""
    inside = Counter(t for text in cluster_texts for t in terms_of(text) if t not in exclude.lower())
    outside = Counter(t for text in background_texts for t in terms_of(text))
    n_in, n_out = max(1, len(cluster_texts)), max(1, len(background_texts))
    ranked = sorted((t for t, c in inside.items() if c >= 2),
                    key=lambda t: (-(inside[t] / n_in - outside[t] / n_out), -inside[t], t))
    return ranked[:k]


def medoid(vecs: np.ndarray) -> int:
    """Index of the vector with the highest mean cosine to the others (first on ties)."""
    if len(vecs) <= 2:
        return 0
    sims = vecs @ vecs.T
    return int(np.argmax(sims.sum(axis=1)))


def _excerpt(text: str, n: int = 140) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[:n] + "…"


def summarise(c: dict[str, Any], background: list[str], authors: dict[str, str | None], lang: str,
              min_authors: int = 2) -> tuple[Event | None, dict[str, Any]]:
    """(the cluster's event, or None when it is not one; what was extracted, for provenance)."""
    posts = c["posts"]
    who = {authors.get(p[0]) for p in posts} - {None}
    note: dict[str, Any] = {"authors": len(who)}
    if len(who) < min_authors:
        note["dropped"] = f"fewer than {min_authors} authors"
        return None, note
    rep = posts[medoid(c["vecs"])]
    start, end = min(p[2] for p in posts), max(p[2] for p in posts)
    terms = key_terms([p[1] or "" for p in posts], background, exclude=c["location"])
    span = f"{start:%Y-%m-%d %H:%M} ~ {end:%Y-%m-%d %H:%M}"
    loc = c["location"]
    if lang == "zh":
        title = f"{loc}：{'、'.join(terms)}" if terms else f"{loc}：{_excerpt(rep[1], 20)}"
        summary = f"{_excerpt(rep[1])}（{len(posts)}条帖子，{len(who)}位用户，{span}，UTC）"
    else:
        title = f"{loc}: {', '.join(terms)}" if terms else f"{loc}: {_excerpt(rep[1], 40)}"
        summary = f"{_excerpt(rep[1])} ({len(posts)} posts by {len(who)} users, {span} UTC)"
    note.update({"representative": rep[0], "terms": terms, "span": [f"{start:%Y-%m-%d %H:%M}", f"{end:%Y-%m-%d %H:%M}"]})
    return Event(title=title, summary=summary, time=span, location=loc, post_ids=[p[0] for p in posts]), note


def extract_events(con: Any, clusters: list[dict[str, Any]], per_day: dict[tuple[str, str], list[str]], lang: str,
                   min_authors: int = 2) -> dict[str, int]:
    """Fill cluster['event'] and cluster['extracted'] for the clusters that are events."""
    ids = sorted({p[0] for c in clusters for p in c["posts"]})
    con.execute("CREATE OR REPLACE TEMP TABLE _red_ids AS SELECT unnest(?::VARCHAR[]) AS id", [ids])
    authors = dict(con.execute("SELECT p.id, p.author_id FROM posts p JOIN _red_ids USING (id)").fetchall())
    counts = {"judged": len(clusters), "events": 0, "not_events": 0}
    for c in clusters:
        event, note = summarise(c, per_day.get((c["location"], c["date"]), []), authors, lang, min_authors)
        c["extracted"] = note
        if event is None:
            counts["not_events"] += 1
        else:
            c["event"] = event
            counts["events"] += 1
    return counts
