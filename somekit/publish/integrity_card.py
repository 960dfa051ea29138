"""The dataset card's shortcut-audit section: each task's strongest one-feature rules."""

from __future__ import annotations

from typing import Any

#: Rules listed per task (the strongest first); the full table is in the MANIFEST.
TOP_RULES = 5


def card_section(task: str, shortcuts: dict[str, dict[str, Any]] | None, margin: float = 5.0) -> list[str]:
    """Markdown lines for one task: the strongest rules with accuracy, 95% interval and chance."""
    if not shortcuts:
        return []
    ranked = sorted(shortcuts.items(), key=lambda kv: (-(kv[1]["acc"] - kv[1]["baseline"]), kv[0]))[:TOP_RULES]
    lines = [f"Shortcut audit (one-feature rules; a rule beating chance by more than {margin:g} points would fail "
             "`somekit verify`):", "", "| rule | accuracy | 95% CI | chance | items |", "| --- | --- | --- | --- | --- |"]
    for rule, r in ranked:
        lines.append(f"| `{rule}` | {r['acc']:.3f} | {r['ci'][0]:.3f}-{r['ci'][1]:.3f} | {r['baseline']:.3f} | {r['n']:,} |")
    return lines + [""]
