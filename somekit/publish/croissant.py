"""croissant.json: the published folder described in MLCommons Croissant 1.0 with its Responsible-AI
(RAI) vocabulary, written beside the card.

- distribution: one FileObject per published Parquet file and per figure, each with its sha256, and
  one FileSet per config that gathers the config's split files;
- recordSet: one per config, one typed field per column with its description (struct columns as
  nested subFields), plus the split read from the file name;
- RAI fields from the datasheet (publish/datasheet.py): recorded ones as measured, the publisher's
  declared answers prefixed "Declared by the publisher:".

Plain JSON-LD, written without a library; `mlcroissant` (the `test` extra) validates it in tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..freeze.hashing import sha256_file
from ..schemas.tasks import TASKS
from .datasheet import Answer, Datasheet

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
RAI_CONFORMS_TO = "http://mlcommons.org/croissant/RAI/1.0"

CONTEXT: dict[str, Any] = {
    "@language": "en", "@vocab": "https://schema.org/", "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "equivalentProperty": "cr:equivalentProperty",
    "samplingRate": "cr:samplingRate", "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated",
    "replace": "cr:replace", "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
    "transform": "cr:transform",
}

#: What each top-level column holds (the same for every config).
COLUMN_DESCRIPTIONS = {
    "id": "Stable item id: a hash of the task and its inputs.",
    "query": "The rendered query shown to the agent.",
    "template_id": "Query template id and version, e.g. 'ubp.like.zh@1'.",
    "lang": "Language of the query.",
    "inputs": "Typed inputs of the item (ids of the users, posts and comments it asks about).",
    "answer": "The reference answer.",
    "label": "Class label index of the answer (-1 when hidden).",
    "provenance": "How the item was made, as JSON: source record ids, sampling rule, seed, builder version, every LLM vote.",
    "review": "Human review state as JSON: draft, pending, accepted, corrected or rejected; who; when.",
    "images": "Pictures of the posts the item shows (file paths or URLs).",
    "media_text": "OCR, captions and speech transcripts of those posts, on tagged lines.",
}

#: RAI property -> (datasheet section, question) it is filled from.
RAI_FIELDS = {
    "rai:dataCollection": ("Collection process", "How was the data collected?"),
    "rai:dataAnnotationProtocol": ("Preprocessing and labelling", "How were the answers made?"),
    "rai:dataAnnotationAnalysis": ("Preprocessing and labelling", "Were the labels checked by people, and how good are they?"),
    "rai:annotatorDemographics": ("Preprocessing and labelling", "Who were the reviewers?"),
    "rai:personalSensitiveInformation": ("Composition", "Does it contain personal or sensitive information?"),
    "rai:dataBiases": ("Uses", "What known biases or shortcuts were measured?"),
    "rai:dataLimitations": ("Uses", "Other limitations declared by the publisher"),
    "rai:dataUseCases": ("Uses", "What are the intended uses?"),
    "rai:dataSocialImpact": ("Uses", "What uses are ruled out?"),
    "rai:dataReleaseMaintenancePlan": ("Maintenance", "Who maintains it?"),
}


def describe(config: str) -> str:
    """A config's question: its task's, or for BluePrint's per-K configs the nap one."""
    from .facts import question

    if config in TASKS:
        return question(config)
    timed = [t for t, spec in TASKS.items() if spec.time_split]   # BluePrint's per-K configs hold next actions
    return f"{question(timed[0])} (users clustered into the personas of config {config})" if timed else config


def _data_type(t: pa.DataType) -> str:
    if pa.types.is_boolean(t):
        return "sc:Boolean"
    if pa.types.is_integer(t):
        return "sc:Integer"
    if pa.types.is_floating(t):
        return "sc:Float"
    return "sc:Text"


def _scalar_or_list(t: pa.DataType) -> bool:
    """What mlcroissant 1.1 reads out of a Parquet struct with jsonPath: scalars and lists of them."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        t = t.value_type
    return not (pa.types.is_struct(t) or pa.types.is_list(t) or pa.types.is_large_list(t))


def _leaf(fid: str, name: str, t: pa.DataType, source: dict[str, Any], description: str) -> dict:
    repeated = pa.types.is_list(t) or pa.types.is_large_list(t)
    out = {"@type": "cr:Field", "@id": fid, "name": name, "description": description,
           "dataType": _data_type(t.value_type if repeated else t), "source": source}
    if repeated:
        out["repeated"] = True
    return out


def _column(record: str, col: pa.Field, file_set: dict[str, Any], description: str) -> tuple[dict | None, list[str]]:
    """One Croissant field for a Parquet column (a struct as subFields), and the members left out:
    mlcroissant cannot read a list of records nested in a struct (red's answer.events), so those
    are named in the record set's description instead of being declared unreadable fields."""
    source = {**file_set, "extract": {"column": col.name}}
    if _scalar_or_list(col.type):
        return _leaf(f"{record}/{col.name}", col.name, col.type, source, description), []
    if not pa.types.is_struct(col.type):
        return None, [f"{col.name} ({col.type})"]
    subs, left_out = [], []
    for member in col.type:
        if _scalar_or_list(member.type):
            subs.append(_leaf(f"{record}/{col.name}/{member.name}", member.name, member.type,
                              {**source, "transform": {"jsonPath": member.name}}, f"`{member.name}` of `{col.name}`."))
        else:
            left_out.append(f"{col.name}.{member.name} ({member.type})")
    if not subs:
        return None, left_out
    return {"@type": "cr:Field", "@id": f"{record}/{col.name}", "name": col.name, "description": description,
            "subField": subs}, left_out


def _record_set(task: str, files: list[Path], label_names: list[str] | None) -> dict:
    schema = pq.read_schema(files[0])
    file_set = {"fileSet": {"@id": f"{task}-parquet"}}
    fields, left_out = [], []
    for col in schema:
        desc = COLUMN_DESCRIPTIONS.get(col.name, col.name)
        if col.name == "label" and label_names:
            desc += " Classes: " + ", ".join(f"{i} = {n}" for i, n in enumerate(label_names)) + "."
        field, skipped = _column(task, col, file_set, desc)
        fields += [field] if field else []
        left_out += skipped
    fields.append({"@type": "cr:Field", "@id": f"{task}/split", "name": "split", "dataType": "sc:Text",
                   "description": "Split of the item (train, validation or test), from its file name.",
                   "source": {**file_set, "extract": {"fileProperty": "filename"},
                              "transform": {"regex": "^(.*)-\\d{5}-of-\\d{5}\\.parquet$"}}})
    description = describe(task)
    if left_out:
        description += (" Nested records not declared as fields (read them from the Parquet files): "
                        + ", ".join(left_out) + ".")
    return {"@type": "cr:RecordSet", "@id": task, "name": task, "description": description, "field": fields}


def _rai_text(a: Answer) -> str:
    return f"Declared by the publisher: {a.text}" if a.declared else a.text


def croissant(folder: Path, configs: dict[str, dict[str, int]], *, name: str, version: str, license: str,
              languages: list[str], sheet: Datasheet, label_names: dict[str, list[str] | None],
              figures: list[str] = ()) -> dict[str, Any]:
    """The Croissant JSON-LD of a staged publish folder (paths relative to it)."""
    distribution, record_sets = [], []
    for task in configs:
        files = sorted((folder / task).glob("*.parquet"))
        if not files:
            continue
        for path in files:
            rel = path.relative_to(folder).as_posix()
            distribution.append({"@type": "cr:FileObject", "@id": rel, "name": rel, "contentUrl": rel,
                                 "encodingFormat": "application/x-parquet", "sha256": sha256_file(path),
                                 "contentSize": f"{path.stat().st_size} B"})
        distribution.append({"@type": "cr:FileSet", "@id": f"{task}-parquet", "name": f"{task}-parquet",
                             "description": f"The {task} config's split files.",
                             "encodingFormat": "application/x-parquet", "includes": f"{task}/*.parquet"})
        record_sets.append(_record_set(task, files, label_names.get(task)))
    for rel in figures:
        path = folder / rel
        distribution.append({"@type": "cr:FileObject", "@id": rel, "name": rel, "contentUrl": rel,
                             "encodingFormat": "image/png", "sha256": sha256_file(path),
                             "description": "Figure of the dataset card."})
    doc: dict[str, Any] = {
        "@context": CONTEXT, "@type": "sc:Dataset", "conformsTo": [CONFORMS_TO, RAI_CONFORMS_TO],
        "name": name, "description": "Benchmark items for LLM-based social-media agents, built with somekit; one "
        "record set per task: " + "; ".join(f"{t}: {describe(t)}" for t in configs),
        "license": license, "url": "https://huggingface.co/datasets", "version": _semver(version),
        "inLanguage": languages, "keywords": ["social-media", "benchmark", "llm-agents", "somekit"],
        "distribution": distribution, "recordSet": record_sets,
    }
    answers = {(s, q): a for s, qs in sheet.sections.items() for q, a in qs.items()}
    for prop, key in RAI_FIELDS.items():
        if key in answers:
            doc[prop] = _rai_text(answers[key])
    cite = answers.get(("Maintenance", "How to cite"))
    if cite and cite.declared:
        doc["citeAs"] = cite.text
    return doc


def _semver(version: str) -> str:
    """Croissant wants MAJOR.MINOR.PATCH; a version named 'v1' or 'demo' is kept in the name instead."""
    import re

    m = re.fullmatch(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    return ".".join(g or "0" for g in m.groups()) if m else "0.0.0"
