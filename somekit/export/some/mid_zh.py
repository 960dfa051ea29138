"""`mid-zh` in SoMe's MID shape, and the part of the agent database it needs.

Ground truth (`datasets/mid-zh/ground_truth.json`) keys items like SoMe's MID file,
`{"<post id>.json": {"claim": text, "label": ...}}`. `label` uses SoMe's MID vocabulary so that
SoMe's own MID scoring reads it unchanged: a rumour is "false", a non-rumour "true" ("half" never
occurs); `veracity` keeps CED's own word (rumor / non-rumor).

The database holds, per asked post, `mid_zh_data/<post id>.json` = the post (no platform
counters: they were read after the cut-off and measure final popularity), its cascade records up
to the item's cut-off (exactly the item's `cascade_ids`) and the cut-off itself; and a profile
file `user_data/<uid>/<uid>.json` (SoMe's user shape) for the author and every visible cascade
user. Never the label or where it came from: `check_mid_zh_export` re-reads the files and proves
that no label, no origin folder and no record after a cut-off is there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from ...schemas.items import ItemBase
from ...store.query import connect
from ...verify import Violation
from .ground_truth import WRITERS

TO_SOME = {"rumor": "false", "non-rumor": "true"}
FOLDER = "mid_zh_data"
#: Strings that would give the label away if they appeared anywhere in the agent database.
_LABEL_MARKS = (b"veracity", b"rumor-repost", b"non-rumor")


@WRITERS.register("mid-zh")
def mid_zh_ground_truth(items: list[ItemBase]) -> dict[str, Any]:
    return {f"{i.inputs.post_id}.json": {"claim": i.inputs.text, "label": TO_SOME[i.answer.label],
                                         "veracity": i.answer.label} for i in items}


def _dump(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(obj, option=orjson.OPT_INDENT_2))


def _user_file(row: dict[str, Any]) -> dict[str, Any]:
    return {"user": {"id": row["id"], "name": row["name"] or "", "followers_count": row["followers_count"] or 0,
                     "friends_count": row["friends_count"] or 0, "total_rcl_count": row["statuses_count"] or 0,
                     "verified_reason": "", "description": row["description"] or "", "location": row["location"] or "",
                     "gender": row["gender"] or "", "verified": bool(row["verified"])},
            "weibo": []}


def write_mid_zh_database(ws, out: Path, items: list[ItemBase]) -> dict[str, int]:
    """Write mid_zh_data/ and the profiles it refers to under `out`; returns counts. A user file
    another task already wrote (with a history) is left as it is."""
    con = connect(ws.corpus)
    con.execute("SET TimeZone = 'UTC'")
    visible = [(i.inputs.post_id, rid) for i in items for rid in i.inputs.cascade_ids]
    con.register("_vis", pa.table({"post_id": pa.array([p for p, _ in visible], pa.string()),
                                   "id": pa.array([r for _, r in visible], pa.string())}))
    con.register("_asked", pa.table({"post_id": pa.array([i.inputs.post_id for i in items], pa.string())}))
    fmt = "'%Y-%m-%d %H:%M:%S'"
    posts = {r[0]: {"id": r[0], "user_id": r[1], "text": r[2], "created_time": r[3], "region_name": r[4] or ""}
             for r in con.execute(f"""SELECT id, author_id, text, strftime(created_at, {fmt}), location FROM posts
                                      WHERE id IN (SELECT post_id FROM _asked)""").fetchall()}
    cascade: dict[str, list[dict[str, Any]]] = {p: [] for p in posts}
    for pid, rid, uid, parent, text, kind, when in con.execute(f"""
            SELECT i.post_id, i.id, i.user_id, i.parent_id, i.text, i.kind, strftime(i.created_at, {fmt})
            FROM interactions i SEMI JOIN _vis v ON v.id = i.id AND v.post_id = i.post_id
            ORDER BY i.post_id, i.created_at, i.id""").fetchall():
        cascade[pid].append({"id": rid, "user_id": uid, "parent_id": parent, "text": text, "kind": kind,
                             "created_time": when})
    users = {u for p in posts.values() for u in [p["user_id"]] if u} | {r["user_id"] for c in cascade.values() for r in c}
    con.register("_users", pa.table({"id": pa.array(sorted(users), pa.string())}))
    profiles = con.execute("""SELECT id, name, followers_count, friends_count, statuses_count, description, location,
                                     gender, verified FROM users WHERE id IN (SELECT id FROM _users) ORDER BY id""")
    names = [d[0] for d in profiles.description]
    written = 0
    for row in profiles.fetchall():
        path = out / "user_data" / row[0] / f"{row[0]}.json"
        if not path.exists():
            _dump(path, _user_file(dict(zip(names, row))))
            written += 1
    for item in items:
        pid = item.inputs.post_id
        _dump(out / FOLDER / f"{pid}.json", {"post": posts.get(pid), "cascade": cascade.get(pid, []),
                                             "cutoff": item.inputs.cutoff})
    con.close()
    return {"mid_zh_posts": len(items), "mid_zh_records": len(visible), "mid_zh_users": written}


def check_mid_zh_export(out: Path) -> list[Violation]:
    """Re-read an export: no label marks anywhere in the agent database, and no cascade record
    after its file's cut-off or outside the asked posts."""
    found: list[Violation] = []
    gt_path = out / "datasets" / "mid-zh" / "ground_truth.json"
    if not gt_path.exists():
        return found
    asked = {k.removesuffix(".json") for k in orjson.loads(gt_path.read_bytes())}
    db = out / "database" if (out / "database").is_dir() else out   # SoMe's tools open ./database/...
    for path in sorted((db / FOLDER).glob("*.json")):
        data = path.read_bytes()
        hit = next((m for m in _LABEL_MARKS if m in data), None)
        if hit:
            found.append(Violation("answer-leak", "mid-zh", path.stem, f"{path.relative_to(out)} contains {hit.decode()!r}"))
        doc = orjson.loads(data)
        if path.stem not in asked:
            found.append(Violation("answer-leak", "mid-zh", path.stem, f"{path.relative_to(out)} is not an asked post"))
        late = [r["id"] for r in doc.get("cascade", []) if r.get("created_time") is None or r["created_time"] > doc.get("cutoff", "")]
        if late:
            found.append(Violation("answer-leak", "mid-zh", path.stem,
                                   f"{path.relative_to(out)} shows {len(late)} record(s) after the cut-off, e.g. {late[0]}"))
    for path in sorted((db / "user_data").glob("*/*.json")):
        if any(m in path.read_bytes() for m in _LABEL_MARKS[:2]):
            found.append(Violation("answer-leak", "mid-zh", path.stem, f"{path.relative_to(out)} names a label"))
    return found
