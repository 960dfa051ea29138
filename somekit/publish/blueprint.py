"""BluePrint's Hugging Face layout for nap items (`somekit publish --layout blueprint`).

BluePrint (ComplexDataLab/BluePrint on the Hub) publishes one config per cluster count
(`2_clusters`, `25_clusters`, ...) with a single split `full`; a row is `{thread: [message],
cluster_id}` and a message is `{relative_integer_time, text, user_id, actions}` where `user_id` is
a 64-hex SHA-256 and `actions` holds one bool per action kind. The last message of a thread is the
acting user's message (its `actions` are the target); earlier messages are the context, with
`actions` null.

Our items carry 34-char salted ids (`u_` + 32 hex). The 64-hex form is SHA-256 over that id with
a fixed namespace: it needs no salt at publish time, cannot be reversed any more than the salted
id can, and a takedown derives it from the salted id to find it (`blueprint_user_id`, in
persona/anonymise.py with the other anonymised ids).
"""

from __future__ import annotations

from typing import Any

from ..persona.anonymise import blueprint_user_id
from ..schemas.items import NAP_ACTIONS

SPLIT_FULL = "full"


def config_name(k: int) -> str:
    return f"{k}_clusters"


def features() -> Any:
    """BluePrint's features, explicitly typed so `load_dataset` gives the same schema."""
    from datasets import Features, List, Value

    message = {"relative_integer_time": Value("int64"), "text": Value("string"), "user_id": Value("string"),
               "actions": {a: Value("bool") for a in NAP_ACTIONS}}
    return Features({"thread": List(message), "cluster_id": Value("int64")})


def action_flags(actions: list[str] | None) -> dict[str, bool] | None:
    """13 bools from an action set; None (hidden answer) stays None."""
    if actions is None:
        return None
    chosen = set(actions)
    return {a: a in chosen for a in NAP_ACTIONS}


def _context_message(entry: dict[str, Any]) -> dict[str, Any] | None:
    """A context entry as a message; entries with no author (a post outside the capture, a bare
    time marker) carry nothing BluePrint's messages can hold and are left out."""
    kind = entry.get("kind")
    if kind == "post" and entry.get("author"):
        return {"relative_integer_time": entry.get("rank"), "text": entry.get("text"),
                "user_id": blueprint_user_id(entry["author"]), "actions": None}
    if kind == "user" and entry.get("user"):
        return {"relative_integer_time": entry.get("rank"), "text": None,
                "user_id": blueprint_user_id(entry["user"]), "actions": None}
    return None


def item_row(item: dict[str, Any], cluster_id: int, hide_answer: bool = False) -> dict[str, Any]:
    """One nap item (a dict as in items.jsonl / a frozen row) -> one BluePrint row."""
    inputs, answer = item["inputs"], item.get("answer") or {}
    notes = ((item.get("provenance") or {}).get("notes") or {})
    thread = [m for m in (_context_message(e) for e in inputs.get("context") or []) if m is not None]
    last = {"relative_integer_time": notes.get("rank"), "user_id": blueprint_user_id(inputs["user"]),
            "text": None if hide_answer else answer.get("text"),
            "actions": None if hide_answer else action_flags(answer.get("actions") or [])}
    return {"thread": thread + [last], "cluster_id": int(cluster_id)}


def cluster_counts(items: list[dict[str, Any]]) -> list[int]:
    """The cluster counts every item has an assignment for (notes["clusters"], keyed by K)."""
    ks: set[int] | None = None
    for item in items:
        clusters = ((item.get("provenance") or {}).get("notes") or {}).get("clusters") or {}
        mine = {int(k) for k in clusters}
        ks = mine if ks is None else ks & mine
    return sorted(ks or ())


def cluster_of(item: dict[str, Any], k: int) -> int:
    return int(item["provenance"]["notes"]["clusters"][str(k)])


def stage_configs(frozen_task_dir: Any, splits: list[str], stage: Any) -> tuple[dict[str, dict[str, int]], dict, dict]:
    """Write one config per cluster count under `stage` from a frozen nap version: all frozen
    splits together, in time order, as BluePrint's single split `full`. Returns (config -> split
    -> rows, data_files for the card's YAML, DatasetInfo per config)."""
    import pyarrow.parquet as pq
    from datasets import Dataset, DatasetInfo
    from datasets.splits import SplitDict, SplitInfo

    from ..store.item_rows import table_to_items

    items = []
    for split in splits:
        items += [i.model_dump(mode="json") for i in table_to_items("nap", pq.read_table(frozen_task_dir / f"{split}.parquet"))]
    items.sort(key=lambda i: ((i["provenance"].get("notes") or {}).get("rank") or 0, i["id"]))
    ks = cluster_counts(items)
    if not ks:
        from ..errors import PublishError

        raise PublishError("the frozen nap items carry no per-K clusters (provenance.notes.clusters): rebuild nap "
                           "with this somekit version, then freeze again")
    feats = features()
    configs, data_files, infos = {}, {}, {}
    for k in ks:
        name = config_name(k)
        # Users with too few posts to cluster (-1) have no persona: BluePrint leaves them out.
        rows = [item_row(i, cluster_of(i, k)) for i in items if cluster_of(i, k) >= 0]
        ds = Dataset.from_list(rows, features=feats)
        (stage / name).mkdir(parents=True, exist_ok=True)
        ds.to_parquet(str(stage / name / f"{SPLIT_FULL}-00000-of-00001.parquet"))
        split_dict = SplitDict()
        split_dict.add(SplitInfo(name=SPLIT_FULL, num_examples=len(ds), num_bytes=0))
        configs[name] = {SPLIT_FULL: len(ds)}
        data_files[name] = {"data_files": [{"split": SPLIT_FULL, "path": f"{name}/{SPLIT_FULL}-*"}]}
        infos[name] = DatasetInfo(features=feats, config_name=name, splits=split_dict)
    return configs, data_files, infos


def card_section(configs: dict[str, dict[str, int]]) -> str:
    """The card's note on this layout: how to load it and what the fields mean."""
    names = sorted(configs, key=lambda n: int(n.split("_")[0]))
    rows = "\n".join(f"| `{n}` | {configs[n][SPLIT_FULL]:,} |" for n in names)
    return (
        "\n## BluePrint layout (nap)\n\n"
        "The nap items are published in BluePrint's layout (ComplexDataLab/BluePrint): one configuration per "
        "cluster count, split `full`.\n\n"
        f"```python\nfrom datasets import load_dataset\nds = load_dataset(\"<this repo or folder>\", \"{names[-1]}\")\n```\n\n"
        f"| config | rows |\n| --- | --- |\n{rows}\n\n"
        "A row is `{thread: [message], cluster_id}`; a message is `{relative_integer_time, text, user_id, actions}`. "
        "`relative_integer_time` is a global time rank (no timestamps), `user_id` a 64-hex SHA-256 of the salted "
        "user id, and `actions` one bool per action kind on the last message (the acting user's, the target) and "
        "null on the context messages before it. Users with too few posts to cluster are left out.\n")
