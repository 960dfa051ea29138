"""The clause rule of the label parser (extract.py): the verdict of an answer's clauses.

Each clause asserts labels (verdict.py, yesno.py) or hedges; the verdict comes from the strongest
clauses that decide: a concluding one, else those after the last contrast, else an opening bare
label, else all, and they must agree. A retraction ("wait, actually") takes back what came before;
echoed questions, reasons and conditions never decide.
"""

from __future__ import annotations

import re
from collections import Counter

from .clauses import RETRACTS, Clause, cut_echo
from .declines import UNANSWERABLE
from .verdict import bare_label, labels_in, mentions
from .yesno import UNCLEAR, is_bare_act, yesno

#: A copula: a heading that states something ("It's a rumour:") rather than naming a topic ("Rumour check:").
_STATES = re.compile(r"\b(?:is|'s|are|was)\b|是|属于|为")


def _heading_verdict(kind: str, text: str) -> bool:
    """An opening heading that gives the verdict: the asked act ("值得推荐:"), a sentence that states
    one label ("It's a rumour:"), or only label words that agree ("Grateful and happy:")."""
    if kind == "yesno":   # one English word ("Show:", "Engage:") may name a section, not the act
        act = text.rstrip(" :")
        return is_bare_act(act) and (not act.isascii() or len(act.split()) > 1)
    words = {bare_label(kind, w) for w in _JOINS.split(text.rstrip(" :")) if w.strip()}
    if len(words) == 1 and None not in words:
        return True
    return bool(_STATES.search(text)) and len(set(clause_labels(kind, Clause(text, "plain"))[0])) == 1


_JOINS = re.compile(r"\s*(?:,|、|/|&|\band\b|和|与|又)\s*")


#: A label glossed in brackets at a clause's end ("Skip it for this user (否):", "Show it (yes)").
_GLOSS = re.compile(r"^(.*?)\s*[(（]\s*([^()（）]{1,16}?)\s*[)）]\W*$", re.S)


#: A subject and a copula before a label ("that's half", "this one is mixed", "这条是 fake 的").
_COPULA = re.compile(r"^\W*(?:so\s+|then\s+|所以|因此)?(?:(?:that|this|it|which)(?:'s|\s+is)|(?:this|that) one is|the (?:claim|post|story|statement) is|"
                     r"(?:这条|这篇|这则|这|它|该帖|帖子|此条)(?:微博|帖子|消息|说法)?\s*(?:是|属于|算))\s*(.+?)\s*的?\W*$")


def _stated(kind: str, text: str) -> str | None:
    """The label a clause states with a copula, for the label words read only on their own ("half")."""
    m = _COPULA.match(text) if kind != "yesno" else None   # "这是否..." asks; yes/no clauses are yesno.py's
    return bare_label(kind, m.group(1)) if m else None


def clause_labels(kind: str, clause: Clause) -> tuple[list[str], bool]:
    """(labels the clause asserts, whether it hedged without deciding)."""
    gloss = _GLOSS.match(clause.text)
    if gloss and (glossed := bare_label(kind, gloss.group(2))) is not None:
        # the bracketed label names the clause's verdict; words before it that read otherwise leave it open
        before, hedged = clause_labels(kind, Clause(gloss.group(1), clause.role)) if gloss.group(1).strip() else ([], False)
        return ([glossed], False) if set(before) <= {glossed} and not hedged else ([], True)
    text, cut = cut_echo(clause.text)
    if (cut and not text.strip()) or UNANSWERABLE.search(text):
        return [], False
    if kind == "yesno":
        v = bare_label(kind, text) or yesno(text)
        if v == UNCLEAR:
            return [], True
        return ([v] if v else []), False
    if bare := bare_label(kind, text) or _stated(kind, text):
        return [bare], False
    found = labels_in(kind, text)
    if len({label for _, label, _ in mentions(kind, text)}) >= 3 or re.search(
            r"\bone of|options?|choose from|以下|选项|之一|其中一", text):
        return [], False  # the question's options echoed back
    return found, False


def by_clauses(kind: str, parts: list[Clause]) -> tuple[str | None, bool]:
    """(label, any clause hedged). The verdict comes from the strongest clauses that decide:
    concluding ones (a closing bare label is one: "... Somewhere in the middle: half."), else
    those after the last contrast, else the opening bare label, else all; they must agree."""
    decided: list[tuple[Clause, list[str]]] = []
    unclear = False
    after_contrast = False
    last_spoken = None
    retracted = 0
    for at, clause in enumerate(parts):
        if clause.role == "heading" and at == 0 and _heading_verdict(kind, clause.text) or clause.role == "heading" and \
                bare_label(kind, RETRACTS.sub("", clause.text)) is not None:
            # "False: the figure is wrong", "Actually yes: ...", "It's a rumour: ...", "值得推荐：...": a verdict as a heading
            clause = Clause(clause.text.rstrip(" :"), "contrast" if RETRACTS.match(clause.text) else "plain")
        if clause.role in ("question", "reason", "heading"):
            continue
        last_spoken = clause
        if RETRACTS.match(clause.text) and any(c.role != "question" for c in parts[:at]):
            retracted = len(decided)   # "Hmm, no... wait, actually yes": what came before is taken back
        # a bare retraction ("不对", "wait") turns the argument; it is no verdict of its own
        labels, hedged = ([], False) if _only_retraction(clause.text) else clause_labels(kind, clause)
        unclear |= hedged
        if clause.role == "contrast":
            after_contrast = True
        if labels:
            decided.append((Clause(clause.text, "contrast" if after_contrast and clause.role == "plain" else clause.role), labels))
    if not decided:
        return None, unclear
    decided = decided[retracted:] or decided   # a retraction that decides nothing leaves the earlier verdicts
    # a closing bare label ("... Somewhere in the middle: half.") or one stated of the claim ("... that's half.") concludes
    closing = bare_label(kind, last_spoken.text) or _stated(kind, last_spoken.text)
    if decided[-1][0].text == last_spoken.text and closing is not None and not _listed(kind, parts):
        decided[-1] = (Clause(last_spoken.text, "final"), decided[-1][1])
    opening = _opening(kind, parts)
    for tier in ("final", "contrast"):
        chosen = [labels for clause, labels in decided if clause.role == tier]
        if chosen:
            label = _agree(kind, chosen[-1:] if tier == "final" else chosen)
            # a conclusion or contrast that contradicts the opening verdict leaves the answer open
            return (label if opening in (None, label) else None), unclear
    if opening is not None:
        return opening, unclear
    return _agree(kind, [labels for _, labels in decided]), unclear


def _only_retraction(text: str) -> bool:
    return bool(RETRACTS.match(text)) and not RETRACTS.sub("", text).strip(" ,.!?;:。，！？；：")


def _opening(kind: str, parts: list[Clause]) -> str | None:
    """The verdict an answer opens with when its first clause is a bare label ("Half-true. The
    figure is accurate for 2018 but ...", "假的吧，..."): what follows argues for it, so labels
    named in passing there do not outvote it."""
    spoken = [c for c in parts if c.role != "question" and not (c.role == "heading" and bare_label(kind, c.text) is None)]
    if not spoken or spoken[0].role not in ("plain", "final", "heading"):
        return None
    if any(RETRACTS.match(c.text) for c in spoken[1:]):
        return None
    return None if _listed(kind, parts) else bare_label(kind, spoken[0].text)


def _listed(kind: str, parts: list[Clause]) -> bool:
    """Whether two clauses are bare labels that differ ("sad, angry"): a list, so neither its first
    nor its last member is a verdict with support around it."""
    return len({bare_label(kind, c.text) for c in parts if c.role != "question"} - {None}) > 1


def _agree(kind: str, groups: list[list[str]]) -> str | None:
    labels = Counter(label for group in groups for label in group)
    if len(labels) == 1:
        return next(iter(labels))
    return None
