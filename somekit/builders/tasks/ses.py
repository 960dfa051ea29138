"""SES, streaming event summarisation: per topic, related posts, then a draft summary: by the LLM,
or, with the embedded model, extracted from the posts (builders/ses_extractive.py; builders/
drafters.py picks, stats and provenance say which).

Topics come from hashtags/topic fields or configured keyword groups; related posts are the
keyword matches plus the posts most similar to the topic (embeddings). The summary (time, place,
plot) is an LLM draft: every item is marked for review, and the quality gate fires when many
drafts fail.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...annotate.aggregate import draft_gates, quality_block
from ...annotate.contract import LLMRequest
from ...annotate.voters import embed_checkpointed, get_embedder_for
from ...schemas.items import SESInputs, SESItem, SummaryAnswer, item_id
from ...schemas.provenance import LLMStep, Provenance, Vote
from ...schemas.review import Review
from ...schemas.tasks import resolve_run
from ...schemas.task_drafts import TopicSummaryOut
from ...store.items import write_items
from ...enrich.textview import use_post_text
from ...store.query import connect
from ..registry import BuildResult, register_builder
from ...drafters.choice import choose_drafter
from ...drafters.ses_extractive import DRAFTER as EXTRACTIVE
from ...drafters.ses_extractive import summarise_topic
from ...store.language import corpus_lang
from ...drafters.topics import LLMCounters, discover_topics, related_posts

BUILDER = "ses@1"
PROMPT = "ses.summary@1"
TEMPLATES = {
    "zh": "请总结话题“{topic}”所讲述的事件：发生的时间、地点和经过。",
    "en": "Summarise the event behind the topic \"{topic}\": when and where it happened and how it unfolded.",
}


def post_lines(rows: list[tuple], with_id: bool = False, max_chars: int = 200) -> str:
    """Prompt lines 'time text' (or '[id] time text'), text shortened to keep prompts small."""
    out = []
    for pid, text, created in rows:
        when = created.strftime("%Y-%m-%d %H:%M") if created else "?"
        body = " ".join((text or "").split())[:max_chars]
        out.append(f"[{pid}] {when} {body}" if with_id else f"{when} {body}")
    return "\n".join(out)


def _summary_item(topic: str, post_ids: list[str], res: Any, lang: str, seed: int) -> SESItem:
    v: TopicSummaryOut = res.value
    inputs = SESInputs(topic=topic, post_ids=post_ids)
    step = LLMStep(step="summary", model=res.model, backend=res.backend, prompt_id=res.prompt_id or PROMPT,
                   votes=[Vote(voter=f"llm:{res.model}", value=v.model_dump(), raw=res.raw)])
    return SESItem(
        id=item_id("ses", inputs.model_dump()), query=TEMPLATES[lang].format(topic=topic),
        template_id=f"ses.{lang}@1", lang=lang, inputs=inputs,
        answer=SummaryAnswer(summary=v.summary, time=v.time or None, place=v.place or None, plot=v.plot or None),
        provenance=Provenance(source_ids=post_ids, rule="draft:llm-summary", seed=seed, builder=BUILDER, llm=[step]),
        review=Review(needs_review=True, note="LLM draft summary: correct before publishing"),
    )


def _finish_extractive(ws: Any, tview: Any, seed: int, lang: str, topics: dict, chosen: dict[str, list[str]],
                       by_id: dict[str, tuple], locations: dict, vec_by_id: dict | None) -> BuildResult:
    """Items from the extractive drafter (builders/ses_extractive.py): one per topic with a dated post."""
    items, skipped = [], []
    for topic, ids in chosen.items():
        made = summarise_topic(topic, ids, by_id, locations, vec_by_id, lang)
        if made is None:
            skipped.append(topic)
            continue
        answer, note = made
        inputs = SESInputs(topic=topic, post_ids=ids)
        items.append(SESItem(
            id=item_id("ses", inputs.model_dump()), query=TEMPLATES[lang].format(topic=topic),
            template_id=f"ses.{lang}@1", lang=lang, inputs=inputs, answer=answer,
            provenance=Provenance(source_ids=ids, rule="draft:extractive-summary", seed=seed, builder=BUILDER, notes=note),
            review=Review(needs_review=True, note="Summary extracted from the topic's posts (no LLM): rewrite before publishing")))
    items.sort(key=lambda it: it.id)
    reasons = draft_gates(len(chosen), len(skipped), what="extractive summaries")
    stats = {"task": "ses", "builder": BUILDER, "drafter": EXTRACTIVE, "seed": seed, "lang": lang, "items": len(items),
             "topics": len(topics), "posts_per_topic": {t: len(v) for t, v in chosen.items()},
             "failed_topics": {t: "no dated post" for t in skipped}, "llm": LLMCounters().to_dict(),
             "drafts": len(chosen), "needs_review": len(items), "quality": quality_block(reasons)}
    write_items(ws, "ses", tview.stamp(items), {**stats, **tview.stats()})
    warnings = [stats["quality"]["message"]] if reasons else []
    return BuildResult(task="ses", items=len(items), stats=stats, warnings=warnings)


@register_builder("ses")
def build(ws: Any, cfg: Any, n: int | None = None, seed: int | None = None, lang: str | None = None,
          llm: Any = None, **_: Any) -> BuildResult:
    """Build items/ses: one item per topic (at most `n` topics, most-posted first)."""
    run = resolve_run(cfg, "ses", n, seed)
    opts, seed, n = run.options, run.seed, run.n
    drafter = choose_drafter("ses", opts, cfg, llm)
    con = connect(ws.corpus)
    tview = use_post_text(con, ws, cfg, "ses")  # posts.text = body + media text (OCR, captions, transcripts)
    lang = corpus_lang(con, lang, cfg)
    topics = discover_topics(con, opts.min_posts, opts.topics, limit=n)
    rows = con.execute("SELECT id, text, timezone('UTC', created_at) AS created_at FROM posts WHERE text <> '' ORDER BY id").fetchall()
    locations = dict(con.execute("SELECT id, location FROM posts").fetchall()) if drafter == EXTRACTIVE else {}
    con.close()
    by_id = {r[0]: r for r in rows}
    k = opts.posts_per_topic
    vectors = qvecs = None
    if topics and opts.embedding_retrieval:
        embedder = get_embedder_for(ws, cfg)
        vectors = embed_checkpointed(ws, embedder, [r[1] for r in rows], kind="passage")
        qvecs = np.asarray(embedder.embed(list(topics), kind="query"))
    texts = {r[0]: r[1] for r in rows}
    ids_all = [r[0] for r in rows]
    chosen: dict[str, list[str]] = {}
    for i, (topic, ids) in enumerate(topics.items()):
        picked = related_posts(topic, ids, texts, vectors, ids_all, None if qvecs is None else qvecs[i], k=k,
                               min_sim=opts.min_similarity)
        chosen[topic] = sorted(picked, key=lambda p: (by_id[p][2] is None, by_id[p][2] or 0, p))
    if drafter == EXTRACTIVE:
        vec_by_id = None if vectors is None else {pid: vectors[i] for i, pid in enumerate(ids_all)}
        return _finish_extractive(ws, tview, seed, lang, topics, chosen, by_id, locations, vec_by_id)
    if llm is None:
        from ...annotate.client import get_llm

        llm = get_llm(ws, cfg)
    reqs = [LLMRequest(key=f"ses|{t}", prompt_id=PROMPT, schema=TopicSummaryOut, lang=lang,
                       fields={"topic": t, "posts": post_lines([by_id[p] for p in ids])})
            for t, ids in chosen.items()]
    counters = LLMCounters()
    results = llm.run(reqs, desc="ses summaries") if reqs else []
    counters.add(results)
    items, failed = [], {}
    for (topic, ids), res in zip(chosen.items(), results):
        if res.ok and res.value is not None:
            items.append(_summary_item(topic, ids, res, lang, seed))
        else:
            failed[topic] = res.error or "failed"
    items.sort(key=lambda it: it.id)
    reasons = draft_gates(len(reqs), len(failed), what="summary drafts")
    stats = {"task": "ses", "builder": BUILDER, "drafter": drafter, "seed": seed, "lang": lang, "items": len(items),
             "topics": len(topics), "posts_per_topic": {t: len(v) for t, v in chosen.items()},
             "failed_topics": failed, "llm": counters.to_dict(), "drafts": len(reqs),
             "needs_review": len(items), "quality": quality_block(reasons)}
    write_items(ws, "ses", tview.stamp(items), {**stats, **tview.stats()})
    warnings = [stats["quality"]["message"]] if reasons else []
    warnings += [f"topic {t!r}: no summary ({e})" for t, e in failed.items()]
    return BuildResult(task="ses", items=len(items), stats=stats, warnings=warnings)
