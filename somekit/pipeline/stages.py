"""The stages of `somekit run`, built from somekit.toml, each a thin call into the library."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import orjson

from ..enrich.textview import current_version, stale_items
from ..errors import SomekitError
from ..schemas.tasks import TASKS
from ..store.atomic import write_bytes
from ..store.query import connect
from .runner import RunContext, Stage

STAGE_NAMES = ("ingest", "enrich", "build", "verify", "review", "freeze", "publish", "eval")
#: Classification tasks the built-in baseline can answer (a constant "yes"/majority answer).


class PipelineError(SomekitError):
    """A stage of `somekit run` cannot proceed."""


def _source_listing(ctx: RunContext) -> list[Any]:
    """What the ingest stage reads: each source's files with sizes and mtimes."""
    listing = []
    for src in ctx.cfg.sources:
        for p in src.paths:
            root = (ctx.ws.root / p)
            files = [root] if root.is_file() else sorted(q for q in root.rglob("*") if q.is_file()) if root.exists() else []
            listing.append([src.format, p, [(str(f.relative_to(root)) if f != root else f.name,
                                             f.stat().st_size, int(f.stat().st_mtime)) for f in files]])
    return listing


def _ingest(ctx: RunContext) -> dict[str, Any]:
    from ..ingest import ingest

    if not ctx.cfg.sources:
        raise PipelineError("somekit.toml has no [[sources]]: add one (format and paths) or use `somekit ingest`")
    out: dict[str, Any] = {}
    for src in ctx.cfg.sources:
        paths = [ctx.ws.root / p for p in src.paths]
        report = ingest(ctx.ws, src.format, paths)
        out[f"{src.format}:{','.join(src.paths)}"] = {"added": report.added, "quarantined": report.quarantined}
    return out


def _corpus_files(ctx: RunContext) -> list[Path]:
    return sorted(ctx.ws.corpus.glob("*.parquet")) + sorted(ctx.ws.quarantine.glob("*.jsonl"))


def _enrich(ctx: RunContext) -> dict[str, Any]:
    from ..enrich.engine import enrich

    report = enrich(ctx.ws)
    report.check(ctx.cfg.enrich.max_failure_share)  # `somekit run` stops here on broken media
    return report.to_dict()


def _enrich_outputs(ctx: RunContext) -> list[Path]:
    return sorted(ctx.ws.enrich.glob("*.parquet"))


def enabled_tasks(ctx: RunContext) -> list[str]:
    """Tasks listed in [tasks.*] with enabled = true; when none are listed, every task the corpus
    can feed (claims for mid, both rumour labels for mid-zh, Bluesky posts for nap, Weibo-like
    posts for the others)."""
    if ctx.options.get("tasks"):
        return list(ctx.options["tasks"])
    if ctx.cfg.tasks:
        return [t for t in TASKS if t in ctx.cfg.tasks and ctx.cfg.tasks[t].enabled]
    con = connect(ctx.ws.corpus)
    has_claims = con.execute("SELECT count(*) FROM claims").fetchone()[0] > 0
    platforms = {p for (p,) in con.execute("SELECT DISTINCT platform FROM posts").fetchall()}
    # mid-zh needs both rumour labels (CED's rumor-repost/ and non-rumor-repost/)
    both_labels = "veracity" in {r[0] for r in con.execute("DESCRIBE posts").fetchall()} and \
        con.execute("SELECT count(DISTINCT veracity) FROM posts").fetchone()[0] == 2
    con.close()
    held = {"social": bool(platforms - {"bluesky", "factcheck"}), "claims": has_claims,
            "rumour-labels": both_labels, "bluesky": "bluesky" in platforms}
    return [code for code, spec in TASKS.items() if held[spec.needs]]


def _build_stage(task: str) -> Stage:
    def run(ctx: RunContext) -> dict[str, Any]:
        from .build import build_task

        stale = stale_items(ctx.ws, ctx.cfg, task)  # items built on another enrichment, rebuilt now
        result = build_task(ctx.ws, ctx.cfg, task, n=ctx.options.get("n") or None)
        return {"items": result.items, "warnings": result.warnings, "stale_rebuilt": stale}

    def outputs(ctx: RunContext) -> list[Path]:
        return [ctx.ws.items(task) / "items.jsonl", ctx.ws.items(task) / "stats.json"]

    def config(ctx: RunContext) -> Any:
        t = ctx.cfg.tasks.get(task)
        return {"task": t.model_dump() if t else None, "seed": ctx.cfg.seed, "llm": ctx.cfg.llm.model_dump(),
                "embeddings": ctx.cfg.embeddings.model_dump(), "n": ctx.options.get("n"),
                "enrichment": current_version(ctx.ws, ctx.cfg, task)}

    return Stage(f"build {task}", run, outputs, config)


def _verify(ctx: RunContext) -> dict[str, Any]:
    from ..verify.runner import run_checks

    report = run_checks(ctx.ws)
    write_bytes(ctx.ws.runs / "verify.json", orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    if not report["ok"] and not ctx.options.get("allow_violations"):
        first = report["violations"][0]
        raise PipelineError(f"verify found {len(report['violations'])} violation(s), e.g. {first['check']} on "
                            f"{first['task']} item {first['item']}: {first['detail']} (see {ctx.ws.runs / 'verify.json'})")
    return {"ok": report["ok"], "violations": report.get("violation_counts", {})}


def _review_configured(ctx: RunContext) -> bool:
    return bool(ctx.cfg.review.url or os.environ.get("SOMEKIT_LS_URL"))


def _review_tasks(ctx: RunContext) -> list[str]:
    return [t for t in enabled_tasks(ctx) if (ctx.ws.items(t) / "items.jsonl").exists()]


def _review_push(ctx: RunContext) -> dict[str, Any]:
    if not _review_configured(ctx):
        return {"skipped": "no Label Studio configured ([review] url or SOMEKIT_LS_URL); items stay unreviewed"}
    from ..review.run import push_all

    return {"pushed": push_all(ctx.ws, _review_tasks(ctx))}


def _review_pull(ctx: RunContext) -> dict[str, Any]:
    if not _review_configured(ctx):
        return {"skipped": "no Label Studio configured"}
    from ..review.run import pull_all

    return pull_all(ctx.ws, _review_tasks(ctx), wait=not ctx.options.get("include_unreviewed", False))


def _review_files(names: tuple[str, ...]):
    def outputs(ctx: RunContext) -> list[Path]:
        return [ctx.ws.review(t) / n for t in _review_tasks(ctx) for n in names]
    return outputs


def _review_config(ctx: RunContext) -> Any:
    return {"url": _review_configured(ctx), "review": ctx.cfg.review.model_dump(exclude={"url"})}


def _version(ctx: RunContext) -> str:
    return ctx.options.get("version") or "v1"


def _freeze(ctx: RunContext) -> dict[str, Any]:
    from ..freeze.build import freeze

    result = freeze(ctx.ws, _version(ctx), include_unreviewed=ctx.options.get("include_unreviewed", False))
    return {"version": result.version, "counts": result.manifest.counts, "unchanged": result.unchanged}


def _frozen_outputs(ctx: RunContext) -> list[Path]:
    return [ctx.ws.frozen(_version(ctx)) / "MANIFEST.json"]


def publish_dir(ctx: RunContext) -> Path:
    return ctx.ws.root / "published" / _version(ctx)


def _publish(ctx: RunContext) -> dict[str, Any]:
    from ..publish.build import publish

    result = publish(ctx.ws, _version(ctx), to=publish_dir(ctx))
    return {"path": str(result.path), "configs": result.configs}


def _published_outputs(ctx: RunContext) -> list[Path]:
    return sorted(p for p in publish_dir(ctx).rglob("*") if p.is_file()) if publish_dir(ctx).exists() else []


def _eval(ctx: RunContext) -> dict[str, Any]:
    from .baseline import evaluate_baseline

    return evaluate_baseline(ctx.ws, _version(ctx))


def _eval_outputs(ctx: RunContext) -> list[Path]:
    return sorted((ctx.ws.root / "eval").glob("*.json"))


def iter_stages(ctx: RunContext) -> Iterator[Stage]:
    """The pipeline for this workspace's config, in order. A generator: which build stages apply
    is decided from the corpus, so only after the ingest stage has run."""
    yield Stage("ingest", _ingest, _corpus_files, _source_listing)
    yield Stage("enrich", _enrich, _enrich_outputs, lambda c: c.cfg.enrich.model_dump())
    for task in enabled_tasks(ctx):
        yield _build_stage(task)
    yield Stage("verify", _verify, lambda c: [c.ws.runs / "verify.json"])
    yield Stage("review push", _review_push, _review_files(("sync.json", "selection.json")), _review_config)
    # Pull always runs (the annotations live in Label Studio); it stops the run with exit 3 while
    # items await people, and its output (the decisions) is what freeze is fingerprinted on.
    yield Stage("review pull", _review_pull, _review_files(("decisions.jsonl",)), _review_config,
                always=_review_configured(ctx))
    yield Stage("freeze", _freeze, _frozen_outputs,
                lambda c: {"version": _version(c), "unreviewed": c.options.get("include_unreviewed", False),
                           "splits": c.cfg.splits.model_dump(), "seed": c.cfg.seed})
    yield Stage("publish", _publish, _published_outputs, lambda c: c.cfg.publish.model_dump())
    yield Stage("eval", _eval, _eval_outputs)
