"""The dataset card (README.md): YAML metadata for the Hub and a body generated from the manifest,
the builders' stats and the items' provenance. Nothing here is written by hand per release."""

from __future__ import annotations

import collections
from typing import Any

from huggingface_hub import DatasetCard, DatasetCardData

from ..schemas.items import ItemBase
from ..review import card as review_card
from ..schemas.manifest import Manifest
from ..schemas.tasks import TASKS



def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def llm_usage(items: list[ItemBase]) -> dict[str, collections.Counter]:
    """Builders, models (with backend) and prompt ids behind a task's items, with item counts."""
    usage = {"builders": collections.Counter(), "models": collections.Counter(), "prompts": collections.Counter()}
    for item in items:
        usage["builders"][item.provenance.builder] += 1
        for step in item.provenance.llm:
            usage["models"][f"{step.model} ({step.backend})"] += 1
            if step.prompt_id:
                usage["prompts"][step.prompt_id] += 1
    return usage


def _find(stats: Any, words: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    """Scalar stats whose key mentions one of `words` (builders name them differently)."""
    found: dict[str, Any] = {}
    if isinstance(stats, dict):
        for key, value in stats.items():
            path = f"{prefix}{key}"
            if isinstance(value, (int, float)) and any(w in str(key).lower() for w in words):
                found[path] = value
            elif isinstance(value, dict):
                found.update(_find(value, words, path + "."))
    return found


def card_metadata(manifest: Manifest, languages: list[str], license: str, pretty_name: str) -> DatasetCardData:
    tasks = [t for t in manifest.counts if sum(manifest.counts[t].values())]
    total = sum(sum(manifest.counts[t].values()) for t in tasks)
    return DatasetCardData(
        license=license, pretty_name=pretty_name, language=languages or ["zh"],
        task_categories=sorted({TASKS[t].hf_category for t in tasks}), size_categories=[_size_category(total)],
        tags=["social-media", "benchmark", "llm-agents", "somekit"],
    )


def _task_section(task: str, manifest: Manifest, stats: dict[str, Any], usage: dict[str, collections.Counter], hidden: bool) -> list[str]:
    counts = manifest.counts[task]
    spec = TASKS[task]
    lines = [f"### `{task}`", "", f"{spec.title[0].upper()}{spec.title[1:]}: {spec.asks}", "",
             "| split | items |", "| --- | --- |", *[f"| {s} | {n:,} |" for s, n in counts.items()], ""]
    if spec.time_split:
        lines += ["Split by time, not by hashing: whole threads per split, every train thread ending before any "
                  "validation thread, validation before test." + (" Validation and test answers are withheld." if hidden else ""), ""]
        from ..persona.pii_card import card_lines as pii_lines

        lines += pii_lines(stats)
    labels = manifest.labels.get(task) or {}
    total = sum(labels.values())
    if labels:
        lines += ["Label balance (frozen items): " + ", ".join(f"{k} {v:,} ({100 * v / total:.1f}%)" for k, v in labels.items()), ""]
    review = manifest.review.get(task) or {}
    seen = sum(review.values())
    if seen:
        decided = {k: review.get(k, 0) for k in ("accepted", "corrected", "rejected")}
        lines += [f"Human review of {seen:,} built items: " + ", ".join(f"{k} {v:,} ({100 * v / seen:.1f}%)" for k, v in decided.items())
                  + f"; not yet reviewed {review.get('draft', 0) + review.get('pending', 0):,}.", ""]
    excluded = manifest.excluded.get(task) or {}
    if excluded:
        lines += ["Left out of this version: " + ", ".join(f"{k} {v:,}" for k, v in excluded.items()) + ".", ""]
    agreement = _find(stats, ("kappa", "agreement")) if not spec.panel_labelled else {}   # panels: their own section below
    if agreement:
        lines += ["Machine agreement: " + ", ".join(f"{k} = {v:.3f}" if isinstance(v, float) else f"{k} = {v}" for k, v in agreement.items()), ""]
    if spec.panel_labelled:
        from ..annotate.label_quality import card_section
        lines += card_section(stats)
    for kind, title in (("builders", "Builders"), ("models", "LLM models"), ("prompts", "Prompt versions")):
        if usage[kind]:
            lines += [f"{title}: " + ", ".join(f"`{k}` ({v:,} items)" for k, v in sorted(usage[kind].items())), ""]
    from .integrity_card import card_section

    lines += card_section(task, manifest.shortcuts.get(task))
    lines += review_card.task_lines(manifest, task)
    lines += [f"Split group key: `{manifest.group_keys.get(task, '?')}` (all items of one group are in one split).", ""]
    if hidden and "test" in counts:
        lines += ["The test split is published without answers (answer, label, provenance and review are empty; label = -1).", ""]
    return lines


def render_card(manifest: Manifest, meta: DatasetCardData, stats: dict[str, dict[str, Any]],
                usage: dict[str, dict[str, collections.Counter]], hidden: bool, extra: list[str] | None = None) -> DatasetCard:
    tasks = list(usage)  # the published configs, in canonical task order
    title = meta.pretty_name or "somekit benchmark"
    body = [f"# {title}", "", *review_card.lead(manifest, tasks),
            "Benchmark items for LLM-based social-media agents, built with somekit: templated queries with "
            "sampled negatives, LLM votes and drafts, and human review in Label Studio. One configuration per task:", "",
            "```python", "from datasets import load_dataset",
            f'ds = load_dataset("<this repo or folder>", "{tasks[0]}")', "```", ""]
    body += ["## Tasks", "", "| config | task | items |", "| --- | --- | --- |",
             *[f"| `{t}` | {TASKS[t].title[0].upper()}{TASKS[t].title[1:]}: {TASKS[t].asks} | {sum(manifest.counts[t].values()):,} |" for t in tasks], "",
             "## Construction", "",
             f"- Frozen version `{manifest.version}` by somekit {manifest.somekit_version}.",
             f"- Config hash `{manifest.config_hash}` (secrets excluded); corpus hash `{manifest.corpus_hash}`.",
             f"- Splits {', '.join(f'{k} {v:g}' for k, v in manifest.splits.items())}, assigned by hashing each item's group key "
             f"with seed {manifest.split_seed}.",
             "- Only human-accepted or corrected items are frozen" + (" (plus unreviewed drafts in this version)." if manifest.include_unreviewed else "."),
             "- Every item keeps its provenance (source record ids, sampling rule, seed, builder version, every LLM vote "
             "with its raw output) as JSON in the `provenance` column.", "",
             "## Per task", ""]
    for task in tasks:
        body += _task_section(task, manifest, stats.get(task, {}), usage[task], hidden)
    body += list(extra or [])  # e.g. the media-text section (publish/media.py)
    body += ["## Scoring", "",
             "`somekit eval TASK --gold FILE --pred FILE` extracts labels from free-text answers (accuracy and task "
             "completion rate), judges free-text tasks with an LLM (0-5 per criterion, score = mean x 20) and scores "
             "next actions with macro/micro F1.", "",
             "## Licence", "", f"{meta.license}. The task design follows the SoMe benchmark (MIT) and BluePrint.", ""]
    content = f"---\n{meta.to_yaml()}\n---\n\n" + "\n".join(body)
    return DatasetCard(content)
