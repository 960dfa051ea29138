"""SMQ, social-media QA: question/answer pairs grounded in one topic's or one user's posts.

Two drafters (builders/drafters.py picks one; stats and provenance name it): with the embedded
model, `data` asks questions whose answers are computed by query (builders/smq_facts.py); with a
configured endpoint, `llm`: per scope (topic or user) the LLM sees the posts with their ids and
drafts pairs with evidence ids. A pair is dropped (and counted by reason) when its evidence ids are not among the posts it
was given, when the evidence does not lexically support the answer, or when its question nearly
repeats one already kept. The kept pairs are balanced between topic and user questions and,
within each, across question types. Every item is a draft for human review.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from typing import Any

from ...annotate.aggregate import draft_gates, quality_block
from ...annotate.contract import LLMRequest
from ...schemas.items import QAAnswer, SMQInputs, SMQItem, item_id
from ...schemas.provenance import LLMStep, Provenance, Vote
from ...schemas.review import Review
from ...schemas.task_drafts import QADraftList
from ...store.items import write_items
from ...enrich.textview import use_post_text
from ...store.query import connect
from ...drafters.choice import choose_drafter
from ..registry import BuildResult, register_builder
from .ses import post_lines
from ...drafters.smq_facts import DRAFTER as DATA_DRAFTER
from ...drafters.smq_facts import Fact, draft_facts
from ...schemas.tasks import resolve_run
from ...store.language import corpus_lang
from ...drafters.topics import LLMCounters, discover_topics

BUILDER = "smq@1"
PROMPT = "smq.draft@1"
SCOPE_NAMES = {"zh": {"topic": "话题", "user": "用户"}, "en": {"topic": "topic", "user": "user"}}
_QTYPES = (("count", ("多少", "几", "how many", "how much")), ("time", ("什么时候", "何时", "哪天", "when")),
           ("place", ("哪里", "在哪", "哪个地方", "where")), ("person", ("谁", "who")),
           ("reason", ("为什么", "为何", "why")))
_WORD = re.compile(r"[a-z0-9]+")


def qtype_of(question: str, given: str | None = None) -> str:
    """The drafted type when the model gave a specific one, else a keyword guess."""
    if given and given != "factual":
        return given.lower()
    q = question.lower()
    for name, cues in _QTYPES:
        if any(c in q for c in cues):
            return name
    return "factual"


def _units(text: str) -> set[str]:
    """Comparison units: Chinese character bigrams plus lower-case words (>2 letters)."""
    t = "".join((text or "").lower().split())
    cjk = [ch for ch in t if "\u4e00" <= ch <= "\u9fff"]
    bigrams = {a + b for a, b in zip(cjk, cjk[1:])}
    return bigrams | {w for w in _WORD.findall((text or "").lower()) if len(w) > 2}


def supported(answer: str, evidence: list[str], min_share: float = 0.3) -> bool:
    """Cheap lexical check: enough of the answer's units occur in the evidence text."""
    units = _units(answer)
    if not units:
        return False
    ev = _units(" ".join(evidence))
    return len(units & ev) / len(units) >= min_share


def near_duplicate(a: str, b: str, threshold: float = 0.8) -> bool:
    ua, ub = _units(a) or {a}, _units(b) or {b}
    return len(ua & ub) / max(1, len(ua | ub)) >= threshold


def scopes(con: Any, opts: Any, limit: int | None) -> list[tuple[str, str, list[tuple]]]:
    """(scope, name, posts) for topics and for users with enough own posts."""
    rows = {r[0]: r for r in con.execute("SELECT id, text, timezone('UTC', created_at) AS created_at FROM posts WHERE text <> '' ORDER BY id").fetchall()}
    k = opts.posts_per_scope
    out = []
    for topic, ids in discover_topics(con, opts.min_posts, opts.topics, limit).items():
        out.append(("topic", topic, [rows[i] for i in ids if i in rows][:k]))
    users = con.execute(
        "SELECT author_id, count(*) c FROM posts WHERE author_id IS NOT NULL AND text <> '' GROUP BY author_id "
        f"HAVING c >= {opts.min_user_posts} ORDER BY c DESC, author_id"
        + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
    for uid, _ in users:
        own = con.execute("SELECT id, text, timezone('UTC', created_at) AS created_at FROM posts WHERE author_id = ? AND text <> '' "
                          "ORDER BY 3, id", [uid]).fetchall()
        out.append(("user", uid, own[:k]))
    return [s for s in out if s[2]]


def check_pairs(scope: str, name: str, posts: list[tuple], res: Any, kept: list[dict[str, Any]], dropped: Counter) -> None:
    """Validate one scope's drafts; append the survivors to `kept`."""
    texts = {p[0]: p[1] for p in posts}
    for pair in res.value.pairs:
        ev = [str(e).strip().strip("[]") for e in pair.evidence]
        if not ev or any(e not in texts for e in ev):
            dropped["evidence-not-given"] += 1
        elif not supported(pair.answer, [texts[e] for e in ev]):
            dropped["answer-not-supported"] += 1
        elif any(near_duplicate(pair.question, k["question"]) for k in kept):
            dropped["duplicate-question"] += 1
        else:
            kept.append({"scope": scope, "name": name, "question": pair.question.strip(), "answer": pair.answer.strip(),
                         "qtype": qtype_of(pair.question, pair.type), "evidence": sorted(set(ev)), "res": res,
                         "given": [p[0] for p in posts]})


def balance(kept: list[dict[str, Any]], n: int | None, seed: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Equal topic and user shares (n/2 each, or the smaller side's count), round-robin over
    question types within each side."""
    rng = random.Random(seed)
    sides: dict[str, dict[str, list]] = {"topic": defaultdict(list), "user": defaultdict(list)}
    for k in kept:
        sides[k["scope"]][k["qtype"]].append(k)
    sizes = {s: sum(map(len, d.values())) for s, d in sides.items()}
    quota = n // 2 if n else min(sizes.values()) or max(sizes.values())
    out, short = [], {}
    for side, by_type in sides.items():
        for lst in by_type.values():
            rng.shuffle(lst)
        queues = [by_type[t] for t in sorted(by_type)]
        taken = 0
        while taken < quota and any(queues):
            for q in queues:
                if q and taken < quota:
                    out.append(q.pop())
                    taken += 1
        if taken < quota:
            short[side] = quota - taken
    return out, short


def _item(k: dict[str, Any], lang: str, seed: int) -> SMQItem:
    res = k["res"]
    inputs = SMQInputs(scope=k["scope"], scope_id=k["name"], question=k["question"])
    step = LLMStep(step="draft", model=res.model, backend=res.backend, prompt_id=res.prompt_id or PROMPT,
                   votes=[Vote(voter=f"llm:{res.model}", value={"question": k["question"], "answer": k["answer"]}, raw=res.raw)])
    return SMQItem(
        id=item_id("smq", inputs.model_dump()), query=k["question"], template_id=f"smq.question.{lang}@1", lang=lang,
        inputs=inputs, answer=QAAnswer(answer=k["answer"], qtype=k["qtype"], evidence_ids=k["evidence"]),
        provenance=Provenance(source_ids=k["given"], rule=f"draft:llm-qa:{k['scope']}", seed=seed, builder=BUILDER,
                              llm=[step], notes={"evidence_check": "lexical"}),
        review=Review(needs_review=True, note="LLM-drafted QA pair: check the answer against the evidence"))


def _data_item(k: dict[str, Any], lang: str, seed: int) -> SMQItem:
    fact: Fact = k["fact"]
    inputs = SMQInputs(scope=k["scope"], scope_id=k["name"], question=k["question"])
    return SMQItem(
        id=item_id("smq", inputs.model_dump()), query=k["question"], template_id=f"smq.{fact.kind}.{lang}@1", lang=lang,
        inputs=inputs, answer=QAAnswer(answer=k["answer"], qtype=k["qtype"], evidence_ids=k["evidence"]),
        provenance=Provenance(source_ids=k["given"], rule=f"draft:data-qa:{k['scope']}", seed=seed, builder=BUILDER,
                              notes={"drafter": DATA_DRAFTER, "fact": fact.note()}),
        review=Review(needs_review=True, note="QA pair computed from the corpus: check the question reads well"))


def data_drafts(con: Any, todo: list[tuple[str, str, list[tuple]]], lang: str, per: int, seed: int,
                kept: list[dict[str, Any]], dropped: Counter) -> int:
    """Computed QA pairs for every scope, through the same duplicate check as LLM drafts."""
    facts = draft_facts(con, todo, lang, per, seed)
    for f in facts:
        if any(near_duplicate(f.question, k["question"]) for k in kept):
            dropped["duplicate-question"] += 1
            continue
        given = sorted(set(f.evidence) | {p[0] for s, name, posts in todo if (s, name) == (f.scope, f.scope_id)
                                         for p in posts})
        kept.append({"scope": f.scope, "name": f.scope_id, "question": f.question, "answer": f.answer,
                     "qtype": f.qtype, "evidence": sorted(set(f.evidence)), "fact": f, "given": given})
    return len(facts)


@register_builder("smq")
def build(ws: Any, cfg: Any, n: int | None = None, seed: int | None = None, lang: str | None = None,
          llm: Any = None, **_: Any) -> BuildResult:
    """Build items/smq. `n`: total QA items, half topic and half user questions."""
    run = resolve_run(cfg, "smq", n, seed)
    opts, seed, n = run.options, run.seed, run.n
    drafter = choose_drafter("smq", opts, cfg, llm)
    con = connect(ws.corpus)
    tview = use_post_text(con, ws, cfg, "smq")  # drafts and the evidence check see media text too
    lang = corpus_lang(con, lang, cfg)
    todo = scopes(con, opts, opts.max_scopes)
    per = opts.pairs_per_scope
    kept: list[dict[str, Any]] = []
    dropped: Counter = Counter()
    if drafter == DATA_DRAFTER:
        try:
            drafted = data_drafts(con, todo, lang, per, seed, kept, dropped)
        finally:
            con.close()
        return _finish(ws, tview, seed, n, lang, todo, drafter, kept, dropped, drafted, LLMCounters())
    con.close()
    if llm is None:
        from ...annotate.client import get_llm

        llm = get_llm(ws, cfg)
    reqs = [LLMRequest(key=f"smq|{s}|{name}", prompt_id=PROMPT, schema=QADraftList, lang=lang,
                       fields={"scope": SCOPE_NAMES[lang][s], "name": name, "posts": post_lines(posts, with_id=True),
                               "n": per}) for s, name, posts in todo]
    counters = LLMCounters()
    results = llm.run(reqs, desc="smq drafts") if reqs else []
    counters.add(results)
    drafted = 0
    for (scope, name, posts), res in zip(todo, results):
        if not res.ok or res.value is None:
            dropped["draft-failed"] += 1
            continue
        drafted += len(res.value.pairs)
        check_pairs(scope, name, posts, res, kept, dropped)
    return _finish(ws, tview, seed, n, lang, todo, drafter, kept, dropped, drafted, counters)


def _finish(ws: Any, tview: Any, seed: int, n: int | None, lang: str, todo: list, drafter: str,
            kept: list[dict[str, Any]], dropped: Counter, drafted: int, counters: LLMCounters) -> BuildResult:
    """Balance, write items and stats, and judge the run (shared by both drafters)."""
    picked, short = balance(kept, n, seed)
    make = _data_item if drafter == DATA_DRAFTER else _item
    items = sorted((make(k, lang, seed) for k in picked), key=lambda it: it.id)
    failed_pairs = sum(v for r, v in dropped.items() if r != "duplicate-question")
    reasons = draft_gates(drafted + dropped["draft-failed"], failed_pairs, what="QA drafts")
    stats = {"task": "smq", "builder": BUILDER, "drafter": drafter, "seed": seed, "lang": lang, "items": len(items),
             "scopes": dict(Counter(s for s, _, _ in todo)), "drafted_pairs": drafted, "kept_pairs": len(kept),
             "dropped": dict(dropped.most_common()), "llm": counters.to_dict(),
             "scope_counts": dict(Counter(it.inputs.scope for it in items)),
             "qtype_counts": dict(Counter(it.answer.qtype for it in items)), "shortfalls": short,
             "needs_review": len(items), "quality": quality_block(reasons)}
    write_items(ws, "smq", tview.stamp(items), {**stats, **tview.stats()})
    warnings = [stats["quality"]["message"]] if reasons else []
    warnings += [f"shortfall: {k} questions short by {v}" for k, v in short.items()]
    return BuildResult(task="smq", items=len(items), stats=stats, warnings=warnings)
