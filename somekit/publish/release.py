"""What `publish` adds beside the data: figures/ (PNG), the card's datasheet and figure sections,
and croissant.json. Called by publish/build.py once the Parquet files are staged.

The figures and the datasheet are drawn from the frozen version (ReleaseFacts), never from the
staged rows, so a hidden test split still counts in them as it does on the card.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..store.atomic import write_bytes, write_text
from ..workspace import Workspace
from .croissant import croissant
from .datasheet import build_datasheet, markdown
from .facts import from_frozen
from .features import class_names
from .figures import render_figures

FIGURES_DIR = "figures"
CROISSANT_FILE = "croissant.json"


def figure_lines(figures: list[tuple[str, str]]) -> list[str]:
    """The card's figure section: each PNG embedded by its path in the published folder."""
    if not figures:
        return []
    lines = ["## Figures", "", "Drawn by somekit from this version's frozen files (`figures/`, hashed in "
             f"`{CROISSANT_FILE}`).", ""]
    for rel, title in figures:
        lines += [f"![{title}]({rel})", "", f"*{title}.*", ""]
    return lines


def write_release_extras(ws: Workspace, version: str, stage: Path, configs: dict[str, dict[str, int]],
                         *, name: str, license: str, languages: list[str]) -> list[str]:
    """Write figures/ and croissant.json into the staged folder; return the card's extra lines."""
    cfg = ws.config()
    facts = from_frozen(ws, version)
    figures = render_figures(facts, cfg.verify.max_shortcut_margin)
    written = []
    for fig in figures:
        rel = f"{FIGURES_DIR}/{fig.name}"
        (stage / FIGURES_DIR).mkdir(exist_ok=True)
        write_bytes(stage / rel, fig.png)
        written.append((rel, fig.title))
    sheet = build_datasheet(facts, cfg)
    doc = croissant(stage, configs, name=name, version=version, license=license, languages=languages, sheet=sheet,
                    label_names={c: class_names(c) if c in facts.tasks else None for c in configs},
                    figures=[rel for rel, _ in written])
    write_text(stage / CROISSANT_FILE, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    return markdown(sheet) + figure_lines(written)
