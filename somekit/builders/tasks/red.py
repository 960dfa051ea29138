"""RED, real-time event detection: a query grid of location x 1-hour windows.

Per location and day the matching posts are clustered by embedding (single pass at similarity
0.5 as SoMe did, or agglomerative); then one of two drafters (builders/drafters.py picks; stats
and provenance name it): `llm` judges each cluster (event or not) and summarises the events
(title, summary, time, location); `extractive` (with the embedded model) builds the summary from
the cluster itself (drafters/red_extractive.py). An event is linked to every hourly window that
holds `min_window_posts` (default 1) of its posts; windows without an event are dropped. In a
window's answer an event's `time` is its first to last post inside that window (what the query
asks about) and `span` the whole event's, so a day-long cluster does not answer every hour with
the same day-long time.

e5 similarities sit in a narrow high band (unrelated Chinese posts score about 0.8), so by default
the vectors are centred on the location-day mean before clustering; this keeps SoMe's 0.5
threshold meaningful. `center = false` in [tasks.red.options] turns it off.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ...annotate.aggregate import draft_gates, quality_block
from ...annotate.contract import LLMRequest
from ...annotate.voters import embed_checkpointed, get_embedder_for
from ...schemas.items import Event, EventsAnswer, REDInputs, REDItem, item_id
from ...schemas.provenance import LLMStep, Provenance, Vote
from ...schemas.review import Review
from ...schemas.task_drafts import EventFilterOut, EventSummaryOut
from ...store.items import write_items
from ...store.query import connect
from ..clustering import cluster, groups
from ...drafters.choice import choose_drafter
from ...enrich.textview import use_post_text
from ...drafters.red_extractive import DRAFTER as EXTRACTIVE
from ...drafters.red_extractive import extract_events
from ..registry import BuildResult, register_builder
from .ses import post_lines
from ...schemas.tasks import resolve_run
from ...store.language import corpus_lang
from ...drafters.topics import LLMCounters

BUILDER = "red@1"
FILTER, SUMMARY = "red.filter@1", "red.summary@1"
TEMPLATES = {
    "zh": "请找出 {start} 至 {end} 期间在{location}发生的事件，给出每个事件的标题、摘要、时间和地点。",
    "en": "List the events in {location} between {start} and {end}, each with a title, summary, time and location.",
}
_FMT = "%Y-%m-%d %H:00:00"


def location_posts(con: Any, locations: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Posts (id, text, created_at) per location: the location field names it or the text holds
    one of its keywords. Posts without a time cannot be put in a window and are left out."""
    rows = con.execute("SELECT id, text, timezone('UTC', created_at) AS created_at, coalesce(location, '') FROM posts "
                       "WHERE created_at IS NOT NULL ORDER BY created_at, id").fetchall()
    out: dict[str, list[tuple]] = {}
    for name, words in locations.items():
        hits = [(pid, text, ts) for pid, text, ts, loc in rows
                if name in loc or any(w and w in (text or "") for w in words)]
        if hits:
            out[name] = hits
    return out


def _locations(con: Any, opts: Any) -> dict[str, list[str]]:
    given = opts.locations
    if isinstance(given, dict):
        return {k: list(v) or [k] for k, v in given.items()}
    if isinstance(given, list):
        return {k: [k] for k in given}
    top = opts.max_locations
    rows = con.execute("SELECT location, count(*) c FROM posts WHERE coalesce(location, '') <> '' "
                       f"GROUP BY location ORDER BY c DESC, location LIMIT {top}").fetchall()
    return {r[0]: [r[0]] for r in rows}


def event_clusters(ws: Any, cfg: Any, per_loc: dict[str, list[tuple]], opts: Any) -> list[dict[str, Any]]:
    """Clusters of at least `min_cluster` posts per location and day, biggest first."""
    embedder = get_embedder_for(ws, cfg)
    method = opts.clustering
    threshold = opts.threshold
    out = []
    for loc, posts in per_loc.items():
        by_day: dict[str, list[tuple]] = defaultdict(list)
        for p in posts:
            by_day[p[2].strftime("%Y-%m-%d")].append(p)
        for day, day_posts in sorted(by_day.items()):
            vecs = embed_checkpointed(ws, embedder, [p[1] or "" for p in day_posts], kind="passage")
            if opts.center and len(day_posts) > 2:
                vecs = vecs - vecs.mean(axis=0, keepdims=True)
                vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            for idx in groups(cluster(vecs, method, threshold)):
                if len(idx) >= opts.min_cluster:
                    out.append({"location": loc, "date": day, "posts": [day_posts[i] for i in idx],
                                "vecs": vecs[idx]})
    out.sort(key=lambda c: (-len(c["posts"]), c["location"], c["date"], c["posts"][0][0]))
    return out


def _step(kind: str, res: Any, value: Any) -> LLMStep:
    return LLMStep(step=kind, model=res.model, backend=res.backend, prompt_id=res.prompt_id,
                   votes=[Vote(voter=f"llm:{res.model}", value=value, raw=res.raw, error=res.error)])


def judge_and_summarise(llm: Any, clusters: list[dict[str, Any]], lang: str, counters: LLMCounters) -> dict[str, int]:
    """Fill cluster['event'] (an Event) and cluster['steps'] for the clusters the LLM calls events."""
    def fields(c: dict[str, Any]) -> dict[str, str]:
        return {"location": c["location"], "date": c["date"], "posts": post_lines(c["posts"][:20])}

    judged = llm.run([LLMRequest(key=f"red|f|{i}", prompt_id=FILTER, schema=EventFilterOut, lang=lang,
                                 fields=fields(c)) for i, c in enumerate(clusters)], desc="red: event or not")
    counters.add(judged)
    counts = {"judged": len(judged), "events": 0, "not_events": 0, "filter_failed": 0, "summary_failed": 0}
    events = []
    for c, res in zip(clusters, judged):
        c["steps"] = [_step("filter", res, res.value.is_event if res.ok else None)]
        if not res.ok:
            counts["filter_failed"] += 1
        elif res.value.is_event:
            events.append(c)
        else:
            counts["not_events"] += 1
    summaries = llm.run([LLMRequest(key=f"red|s|{c['location']}|{c['date']}|{c['posts'][0][0]}", prompt_id=SUMMARY,
                                    schema=EventSummaryOut, lang=lang, fields=fields(c)) for c in events],
                        desc="red: event summaries") if events else []
    counters.add(summaries)
    for c, res in zip(events, summaries):
        c["steps"].append(_step("summary", res, res.value.model_dump() if res.ok else None))
        if not res.ok:
            counts["summary_failed"] += 1
            continue
        v: EventSummaryOut = res.value
        c["event"] = Event(title=v.title, summary=v.summary, time=v.time or c["date"],
                           location=v.location or c["location"], post_ids=[p[0] for p in c["posts"]])
        counts["events"] += 1
    return counts


def event_windows(clusters: list[dict[str, Any]], min_posts: int = 1) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(location, hour start) -> the event clusters with at least `min_posts` posts in that hour."""
    windows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in clusters:
        if "event" in c:
            hours = Counter(p[2].replace(minute=0, second=0, microsecond=0) for p in c["posts"])
            for hour in sorted(h for h, k in hours.items() if k >= min_posts):
                windows[(c["location"], hour.strftime(_FMT))].append(c)
    return windows


def _span(times: list[datetime]) -> str:
    return f"{min(times):%Y-%m-%d %H:%M} ~ {max(times):%Y-%m-%d %H:%M}"


def in_window(c: dict[str, Any], start: str) -> tuple[Event, dict[str, Any]]:
    """The cluster's event as one window's answer: `time` is its first to last post inside the
    window (what the query asks about), `span` the whole event's; and the note saying so."""
    begin = datetime.strptime(start, _FMT)
    inside = [p[2] for p in c["posts"] if begin <= p[2].replace(tzinfo=None) < begin + timedelta(hours=1)]
    when, span = _span(inside), _span([p[2] for p in c["posts"]])
    return c["event"].model_copy(update={"time": when, "span": span}), {"window_posts": len(inside), "window_time": when}


def window_items(clusters: list[dict[str, Any]], lang: str, seed: int, n: int | None = None,
                 min_posts: int = 1) -> list[REDItem]:
    """One item per (location, hour) that at least one event has `min_posts` posts in; with `n`,
    the n windows of the biggest events (clusters come biggest first)."""
    windows = event_windows(clusters, min_posts)
    rank = {id(c): i for i, c in enumerate(clusters)}
    keys = sorted(windows, key=lambda k: (min(rank[id(c)] for c in windows[k]), k))
    items = []
    for loc, start in sorted(keys[:n] if n else keys):
        evs = windows[(loc, start)]
        end = (datetime.strptime(start, _FMT) + timedelta(hours=1)).strftime(_FMT)
        inputs = REDInputs(location=loc, window_start=start, window_end=end)
        source_ids = sorted({p[0] for c in evs for p in c["posts"]})
        answers = [in_window(c, start) for c in evs]
        if "extracted" in evs[0]:
            prov = Provenance(source_ids=source_ids, rule="events:cluster-extractive", seed=seed, builder=BUILDER,
                              notes={"drafter": EXTRACTIVE, "events": [{**c["extracted"], **w} for c, (_, w) in zip(evs, answers)]})
            note = "Events extracted from post clusters (no LLM): check titles and summaries"
        else:
            prov = Provenance(source_ids=source_ids, rule="events:cluster-llm", seed=seed, builder=BUILDER,
                              llm=[s for c in evs for s in c["steps"]])
            note = "LLM-detected events: check before publishing"
        items.append(REDItem(
            id=item_id("red", inputs.model_dump()), query=TEMPLATES[lang].format(location=loc, start=start, end=end),
            template_id=f"red.{lang}@1", lang=lang, inputs=inputs,
            answer=EventsAnswer(events=[ev for ev, _ in answers]), provenance=prov,
            review=Review(needs_review=True, note=note)))
    return sorted(items, key=lambda it: it.id)


@register_builder("red")
def build(ws: Any, cfg: Any, n: int | None = None, seed: int | None = None, lang: str | None = None,
          llm: Any = None, **_: Any) -> BuildResult:
    """Build items/red. `n`: hourly (location, window) queries in total. Clusters are judged and
    summarised biggest first, n at a time, until n windows hold an event (or none are left)."""
    run = resolve_run(cfg, "red", n, seed)
    opts, seed, n = run.options, run.seed, run.n
    drafter = choose_drafter("red", opts, cfg, llm)
    con = connect(ws.corpus)
    tview = use_post_text(con, ws, cfg, "red")  # posts.text = body + media text (OCR, captions, transcripts)
    lang = corpus_lang(con, lang, cfg)
    locations = _locations(con, opts)
    per_loc = location_posts(con, locations)
    clusters = event_clusters(ws, cfg, per_loc, opts)
    counters = LLMCounters()
    min_window = opts.min_window_posts
    if drafter == EXTRACTIVE:
        min_authors = opts.min_authors
        draft = lambda chunk: extract_events(con, chunk, lang, min_authors)  # noqa: E731
    else:
        if llm is None:
            from ...annotate.client import get_llm

            llm = get_llm(ws, cfg)
        draft = lambda chunk: judge_and_summarise(llm, chunk, lang, counters)  # noqa: E731
    judged: list[dict[str, Any]] = []
    counts: Counter = Counter({"judged": 0, "events": 0})
    try:
        while len(judged) < len(clusters) and not (n and len(event_windows(judged, min_window)) >= n):
            chunk = clusters[len(judged):len(judged) + (n or len(clusters))]
            counts.update(draft(chunk))
            judged += chunk
    finally:
        con.close()
    counts = dict(counts)
    items = window_items(judged, lang, seed, n, min_window)
    failed = counts.get("filter_failed", 0) + counts.get("summary_failed", 0)
    reasons = draft_gates(len(judged), failed, what="cluster judgements/summaries")
    stats = {"task": "red", "builder": BUILDER, "drafter": drafter, "seed": seed, "lang": lang, "items": len(items),
             "locations": {k: len(v) for k, v in per_loc.items()}, "clusters": len(clusters),
             "clusters_not_judged": len(clusters) - len(judged), **counts,
             "clustering": {"method": opts.clustering, "threshold": opts.threshold,
                            "center": opts.center},
             "min_window_posts": min_window,
             "llm": counters.to_dict(), "needs_review": len(items), "quality": quality_block(reasons)}
    write_items(ws, "red", tview.stamp(items), {**stats, **tview.stats()})
    warnings = [stats["quality"]["message"]] if reasons else []
    if len(clusters) > len(judged):
        warnings.append(f"{len(clusters) - len(judged)} smaller clusters not judged (--n {n} windows reached)")
    return BuildResult(task="red", items=len(items), stats=stats, warnings=warnings)
