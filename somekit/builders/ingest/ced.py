"""`ced`: the CED Weibo rumour corpus (original-microblog/ + rumor-repost/ + non-rumor-repost/).

CED ships its cascades in two folders by veracity; older copies hold one `repost-cascades/` folder.

Source posts with their authors' profiles become posts and users; every cascade record becomes an
interaction (empty text: repost; text: comment, i.e. a repost with a comment) keeping its parent
link, and its author a user. Ids are preserved.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ...store.quarantine import Rejected
from .base import Columns, Out, Parsed, is_junk, junk_rejection, load_json_file, register
from .timeparse import from_epoch, parse_weibo_date

_FULL_FMT = "%Y-%m-%d %H:%M:%S"
_CST_OFFSET = pa.scalar(timedelta(hours=8), pa.duration("s"))
_UTC_US = pa.timestamp("us", tz="UTC")
_USER_KEYS = ("id", "platform", "gender", "followers_count", "friends_count", "statuses_count", "verified",
              "location", "created_at", "source")
# CED's own layout first; `repost-cascades` is the single folder of older copies.
CASCADE_DIRS = ("rumor-repost", "non-rumor-repost", "repost-cascades")
_NAME = re.compile(r"^(\d+)_([A-Za-z0-9]+)_([A-Za-z0-9_\-]+)\.json$")


def _roots(paths: list[Path]) -> list[Path]:
    """Accept the corpus folder itself or its parent (a folder holding original-microblog/)."""
    roots = []
    for p in paths:
        if (p / "original-microblog").is_dir():
            roots.append(p)
        elif p.name == "original-microblog" or p.name in CASCADE_DIRS:
            roots.append(p.parent)
        else:
            roots.append(p)  # let the reader report what is missing
    return list(dict.fromkeys(roots))


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
            "created_at": from_epoch(profile.get("time")),
        })
    return rec


@register("ced", description="CED Weibo rumour cascades (original-microblog/ + rumor-repost/ + non-rumor-repost/)")
def read_ced(paths: list[Path]) -> Iterator[Out]:
    for root in _roots(paths):
        originals = root / "original-microblog"
        if not originals.is_dir():
            yield Rejected(str(root), "file", "not-a-ced-folder", "expected an original-microblog/ folder")
            continue
        folders = [root / d for d in CASCADE_DIRS if (root / d).is_dir()]
        for cascades in folders:
            for f in sorted(cascades.iterdir()):
                if is_junk(f):
                    yield junk_rejection(f)
                elif not (originals / f.name).exists() and f.suffix == ".json":
                    yield Rejected(str(f), "file", "dangling-post", "cascade without its original-microblog file")
        for f in sorted(originals.iterdir()):
            if is_junk(f):
                yield junk_rejection(f)
                continue
            m = _NAME.match(f.name)
            if not m:
                yield Rejected(str(f), "file", "bad-file-name", "expected <idx>_<mid>_<uid>.json")
                continue
            # A source post's cascade sits in exactly one of the folders (its veracity).
            cascade = next((d / f.name for d in folders if (d / f.name).exists()), root / CASCADE_DIRS[0] / f.name)
            yield from _read_pair(f, cascade, m.group(2), m.group(3))


def _read_pair(original: Path, cascade: Path, mid: str, uid: str) -> Iterator[Out]:
    src = f"ced:{original.name}"
    doc = load_json_file(original)
    if isinstance(doc, Rejected):
        yield doc
        return
    if not isinstance(doc, dict):
        yield Rejected(str(original), "file", "invalid-record", "original post is not a JSON object", str(doc)[:200])
        return
    created = from_epoch(doc.get("time"))
    author = {**_user_record(uid, doc.get("user")), "source": src}
    # The author goes out as a one-row users batch (or first row of the cascade's users batch) so
    # that users batches all have the same fields and the engine can convert them in bulk.
    author_only = Columns("users", {k: [author.get(k)] for k in _USER_KEYS}, [str(original)], ["user"])
    yield Parsed("posts", {
        "id": mid, "platform": "weibo", "author_id": uid, "text": doc.get("text") or "",
        "created_at": created, "lang": "zh", "reposts_count": doc.get("reposts"),
        "comments_count": doc.get("comments"), "likes_count": doc.get("likes"), "source": src,
    }, str(original), "post")
    if not cascade.exists():
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
    if all(type(r) is dict for r in records):
        yield from _cascade_columns(records, str(cascade), mid, created, csrc, author_only)
        return
    yield author_only
    for i, r in enumerate(records):
        loc = f"record {i}"
        if not isinstance(r, dict):
            yield Rejected(str(cascade), loc, "invalid-record", "cascade entry is not an object", str(r)[:200])
            continue
        text = r.get("text")
        user_id = r.get("uid")
        if isinstance(user_id, (str, int)) and str(user_id):
            yield Parsed("users", {"id": str(user_id), "platform": "weibo", "source": csrc}, str(cascade), loc)
        when = parse_weibo_date(r.get("date"), reference=created) if isinstance(r.get("date"), str) else None
        if r.get("date") and when is None:
            yield Rejected(str(cascade), loc, "bad-date", f"unparseable date {r.get('date')!r}", str(r)[:200])
            continue
        yield Parsed("interactions", {
            "id": r.get("mid"),
            "kind": "comment" if isinstance(text, str) and text.strip() else "repost",
            "user_id": user_id,
            "post_id": mid,
            "parent_id": r.get("parent") or None,
            "text": "" if text is None else text,
            "created_at": when,
            "source": csrc,
        }, str(cascade), loc)


def _cascade_dates(raw: list[Any], reference) -> pa.Array:
    """Cascade dates -> UTC timestamps, vectorised for the common 'YYYY-MM-DD HH:MM:SS' form.
    Arrow's strptime is lenient (it rolls Feb 30 over to March), so its result is only taken
    where formatting it back gives the input string; every other date goes through
    parse_weibo_date, whose answer is the reference."""
    strs = pa.array([d if isinstance(d, str) else None for d in raw], pa.string())
    # unit="s": with "us" Arrow's %S prints fractions and the round-trip check never matches.
    local = pc.strptime(strs, format=_FULL_FMT, unit="s", error_is_null=True)
    exact = pc.fill_null(pc.equal(pc.strftime(local, format=_FULL_FMT), strs), False)
    utc = pc.cast(pc.subtract(local, _CST_OFFSET), pa.timestamp("s", tz="UTC")).cast(_UTC_US)
    if pc.all(exact).as_py():
        return utc
    others = pc.invert(exact)
    fallback = [parse_weibo_date(raw[i], reference=reference) if isinstance(raw[i], str) else None
                for i in pc.indices_nonzero(others).to_pylist()]
    return pc.replace_with_mask(utc, others, pa.array(fallback, _UTC_US))


def _cascade_columns(records: list[dict], file: str, mid: str, created, csrc: str, author: Columns) -> Iterator[Out]:
    """The same records as the loop in _read_pair, built column-wise (the common, fast case).
    Users are emitted once per file (first occurrence): later bare copies change nothing; the
    post's author (with profile) is the first row of the users batch."""
    raw_dates = [r.get("date") for r in records]
    whens = _cascade_dates(raw_dates, created)
    bad = [] if whens.null_count == 0 else [
        i for i, (d, ok) in enumerate(zip(raw_dates, pc.is_valid(whens).to_pylist())) if d and not ok]
    for i in bad:
        yield Rejected(file, f"record {i}", "bad-date", f"unparseable date {raw_dates[i]!r}", str(records[i])[:200])
    keep = range(len(records))
    rows = records
    if bad:
        dropped = set(bad)
        keep = [i for i in keep if i not in dropped]
        rows = [records[i] for i in keep]
        whens = whens.take(pa.array(keep, pa.int64()))
    uids = [r.get("uid") for r in rows]
    seen: dict[str, int] = {}
    if all(type(u) is str and u for u in uids):
        # Common case, in C-speed comprehensions: first index of each uid, in order of appearance.
        first = {u: i for i, u in zip(reversed(keep), reversed(uids))}
        seen = {u: first[u] for u in dict.fromkeys(uids)}
    else:
        for i, u in zip(keep, uids):
            if isinstance(u, (str, int)) and str(u) and str(u) not in seen:
                seen[str(u)] = i
    n = len(seen)
    users = {k: v + ([None] * n) for k, v in author.columns.items()}
    users["id"][1:] = list(seen)
    users["platform"][1:] = ["weibo"] * n
    users["source"][1:] = [csrc] * n
    yield Columns("users", users, author.file + [file] * n, author.locs + [f"record {i}" for i in seen.values()])
    texts = [r.get("text") for r in rows]
    yield Columns("interactions", {
        "id": [r.get("mid") for r in rows],
        "kind": ["comment" if isinstance(t, str) and t.strip() else "repost" for t in texts],
        "user_id": uids,
        "post_id": pa.repeat(mid, len(rows)),
        "parent_id": [r.get("parent") or None for r in rows],
        "text": ["" if t is None else t for t in texts],
        "created_at": whens,
        "source": pa.repeat(csrc, len(rows)),
    }, file, [f"record {i}" for i in keep])
