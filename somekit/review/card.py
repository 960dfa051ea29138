"""The dataset card's review part: a first paragraph when some of the version is unreviewed or
its audit is incomplete, then the measured label quality as the first table a reader sees, and a
per-class line in each task's section. Called from somekit/publish/card.py."""

from __future__ import annotations

from typing import Any

from ..annotate.label_scores import reliability_line
from ..schemas.manifest import Manifest


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _ci(rate: dict[str, Any]) -> str:
    if rate.get("accuracy") is None:
        return "not measured"
    lo, hi = rate["ci"]
    return f"{_pct(rate['accuracy'])} ({_pct(lo)}-{_pct(hi)})"


def _audits(manifest: Manifest, tasks: list[str]) -> tuple[list[str], list[str]]:
    """(tasks never audited, tasks whose audit sample is not fully decided)."""
    audits = {t: (manifest.error_rates.get(t) or {}).get("audit") or {} for t in tasks}
    return ([t for t in tasks if not audits[t].get("size")],
            [t for t in tasks if audits[t].get("size") and not audits[t].get("complete")])


def lead(manifest: Manifest, tasks: list[str]) -> list[str]:
    """Lines right under the card's title: the warning paragraph (if any) and the quality table."""
    lines: list[str] = []
    never, incomplete = _audits(manifest, tasks)
    if manifest.include_unreviewed or never or incomplete:
        parts = []
        if manifest.include_unreviewed:
            flagged = {t: n for t in tasks if (n := (manifest.error_rates.get(t) or {}).get("unreviewed_flagged"))}
            parts.append("this version includes items that no human has reviewed yet (`--include-unreviewed`); "
                         "their review state is recorded in the `review` column"
                         + ("; among them, items that needed a human (vote ties, low agreement, failed checks): "
                            + ", ".join(f"`{t}` {n:,}" for t, n in flagged.items()) if flagged else ""))
        if incomplete:
            parts.append("the human audit of " + ", ".join(f"`{t}`" for t in incomplete)
                         + " is incomplete, so their label error rate below is not fully measured")
        if never:
            parts.append("no human audit sample was drawn for " + ", ".join(f"`{t}`" for t in never)
                         + ", so their label error rate is not measured")
        lines += ["> **Warning:** " + "; ".join(parts) + ".", ""]
    lines += ["## Measured label quality", "",
              "People in Label Studio checked a random audit sample of every task, stratified by label: the "
              "accuracy is the share of audited machine answers they accepted unchanged, with a Wilson 95% interval.", "",
              "| config | audited | label accuracy (95% CI) | accepted / corrected / rejected (all reviewed) | annotator agreement |",
              "| --- | --- | --- | --- | --- |"]
    for t in tasks:
        er = manifest.error_rates.get(t) or {}
        audit, shares, agr = er.get("audit") or {}, er.get("shares") or {}, er.get("agreement") or {}
        audited = f"{audit.get('decided', 0):,} of {audit.get('size', 0):,}" if audit.get("sampled") else "no audit"
        split = (" / ".join(_pct(shares.get(s)) for s in ("accepted", "corrected", "rejected"))
                 + f" of {shares['decided']:,}") if shares.get("decided") else "-"
        kappa = (f"kappa {agr['fleiss_kappa']} on {agr['items']:,} items" if agr.get("items") and agr.get("fleiss_kappa") is not None
                 else "single annotator")
        lines.append(f"| `{t}` | {audited} | {_ci(audit) if audit.get('sampled') else 'not measured'} | {split} | {kappa} |")
    return lines + [""] + _left_lines(manifest, tasks)


def _left_lines(manifest: Manifest, tasks: list[str]) -> list[str]:
    """Wrong labels expected among unreviewed items, and what a failed quality gate means."""
    lines: list[str] = []
    for t in tasks:
        er = manifest.error_rates.get(t) or {}
        left = er.get("remaining_errors") or {}
        if left.get("estimate") is not None and left.get("unreviewed"):
            lo, hi = left["ci"]
            lines.append(f"- `{t}`: about {left['estimate']:.0f} wrong labels are expected among the {left['unreviewed']:,} "
                         f"items nobody reviewed (95% interval {lo:.0f}-{hi:.0f}), estimated from the audit sample "
                         f"stratified by label-quality band; people already corrected or rejected {left.get('known_wrong', 0):,}.")
        voters = er.get("voter_accuracy") or {}
        line = reliability_line({"voters": {n: {"measured_accuracy": a} for n, a in voters.items()},
                                 "voter_ranking_by": "measured_accuracy",
                                 "ranking_how": "accuracy on the items people decided"})
        if line:
            lines.append(f"- `{t}`: {line} The vote weighted by these accuracies decided {er.get('splits_decided', 0):,} "
                         "split votes, which then went to people by label-quality score like any other item.")
        if er.get("gate_failed"):
            lines.append(f"- `{t}` failed its machine-label quality gate: a reason to review more of it, not less. "
                         "Its review budget went first to a random audit sample, then to the labels most likely wrong.")
    return lines + [""] if lines else []


def task_lines(manifest: Manifest, task: str) -> list[str]:
    """Per-class accuracy of the audit, for the task's own section."""
    per_class = ((manifest.error_rates.get(task) or {}).get("audit") or {}).get("per_class") or {}
    if not per_class:
        return []
    return ["Audited accuracy per machine label: " + ", ".join(f"{k} {_ci(v)} on {v['n']:,}" for k, v in per_class.items()), ""]
