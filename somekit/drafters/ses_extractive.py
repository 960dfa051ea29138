"""SES's extractive drafter: a topic summary made from the topic's own posts, no LLM.

Used when the configured LLM is the embedded one (SmolLM2-135M drafts fail their checks more
often than not) and as a checkable baseline. From the posts chosen for the topic:

- time: first to last post (UTC); place: the location most of them name, when one does;
- plot: the first post, the representative one (medoid of their embeddings) and the last, in
  time order; summary: the key terms and the representative post, with the counts.

What was extracted goes into the item's provenance; `somekit verify` re-checks it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..schemas.items import SummaryAnswer
from .red_extractive import key_terms, medoid

DRAFTER = "extractive"


def _excerpt(text: str, n: int = 100) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[:n] + "…"


def summarise_topic(topic: str, ids: list[str], by_id: dict[str, tuple], locations: dict[str, str | None],
                    vectors: dict[str, np.ndarray] | None, background: list[str], lang: str
                    ) -> tuple[SummaryAnswer, dict[str, Any]] | None:
    """(answer, provenance note) for a topic's posts (id, text, created_at rows), or None without a
    dated post."""
    posts = [by_id[p] for p in ids if by_id[p][2] is not None]
    if not posts:
        return None
    posts.sort(key=lambda r: (r[2], r[0]))
    if vectors is not None and all(p[0] in vectors for p in posts):
        rep = posts[medoid(np.stack([vectors[p[0]] for p in posts]))]
    else:
        rep = posts[0]
    start, end = f"{posts[0][2]:%Y-%m-%d %H:%M}", f"{posts[-1][2]:%Y-%m-%d %H:%M}"
    places = Counter(loc for p in posts if (loc := locations.get(p[0]))).most_common(2)
    place = places[0][0] if places and (len(places) == 1 or places[0][1] > places[1][1]) else None
    terms = key_terms([p[1] or "" for p in posts], background, exclude=topic)
    plot_posts = [p for i, p in enumerate(posts) if p is rep or i in (0, len(posts) - 1)]
    if lang == "zh":
        plot = "；".join(f"{p[2]:%m-%d %H:%M} {_excerpt(p[1], 60)}" for p in plot_posts)
        summary = (f"{_excerpt(rep[1])}（话题“{topic}”，{len(posts)}条帖子，{start}至{end}，UTC"
                   + (f"；关键词：{'、'.join(terms)}" if terms else "") + "）")
    else:
        plot = "; ".join(f"{p[2]:%m-%d %H:%M} {_excerpt(p[1], 60)}" for p in plot_posts)
        summary = (f"{_excerpt(rep[1])} (topic \"{topic}\", {len(posts)} posts, {start} to {end} UTC"
                   + (f"; key terms: {', '.join(terms)}" if terms else "") + ")")
    note = {"drafter": DRAFTER, "representative": rep[0], "span": [start, end], "terms": terms, "place": place}
    return SummaryAnswer(summary=summary, time=f"{start} ~ {end}", place=place, plot=plot), note
