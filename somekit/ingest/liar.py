"""`liar-raw` and `rawfc`: fact-checked claims with their evidence reports.

LIAR-RAW ships one JSON list per split (train.json, val.json, test.json); RAWFC one JSON object
per claim in train/, val/, test/ folders. Both use the same item fields: `event_id, claim, label,
original_label, explain, reports[]`, each report `{report_id, link, content, domain, tokenized:
[{sent, is_evidence}]}`. Claims become Claim records (id `<dataset>:<event_id>`), reports become
Report records with id `<dataset>:<event_id>:<report_id>` (report ids are only unique within
their claim) and the evidence sentences kept. The split comes from the file or folder name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..store.quarantine import Rejected
from .base import Out, Parsed, is_junk, junk_rejection, load_json_file, register, walk_files

_SPLITS = {"train": "train", "val": "val", "valid": "val", "validation": "val", "dev": "val", "test": "test"}


def _split_of(path: Path, dataset: str) -> str | None:
    name = path.stem.lower() if dataset == "liar-raw" else path.parent.name.lower()
    return _SPLITS.get(name)


def _evidence(tokenized: Any) -> list[Any]:
    if not isinstance(tokenized, list):
        return []
    return [t.get("sent") for t in tokenized if isinstance(t, dict) and t.get("is_evidence") and t.get("sent")]


def _opt_id(value: Any) -> str | None:
    """Ids arrive as strings or numbers; anything else (or empty) counts as missing."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
        return None
    return str(value)


def _claim(item: Any, dataset: str, split: str | None, file: str, loc: str, src: str) -> Iterator[Out]:
    if not isinstance(item, dict):
        yield Rejected(file, loc, "invalid-record", "claim is not a JSON object", repr(item)[:200])
        return
    event = _opt_id(item.get("event_id"))
    if event is None:
        yield Rejected(file, loc, "missing-id", "claim without event_id", repr(item)[:200])
        return
    claim_id = f"{dataset}:{event}"
    yield Parsed("claims", {"id": claim_id, "claim": item.get("claim"), "label": item.get("label"),
                            "explain": item.get("explain") or "", "split": split, "dataset": dataset,
                            "source": src}, file, loc)
    reports = item.get("reports") or []
    if not isinstance(reports, list):
        yield Rejected(file, loc, "invalid-record", f"claim {claim_id}: reports is not a list", repr(reports)[:200])
        return
    for i, rep in enumerate(reports):
        rloc = f"{loc} report {i}"
        if not isinstance(rep, dict):
            yield Rejected(file, rloc, "invalid-record", "report is not a JSON object", repr(rep)[:200])
            continue
        rid = _opt_id(rep.get("report_id"))
        if rid is None:
            yield Rejected(file, rloc, "missing-id", f"report of {claim_id} without report_id", repr(rep)[:200])
            continue
        yield Parsed("reports", {"id": f"{claim_id}:{rid}", "claim_id": claim_id, "link": rep.get("link"),
                                 "domain": rep.get("domain"), "content": rep.get("content") or "",
                                 "evidence_sentences": _evidence(rep.get("tokenized")), "source": src}, file, rloc)


def _read(paths: list[Path], dataset: str) -> Iterator[Out]:
    for f in walk_files(paths, (".json",)):
        if is_junk(f):
            yield junk_rejection(f)
            continue
        doc = load_json_file(f)
        if isinstance(doc, Rejected):
            yield doc
            continue
        split, src = _split_of(f, dataset), f"{dataset}:{f.name}"
        if dataset == "liar-raw":
            if not isinstance(doc, list):
                yield Rejected(str(f), "file", "invalid-record", "LIAR-RAW split file must hold a JSON list", repr(doc)[:200])
                continue
            for i, item in enumerate(doc):
                yield from _claim(item, dataset, split, str(f), f"record {i}", src)
        else:
            yield from _claim(doc, dataset, split, str(f), "file", src)


@register("liar-raw", description="LIAR-RAW claims and reports (one JSON list per split)")
def read_liar_raw(paths: list[Path]) -> Iterator[Out]:
    return _read(paths, "liar-raw")


@register("rawfc", description="RAWFC claims and reports (one JSON file per claim in train/val/test)")
def read_rawfc(paths: list[Path]) -> Iterator[Out]:
    return _read(paths, "rawfc")
