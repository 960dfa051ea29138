"""Integrity checks for the LLM-labelled and LLM-drafted tasks (uea smq red ses).

uea: every item keeps all its votes and its answer is what they decide (no majority -> marked for
review, and it does not count towards its class); the run's agreement (Fleiss' kappa) and quality gates are in stats.json; class counts
match the targets less the reported shortfalls, and no class takes over. smq/red/ses: every item
keeps its LLM step with the raw output; evidence and event posts exist in the corpus; smq
evidence was among the posts the LLM was shown; red events have a post inside their window.
"""

from __future__ import annotations

import collections
from typing import Iterator

from ..annotate.aggregate import DOMINANT_MAX
from ..annotate.voting import majority
from ..schemas.items import EMOTIONS
from ..schemas.tasks import task_codes, task_spec
from ..store.items import read_stats
from . import CheckContext, Violation, register_check

#: The drafted tasks (an LLM or an offline drafter writes their answers)
DRAFTED = tuple(c for c in task_codes(eval_kind="judge") if task_spec(c).offline_drafter)


@register_check("votes-present", ("uea",))
def votes_present(ctx: CheckContext) -> Iterator[Violation]:
    raters = read_stats(ctx.ws, "uea").get("raters")
    for item in ctx.items:
        steps = [s for s in item.provenance.llm if s.step == "vote"]
        votes = [v for s in steps for v in s.votes]
        if len(votes) < 2:
            yield Violation("votes-present", ctx.task, item.id, f"{len(votes)} vote(s) kept; at least 2 needed")
            continue
        if raters and len(votes) != raters:
            yield Violation("votes-present", ctx.task, item.id, f"{len(votes)} votes kept, the run used {raters} voters")
        agg = majority([v.value for v in votes], order=EMOTIONS)
        if agg.majority and agg.label != item.answer.emotion and item.review.state in ("draft", "pending"):
            yield Violation("votes-present", ctx.task, item.id,
                            f"answer {item.answer.emotion!r} differs from the vote majority {agg.label!r}")
        if not agg.majority and not item.review.needs_review:
            yield Violation("votes-present", ctx.task, item.id, "no vote majority but not marked needs_review")
        if any(s.agreement is None for s in steps):
            yield Violation("agreement-reported", ctx.task, item.id, "vote step without its agreement")


@register_check("agreement-reported", ("uea",))
def agreement_reported(ctx: CheckContext) -> Iterator[Violation]:
    stats = read_stats(ctx.ws, "uea")
    if ctx.items and "fleiss_kappa" not in stats:
        yield Violation("agreement-reported", ctx.task, "", "stats.json lacks the run's Fleiss' kappa")
    if ctx.items and "reliable" not in stats.get("quality", {}):
        yield Violation("agreement-reported", ctx.task, "", "stats.json lacks the quality-gate verdict")
    if ctx.items and stats.get("builder", "uea@1") != "uea@1" and "shipped" not in (stats.get("kappa") or {}):
        yield Violation("agreement-reported", ctx.task, "", "stats.json lacks the kappa of the written items")


@register_check("class-balance", ("uea",))
def class_balance(ctx: CheckContext) -> Iterator[Violation]:
    stats = read_stats(ctx.ws, "uea")
    # Items without a vote majority wait for a person and never fill a class before that.
    counts = collections.Counter(item.answer.emotion for item in ctx.items if item.provenance.rule != "label:no-majority")
    targets = stats.get("targets") or {}
    short = stats.get("shortfalls") or {}
    for label, want in sorted(targets.items()):
        have = counts.get(label, 0)
        if have > want or have + short.get(label, 0) != want:
            yield Violation("class-balance", ctx.task, "",
                            f"{label}: {have} items, target {want}, reported shortfall {short.get(label, 0)}")
    total = sum(counts.values())
    if total >= 10:
        label, top = counts.most_common(1)[0]
        if top / total > DOMINANT_MAX:
            yield Violation("class-balance", ctx.task, "", f"{label} takes {top / total:.0%} of the items")


#: Drafted without an LLM (their own checks are in verify/drafted.py), recognised by their rule.
_NOT_LLM = {"data": ("draft:data-qa:",), "extractive": ("events:cluster-extractive", "draft:extractive-summary")}


@register_check("llm-provenance", DRAFTED)
def llm_provenance(ctx: CheckContext) -> Iterator[Violation]:
    for item in ctx.items:
        drafter = item.provenance.notes.get("drafter")
        if drafter in _NOT_LLM:
            if not item.provenance.rule.startswith(_NOT_LLM[drafter]) or item.provenance.llm:
                yield Violation("llm-provenance", ctx.task, item.id,
                                f"drafter {drafter!r} but rule {item.provenance.rule!r} and {len(item.provenance.llm)} LLM steps")
            continue
        steps = item.provenance.llm
        if not steps or any(not s.model or not s.votes for s in steps):
            yield Violation("llm-provenance", ctx.task, item.id, "LLM-drafted item without its model step and output")
        elif any(v.raw is None and v.error is None for s in steps for v in s.votes):
            yield Violation("llm-provenance", ctx.task, item.id, "LLM step without its raw output")


def _missing(ctx: CheckContext, ids: set[str]) -> set[str]:
    """Ids that are neither posts nor interactions in the corpus."""
    if not ids:
        return set()
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE _ids AS SELECT unnest(?::VARCHAR[]) AS id", [sorted(ids)])
    rows = ctx.con.execute("""SELECT id FROM _ids WHERE id NOT IN (SELECT id FROM posts)
                              AND id NOT IN (SELECT id FROM interactions)""").fetchall()
    return {r[0] for r in rows}


def _evidence(item) -> list[str]:
    return task_spec(item.task).evidence_of(item)


@register_check("evidence-exists", DRAFTED)
def evidence_exists(ctx: CheckContext) -> Iterator[Violation]:
    missing = _missing(ctx, {p for item in ctx.items for p in _evidence(item)})
    for item in ctx.items:
        ids = _evidence(item)
        if not ids:
            yield Violation("evidence-exists", ctx.task, item.id, "no evidence/source posts")
            continue
        gone = sorted(set(ids) & missing)
        if gone:
            yield Violation("evidence-exists", ctx.task, item.id, f"ids not in the corpus: {', '.join(gone[:5])}")
        if item.task == "smq":
            unseen = sorted(set(ids) - set(item.provenance.source_ids))
            if unseen:
                yield Violation("evidence-exists", ctx.task, item.id,
                                f"evidence ids the LLM was not shown: {', '.join(unseen[:5])}")


@register_check("event-windows", ("red",))
def event_windows(ctx: CheckContext) -> Iterator[Violation]:
    """Every event in a window has at least one post created inside that window."""
    rows = [(item.id, item.inputs.window_start, item.inputs.window_end, ev.title, p)
            for item in ctx.items for ev in item.answer.events for p in ev.post_ids]
    if not rows:
        return
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE _ev (item VARCHAR, ws VARCHAR, we VARCHAR, title VARCHAR, post VARCHAR)")
    ctx.con.executemany("INSERT INTO _ev VALUES (?, ?, ?, ?, ?)", rows)
    for item, title in ctx.con.execute("""
        SELECT e.item, e.title FROM _ev e LEFT JOIN posts p ON p.id = e.post
        GROUP BY e.item, e.title, e.ws, e.we
        HAVING count(*) FILTER (WHERE timezone('UTC', p.created_at) >= CAST(e.ws AS TIMESTAMP)
                                  AND timezone('UTC', p.created_at) < CAST(e.we AS TIMESTAMP)) = 0
        ORDER BY e.item""").fetchall():
        yield Violation("event-windows", ctx.task, item, f"event {title!r} has no post inside the window")
