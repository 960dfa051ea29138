"""The release's figures as PNG bytes, drawn from ReleaseFacts (publish/facts.py) with matplotlib.

Byte-reproducible: the object API with the Agg canvas (no pyplot, no GUI, no global figure state),
matplotlib's defaults restored around each drawing so a user's matplotlibrc changes nothing, the
bundled DejaVu Sans font, a fixed size and dpi, and no 'Software' text chunk (it carries the
matplotlib version) in the PNG. The same frozen version on the same matplotlib gives the same bytes.
Every figure is optional: a release without the facts for one simply lacks it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any, Callable

from .facts import ReleaseFacts

DPI = 100
STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 10, "svg.hashsalt": "somekit",
         "figure.max_open_warning": 0, "axes.spines.top": False, "axes.spines.right": False}
#: Rules drawn per task in the shortcut panel (the strongest, as on the card).
TOP_RULES = 6
#: One colour per split in every figure (the built items before a freeze have their own).
SPLIT_COLOURS = {"train": "#1f77b4", "validation": "#ff7f0e", "test": "#2ca02c", "built": "#7f7f7f"}
#: |SMD| under this is the usual reading of "balanced" (Austin 2009); drawn as a guide.
SMD_GUIDE = 0.1


@dataclass(frozen=True)
class FigureFile:
    name: str          # file name under figures/
    title: str         # alt text and caption
    png: bytes


def _panels(n: int, width: float = 4.2, height: float = 2.8, cols: int = 3):
    from matplotlib.figure import Figure

    cols = max(1, min(cols, n))
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width * cols, height * rows), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, list(axes[:n])


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    # zlib level 1: a third less encoding time than the default for about 15% larger files, and
    # still deterministic (the bytes depend only on the pixels and the level).
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def label_balance(facts: ReleaseFacts):
    counts = {t: f.label_counts() for t, f in facts.tasks.items()}
    counts = {t: c for t, c in counts.items() if c}
    if not counts:
        return None
    fig, axes = _panels(len(counts))
    for ax, (task, per_split) in zip(axes, counts.items()):
        labels = sorted({lab for c in per_split.values() for lab in c})
        width = 0.8 / len(per_split)
        for k, (split, c) in enumerate(per_split.items()):
            xs = [i + (k - (len(per_split) - 1) / 2) * width for i in range(len(labels))]
            ax.bar(xs, [c.get(lab, 0) for lab in labels], width, label=split, color=SPLIT_COLOURS.get(split, "#7f7f7f"))
        ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 3 else 0, ha="right" if len(labels) > 3 else "center")
        sizes = {s: len(items) for s, items in facts.tasks[task].splits.items()}   # items, not labels (nap: action sets)
        ax.set_title(f"{task} (" + ", ".join(f"{s} {n:,}" for s, n in sizes.items()) + " items)")
        ax.set_ylabel("items")
    handles = {lab: h for ax in axes for h, lab in zip(*ax.get_legend_handles_labels())}
    fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    fig.suptitle(f"Label balance per split ({facts.source})")
    return fig


def shortcut_audit(facts: ReleaseFacts, margin: float = 5.0):
    audited = {t: f.shortcuts for t, f in facts.tasks.items() if f.shortcuts}
    if not audited:
        return None
    fig, axes = _panels(len(audited), width=5.0, height=2.9, cols=2)
    for ax, (task, rules) in zip(axes, audited.items()):
        ranked = sorted(rules.items(), key=lambda kv: (-(kv[1]["acc"] - kv[1]["baseline"]), kv[0]))[:TOP_RULES][::-1]
        ys = range(len(ranked))
        acc = [r["acc"] for _, r in ranked]
        lo = [r["acc"] - r["ci"][0] for _, r in ranked]
        hi = [r["ci"][1] - r["acc"] for _, r in ranked]
        ax.errorbar(acc, ys, xerr=[lo, hi], fmt="o", color="#1f77b4", capsize=3, label="rule accuracy, 95% CI")
        ax.scatter([r["baseline"] for _, r in ranked], ys, marker="|", s=200, color="black", label="chance")
        ax.scatter([r["baseline"] + margin / 100 for _, r in ranked], ys, marker="|", s=200, color="#d62728",
                   label=f"chance + {margin:g} points (fails verify)")
        ax.set_yticks(list(ys), [rule[:40] for rule, _ in ranked], fontsize=7)
        ax.set_xlim(0, 1)
        ax.set_xlabel("accuracy")
        ax.set_title(task)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    fig.suptitle("Shortcut audit: strongest one-feature rules against chance")
    return fig


def _vote_agreement(items) -> dict[str, float]:
    """Mean share of machine votes agreeing with the kept label, per label (items with LLM votes)."""
    from .facts import item_labels

    sums: dict[str, list[float]] = {}
    for item in items:
        shares = [s.agreement for s in item.provenance.llm if s.step == "vote" and s.agreement is not None]
        for label in item_labels(item) if shares else []:
            sums.setdefault(label, []).append(sum(shares) / len(shares))
    return {k: sum(v) / len(v) for k, v in sorted(sums.items())}


def label_quality(facts: ReleaseFacts):
    rows = []
    for task, f in facts.tasks.items():
        audited = ((f.error_rates.get("audit") or {}).get("per_class")) or {}
        audited = {k: v for k, v in audited.items() if v.get("accuracy") is not None}
        agreement = _vote_agreement(f.items)
        if audited or agreement:
            rows.append((task, audited, agreement))
    if not rows:
        return None
    fig, axes = _panels(len(rows))
    for ax, (task, audited, agreement) in zip(axes, rows):
        labels = sorted(set(audited) | set(agreement))
        xs = range(len(labels))
        if agreement:
            ax.bar([x - 0.2 for x in xs], [agreement.get(lab, 0) for lab in labels], 0.4, color="#9ecae1",
                   label="machine vote agreement")
        if audited:
            pts = [(x, audited[lab]) for x, lab in zip(xs, labels) if lab in audited]
            ax.errorbar([x + 0.2 for x, _ in pts], [r["accuracy"] for _, r in pts],
                        yerr=[[r["accuracy"] - r["ci"][0] for _, r in pts], [r["ci"][1] - r["accuracy"] for _, r in pts]],
                        fmt="s", color="#d62728", capsize=3, label="audited accuracy, 95% CI")
        ax.set_xticks(list(xs), labels, rotation=30 if len(labels) > 3 else 0, ha="right" if len(labels) > 3 else "center")
        ax.set_ylim(0, 1.05)
        ax.set_title(task)
    handles = {lab: h for ax in axes for h, lab in zip(*ax.get_legend_handles_labels())}
    fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    fig.suptitle("Agreement and audited accuracy per class")
    return fig


def balance_rows(stats: dict[str, Any]) -> list[tuple[str, float, float]]:
    """(covariate, SMD before, SMD after) from a builder's stats["balance"]; [] when absent or in
    another shape. Accepts {cov: {before, after}} or {cov: {smd_before, smd_after}}, optionally
    under a "covariates"/"smd" key."""
    table = stats.get("balance")
    if isinstance(table, dict):
        table = table.get("covariates") or table.get("smd") or table
    rows = []
    if isinstance(table, dict):
        for cov, v in table.items():
            if isinstance(v, dict):
                before = v.get("before", v.get("smd_before"))
                after = v.get("after", v.get("smd_after"))
                if isinstance(before, (int, float)) and isinstance(after, (int, float)):
                    rows.append((str(cov), float(before), float(after)))
    return rows


def covariate_balance(facts: ReleaseFacts):
    tables = {t: rows for t, f in facts.tasks.items() if (rows := balance_rows(f.stats))}
    if not tables:
        return None
    fig, axes = _panels(len(tables), width=5.0, height=3.0, cols=2)
    for ax, (task, rows) in zip(axes, tables.items()):
        ys = range(len(rows))
        ax.scatter([abs(b) for _, b, _ in rows], ys, marker="o", facecolors="none", edgecolors="#7f7f7f", label="before matching")
        ax.scatter([abs(a) for _, _, a in rows], ys, marker="o", color="#2ca02c", label="after matching")
        ax.axvline(SMD_GUIDE, color="black", linestyle="--", linewidth=0.8)
        ax.set_yticks(list(ys), [c[:30] for c, _, _ in rows], fontsize=7)
        ax.set_xlabel("|standardised mean difference|")
        ax.set_title(task)
        ax.legend(fontsize=7, frameon=False)
    fig.suptitle("Covariate balance before and after matching")
    return fig


#: Item fields whose length is worth a distribution, by what they hold (the first one an item type
#: has is drawn): a rumour's visible cascade, a persona's context thread, a topic's posts, a window's events.
LENGTH_FIELDS = (("inputs", "cascade_ids", "visible cascade records"), ("inputs", "context", "context thread posts"),
                 ("inputs", "post_ids", "posts the item shows"), ("answer", "events", "events per window"))


def _length_series(facts: ReleaseFacts) -> dict[str, dict[str, list[int]]]:
    """panel title -> {series label: values}: the user-centric tasks share one history panel."""
    panels: dict[str, dict[str, list[int]]] = {}
    history = {t: v for t, v in facts.history.items() if v}
    if history:
        panels["asked user's other interactions (history)"] = history
    for task, f in facts.tasks.items():
        first = f.items[0] if f.items else None
        for part, name, what in LENGTH_FIELDS:
            if first is not None and hasattr(getattr(first, part), name):
                panels[f"{task}: {what}"] = {task: [len(getattr(getattr(i, part), name)) for i in f.items]}
                break
    return {k: v for k, v in panels.items() if any(v.values())}


def lengths(facts: ReleaseFacts):
    panels = _length_series(facts)
    if not panels:
        return None
    from matplotlib.ticker import MaxNLocator

    fig, axes = _panels(len(panels), height=2.5)
    for ax, (title, series) in zip(axes, panels.items()):
        values = [v for vs in series.values() for v in vs]
        low, top = min(values), max(values)
        # One bar per whole length while that stays readable; otherwise 30 equal bins.
        bins = [b - 0.5 for b in range(low, top + 2)] if top - low < 40 else 30
        describe = {name: f"n {len(vs):,}, median {sorted(vs)[len(vs) // 2]:,}, max {max(vs):,}" for name, vs in series.items()}
        if len(series) == 1:
            ax.hist(next(iter(series.values())), bins=bins, color="#8c6bb1")
            ax.set_title(f"{title}\n{next(iter(describe.values()))}", fontsize=8)
        else:
            for name, vs in series.items():
                ax.hist(vs, bins=bins, histtype="step", linewidth=1.2, label=f"{name}: {describe[name]}")
            ax.set_title(title, fontsize=8)
            ax.legend(fontsize=6, frameon=False)
        if top - low < 15:
            ax.set_xticks(range(low, top + 1))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("items")
    fig.suptitle("History, cascade and thread lengths")
    return fig


FIGURES: tuple[tuple[str, str, Callable], ...] = (
    ("label_balance.png", "Label balance per split and task", label_balance),
    ("shortcut_audit.png", "Shortcut audit: best one-feature rules with 95% intervals, chance and the verify margin", shortcut_audit),
    ("label_quality.png", "Machine agreement and audited accuracy per class", label_quality),
    ("covariate_balance.png", "Covariate balance before and after matching", covariate_balance),
    ("lengths.png", "History, cascade and thread length distributions", lengths),
)


def render_figures(facts: ReleaseFacts, margin: float = 5.0) -> list[FigureFile]:
    """Every figure the facts allow, in a fixed order."""
    import matplotlib

    out = []
    with matplotlib.rc_context():
        matplotlib.rcdefaults()      # inside the context: restored afterwards, user rc ignored here
        matplotlib.rcParams.update(STYLE)
        for name, title, draw in FIGURES:
            fig = draw(facts, margin) if draw is shortcut_audit else draw(facts)
            if fig is not None:
                out.append(FigureFile(name, title, _png(fig)))
    return out
