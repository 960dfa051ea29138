"""`somekit persona remove WS --user DID`: take one user's data out of the whole workspace.

What goes: every corpus row by or about the user (their profile, posts, actions, actions on
their posts or on them), every derived record that holds their DID, their anonymised id, one of
their texts (raw or scrubbed) or their name (items, frozen splits, published files, review
state, enrich results of their media, quarantine entries, run logs) and every cache row that
holds them (cache/llm.sqlite: completions quoting them, embeddings of their texts), followed by
VACUUM so no free page keeps a copy. Other users' replies to them are kept with the reference
cut. Every file is read and searched once (matcher.Matcher: one Aho-Corasick pass); the files
that changed are decoded and scanned again; any remaining trace is an error, never a silent
success. Frozen MANIFEST.json hashes are recomputed for the files that changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..store.atomic import atomic_path, read_json, write_bytes, write_json
from ..store.query import connect
from ..errors import PersonaError
from .anonymise import blueprint_user_id, get_salt, hash_id, scrub_text
from .linefile import drop_spans, find_line_spans
from .matcher import Matcher
from .scan import COMPRESSED, decoded, scan_tree
from .sqlite_purge import purge_sqlite

#: Texts shorter than this are not searched as substrings ("ok" would erase half the corpus);
#: the rows holding them go anyway because they are the user's rows.
MIN_TEXT_NEEDLE = 8


def collect_needles(ws: Any, did: str) -> dict[str, str]:
    """label -> string for everything that identifies the user or is their content."""
    con = connect(ws.corpus)
    q = lambda sql: [r[0] for r in con.execute(sql, [did]).fetchall() if r[0]]  # noqa: E731
    texts = q("SELECT text FROM posts WHERE author_id = ?") + q("SELECT text FROM interactions WHERE user_id = ?")
    names = q("SELECT name FROM users WHERE id = ?") + q("SELECT description FROM users WHERE id = ?")
    post_ids = q("SELECT id FROM posts WHERE author_id = ?")
    action_ids = q("SELECT id FROM interactions WHERE user_id = ?")
    media = q("SELECT m.sha256 FROM media m JOIN posts p ON m.post_id = p.id WHERE p.author_id = ?")
    con.close()
    needles: dict[str, str] = {"did": did}
    # The scrubbed forms as the build made them (with or without the name model).
    stats_path = Path(ws.root) / "items" / "nap" / "stats.json"
    with_names = None
    if stats_path.exists():
        with_names = bool(((read_json(stats_path).get("pii") or {}).get("names")))
    for i, t in enumerate(sorted(set(texts))):
        for j, form in enumerate(sorted({t, scrub_text(t, with_names)})):
            if len(form) >= MIN_TEXT_NEEDLE:
                needles[f"text{i}.{j}"] = form
    # Handles (alice.bsky.social) and bios identify the user; a bare display name ("Alex") does
    # not, and searching for it would erase other people's rows. The profile row goes anyway.
    for i, n in enumerate(sorted(set(names))):
        if ("." in n and " " not in n.strip()) or len(n) >= 2 * MIN_TEXT_NEEDLE:
            needles[f"name{i}"] = n
    for i, m in enumerate(sorted(set(media))):
        needles[f"media{i}"] = m
    try:
        salt = get_salt()
    except PersonaError:
        # Anonymised outputs name the user only by salted hash (a like item has no text): without
        # the salt they cannot be found, so a takedown that would miss them refuses to start.
        if any(part == "nap" for p in Path(ws.root).rglob("*") for part in p.relative_to(ws.root).parts):
            raise
        salt = None
    if salt is not None:
        needles["user-hash"] = hash_id(did, salt)
        needles["user-blueprint"] = blueprint_user_id(needles["user-hash"])  # publish --layout blueprint
        for i, pid in enumerate(post_ids):
            needles[f"post-hash{i}"] = hash_id(pid, salt, "p")
        for i, aid in enumerate(action_ids):
            needles[f"action-hash{i}"] = hash_id(aid, salt, "a")
    return needles


def _cut_references(table: pa.Table, name: str, did: str) -> pa.Table:
    """Other users' replies and quotes survive a takedown; their link to the user's post goes."""
    cols = {"posts": ("parent_id", "root_id"), "interactions": ("post_id", "parent_id")}.get(name, ())
    keep_rows = None
    if name == "interactions":
        keep_rows = pc.is_in(table["kind"], pa.array(["reply", "quote"]))
    for col in cols:
        if col not in table.column_names:
            continue
        hit = pc.fill_null(pc.match_substring(table[col], did), False)
        if keep_rows is not None:
            hit = pc.and_(hit, keep_rows)
        nulls = pa.nulls(len(table), table[col].type)
        table = table.set_column(table.column_names.index(col), col, pc.if_else(hit, nulls, table[col]))
    return table


def purge_parquet(path: Path, matcher: Matcher, did: str) -> int:
    """Drop rows holding a needle; returns rows removed plus references cut (0: file untouched).
    A needle in the raw bytes only (page statistics, an uncompressed dictionary) also gets the
    file rewritten, which recomputes them from the remaining rows."""
    data = path.read_bytes()
    original = pq.read_table(pa.BufferReader(data))
    table = _cut_references(original, path.stem, did) if path.parent.name == "corpus" else original
    cut = 0 if table is original else sum(
        (table[c].null_count - original[c].null_count) for c in table.column_names)
    mask = matcher.table_mask(table)
    removed = int(mask.sum())
    if removed or cut or matcher.any(data):
        # zstd as the corpus writer uses, at its fastest level: a takedown rewrites whole tables.
        with atomic_path(path, suffix=".parquet") as tmp:
            pq.write_table(table.filter(pa.array(~mask)), tmp, compression="zstd", compression_level=1)
        return max(1, removed + cut)
    return 0


LINE_FILES = (".jsonl", ".ndjson", ".csv", ".tsv", ".log")


def kept_slices(data: bytes, matcher: Matcher, spans: list[tuple[int, int]] | None = None) -> tuple[list[tuple[int, int]], int]:
    """Byte ranges of `data` to keep once the lines holding a needle go, and the number of lines
    dropped. The new content is the old one minus whole lines: every match inside a kept range
    was found by the search, so a trace could only form where two ranges now meet; that is
    checked here (PersonaError if it happens)."""
    spans = matcher.line_spans(data) if spans is None else spans
    keep, at, removed = [], 0, 0
    for start, end in spans:
        if start > at:
            keep.append((at, start))
        removed += data.count(b"\n", start, end) + (0 if data.endswith(b"\n", start, end) else 1)
        at = end
    if at < len(data):
        keep.append((at, len(data)))
    reach = matcher.maxlen
    for (a1, b1), (a2, b2) in zip(keep, keep[1:]):
        if matcher.any(data[max(a1, b1 - reach): b1] + data[a2: min(b2, a2 + reach)]):
            raise PersonaError("takedown incomplete: removing lines joined text into a match; file left unchanged")
    return keep, removed


def purge_lines(data: bytes, matcher: Matcher) -> tuple[bytes, int]:
    """Drop the lines holding a needle (one pass over the whole file)."""
    keep, removed = kept_slices(data, matcher)
    return b"".join(data[a:b] for a, b in keep), removed


def prune_json(obj: Any, matcher: Matcher) -> tuple[Any, int]:
    """Drop list elements and dict entries that hold a needle anywhere inside them. An element
    without any needle is kept whole, so only containers that hit are descended into."""
    import orjson

    def hits(values: list[Any]) -> list[bool]:
        return [matcher.any(v.encode() if isinstance(v, str) else orjson.dumps(v, default=str)) for v in values]

    if isinstance(obj, list):
        flags = hits(obj)
        return [v for v, h in zip(obj, flags) if not h], sum(flags)
    if not isinstance(obj, dict):
        return obj, 0
    # A map of records (every value an object, e.g. review state keyed by item id) loses whole
    # records; any other object loses only the entries that hold a needle.
    records = bool(obj) and all(isinstance(v, dict) for v in obj.values())
    key_flags, value_flags = hits(list(obj)), hits(list(obj.values()))
    out, removed = {}, 0
    for (k, v), kh, vh in zip(obj.items(), key_flags, value_flags):
        if kh or (vh and (records or not isinstance(v, (list, dict)))):
            removed += 1
        elif vh:
            out[k], r = prune_json(v, matcher)
            removed += r
        else:
            out[k] = v
    return out, removed


def purge_bytes(name: str, data: bytes, matcher: Matcher) -> tuple[bytes, int] | None:
    """New content of a non-Parquet, non-SQLite file; None when the format is not handled."""
    import orjson

    suffix = Path(name).suffix.lower()
    if suffix in COMPRESSED:
        inner = purge_bytes(name[: -len(suffix)], COMPRESSED[suffix](data), matcher)
        if inner is None:
            return None
        import bz2, gzip, lzma  # noqa: E401

        pack = {".gz": lambda b: gzip.compress(b, mtime=0), ".bz2": bz2.compress, ".xz": lzma.compress}[suffix]
        return pack(inner[0]), inner[1]
    if suffix in LINE_FILES:
        return purge_lines(data, matcher)
    if suffix == ".json":
        obj, removed = prune_json(orjson.loads(data), matcher)
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS) + b"\n", removed
    return None


def _refresh_manifests(root: Path) -> None:
    """Frozen versions are immutable except for takedowns: recompute the hashes they state."""
    for manifest in root.glob("frozen/*/MANIFEST.json"):
        data = read_json(manifest)
        for rel, entry in (data.get("files") or {}).items():
            f = manifest.parent / rel
            if f.is_file() and isinstance(entry, dict):
                blob = f.read_bytes()
                entry["sha256"], entry["bytes"] = hashlib.sha256(blob).hexdigest(), len(blob)
                if entry.get("rows") is not None and f.suffix == ".parquet":
                    entry["rows"] = pq.read_metadata(f).num_rows
                elif entry.get("rows") is not None and f.suffix == ".jsonl":
                    entry["rows"] = sum(1 for line in blob.splitlines() if line.strip())
        write_json(manifest, data)


def remove_user(ws: Any, did: str) -> dict[str, Any]:
    """Remove one user (by DID) from the workspace; returns per-file removal counts (paths only,
    no ids). Raises PersonaError if any trace remains afterwards."""
    if not did.startswith("did:"):
        raise PersonaError(f"--user must be a DID (did:plc:... or did:web:...), got {did[:40]!r}")
    needles = collect_needles(ws, did)
    matcher = Matcher(needles)
    root = Path(ws.root)
    changed: dict[str, int] = {}
    verified: set[str] = set()
    unhandled: list[str] = []
    # One pass: each file is read once and searched once (matcher.Matcher); only files that held
    # a needle are rewritten, and only those (plus the databases) need checking again below.
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if path.name.endswith((".sqlite-wal", ".sqlite-shm", ".sqlite-journal")):
            continue  # handled with their database
        if path.suffix in (".sqlite", ".db"):
            n = purge_sqlite(path, needles)
            changed[rel] = n  # always rescanned: free pages and the WAL are bytes too
            continue
        if path.suffix == ".parquet":  # vectorised; rewritten only when something changes
            removed = purge_parquet(path, matcher, did)
            if removed:
                changed[rel] = removed
                # Its rows are a subset of rows searched above (or cut references): only the
                # new file's own bytes (page statistics, dictionaries) can hold something new.
                if matcher.any(path.read_bytes()):
                    unhandled.append(rel)
                verified.add(rel)
            continue
        if path.suffix.lower() in LINE_FILES:  # the big case: streamed, never read whole (linefile.py)
            spans = find_line_spans(path, matcher)
            if spans:
                changed[rel] = drop_spans(path, spans, matcher)  # checked where lines were cut
                verified.add(rel)
            continue
        data = path.read_bytes()
        if not any(matcher.any(view) or view.startswith(b"<undecodable ") for view in decoded(path.name, data)):
            continue
        result = purge_bytes(path.name, data, matcher)
        if result is None:
            unhandled.append(rel)
            continue
        write_bytes(path, result[0])
        changed[rel] = result[1]
    _refresh_manifests(root)
    changed.update({m.relative_to(root).as_posix(): changed.get(m.relative_to(root).as_posix(), 0)
                    for m in root.glob("frozen/*/MANIFEST.json")})
    # The proof: decode and scan again every file that was rewritten (databases' free pages
    # included, as raw bytes; line files were checked where lines were cut); the others were
    # scanned whole above and held nothing.
    left = scan_tree(root, matcher, only=set(changed) - verified)
    if left or unhandled:
        where = sorted(set(left) | set(unhandled))
        raise PersonaError(f"takedown incomplete: traces of the user remain in {len(where)} file(s): {', '.join(where[:20])}")
    changed = {k: v for k, v in changed.items() if v}
    return {"files_changed": len(changed), "rows_removed": sum(changed.values()), "files": changed,
            "needles": len(needles)}
