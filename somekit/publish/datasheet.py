"""The "Datasheets for Datasets" questions (Gebru et al.) answered from what the release recorded.

One set of answers feeds three readers: the card's datasheet section (markdown), croissant.json's
Responsible-AI fields and the HTML report. A recorded answer is read from the MANIFEST, the
builders' stats and the items (ReleaseFacts); what a workspace cannot know (who made it, why,
allowed uses, upkeep) comes from `[publish.datasheet]` and is marked as declared by the publisher,
or says plainly that nobody declared it.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from ..schemas.config import Config, DatasheetSection
from ..schemas.tasks import TASKS
from .facts import ReleaseFacts, question
from .figures import balance_rows

NOT_DECLARED = "not declared by the publisher ([publish.datasheet] in somekit.toml)"


@dataclass
class Answer:
    text: str
    declared: bool = False   # True: the publisher's word ([publish.datasheet]); False: recorded by somekit
    missing: bool = False    # the publisher left this question unanswered (the text says so)


@dataclass
class Datasheet:
    sections: dict[str, dict[str, Answer]] = field(default_factory=dict)   # section -> question -> answer

    def add(self, section: str, question: str, answer: Answer) -> None:
        self.sections.setdefault(section, {})[question] = answer


def _declared(value: str | list[str] | None) -> Answer:
    if isinstance(value, list):
        value = "; ".join(value) if value else None
    return Answer(value, True) if value else Answer(NOT_DECLARED, missing=True)


def _total(facts: ReleaseFacts) -> int:
    return sum(len(f.items) for f in facts.tasks.values())


def _usage(facts: ReleaseFacts) -> dict[str, collections.Counter]:
    usage = {"builders": collections.Counter(), "models": collections.Counter(), "prompts": collections.Counter(),
             "voters": collections.Counter()}
    for f in facts.tasks.values():
        for item in f.items:
            usage["builders"][item.provenance.builder] += 1
            for step in item.provenance.llm:
                usage["models"][f"{step.model} ({step.backend})"] += 1
                if step.prompt_id:
                    usage["prompts"][step.prompt_id] += 1
                usage["voters"].update({v.voter for v in step.votes})
    return usage


def known_biases(facts: ReleaseFacts, margin: float) -> list[str]:
    """Measured biases: the strongest shortcut rule per task and covariates still unbalanced."""
    out = []
    for task, f in facts.tasks.items():
        if f.shortcuts:
            rule, r = max(f.shortcuts.items(), key=lambda kv: (kv[1]["acc"] - kv[1]["baseline"], kv[0]))
            gap = 100 * (r["acc"] - r["baseline"])
            verdict = "beyond" if gap > margin else "within"
            out.append(f"{task}: strongest one-feature rule `{rule}` reaches accuracy {r['acc']:.3f} "
                       f"(95% CI {r['ci'][0]:.3f}-{r['ci'][1]:.3f}) against chance {r['baseline']:.3f}, "
                       f"{gap:+.1f} points, {verdict} the {margin:g}-point margin")
        loose = [c for c, _, after in balance_rows(f.stats) if abs(after) > 0.1]
        if loose:
            out.append(f"{task}: after matching, |SMD| > 0.1 remains on {', '.join(loose)}")
    return out


def _quality(facts: ReleaseFacts) -> list[str]:
    lines = []
    for task, f in facts.tasks.items():
        audit = f.error_rates.get("audit") or {}
        if audit.get("accuracy") is not None:
            lines.append(f"{task}: audited label accuracy {audit['accuracy']:.3f} (95% CI {audit['ci'][0]:.3f}-"
                         f"{audit['ci'][1]:.3f}) on {audit['decided']:,} of {audit['size']:,} audit items")
        elif facts.frozen:
            lines.append(f"{task}: label error rate not measured (no decided audit sample)")
        agreement = (f.error_rates.get("agreement") or {}).get("fleiss_kappa")
        if agreement is not None:
            lines.append(f"{task}: annotator agreement Fleiss' kappa {agreement}")
    return lines


def _pii(facts: ReleaseFacts) -> str:
    """What the builders recorded about personal data: a builder that scrubs says so in stats["pii"]."""
    parts = []
    scrubbed = {t: f.stats["pii"] for t, f in facts.tasks.items() if isinstance(f.stats.get("pii"), dict)}
    for task, pii in scrubbed.items():
        parts.append(f"{task}: user, post and thread ids replaced by salted SHA-256; texts scrubbed of URLs, emails, "
                     "phones, IPs, DIDs and handles" + (f", personal names by {pii['names']}" if pii.get("names")
                                                       else "; personal names not scrubbed (no NER model ran)"))
    others = [t for t in facts.tasks if t not in scrubbed]
    if others:
        parts.append(f"{', '.join(others)}: source ids and texts kept as ingested (public posts); no scrubbing recorded")
    return "; ".join(parts)


def build_datasheet(facts: ReleaseFacts, config: Config) -> Datasheet:
    """The datasheet of a release: recorded answers first, the publisher's declared ones beside them."""
    d: DatasheetSection = config.publish.datasheet
    margin = config.verify.max_shortcut_margin
    sheet = Datasheet()
    m = facts.manifest
    tasks = list(facts.tasks)
    sheet.add("Motivation", "For what purpose was the dataset created?", Answer(
        f"To evaluate LLM-based social-media agents on {len(tasks)} task(s): "
        + "; ".join(f"{t}: {question(t)}" for t in tasks)))
    sheet.add("Motivation", "Why, by whom, funded by whom?", _declared(
        "; ".join(x for x in (d.motivation, ", ".join(d.creators), d.funding) if x) or None))
    counts = {t: {s: len(i) for s, i in f.splits.items()} for t, f in facts.tasks.items()}
    sheet.add("Composition", "What do the instances represent, and how many are there?", Answer(
        f"{_total(facts):,} benchmark items (a query, typed inputs, the answer, provenance, review state); "
        + "; ".join(f"{t}: " + ", ".join(f"{s} {n:,}" for s, n in c.items()) for t, c in counts.items())))
    labels = {t: dict(sum((collections.Counter(c) for c in f.label_counts().values()), collections.Counter()))
              for t, f in facts.tasks.items()}
    sheet.add("Composition", "What is the label distribution?", Answer(
        "; ".join(f"{t}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(c.items())) for t, c in labels.items() if c)
        or "no class labels (free-text tasks)"))
    sheet.add("Composition", "Does it contain personal or sensitive information?", Answer(_pii(facts)))
    sources = sorted({s.format for s in config.sources})
    sheet.add("Collection process", "How was the data collected?", Answer(
        (f"Ingested from raw sources in format(s) {', '.join(sources)}; " if sources else "")
        + (f"corpus hash `{m.corpus_hash}`, config hash `{m.config_hash}`; " if m else "")
        + "bad records quarantined with a reason; near-duplicate texts grouped as one event"))
    sheet.add("Collection process", "Were the people in the data told, and did they consent?", _declared(d.consent))
    usage = _usage(facts)
    sheet.add("Preprocessing and labelling", "How were the answers made?", Answer(
        "Builders " + ", ".join(f"`{k}` ({v:,})" for k, v in sorted(usage["builders"].items()))
        + (("; LLM/embedding steps " + ", ".join(f"`{k}` ({v:,})" for k, v in sorted(usage["models"].items())))
           if usage["models"] else "; no LLM steps")
        + (("; voters " + ", ".join(f"`{v}`" for v in sorted(usage["voters"]))) if usage["voters"] else "")))
    review = m.review if m else {}
    sheet.add("Preprocessing and labelling", "Were the labels checked by people, and how good are they?", Answer(
        "; ".join([*(f"{t}: " + ", ".join(f"{k} {v:,}" for k, v in r.items()) for t, r in review.items() if r),
                   *_quality(facts)]) or "no human review recorded (items built, not frozen)"))
    sheet.add("Preprocessing and labelling", "Who were the reviewers?", _declared(d.annotators))
    sheet.add("Uses", "What are the intended uses?", _declared(d.intended_uses))
    sheet.add("Uses", "What uses are ruled out?", _declared(d.prohibited_uses))
    sheet.add("Uses", "What known biases or shortcuts were measured?", Answer(
        "; ".join(known_biases(facts, margin)) or "no shortcut audit recorded"))
    sheet.add("Uses", "Other limitations declared by the publisher", _declared(d.known_limitations))
    sheet.add("Distribution", "Licence and terms", Answer(f"{config.publish.license} (from [publish] license)"))
    sheet.add("Distribution", "Licences of the sources", _declared(d.source_licences))
    if m:
        sheet.add("Distribution", "How are the splits made?", Answer(
            "splits " + ", ".join(f"{k} {v:g}" for k, v in m.splits.items()) + f", seed {m.split_seed}; group keys "
            + ", ".join(f"{t} `{k}`" for t, k in m.group_keys.items())
            + "; frozen files hashed (sha256) in MANIFEST.json"))
    sheet.add("Maintenance", "Who maintains it?", _declared(d.maintainer))
    bluesky = [t for t in facts.tasks if TASKS[t].needs == "bluesky"]
    recorded = (f"{', '.join(bluesky)}: Bluesky deletes are honoured at build time and `somekit persona remove` "
                "drops a user's records; " if bluesky else "")
    sheet.add("Maintenance", "How can someone have their data removed?",
              Answer(d.takedown, True) if d.takedown else Answer(recorded + "takedown contact " + NOT_DECLARED,
                                                                   missing=True))
    sheet.add("Maintenance", "How to cite", _declared(d.citation))
    return sheet


def markdown(sheet: Datasheet) -> list[str]:
    """The card's datasheet section."""
    lines = ["## Datasheet", "",
             "Answers to the Datasheets-for-Datasets questions. Unmarked answers are read from this version's "
             "MANIFEST, stats and items; answers marked *(declared)* are the publisher's own words.", ""]
    for section, answers in sheet.sections.items():
        lines += [f"### {section}", ""]
        for asked, a in answers.items():
            lines.append(f"- **{asked}** {a.text}" + (" *(declared)*" if a.declared else ""))
        lines.append("")
    return lines
