"""No labelled text crosses tasks (issue 32): a text one task's label was made from (UEA's
comment, UCS's comment, UBP-comment's text) must not be shown by another task of the release,
or one task's question answers another's.

A builder asks a `ReuseGuard` about each candidate before it becomes an item. The guard reads the
items the other tasks already built (rejected ones aside: they are never frozen) and refuses a
candidate whose labelled text another task shows, or whose shown text is another task's labelled
text. Which fields are labelled and which are shown is the task declaration
(schemas/tasks.py). Texts compare normalised (case, spaces, punctuation out); a text of
CONTAINS_MIN characters or more also clashes where it sits inside a longer one. Whatever task is
built last gives way, so a release built in any order holds no reuse; what that costs is counted
(`stats()`), and the builder's shortfall report shows it.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..schemas.tasks import task_spec
from .sampling import normalise_text

#: Shorter texts clash on equality only ('好' inside every sentence is no reuse).
CONTAINS_MIN = 6


def _shown_texts(item: Any) -> list[str]:
    spec = task_spec(item.task)
    return [v for name in spec.agent_visible if isinstance(v := getattr(item.inputs, name, None), str)]


def _labelled_texts(item: Any) -> list[str]:
    return [v for name in task_spec(item.task).labelled_texts if isinstance(v := getattr(item.inputs, name, None), str)]


class ReuseGuard:
    """The other built tasks' shown and labelled texts, and a count of the candidates refused."""

    def __init__(self, ws: Any, task: str):
        from ..store.items import built_tasks, iter_items

        self.task = task
        self.others: dict[str, int] = {}
        self.shown: set[str] = set()
        self.labelled: set[str] = set()
        shown_parts: list[str] = []
        for other in built_tasks(ws) if ws is not None else []:
            if other == task:
                continue
            n = 0
            for item in iter_items(ws, other):
                if item.review.state == "rejected":
                    continue
                n += 1
                for text in _shown_texts(item) + [item.query]:
                    norm = normalise_text(text)
                    if norm:
                        self.shown.add(norm)
                        shown_parts.append(norm)
                self.labelled |= {t for t in map(normalise_text, _labelled_texts(item)) if t}
            self.others[other] = n
        self._shown_blob = "\x00".join(shown_parts)
        self._labelled_long = sorted(t for t in self.labelled if len(t) >= CONTAINS_MIN)
        self._refused: set[tuple[str | None, ...]] = set()  # a widening builder asks about a row again

    def clashes(self, labelled: Iterable[str | None] = (), shown: Iterable[str | None] = ()) -> bool:
        """True when a candidate's labelled text is shown by another task, or a text it shows is
        another task's labelled text."""
        for text in labelled:
            norm = normalise_text(text)
            if norm and (norm in self.shown or (len(norm) >= CONTAINS_MIN and norm in self._shown_blob)):
                return True
        for text in shown:
            norm = normalise_text(text)
            if norm and (norm in self.labelled or any(t in norm for t in self._labelled_long)):
                return True
        return False

    def keep(self, rows: list[dict[str, Any]], labelled: Iterable[str] = (), shown: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The rows whose texts (under the keys `labelled` and `shown`) clash with no other task."""
        labelled, shown = tuple(labelled), tuple(shown)
        if not (self.shown or self.labelled):
            return rows
        out = []
        for row in rows:
            texts_l, texts_s = [row.get(k) for k in labelled], [row.get(k) for k in shown]
            if self.clashes(texts_l, texts_s):
                self._refused.add(tuple(texts_l + texts_s))
            else:
                out.append(row)
        return out

    def stats(self) -> dict[str, Any]:
        """For stats.json: the tasks read and the candidates refused (part of any shortfall)."""
        return {"checked_against": dict(self.others), "refused": self.refused}

    @property
    def refused(self) -> int:
        return len(self._refused)

