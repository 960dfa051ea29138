"""SES's extractive drafter: a topic summary made from the topic's own posts, no LLM.

Used when the configured LLM is the embedded one (SmolLM2-135M drafts fail their checks more
often than not) and as a checkable baseline. From the posts chosen for the topic:

- time: first to last post (UTC); place: the location most of them name, when one does;
- plot: the first post, the representative one (medoid of their embeddings) and the last, in
  time order; summary: the representative post, with the counts; media text (OCR, speech) is
  quoted as content, said in words instead of the text view's tags (drafters/draft_text.py);
- key terms, in their own field: jieba keywords of content parts of speech that are dictionary
  words, hashtags and English words, each in 2+ of the posts.

What was extracted goes into the item's provenance; `somekit verify` re-checks it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..schemas.items import SummaryAnswer
from .draft_text import excerpt, key_terms
from .red_extractive import medoid

DRAFTER = "extractive"


def summarise_topic(topic: str, ids: list[str], by_id: dict[str, tuple], locations: dict[str, str | None],
                    vectors: dict[str, np.ndarray] | None, lang: str
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
    terms = key_terms([p[1] or "" for p in posts], exclude=topic)
    plot_posts = [p for i, p in enumerate(posts) if p is rep or i in (0, len(posts) - 1)]
    if lang == "zh":
        plot = "；".join(f"{p[2]:%m-%d %H:%M} {excerpt(p[1], lang, 60)}" for p in plot_posts)
        summary = f"{excerpt(rep[1], lang, 100)}（话题“{topic}”，{len(posts)}条帖子，{start}至{end}，UTC）"
    else:
        plot = "; ".join(f"{p[2]:%m-%d %H:%M} {excerpt(p[1], lang, 60)}" for p in plot_posts)
        summary = f"{excerpt(rep[1], lang, 100)} (topic \"{topic}\", {len(posts)} posts, {start} to {end} UTC)"
    note = {"drafter": DRAFTER, "representative": rep[0], "span": [start, end], "terms": terms, "place": place}
    return SummaryAnswer(summary=summary, time=f"{start} ~ {end}", place=place, plot=plot, key_terms=terms), note
