"""`ced`: the CED Weibo rumour corpus (original-microblog/ + rumor-repost/ + non-rumor-repost/).

CED ships its cascades in two folders by veracity; older copies hold one `repost-cascades/` folder.

Source posts with their authors' profiles become posts and users; every cascade record becomes an
interaction (empty text: repost; text: comment, i.e. a repost with a comment) keeping its parent
link, and its author a user. Ids are preserved.
"""

from __future__ import annotations

import operator
import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import IngestError
from ..store.quarantine import Rejected
from .base import Columns, Out, Parsed, is_junk, junk_rejection, load_json_file, register
from .timeparse import TIME_FORMS, parse_time

_FULL_FMT = "%Y-%m-%d %H:%M:%S"
_CST_OFFSET = pa.scalar(timedelta(hours=8), pa.duration("s"))
_UTC_US = pa.timestamp("us", tz="UTC")
_CST_NP = np.timedelta64(8, "h")
_USER_KEYS = ("id", "platform", "gender", "followers_count", "friends_count", "statuses_count", "verified",
              "location", "created_at", "source")
#: Cascade folders -> the veracity CED gives every post whose cascade sits there. CED's own
#: layout first; `repost-cascades` is the single, unlabelled folder of older copies.
VERACITY = {"rumor-repost": "rumor", "non-rumor-repost": "non-rumor", "repost-cascades": None}
CASCADE_DIRS = tuple(VERACITY)
_NAME = re.compile(r"^(\d+)_([A-Za-z0-9]+)_([A-Za-z0-9_\-]+)\.json$")
_LAYOUT = "original-microblog/ and rumor-repost/ and/or non-rumor-repost/ (or the older repost-cascades/)"


def _found(folder: Path) -> str:
    """What a folder holds, for error messages (first entries, folders marked with '/')."""
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    shown = [p.name + ("/" if p.is_dir() else "") for p in entries[:12]]
    more = f" and {len(entries) - 12} more" if len(entries) > 12 else ""
    return (", ".join(shown) + more) if entries else "nothing (empty folder)"


def _roots(paths: list[Path]) -> list[Path]:
    """The corpus folder itself or a folder inside it (original-microblog/, a cascade folder).
    Anything else is an error naming what was found, never a silent empty ingest."""
    roots = []
    for p in paths:
        if p.is_file():
            raise IngestError(f"{p} is a file; --format ced reads the CED folder, which holds {_LAYOUT}")
        if p.name == "original-microblog" or p.name in CASCADE_DIRS:
            p = p.parent
        if not (p / "original-microblog").is_dir():
            raise IngestError(f"{p} is not a CED folder: no original-microblog/ in it (found: {_found(p)}); "
                              f"expected {_LAYOUT}")
        if not any((p / d).is_dir() for d in CASCADE_DIRS):
            raise IngestError(f"{p} holds no cascade folder (found: {_found(p)}); expected {_LAYOUT}")
        roots.append(p)
    return list(dict.fromkeys(roots))


def _only(values: list[Any], kind: type) -> bool:
    """True when every value is exactly of `kind` (in C: map + set, no Python loop per value)."""
    return set(map(type, values)) <= {kind}


def _sid(value: Any) -> Any:
    """Integer ids (some crawls write uids as numbers) become strings; other values pass as they
    are so that validation reports them."""
    return str(value) if type(value) is int else value


def _user_record(uid: str, profile: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": uid, "platform": "weibo"}
    if isinstance(profile, dict):
        rec.update({
            "gender": profile.get("gender"),
            "followers_count": profile.get("followers"),
            "friends_count": profile.get("friends"),
            "statuses_count": profile.get("messages"),
            "verified": profile.get("verified"),
            "location": profile.get("location") or None,
            "created_at": parse_time(profile.get("time")),
        })
    return rec


@register("ced", description="CED Weibo rumour cascades (original-microblog/ + rumor-repost/ + non-rumor-repost/)")
def read_ced(paths: list[Path]) -> Iterator[Out]:
    for root in _roots(paths):
        originals = root / "original-microblog"
        folders = [root / d for d in CASCADE_DIRS if (root / d).is_dir()]
        names = {d.name: {f.name for f in d.iterdir()} for d in folders}
        n_originals = 0
        # Bare cascade users already emitted: a later bare copy could change nothing (the most
        # complete profile wins, then the earliest), so it is not emitted again. Halves the rows
        # the engine stages and merges.
        users_seen: set[str] = set()
        for cascades in folders:
            for f in sorted(cascades.iterdir()):
                if is_junk(f):
                    yield junk_rejection(f)
                elif f.suffix == ".json" and not (originals / f.name).exists():
                    yield Rejected(str(f), "file", "dangling-post", f"cascade without its post: no original-microblog/{f.name}")
        for f in sorted(originals.iterdir()):
            if is_junk(f):
                yield junk_rejection(f)
                continue
            m = _NAME.match(f.name)
            if not m:
                yield Rejected(str(f), "file", "bad-file-name", "expected <idx>_<mid>_<uid>.json")
                continue
            n_originals += 1
            # A source post's cascade sits in exactly one folder, which is its label.
            holders = [d for d in folders if f.name in names[d.name]]
            for extra in holders[1:]:
                yield Rejected(str(extra / f.name), "file", "conflicting-veracity",
                               f"the same cascade is also in {holders[0].name}/; kept that one, label left empty")
            cascade = holders[0] / f.name if holders else None
            label = VERACITY[holders[0].name] if len(holders) == 1 else None
            yield from _read_pair(f, cascade, m.group(2), m.group(3), label, users_seen)
        if n_originals == 0:
            raise IngestError(f"{originals} holds no <idx>_<mid>_<uid>.json post files (found: {_found(originals)})")


def _orphaned(original: Path, cascade: Path | None, why: Rejected) -> Iterator[Rejected]:
    """The cascade of a rejected source post, record by record, each naming both files (a cascade
    cannot stand without its post, but silently dropping it would hide thousands of records)."""
    if cascade is None:
        return
    records = load_json_file(cascade)
    if isinstance(records, Rejected):
        yield records
        return
    detail = (f"its source post {original} was rejected ({why.reason}: {why.detail}); "
              f"fix that file and ingest again")
    if not isinstance(records, list):
        yield Rejected(str(cascade), "file", "original-failed", detail, str(records)[:200])
        return
    for i, r in enumerate(records):
        yield Rejected(str(cascade), f"record {i}", "original-failed", detail, str(r)[:200])


def _read_pair(original: Path, cascade: Path | None, mid: str, uid: str, veracity: str | None,
               users_seen: set[str]) -> Iterator[Out]:
    src = f"ced:{original.name}"
    doc = load_json_file(original)
    if not isinstance(doc, (dict, Rejected)):
        doc = Rejected(str(original), "file", "invalid-record", "original post is not a JSON object", str(doc)[:200])
    elif isinstance(doc, dict) and doc.get("time") not in (None, "") and parse_time(doc.get("time")) is None:
        doc = Rejected(str(original), "file", "bad-date", f"unparseable post time {doc.get('time')!r}; accepted: {TIME_FORMS}",
                       str(doc)[:200])
    if isinstance(doc, Rejected):
        yield doc
        yield from _orphaned(original, cascade, doc)
        return
    created = parse_time(doc.get("time"))
    author = {**_user_record(uid, doc.get("user")), "source": src}
    # The author goes out as a one-row users batch (or first row of the cascade's users batch) so
    # that users batches all have the same fields and the engine can convert them in bulk.
    author_only = Columns("users", {k: [author.get(k)] for k in _USER_KEYS}, [str(original)], ["user"])
    users_seen.add(uid)  # the author always goes out with its profile, which beats any bare copy
    yield Parsed("posts", {
        "id": mid, "platform": "weibo", "author_id": uid, "text": doc.get("text") or "",
        "created_at": created, "lang": "zh", "reposts_count": doc.get("reposts"),
        "comments_count": doc.get("comments"), "likes_count": doc.get("likes"), "source": src,
        "veracity": veracity, "veracity_origin": f"ced:{cascade.parent.name}" if veracity else None,
    }, str(original), "post")
    if cascade is None:
        yield author_only
        return
    records = load_json_file(cascade)
    if isinstance(records, Rejected):
        yield author_only
        yield records
        return
    if not isinstance(records, list):
        yield author_only
        yield Rejected(str(cascade), "file", "invalid-record", "cascade is not a JSON list", str(records)[:200])
        return
    csrc = f"ced:{cascade.name}"
    if _only(records, dict):
        yield from _cascade_columns(records, str(cascade), mid, created, csrc, author_only, users_seen)
        return
    yield author_only
    for i, r in enumerate(records):
        loc = f"record {i}"
        if not isinstance(r, dict):
            yield Rejected(str(cascade), loc, "invalid-record", "cascade entry is not an object", str(r)[:200])
            continue
        text = r.get("text")
        user_id = _sid(r.get("uid"))
        if isinstance(user_id, str) and user_id and user_id not in users_seen:
            users_seen.add(user_id)
            yield Parsed("users", {"id": user_id, "platform": "weibo", "source": csrc}, str(cascade), loc)
        when = parse_time(r.get("date"), reference=created)
        if r.get("date") not in (None, "") and when is None:
            yield Rejected(str(cascade), loc, "bad-date", f"unparseable date {r.get('date')!r}; accepted: {TIME_FORMS}", str(r)[:200])
            continue
        yield Parsed("interactions", {
            "id": _sid(r.get("mid")),
            "kind": "comment" if isinstance(text, str) and text.strip() else "repost",
            "user_id": user_id,
            "post_id": mid,
            "parent_id": _sid(r.get("parent")) or None,
            "text": "" if text is None else text,
            "created_at": when,
            "source": csrc,
        }, str(cascade), loc)


_GET = operator.itemgetter("mid", "uid", "parent", "text", "date")


def _fields(records: list[dict]) -> tuple[list[Any], ...]:
    """(mids, uids, parents, texts, dates) of the records, in one C-level pass when every record
    has all five keys (CED's own files do), else key by key with .get."""
    if records:
        try:
            return tuple(list(col) for col in zip(*map(_GET, records)))
        except KeyError:
            pass
    return tuple([r.get(k) for r in records] for k in ("mid", "uid", "parent", "text", "date"))


def _cascade_dates(raw: list[Any], reference) -> pa.Array:
    """Cascade dates -> UTC timestamps, vectorised for the common 'YYYY-MM-DD HH:MM:SS' form.
    Arrow's strptime is lenient (it rolls Feb 30 over to March), so its result is only taken
    where formatting it back gives the input string; every other date (epoch numbers, ISO 8601,
    year-less forms) goes through parse_time, whose answer is the reference.

    First try: numpy parses a whole file of 19-character dates in one call (strictly: Feb 30
    raises), which costs far less per file than the Arrow round trip; anything else falls through."""
    if _only(raw, str) and set(map(len, raw)) <= {19}:
        try:
            local = np.array(raw, dtype="datetime64[s]")
        except ValueError:
            pass
        else:
            return pa.array((local - _CST_NP).astype("datetime64[us]"), _UTC_US)
    strs = pa.array([d if isinstance(d, str) else None for d in raw], pa.string())
    # unit="s": with "us" Arrow's %S prints fractions and the round-trip check never matches.
    local = pc.strptime(strs, format=_FULL_FMT, unit="s", error_is_null=True)
    exact = pc.fill_null(pc.equal(pc.strftime(local, format=_FULL_FMT), strs), False)
    utc = pc.cast(pc.subtract(local, _CST_OFFSET), pa.timestamp("s", tz="UTC")).cast(_UTC_US)
    if pc.all(exact).as_py():
        return utc
    others = pc.invert(exact)
    fallback = [parse_time(raw[i], reference=reference)
                for i in pc.indices_nonzero(others).to_pylist()]
    return pc.replace_with_mask(utc, others, pa.array(fallback, _UTC_US))


def _cascade_columns(records: list[dict], file: str, mid: str, created, csrc: str, author: Columns,
                     users_seen: set[str]) -> Iterator[Out]:
    """The same records as the loop in _read_pair, built column-wise (the common, fast case).
    Users are emitted once per file (first occurrence): later bare copies change nothing; the
    post's author (with profile) is the first row of the users batch."""
    ids, uids, parents, texts, raw_dates = _fields(records)
    whens = _cascade_dates(raw_dates, created)
    bad = [] if whens.null_count == 0 else [
        i for i, (d, ok) in enumerate(zip(raw_dates, pc.is_valid(whens).to_pylist())) if d not in (None, "") and not ok]
    for i in bad:
        yield Rejected(file, f"record {i}", "bad-date", f"unparseable date {raw_dates[i]!r}; accepted: {TIME_FORMS}",
                       str(records[i])[:200])
    keep = range(len(records))
    if bad:
        dropped = set(bad)
        keep = [i for i in keep if i not in dropped]
        ids, uids, parents, texts = ([col[i] for i in keep] for col in (ids, uids, parents, texts))
        whens = whens.take(pa.array(keep, pa.int64()))
    if not _only(uids, str):
        uids = [_sid(u) for u in uids]
    seen: dict[str, int] = {}
    if _only(uids, str) and "" not in uids:
        # Common case, in C-speed comprehensions: first index of each uid, in order of appearance.
        first = {u: i for i, u in zip(reversed(keep), reversed(uids))}
        seen = {u: first[u] for u in dict.fromkeys(uids)}
    else:
        for i, u in zip(keep, uids):
            if isinstance(u, (str, int)) and str(u) and str(u) not in seen:
                seen[str(u)] = i
    seen = {u: i for u, i in seen.items() if u not in users_seen}
    users_seen.update(seen)
    n = len(seen)
    users = {k: v + ([None] * n) for k, v in author.columns.items()}
    users["id"][1:] = list(seen)
    users["platform"][1:] = ["weibo"] * n
    users["source"][1:] = [csrc] * n
    yield Columns("users", users, author.file + [file] * n, author.locs + [f"record {i}" for i in seen.values()])
    if not _only(ids, str):
        ids = [_sid(i) for i in ids]
    parents = [p or None for p in parents]
    if not set(map(type, parents)) <= {str, type(None)}:
        parents = [_sid(p) for p in parents]
    yield Columns("interactions", {
        "id": ids,
        "kind": ["comment" if isinstance(t, str) and t.strip() else "repost" for t in texts],
        "user_id": uids,
        "post_id": pa.repeat(mid, len(ids)),
        "parent_id": parents,
        "text": texts if _only(texts, str) else ["" if t is None else t for t in texts],
        "created_at": whens,
        "source": pa.repeat(csrc, len(ids)),
    }, file, [f"record {i}" for i in keep])
