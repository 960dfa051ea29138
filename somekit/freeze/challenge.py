"""The nap challenge split: by time, whole threads, never empty.

The social-sim challenge trains on the past and scores on the future. `somekit freeze` therefore
splits nap items by time rather than by a hashed group: items are grouped by thread (the root
of the conversation they act on, `provenance.notes.thread`; an action outside any conversation,
such as a follow, is a thread of its own), threads are ordered by the time of their last target
action (`notes.rank`, the global time rank), and the earliest threads up to the train share of
items go to train, the next to validation, the latest to test. So:

- no thread is in two splits (a model never sees the start of a test conversation in training);
- every thread of an earlier split ends before any thread of a later split ends, and rows are
  written in time order, so each user's actions stay in temporal order within a split;
- with at least as many threads as splits asked for, no split with a positive ratio is empty
  (a hashed split over ~9 persona clusters left test empty about 39% of the time at 0.8/0.1/0.1).

The split depends only on the items, not on the seed: a time split has nothing to draw.
"""

from __future__ import annotations

from typing import Any, Iterable

SPLITS = ("train", "validation", "test")
def thread_and_rank(item: Any) -> tuple[str, int]:
    """(thread key, time rank) of a nap item; items built before threads were recorded are a
    thread of their own."""
    notes = item.provenance.notes or {}
    return str(notes.get("thread") or item.id), int(notes.get("rank") or 0)


def time_splits(rows: Iterable[tuple[str, str, int]], ratios: Any) -> dict[str, str]:
    """item id -> split, from (item id, thread, rank) rows and the [splits] ratios."""
    rows = list(rows)
    if not rows:
        return {}
    end: dict[str, int] = {}
    size: dict[str, int] = {}
    for _, thread, rank in rows:
        end[thread] = max(end.get(thread, rank), rank)
        size[thread] = size.get(thread, 0) + 1
    order = sorted(end, key=lambda t: (end[t], t))
    shares = [float(getattr(ratios, s)) for s in SPLITS]
    total = len(rows)
    # Boundaries in thread positions: threads before b[0] are train, before b[1] validation.
    bounds, cum, pos = [], 0, 0
    for cut in (shares[0], shares[0] + shares[1]):
        while pos < len(order) and cum + size[order[pos]] / 2 <= cut * total:
            cum += size[order[pos]]
            pos += 1
        bounds.append(pos)
    b_train, b_val = bounds
    n = len(order)
    wanted = [s > 0 for s in shares]
    if n >= sum(wanted):
        # Give each split with a positive ratio at least one thread, taking from its neighbours.
        if wanted[0]:
            b_train = max(b_train, 1)
        if wanted[2]:
            b_val = min(b_val, n - 1)
            b_train = min(b_train, b_val - (1 if wanted[1] else 0))
        if wanted[1]:
            b_val = max(b_val, b_train + 1)
    split_of = {}
    for i, thread in enumerate(order):
        split_of[thread] = "train" if i < b_train else ("validation" if i < b_val else "test")
    return {item_id: split_of[thread] for item_id, thread, _ in rows}


def row_order(item: Any) -> tuple[int, str]:
    """Rows of a frozen nap split are written in time order (ties by id, for stable bytes)."""
    return thread_and_rank(item)[1], item.id
