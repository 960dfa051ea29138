"""The parts of SoMe's agent database that its tools read by exact path and key (docs/architecture.md, "Facts about the outside world").

SoMe's harness opens `./database/...` and indexes fixed keys, so a missing key is a crash, not a
blank: `user_search` reads 8 user keys and 12 weibo keys, `post_search` reads
`raw_data/<date>_<location>_sensitive.jsonl` (8 string keys per line; it slices every value, so
they must be strings), `topic_search` reads `topic_data/<topic>.json` under `media_info`, and the
retrieval/clustering tools load `emb_data/*.npy`. This module shapes our records into those files;
writer.py decides what goes in (and keeps answers out).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import orjson

from ...schemas.tasks import TASKS

#: Our task code -> SoMe's dataset folder name (spelling as SoMe's harness opens it).
SOME_NAMES: dict[str, str] = {code: spec.some_name for code, spec in TASKS.items() if spec.some_name}
#: SoMe's committed test_user_behavior_prediction.py opens this older name; its eval scripts open
#: the one above. Both are written (hard link) so either runs unchanged.
UBP_ALIAS = "user_interaction_prediction"
#: test_user_emotion_analysis.py opens post_data/all_posts2.json; the others all_posts.json.
POSTS_ALIAS = "all_posts2.json"

#: Typed empty values for fields our corpus may lack (listed in the export's README).
USER_EMPTY: dict[str, Any] = {"name": "", "followers_count": 0, "friends_count": 0, "total_rcl_count": 0,
                              "verified_reason": "", "description": "", "location": ""}
WEIBO_EMPTY: dict[str, Any] = {"text": "", "created_time": "", "source": "", "region_name": "", "reposts_count": 0,
                               "comments_count": 0, "attitudes_count": 0, "pic_num": 0, "pictures": [], "video": [],
                               "rca_list": []}
#: Fields we never have for CED/JSONL corpora: always the typed empty value.
ALWAYS_EMPTY = {"user": ("verified_reason",), "weibo": ("source", "rca_list"), "raw_data": ("title",),
                "topic_data": ("title", "desc")}


def dump(path: Path, obj: Any) -> None:
    # Plain writes: the whole export is staged in a sibling folder and renamed into place at the end.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))


def link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def some_user(uid: str, profile: dict[str, Any], total_rcl: int) -> dict[str, Any]:
    """The `user` object with all 8 keys user_search reads (extra keys of ours are kept)."""
    user = {"id": uid, **USER_EMPTY}
    for key in ("name", "followers_count", "friends_count", "description", "location"):
        if profile.get(key) is not None:
            user[key] = profile[key]
    user["total_rcl_count"] = int(total_rcl or 0)
    if profile.get("verified") is not None:
        user["verified"] = bool(profile["verified"])
    for key in ("gender", "statuses_count"):
        if profile.get(key) is not None:
            user[key] = profile[key]
    return user


def some_weibo(entry: dict[str, Any]) -> dict[str, Any]:
    """One history entry with all 12 keys user_search reads; our own keys (kind, retweeted_id,
    user_id ...) stay after them. `pic_num` counts the pictures we list."""
    out = {"id": entry["id"]}
    for key, empty in WEIBO_EMPTY.items():
        value = entry.get(key)
        out[key] = empty if value is None else value
    out["pic_num"] = len(out["pictures"]) if isinstance(out["pictures"], list) else 0
    out.update({k: v for k, v in entry.items() if k not in out})
    return out


def raw_post(row: dict[str, Any], ocr: str) -> dict[str, Any]:
    """One line of raw_data/<date>_<location>_sensitive.jsonl: every value a string."""
    return {"unique_id": str(row["id"]), "content": row["text"] or "", "platform_name": row.get("platform") or "weibo",
            "title": "", "post_publish_time": row["created"] or "", "ocr": ocr or "", "nickname": row.get("nickname") or "",
            "public_location": row["location"] or ""}


def topic_post(row: dict[str, Any], ocr: str = "") -> dict[str, Any]:
    """One `media_info` entry of topic_data/<topic>.json (the six keys topic_search reads, then
    the words found in the post's media, which it does not read but an agent's own code may)."""
    return {"title": "", "desc": "", "content": row["text"] or "", "nickname": row.get("nickname") or "",
            "platform": row.get("platform") or "weibo", "post_create_time": row["created"] or "", "ocr": ocr or ""}


def raw_data_name(window_start: str, location: str) -> str:
    """The file post_search opens for a window: the date part of the start time and the location."""
    return f"{window_start.split(' ')[0]}_{location}_sensitive.jsonl"


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))


def save_pickled_dict(path: Path, mapping: dict[str, Any]) -> None:
    """SoMe's tools read these with np.load(allow_pickle=True).item(): a 0-d object array."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.save(fh, np.array(mapping, dtype=object), allow_pickle=True)


def save_matrix(path: Path, vectors: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.save(fh, np.asarray(vectors, dtype=np.float32), allow_pickle=False)


class Embeddings:
    """Embeds texts once per export (the workspace cache also keeps them across runs)."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray] | None, model: str | None):
        self._embed = embed
        self.model = model
        self.texts = 0

    @property
    def enabled(self) -> bool:
        return self._embed is not None

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.texts += len(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.asarray(self._embed([t or " " for t in texts]), dtype=np.float32)


def readme(model: str | None, counts: dict[str, Any]) -> str:
    """The export's README: layout, where values are typed empties, and the embedding model."""
    emb = (f"`emb_data/*.npy` were embedded with **{model}** (L2-normalised, passage side). SoMe's "
           "retrieval tools embed queries with the model named in their config.py: set it to the same model, "
           "or re-embed these files with yours.") if model else \
        "`emb_data/` was not written (export run without embeddings); SoMe's retrieval and clustering tools need it."
    always = {k: list(v) for k, v in ALWAYS_EMPTY.items()}
    if not counts.get("ocr_filled") and counts.get("raw_data"):
        always["raw_data"].append("ocr")  # no enrichment text for these posts (yet)
    empty = "\n".join(f"- `{where}`: {', '.join(f'`{k}`' for k in keys)}" for where, keys in always.items())
    return f"""# SoMe-layout export (somekit)

Run SoMe's harness from this folder: it opens `datasets/<task>/ground_truth.json` and `./database/...`.

- ground truth: `datasets/<SoMe name>/ground_truth.json` for {', '.join(sorted(counts.get('tasks', {})))};
  `datasets/{UBP_ALIAS}/` is the same UBP file under the name SoMe's committed UBP test script opens.
- `database/user_data/<uid>/<uid>.json`: every asked user ({counts.get('users', 0)} users), answers removed.
- `database/post_data/all_posts.json` (and `{POSTS_ALIAS}`, the same file, which SoMe's UEA script opens).
- `database/raw_data/<date>_<location>_sensitive.jsonl`: {counts.get('raw_data', 0)} files, one per RED location-day (times in UTC).
- `database/topic_data/<topic>.json`: {counts.get('topic_data', 0)} topics (SES and topic-scoped SMQ).
- `database/knowledge_data/knowledge_base.json`: MID evidence reports.

## Embeddings

{emb}

## Values our corpus does not have

Every key SoMe's tools index is present. Where our corpus has no value, the key holds a typed
empty value: `""` for text, `0` for counts, `[]` for lists. Always empty for this corpus:

{empty}

Counts (`followers_count`, `reposts_count` ...) are `0` when the source did not report them.
`total_rcl_count` is the sum of reposts, comments and likes reported on the user's own posts.
`ocr` holds the words `somekit enrich` read in a post's media (OCR, speech transcripts;
{counts.get('ocr_filled', 0)} raw_data posts here), `""` when none were read or the task's media_text is off.
"""
