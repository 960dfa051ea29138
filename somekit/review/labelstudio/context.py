"""The text annotators read next to the query: the source post, media text (captions, OCR,
transcripts) and the machine votes. The user's visible history and the label's evidence are
separate fields (evidence.py).

Posts and users are looked up once per push with DuckDB over the corpus, not per item. Media text
(captions, OCR, transcripts) comes from enrich/post_text.parquet when enrichment ran; anything
missing is simply not shown.
"""

from __future__ import annotations

from typing import Any, Iterable

import pyarrow as pa

from ...schemas.items import ItemBase
from ...schemas.tasks import task_spec
from ...store.query import connect as corpus_connect
from ...workspace import Workspace

MAX_CHARS = 600   # per shown post: enough to judge, short enough to scan


def _clip(text: str | None) -> str:
    text = (text or "").strip()
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "..."


def _post_ids(item: ItemBase) -> list[str]:
    inputs, answer = item.inputs, item.answer
    ids = [getattr(inputs, "post_id", None)]
    ids += list(getattr(inputs, "post_ids", []) or [])[:10]
    ids += list(getattr(answer, "evidence_ids", []) or [])[:10]
    for event in getattr(answer, "events", []) or []:
        ids += event.post_ids[:3]
    return [i for i in dict.fromkeys(ids) if i]


class ContextBuilder:
    """Renders the context text of many items from one pass over the corpus."""

    def __init__(self, ws: Workspace, items: list[ItemBase]):
        self.ws = ws
        self.posts: dict[str, dict[str, Any]] = {}
        self.media: dict[str, list[str]] = {}
        if (ws.corpus / "posts.parquet").exists() or (ws.enrich / "post_text.parquet").exists():
            self._load(items)

    def _load(self, items: list[ItemBase]) -> None:
        post_ids = sorted({p for it in items for p in _post_ids(it)})
        con = corpus_connect(self.ws.corpus)
        con.register("want_posts", pa.table({"id": pa.array(post_ids, pa.string())}))
        for pid, author, text, created in con.execute(
                "SELECT p.id, p.author_id, p.text, strftime(timezone('UTC', p.created_at), '%Y-%m-%d %H:%M:%S') "
                "FROM posts p JOIN want_posts w USING (id)").fetchall():
            self.posts[pid] = {"author": author, "text": text, "created": created}
        # Media text through the one post-text view, each part with the model that made it.
        from ...enrich.textview import post_text_parts

        for post_id, parts in post_text_parts(self.ws, post_ids).items():
            self.media[post_id] = [f"{p['source']}: {_clip(p['text'])}" + (f"  (by {p['model']})" if p["model"] else "")
                                   for p in parts]

    def render(self, item: ItemBase) -> str:
        lines: list[str] = []
        for pid in _post_ids(item):
            post = self.posts.get(pid)
            if post:
                lines.append(f"[post {pid} by user {post['author'] or 'unknown'}, {post['created'] or 'time unknown'}] "
                             f"{_clip(post['text'])}")
            for media in self.media.get(pid, []):
                lines.append(f"  [media of {pid}] {media}")
        comment = getattr(item.inputs, "comment", None)
        if comment:  # the task's declaration says whether the agent sees it (schemas/tasks.py)
            hidden = "comment" in task_spec(item.task).reviewer_only
            lines.append(f"[{'comment, reviewer only: the agent never sees it' if hidden else 'comment shown'}] {_clip(comment)}")
        lines += list(_votes(item))
        lines.append(f"[rule] {item.provenance.rule}   [builder] {item.provenance.builder}")
        return "\n".join(lines)


def _votes(item: ItemBase) -> Iterable[str]:
    for step in item.provenance.llm:
        if step.votes:
            shown = ", ".join(f"{v.voter}={v.value if v.error is None else 'failed'}" for v in step.votes)
            agree = "" if step.agreement is None else f" (agreement {step.agreement:.2f})"
            yield f"[{step.step} by {step.model}] {shown}{agree}"
