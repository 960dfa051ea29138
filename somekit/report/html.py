"""One self-contained HTML page: inline CSS, figures as PNG data URIs, no script, no network.

Every value shown comes from ReleaseFacts, the datasheet and the picked samples; everything is
escaped, since item texts are raw social-media posts.
"""

from __future__ import annotations

import base64
import json
import re
from html import escape
from typing import Any, Iterable

from ..publish.datasheet import Datasheet
from ..publish.facts import ReleaseFacts, question as describe
from ..publish.figures import FigureFile, balance_rows
from ..schemas.items import ItemBase
from .samples import provenance_rows

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1200px;padding:1rem 2rem;
color:#222;line-height:1.4}
h1{margin-bottom:.2rem}nav a{margin-right:1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{font-style:italic;color:#555}
.item{border:1px solid #ddd;border-radius:4px;padding:.5rem;margin:.5rem 0}
.item pre{white-space:pre-wrap;word-break:break-word;background:#fafafa;padding:.4rem;margin:.3rem 0}
.declared{color:#8a5300}.muted{color:#666}.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.5rem}
"""

SECTIONS = (("overview", "Overview"), ("figures", "Figures"), ("quality", "Label quality"),
            ("shortcuts", "Shortcut audit"), ("balance", "Covariate balance"), ("datasheet", "Datasheet"),
            ("samples", "Samples"))


def _table(head: Iterable[str], rows: Iterable[Iterable[Any]], numeric: set[int] = frozenset()) -> str:
    out = ["<table><tr>" + "".join(f"<th>{escape(str(h))}</th>" for h in head) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td class=num>{escape(_fmt(c))}</td>" if i in numeric else f"<td>{escape(_fmt(c))}</td>"
                                    for i, c in enumerate(row)) + "</tr>")
    return "".join(out) + "</table>"


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _overview(facts: ReleaseFacts) -> str:
    rows = []
    for task, f in facts.tasks.items():
        labels = {}
        for counts in f.label_counts().values():
            for k, v in counts.items():
                labels[k] = labels.get(k, 0) + v
        rows.append((task, describe(task), ", ".join(f"{s} {len(i):,}" for s, i in f.splits.items()), len(f.items),
                     ", ".join(f"{k} {v:,}" for k, v in labels.items()) or "free text"))
    return _table(("task", "what the item asks", "splits", "items", "labels"), rows, {3})


def _figures(figures: list[FigureFile]) -> str:
    if not figures:
        return "<p class=muted>No figure: the release records nothing to draw.</p>"
    return "".join(f'<figure id="fig-{escape(f.name[:-4])}"><img alt="{escape(f.title)}" src="data:image/png;base64,'
                   f'{base64.b64encode(f.png).decode()}"><figcaption>{escape(f.title)}</figcaption></figure>' for f in figures)


def _quality(facts: ReleaseFacts) -> str:
    if not facts.frozen:
        return "<p class=muted>Human review is summarised once the items are frozen (`somekit freeze`).</p>"
    rows = []
    for task, f in facts.tasks.items():
        audit = f.error_rates.get("audit") or {}
        acc = f"{audit['accuracy']:.3f} ({audit['ci'][0]:.3f}-{audit['ci'][1]:.3f})" if audit.get("accuracy") is not None else "not measured"
        per_class = ", ".join(f"{k} {v['accuracy']:.2f}" for k, v in (audit.get("per_class") or {}).items() if v.get("accuracy") is not None)
        review = facts.manifest.review.get(task) or {}
        rows.append((task, f"{audit.get('decided', 0):,} of {audit.get('size', 0):,}", acc, per_class or "-",
                     ", ".join(f"{k} {v:,}" for k, v in review.items()) or "-"))
    return _table(("task", "audited", "accuracy (95% CI)", "per class", "review states"), rows)


def _shortcuts(facts: ReleaseFacts, margin: float) -> str:
    rows = []
    for task, f in facts.tasks.items():
        ranked = sorted(f.shortcuts.items(), key=lambda kv: (-(kv[1]["acc"] - kv[1]["baseline"]), kv[0]))[:5]
        rows += [(task, rule, r["acc"], f"{r['ci'][0]:.3f}-{r['ci'][1]:.3f}", r["baseline"],
                  f"{100 * (r['acc'] - r['baseline']):+.1f}", r["n"]) for rule, r in ranked]
    if not rows:
        return "<p class=muted>No shortcut audit recorded.</p>"
    return (f"<p>Strongest one-feature rules per task; a rule more than {margin:g} points above chance fails "
            "<code>somekit verify</code>.</p>" + _table(("task", "rule", "accuracy", "95% CI", "chance", "points", "items"),
                                                         rows, {2, 4, 6}))


def _balance(facts: ReleaseFacts) -> str:
    rows = [(t, c, b, a) for t, f in facts.tasks.items() for c, b, a in balance_rows(f.stats)]
    if not rows:
        return "<p class=muted>No task of this release records a matched design.</p>"
    return _table(("task", "covariate", "SMD before", "SMD after"), rows, {2, 3})


def _datasheet(sheet: Datasheet) -> str:
    out = ["<p>Unmarked answers are recorded by somekit; <span class=declared>declared</span> ones are the "
           "publisher's words from <code>[publish.datasheet]</code>.</p>"]
    for section, answers in sheet.sections.items():
        out.append(f"<h3>{escape(section)}</h3><dl>")
        for q, a in answers.items():
            cls = " class=declared" if a.declared else (" class=muted" if a.missing else "")
            text = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(a.text))   # the card's markdown code spans
            out.append(f"<dt><b>{escape(q)}</b></dt><dd{cls}>{text}{' (declared)' if a.declared else ''}</dd>")
        out.append("</dl>")
    return "".join(out)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)


def _item(split: str, item: ItemBase) -> str:
    prov = _table(("provenance", "value"), ((k, v if isinstance(v, (str, int, float)) or v is None else _json(v))
                                            for k, v in provenance_rows(item)))
    return (f'<div class=item data-item="{escape(item.id)}"><div class=muted>{escape(item.id)} · split {escape(split)} · '
            f'template {escape(item.template_id)}</div><pre>{escape(item.query)}</pre>'
            f"<b>inputs</b><pre>{escape(_json(item.inputs.model_dump(mode='json')))}</pre>"
            f"<b>answer</b><pre>{escape(_json(item.answer.model_dump(mode='json')))}</pre>"
            f"<details open><summary>provenance</summary>{prov}</details></div>")


def _samples(samples: dict[str, dict[str, list[tuple[str, ItemBase]]]]) -> str:
    out = []
    for task, groups in samples.items():
        out.append(f'<h3 id="samples-{escape(task)}">{escape(task)}</h3><p class=muted>{escape(describe(task))}</p>')
        for label, picked in groups.items():
            out.append(f"<h4>{escape(label)} ({len(picked)} shown)</h4>" + "".join(_item(s, i) for s, i in picked))
    return "".join(out) or "<p class=muted>No items.</p>"


def render(facts: ReleaseFacts, figures: list[FigureFile], sheet: Datasheet, samples: dict, *, title: str,
           margin: float) -> str:
    """The whole report page."""
    body = {"overview": _overview(facts), "figures": _figures(figures), "quality": _quality(facts),
            "shortcuts": _shortcuts(facts, margin), "balance": _balance(facts), "datasheet": _datasheet(sheet),
            "samples": _samples(samples)}
    warn = "" if facts.frozen else ("<p class=warn>Not frozen: these are the built items as they stand "
                                    "(no splits, no human review summary yet).</p>")
    nav = "".join(f'<a href="#{sid}">{escape(name)}</a>' for sid, name in SECTIONS)
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
             f"<meta name=viewport content='width=device-width,initial-scale=1'><style>{CSS}</style></head><body>",
             f"<h1>{escape(title)}</h1><p class=muted>Source: {escape(facts.source)}</p>{warn}<nav>{nav}</nav>"]
    parts += [f'<section id="{sid}"><h2>{escape(name)}</h2>{body[sid]}</section>' for sid, name in SECTIONS]
    return "".join(parts) + "</body></html>\n"
