"""nap checks: no personal data in items, deleted posts absent, answers well-formed."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..persona.anonymise import scrub_text
from ..schemas.items import NAP_ACTIONS
from . import CheckContext, Violation, register_check


def _strings(obj: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _strings(v, f"{path}[{i}]")


@register_check("nap-personal-data", tasks=["nap"])
def no_personal_data(ctx: CheckContext) -> Iterable[Violation]:
    """Every string of every item is already scrubbed: scrubbing it again changes nothing. A
    raw DID, handle, email, URL, IP or phone number anywhere (query, context, answer,
    provenance) would be replaced, so it is reported with its field. Only the structured
    patterns are re-applied: a NER model's names depend on the surrounding text, so running it
    on a whole prompt is no test of how each post was scrubbed."""
    for item in ctx.items:
        for field, value in _strings(item.model_dump(mode="json")):
            if scrub_text(value, False) != value:
                yield Violation("nap-personal-data", "nap", item.id, f"{field} holds personal data")
                break


@register_check("nap-deleted-posts", tasks=["nap"])
def no_deleted_posts(ctx: CheckContext) -> Iterable[Violation]:
    """No item shows the text (or an edited text) of a post that was deleted by its author."""
    # The post's own text and the texts of its edits go with it.
    rows = ctx.con.execute(
        "SELECT p.text FROM posts p JOIN interactions i ON i.kind = 'post_delete' AND i.post_id = p.id "
        "WHERE length(p.text) >= 8 UNION "
        "SELECT u.text FROM interactions u JOIN interactions i ON i.kind = 'post_delete' AND i.post_id = u.post_id "
        "WHERE u.kind = 'post_update' AND length(u.text) >= 8").fetchall()
    deleted = {scrub_text(t) for (t,) in rows} | {scrub_text(t, False) for (t,) in rows} | {t for (t,) in rows}
    if not deleted:
        return
    for item in ctx.items:
        texts = [c.get("text") for c in item.inputs.context] + [item.answer.text]
        if any(t in deleted for t in texts if t):
            yield Violation("nap-deleted-posts", "nap", item.id, "shows the text of a deleted post")


@register_check("nap-answers", tasks=["nap"])
def answers_well_formed(ctx: CheckContext) -> Iterable[Violation]:
    """Action sets are non-empty subsets of the 13 kinds; text exactly when post/reply/quote is
    among them; context threads at most 5 deep; the thread freeze splits by is recorded, and a
    cluster for every K the item is published under."""
    for item in ctx.items:
        actions = item.answer.actions
        bad = [a for a in actions if a not in NAP_ACTIONS]
        problems = []
        if not actions or bad:
            problems.append(f"actions {actions!r} not a non-empty subset of the declared labels")
        wants_text = any(a in ("post", "reply", "quote") for a in actions)
        if wants_text != (item.answer.text is not None):
            problems.append("text present/absent does not match the actions")
        if len(item.inputs.context) > 5:
            problems.append(f"context depth {len(item.inputs.context)} > 5")
        notes = item.provenance.notes
        if not isinstance(notes.get("thread"), str) or not notes["thread"]:
            problems.append("no thread in provenance.notes (freeze splits nap by thread and time)")
        clusters = notes.get("clusters")
        if not isinstance(clusters, dict) or not clusters or not all(isinstance(c, int) for c in clusters.values()):
            problems.append("no per-K cluster ids in provenance.notes.clusters")
        for p in problems:
            yield Violation("nap-answers", "nap", item.id, p)
