"""The review page's evidence: what the agent sees of the asked user, and why the label holds.

Two task-data fields per item, rendered from verify's own reading of the corpus
(somekit/verify/visible.py), never from the builders' SQL, so a reviewer judges the item on the
reading that verify checks:
- `history` (UBP, UCS, MCR, UEA): the last N entries of the user's visible history, exactly what
  `export --format some` gives the agent ([review] history_shown = N);
- `evidence`: per task, the acts that make a yes (or the statement that there are none, with the
  user's active span and how the negative was drawn), the pair's two comments, the labelled
  comment and its votes, the cascade up to the cut-off and the label's source, the draft's
  evidence posts. Reviewer-only facts (hidden acts, mid-zh's label folder) say so.
Missing values read "time unknown", never "None".
"""

from __future__ import annotations

from typing import Any, Callable

from ...registry import Registry
from ...schemas.items import ItemBase, MIDInputs, UCSItem
from ...schemas.tasks import task_codes
from ...store.items import built_tasks, read_items
from ...store.query import connect as corpus_connect
from ...verify import visible
from ...verify.textrules import backs_action
from ...workspace import Workspace

USER_POST_TASKS = task_codes(user_centric=True)   # their page shows the user's visible history
CLIP = 300          # characters of one shown text: enough to judge, short enough to scan
MAX_POSTS = 30      # evidence posts expanded per drafted item


def _get(model: Any, name: str, default: Any = None) -> Any:
    """A pydantic model's field or `default`: getattr on a missing field goes through pydantic's
    slow __getattr__ and an exception, which costs seconds over 10k items."""
    return model.__dict__.get(name, default)


def clip(text: str | None, limit: int = CLIP) -> str:
    text = " ".join((text or "").split())
    return "«" + (text if len(text) <= limit else text[:limit] + "…") + "»" if text else "(no text)"


def when(time: str | None) -> str:
    return time or "time unknown"


def entry_line(e: visible.Entry) -> str:
    if e.kind == "post":
        return f"  - {when(e.time)}  own post {e.id}: {clip(e.text)}"
    if e.kind == "like":
        return f"  - {when(e.time)}  like of post {e.post_id}"
    return f"  - {when(e.time)}  {e.kind} {e.id} on post {e.post_id}: {clip(e.text)}"


class EvidenceBuilder:
    """Renders `history` and `evidence` for many items from a few queries over the corpus.

    `task_items` are all items of the pushed task (a UCS pair's partner may not be sent);
    the asked pairs of the other built user-post tasks are read from the workspace, as the
    export hides them all."""

    def __init__(self, ws: Workspace, items: list[ItemBase], task_items: list[ItemBase] | None = None,
                 last: int | None = None):
        self.last = last or ws.config().review.history_shown
        self.history: dict[str, visible.History] = {}
        self.acts: dict[tuple[str, str], list[visible.Entry]] = {}
        self.spans: dict[str, visible.Span] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.records: dict[str, tuple[visible.Entry, str]] = {}
        self.reports: dict[str, list[tuple]] = {}
        self.partners: dict[tuple[str, str], list[ItemBase]] = {}
        self._history_text: dict[str, str] = {}
        if not items or not ws.corpus.is_dir():
            return
        self._load(ws, items, task_items or items)

    def _load(self, ws: Workspace, items: list[ItemBase], task_items: list[ItemBase]) -> None:
        task = items[0].task
        con = corpus_connect(ws.corpus)
        con.execute("SET enable_progress_bar = false")
        pairs = [(it.inputs.user_id, it.inputs.post_id) for it in items if it.task in USER_POST_TASKS]
        post_ids = {p for it in items if (p := _get(it.inputs, "post_id", None))}
        post_ids |= {p for it in items for p in _cited_posts(it)}
        if pairs:
            by_task = {t: (task_items if t == task else read_items(ws, t))
                       for t in built_tasks(ws) if t in USER_POST_TASKS}
            users = {u for u, _ in pairs}
            asked = {(i.inputs.user_id, i.inputs.post_id) for its in by_task.values() for i in its
                     if i.inputs.user_id in users}
            self.history = visible.histories(con, users, asked, visible.shown_texts(by_task), self.last)
            self.acts = visible.pair_acts(con, pairs)
            self.spans = visible.spans(con, users)
            wanted = set(pairs)
            for it in task_items:   # a UCS pair: the yes and the no comment on one user and post
                key = (it.inputs.user_id, it.inputs.post_id)
                if isinstance(it, UCSItem) and key in wanted:
                    self.partners.setdefault(key, []).append(it)
        record_ids = [_get(it.inputs, "comment_id", None) for it in items]
        record_ids += [p.inputs.comment_id for ps in self.partners.values() for p in ps]
        record_ids += [c for it in items for c in _get(it.inputs, "cascade_ids", [])]
        self.records = visible.interactions(con, [r for r in record_ids if r])
        self.posts = visible.posts(con, post_ids)
        claims = [it.inputs.claim_id for it in items if isinstance(it.inputs, MIDInputs)]
        if claims:
            for claim, domain, link, content in con.execute(
                    "SELECT claim_id, domain, link, content FROM reports WHERE claim_id IN (SELECT unnest(?)) "
                    "ORDER BY claim_id, id", [claims]).fetchall():
                self.reports.setdefault(claim, []).append((domain, link, content))

    # ---- fields --------------------------------------------------------------------------

    def fields(self, item: ItemBase) -> dict[str, str]:
        """{"history": ..., "evidence": ...} for one item ('' where a task shows none)."""
        history = self._history(item) if item.task in USER_POST_TASKS else ""
        render = RENDERERS.get(item.task)
        return {"history": history, "evidence": render(self, item) if render else ""}

    def _history(self, item: ItemBase) -> str:
        # One text per user: a user asked about in many items gets the same history on each.
        uid = item.inputs.user_id
        if uid not in self._history_text:
            self._history_text[uid] = self._render_history(uid)
        return self._history_text[uid]

    def _render_history(self, uid: str) -> str:
        h = self.history.get(uid)
        if h is None or not h.entries:
            return f"User {uid}: the agent sees no history entries (after hiding every asked post)."
        head = (f"User {uid}: the last {len(h.entries)} of {h.total} visible history entries, oldest first "
                f"(own posts, reposts, comments, replies, likes; acts on asked posts are hidden)")
        if h.hidden_text:
            head += f"; {h.hidden_text} more hidden because they carry a text shown in a query"
        return "\n".join([head + ":", *map(entry_line, h.entries)])

    def _post_line(self, pid: str, label: str = "post") -> str:
        p = self.posts.get(pid)
        if not p:
            return f"{label} {pid}: not in the corpus"
        return f"{label} {pid} by user {p['author'] or 'unknown'}, {when(p['time'])}: {clip(p['text'])}"

    def _span_line(self, uid: str, pid: str) -> str:
        s = self.spans.get(uid)
        if s is None or not s.first:
            return f"User {uid}'s active span: time unknown."
        p = self.posts.get(pid, {})
        t = p.get("time", "")
        where = ("time unknown" if not t else "before that span" if t < s.first
                 else "after that span" if t > s.last else "inside that span")
        return (f"User {uid} was active from {s.first} to {s.last} ({s.acts} acts, {s.posts} own posts); "
                f"post {pid} was written {when(t)}: {where}.")

    def _user_post(self, item: ItemBase) -> str:
        uid, pid = item.inputs.user_id, item.inputs.post_id
        action = _get(item.inputs, "action", None)
        acts = self.acts.get((uid, pid), [])
        lines = [self._post_line(pid, "Asked post")]
        if item.answer.label == "yes":
            backing = [a for a in acts if action is None or backs_action(action, a.kind, a.text)]
            asked = f"{action} of" if action else "act on"
            if backing:
                lines.append(f"Why yes: the corpus holds {len(backing)} {asked} post {pid} by user {uid} "
                             "(hidden from the agent):")
                lines += [entry_line(a) for a in backing]
            else:
                lines.append(f"CHECK: no {asked} post {pid} by user {uid} is in the corpus, yet the label is yes.")
            return "\n".join(lines)
        kinds = "like, repost, comment or reply"
        only = action if action and item.provenance.rule.endswith(f":{action}") else None
        against = [a for a in acts if only is None or a.kind == only or backs_action(only, a.kind, a.text)]
        author = self.posts.get(pid, {}).get("author")
        if against or author == uid:
            lines.append(f"CHECK: the label is no, but user {uid} " +
                         ("wrote this post." if author == uid else "acted on it:"))
            lines += [entry_line(a) for a in against]
        else:
            lines.append(f"Why no: the corpus holds no {only or kinds} of user {uid} on post {pid} "
                         "(as thread root or direct parent), and the user did not write it.")
            if acts:
                lines.append(f"Acts of other kinds, allowed because this negative excludes only {only}s:")
                lines += [entry_line(a) for a in acts]
        lines.append(self._span_line(uid, pid))
        lines.append("How the negative was drawn: " + _drawn(item))
        return "\n".join(lines)

    def _comment_line(self, cid: str, text: str, label: str) -> str:
        rec = self.records.get(cid)
        who = f"the corpus says user {rec[1]} wrote it, {when(rec[0].time)}" if rec else "not found in the corpus"
        return f"{label} {cid} ({who}): {clip(text)}"

    def _own_comments(self, uid: str, exclude: str = "") -> list[str]:
        h = self.history.get(uid)
        mine = [e for e in (h.entries if h else []) if e.kind in ("comment", "reply") and e.id != exclude]
        if not mine:
            return [f"User {uid}'s other comments the agent sees: none."]
        return [f"User {uid}'s other comments the agent sees ({len(mine)}, from the history above):",
                *map(entry_line, mine)]

    def _ucs(self, item: ItemBase) -> str:
        uid, pid = item.inputs.user_id, item.inputs.post_id
        lines = [self._post_line(pid, "Post"),
                 self._comment_line(item.inputs.comment_id, item.inputs.comment, f"Shown comment (label {item.answer.label})")]
        for other in self.partners.get((uid, pid), []):
            if other.id != item.id:
                lines.append(self._comment_line(other.inputs.comment_id, other.inputs.comment,
                                                f"The pair's other comment (label {other.answer.label})"))
        own = [a for a in self.acts.get((uid, pid), []) if a.kind in ("comment", "reply")]
        if own:
            lines.append(f"What the data says user {uid} wrote under post {pid} (hidden from the agent):")
            lines += [entry_line(a) for a in own]
        else:
            lines.append(f"The data holds no comment of user {uid} under post {pid}.")
        return "\n".join(lines + self._own_comments(uid))

    def _uea(self, item: ItemBase) -> str:
        lines = [self._post_line(item.inputs.post_id, "Post"),
                 self._comment_line(item.inputs.comment_id, item.inputs.comment, "Labelled comment (hidden from the agent)")]
        lines += self._own_comments(item.inputs.user_id, item.inputs.comment_id)
        lines += list(vote_lines(item))
        return "\n".join(lines)

    def _mid(self, item: ItemBase) -> str:
        source = item.inputs.claim_id.split(":", 1)[0]
        lines = [f"Claim {item.inputs.claim_id}: {clip(item.inputs.claim)}",
                 f"Label {item.answer.label}: the source ({source}) says {item.answer.original_label!r}."]
        reports = self.reports.get(item.inputs.claim_id, [])
        lines.append(f"Reports in the knowledge base for this claim: {len(reports)}" + (" (first 3):" if reports else "."))
        lines += [f"  - {domain or 'unknown domain'} {link or ''}: {clip(content, 200)}" for domain, link, content in reports[:3]]
        return "\n".join(lines)

    def _mid_zh(self, item: ItemBase) -> str:
        ids = item.inputs.cascade_ids
        lines = [self._post_line(item.inputs.post_id, "Post"),
                 f"Visible cascade up to the cut-off {item.inputs.cutoff} ({len(ids)} records, oldest first"
                 + (f"; the first {self.last} shown):" if len(ids) > self.last else "):")]
        for cid in ids[:self.last]:
            rec = self.records.get(cid)
            lines.append(f"  - {when(rec[0].time)}  {rec[0].kind} by user {rec[1]}: {clip(rec[0].text, 120)}" if rec
                         else f"  - record {cid}: not in the corpus")
        origin = self.posts.get(item.inputs.post_id, {}).get("origin") or "none"
        lines.append(f"Label source (reviewer only, never in the export): {item.answer.origin}; "
                     f"the corpus records {origin}.")
        return "\n".join(lines)

    def _drafted(self, item: ItemBase) -> str:
        cited = _cited_posts(item)
        if not cited:
            return "The draft cites no posts."
        lines = [f"Posts the draft cites as evidence ({len(cited)}" +
                 (f"; the first {MAX_POSTS} shown):" if len(cited) > MAX_POSTS else "):")]
        lines += ["  - " + self._post_line(pid) for pid in cited[:MAX_POSTS]]
        return "\n".join(lines)


def _cited_posts(item: ItemBase) -> list[str]:
    ids = list(_get(item.answer, "evidence_ids", []) or [])
    for event in _get(item.answer, "events", []) or []:
        ids += event.post_ids
    if item.task == "ses":
        ids += item.inputs.post_ids
    return list(dict.fromkeys(ids))


def _drawn(item: ItemBase) -> str:
    prov = item.provenance
    notes = prov.notes
    parts = [f"rule {prov.rule} by builder {prov.builder}, seed {prov.seed if prov.seed is not None else 'unknown'}"]
    if notes.get("pool"):
        parts.append(f"pool {notes['pool']!r}" + (f", band {notes['band']!r}" if notes.get("band") is not None else ""))
    if notes.get("anchor"):
        parts.append(f"paired with the positive act {notes['anchor']}")
    if notes.get("cosine") is not None:
        parts.append(f"text cosine to the positive {notes['cosine']:.2f}")
    return "; ".join(parts) + "."


def vote_lines(item: ItemBase):
    for step in item.provenance.llm:
        if step.votes:
            yield f"Votes ({step.step} by {step.model}):"
            for v in step.votes:
                value = v.value if v.error is None else f"failed ({v.error})"
                yield f"  - {v.voter}: {value}" + (f"  [{v.method}]" if v.method else "")
            if step.agreement is not None:
                yield f"Agreement with the kept answer: {step.agreement:.2f}"


#: task -> how its evidence field is rendered (a task without one shows no evidence field)
RENDERERS: Registry[Callable[[EvidenceBuilder, ItemBase], str]] = Registry("review evidence")
for _code, _render in (("ubp", EvidenceBuilder._user_post), ("mcr", EvidenceBuilder._user_post),
                       ("ucs", EvidenceBuilder._ucs), ("uea", EvidenceBuilder._uea), ("mid", EvidenceBuilder._mid),
                       ("mid-zh", EvidenceBuilder._mid_zh), ("smq", EvidenceBuilder._drafted),
                       ("red", EvidenceBuilder._drafted), ("ses", EvidenceBuilder._drafted)):
    RENDERERS.add(_code, _render)


def columns(item: ItemBase, audit: bool, reasons: list[str] | None) -> dict[str, Any]:
    """Task-list columns reviewers sort and filter by in Label Studio's data manager."""
    inputs, answer = item.inputs, item.answer
    label = _get(answer, "label", None) or _get(answer, "emotion", None)
    if label is None and _get(answer, "actions", None) is not None:
        label = ",".join(answer.actions)
    agreement = next((s.agreement for s in item.provenance.llm if s.agreement is not None), None)
    why = (["audit sample"] if audit else []) + list(reasons or [])
    quality = item.provenance.notes.get("quality", _get(item.provenance, "quality", None))
    return {"user": _get(inputs, "user_id", None) or _get(inputs, "user", None) or "",
            "post": _get(inputs, "post_id", None) or _get(inputs, "claim_id", None) or "",
            "machine_label": label or "(draft text)",
            "agreement": None if agreement is None else round(agreement, 3),
            "review_reason": "; ".join(why) or "not flagged",
            "quality": quality if isinstance(quality, (int, float)) else None}
