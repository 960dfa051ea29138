"""`somekit publish WS --version V (--to DIR | --repo-id ORG/NAME)`.

The Hub layout is written to a staging folder: <task>/<split>-00000-of-00001.parquet per config and
split, and README.md whose YAML lists the configs, their data files and explicit features. `--to`
moves that folder into place; `--repo-id` uploads it. With hidden test answers, the answers go to
a separate folder that is never uploaded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from datasets import Dataset, DatasetInfo
from datasets.info import DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs

from ..freeze.splits import SPLITS
from ..schemas.tasks import TASKS
from ..store.item_rows import table_to_items
from ..freeze.verify import load_manifest, verify_frozen
from ..store.atomic import dir_mode, read_json, write_text
from ..store.items import dump_item
from ..workspace import Workspace
from ..errors import PublishError
from .card import card_metadata, llm_usage, render_card
from .features import encode_rows, task_features
from .media import MediaColumns, card_lines, media_features

CARD_MARKER = "somekit"  # tag every card we write carries; a --to folder without it is not ours


@dataclass
class PublishResult:
    version: str
    configs: dict[str, dict[str, int]]          # task -> split -> rows
    path: Path | None = None                    # local folder (--to)
    repo_url: str | None = None                 # Hub URL (--repo-id)
    answers: Path | None = None                 # hidden test answers folder
    warnings: list[str] = field(default_factory=list)


#: Layouts of `publish --layout`: ours (one config per task) or BluePrint's for nap (one per K).
LAYOUTS = ("somekit", "blueprint")


def _hidden(task: str, split: str) -> bool:
    """Splits whose answers --hide-test-answers removes: test, and for the nap challenge
    (train with answers, validation and test without) validation too."""
    return split == "test" or (task == "nap" and split == "validation")


def _stage(ws: Workspace, version: str, stage: Path, hide: bool, answers: Path | None,
           embed_media: bool = False, layout: str = "somekit") -> tuple[dict, str]:
    manifest = load_manifest(ws, version)
    problems = verify_frozen(ws, version)
    if problems:
        raise PublishError(f"frozen/{version} fails verification, refusing to publish:\n  " + "\n  ".join(problems))
    import datasets

    datasets.disable_progress_bars()  # tqdm bars per file would drown the command's own output
    configs: dict[str, dict[str, int]] = {}
    stats, usage, langs = {}, {}, set()
    data_files, infos = {}, {}
    extra_sections: list[str] = []  # layout notes appended to the generated card
    media = MediaColumns(ws, embed_media)  # images + media text per item (publish/media.py)
    for task in [t for t in TASKS if t in manifest.counts]:  # canonical task order, not the manifest's sorted keys
        counts = manifest.counts[task]
        splits = [s for s in SPLITS if counts.get(s) and f"{task}/{s}.parquet" in manifest.files]
        if not splits:
            continue
        if task == "nap" and layout == "blueprint":
            from .blueprint import card_section as blueprint_card_section, stage_configs

            if hide:
                raise PublishError("--layout blueprint has no item ids to score hidden answers against; publish the "
                                   "challenge release (--hide-test-answers) in the default layout")
            bp_configs, bp_files, bp_infos = stage_configs(ws.frozen(version) / task, splits, stage)
            bp_items = [i for s in splits for i in table_to_items(task, pq.read_table(ws.frozen(version) / task / f"{s}.parquet"))]
            usage[task] = llm_usage(bp_items)
            langs |= {i.lang for i in bp_items}
            extra_sections.append(blueprint_card_section(bp_configs))
            configs.update(bp_configs)
            data_files.update(bp_files)
            infos.update(bp_infos)
            stats_path = ws.frozen(version) / task / "stats.json"
            stats[task] = read_json(stats_path) if stats_path.exists() else {}
            continue
        features = media_features(task_features(task), embed_media)
        all_items = []
        split_dict = SplitDict()
        for split in splits:
            table = pq.read_table(ws.frozen(version) / task / f"{split}.parquet")
            items = table_to_items(task, table)
            all_items += items
            hidden = hide and _hidden(task, split)
            rows = media.fill(task, items, encode_rows(task, table.to_pylist(), hidden))
            ds = Dataset.from_list(rows, features=features)
            ds.to_parquet(str(stage / task / f"{split}-00000-of-00001.parquet"))
            split_dict.add(SplitInfo(name=split, num_examples=len(ds), num_bytes=0))
            if hidden and answers is not None:
                write_text(answers / f"{task}.{split}.jsonl", "".join(dump_item(i).decode() + "\n" for i in items))
        configs[task] = {s: counts[s] for s in splits}
        data_files[task] = {"data_files": [{"split": s, "path": f"{task}/{s}-*"} for s in splits]}
        infos[task] = DatasetInfo(features=features, config_name=task, splits=split_dict)
        langs |= {i.lang for i in all_items}
        usage[task] = llm_usage(all_items)
        stats_path = ws.frozen(version) / task / "stats.json"
        stats[task] = read_json(stats_path) if stats_path.exists() else {}
    if not configs:
        raise PublishError(f"frozen/{version} holds no items to publish")
    cfg = ws.config().publish
    meta = card_metadata(manifest, sorted(langs), cfg.license, cfg.pretty_name or f"{ws.config().workspace.name} ({version})")
    MetadataConfigs(data_files).to_dataset_card_data(meta)
    DatasetInfosDict(infos).to_dataset_card_data(meta)
    card = str(render_card(manifest, meta, stats, usage, hide, extra=card_lines(stats))) + "".join(extra_sections)
    write_text(stage / "README.md", card)
    return configs, card


def _check_target(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        readme = target / "README.md"
        if not (readme.exists() and CARD_MARKER in readme.read_text(encoding="utf-8", errors="replace")):
            raise PublishError(f"{target} exists and is not an earlier somekit publish; choose an empty folder")


def _default_answers(ws: Workspace, version: str) -> Path:
    return ws.root / "publish" / f"{version}-test-answers"


def publish(ws: Workspace, version: str, to: str | os.PathLike | None = None, repo_id: str | None = None,
            hide_test_answers: bool = False, answers_to: str | os.PathLike | None = None, private: bool = False,
            embed_media: bool = False, layout: str = "somekit") -> PublishResult:
    """Publish frozen/<version> to a local Hub-layout folder and/or a Hub dataset repo."""
    if layout not in LAYOUTS:
        raise PublishError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    if not to and not repo_id:
        raise PublishError("say where to publish: --to DIR and/or --repo-id ORG/NAME")
    token = None
    if repo_id:
        token = os.environ.get("HF_TOKEN")
        if not token:
            raise PublishError("uploading needs a Hugging Face token in HF_TOKEN (never on the command line)")
    target = Path(to) if to else None
    if target is not None:
        _check_target(target)
    answers = Path(answers_to) if answers_to else (_default_answers(ws, version) if hide_test_answers else None)
    parent = target.parent if target is not None else ws.root / "publish"
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".publish-", dir=parent))
    os.chmod(stage, dir_mode())   # mkdtemp makes 0700; the result keeps the umask's mode
    try:
        configs, _ = _stage(ws, version, stage, hide_test_answers, answers, embed_media, layout)
        result = PublishResult(version=version, configs=configs, answers=answers if hide_test_answers else None)
        if repo_id:
            from .hub import upload

            result.repo_url = upload(stage, repo_id, token, version, private)
        if target is not None:
            if target.exists():
                shutil.rmtree(target)
            stage.rename(target)
            result.path = target
        return result
    finally:
        if stage.exists():
            shutil.rmtree(stage)
