"""Shortcut audit: can a trivial one-feature rule predict the answer? (DESIGN section 6, issue 13)

A benchmark item is only a test of the agent's reasoning when nothing simpler gives the answer
away. For each task we fit one-feature rules on the items, as an agent sees one item (text
presence, length, script, own post) and as a model that sees the whole file sees them (position
in the user's list, a leave-one-out prior of the same post or user in other items), and report
each rule's accuracy with a 95% Wilson interval. A rule beating the majority-class baseline by
more than `margin` points on a task with at least `min_items` items is a violation.

Fitted rules (value tables, single thresholds) are scored by 2-fold cross-validation on a
seeded-by-content fold split, so that the best of many thresholds is not rewarded for fitting
noise; leave-one-out priors need no fitting. Items about one post (or one user) succeed or fail
together under a post (user) rule, so their intervals are cluster-robust, not per item. The audit works on plain `AuditRow`s, so it runs on
our items (verify/shortcut_rows.py) and on SoMe's released ground truth alike; it never imports
builder code.
"""

from __future__ import annotations

import collections
import hashlib
import math
import re
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Callable, Hashable, Iterable, Sequence

#: Default margin over chance, in points, and the smallest task the rule applies to.
MAX_SHORTCUT_MARGIN = 5.0
MIN_ITEMS = 200
#: Positions past this index share one value (a user rarely has more items than this).
POSITION_CAP = 20
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DIGIT = re.compile(r"[0-9]")


@dataclass
class AuditRow:
    """One item as the audit sees it; None where a feature does not exist for the source."""

    key: str                      # stable id (fold assignment)
    label: str
    user: str | None = None
    post: str | None = None
    position: int | None = None   # index in the user's list, in file order
    own: bool | None = None       # the asked user wrote the asked post
    post_time: float | None = None
    popularity: float | None = None
    texts: dict[str, str | None] = field(default_factory=dict)  # free-text fields the item carries
    bucket: str = ""              # sub-task (UBP action) audited on its own as well


@dataclass
class RuleResult:
    acc: float
    ci: tuple[float, float]
    n: int
    baseline: float
    #: Lower bound of the Bonferroni-adjusted interval (family-wise 95% over every rule audited).
    lower_adjusted: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"acc": round(self.acc, 4), "ci": [round(self.ci[0], 4), round(self.ci[1], 4)], "n": self.n,
                "baseline": round(self.baseline, 4)}


def wilson(correct: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (sane at 0 and 1, unlike the normal one)."""
    if n == 0:
        return (0.0, 1.0)
    p = correct / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, mid - half), min(1.0, mid + half))


def _fold(key: str) -> int:
    return hashlib.sha256(key.encode("utf-8")).digest()[0] & 1


def _majority(labels: Iterable[str]) -> str | None:
    counts = collections.Counter(labels)
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _fit_table(xs: Sequence[Hashable], ys: Sequence[str], default: str) -> Callable[[Hashable], str]:
    """Value -> majority label (ties and unseen values: `default`)."""
    by: dict[Hashable, collections.Counter] = collections.defaultdict(collections.Counter)
    for x, y in zip(xs, ys):
        by[x][y] += 1
    table = {}
    for x, c in by.items():
        top = c.most_common()
        table[x] = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else default
    return lambda x: table.get(x, default)


def _fit_stump(xs: Sequence[float], ys: Sequence[str], default: str) -> Callable[[float], str]:
    """Best single threshold: x <= t gets one label, x > t another, both chosen to maximise
    training accuracy (multi-class: each side's majority)."""
    pairs = sorted(zip(xs, ys))
    labels = sorted(set(ys))
    total = collections.Counter(ys)
    left: collections.Counter = collections.Counter()
    best = (max(total.values()) if total else 0, math.inf, default, default)
    for i, (x, y) in enumerate(pairs):
        left[y] += 1
        if i + 1 < len(pairs) and pairs[i + 1][0] == x:
            continue  # a threshold sits between distinct values only
        lab_l = max(labels, key=lambda k: (left[k], k == default))
        lab_r = max(labels, key=lambda k: (total[k] - left[k], k == default))
        score = left[lab_l] + total[lab_r] - left[lab_r]
        if score > best[0]:
            best = (score, x, lab_l, lab_r)
    _, t, lab_l, lab_r = best
    return lambda x: lab_l if x <= t else lab_r


def _cross_validated(rows: list[AuditRow], feature: Callable[[AuditRow], Any], fit, group: str | None = None) -> list[bool]:
    """Per row: is it predicted right by the rule fit on the other fold? With `group` (post or
    user), folds split whole groups, so a rule cannot memorise a post from its other items."""
    fold_of = [_fold(str(getattr(r, group) or r.key) if group else r.key) for r in rows]
    correct = [False] * len(rows)
    for k in (0, 1):
        train = [r for r, f in zip(rows, fold_of) if f != k]
        if not any(f == k for f in fold_of):
            continue
        ys = [r.label for r in train]
        default = _majority(ys) or _majority(r.label for r in rows)
        rule = fit([feature(r) for r in train], ys, default)
        for i, (r, f) in enumerate(zip(rows, fold_of)):
            if f == k:
                correct[i] = rule(feature(r)) == r.label
    return correct


def _leave_one_out(rows: list[AuditRow], key: Callable[[AuditRow], str | None]) -> list[bool]:
    """Correct predictions of 'the majority label of the other items with the same key' (no
    other item, or a tie: the overall majority)."""
    default = _majority(r.label for r in rows)
    by: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in rows:
        k = key(r)
        if k is not None:
            by[k][r.label] += 1
    correct = []
    for r in rows:
        k = key(r)
        pred = default
        if k is not None:
            others = by[k].copy()
            others[r.label] -= 1
            top = [kv for kv in others.most_common() if kv[1] > 0]
            if top and (len(top) == 1 or top[0][1] > top[1][1]):
                pred = top[0][0]
        correct.append(pred == r.label)
    return correct


def _text_len(text: str | None) -> float:
    return float(len(text)) if text else 0.0


def _cjk_share(text: str | None) -> float:
    return len(_CJK.findall(text)) / len(text) if text else -1.0


def cluster_interval(correct: list[bool], clusters: list[Hashable] | None, z: float = 1.959964) -> tuple[float, float]:
    """95% interval of an accuracy whose items come in clusters (the items of one post, or of one
    user, succeed or fail together under a post or user rule): the cluster-robust variance
    sum_g (sum_{i in g} (c_i - acc))^2 / n^2, never narrower than Wilson's."""
    n = len(correct)
    hits = sum(correct)
    lo, hi = wilson(hits, n, z)
    if not clusters or n == 0:
        return lo, hi
    acc = hits / n
    sums: dict[Hashable, float] = collections.defaultdict(float)
    for c, g in zip(correct, clusters):
        sums[g] += c - acc
    half = z * math.sqrt(sum(v * v for v in sums.values())) / n
    return (max(0.0, min(lo, acc - half)), min(1.0, max(hi, acc + half)))


#: Which items move together under each rule (None: items are independent).
_CLUSTER = {"position": "user", "user_prior": "user", "post_prior": "post", "own_post": "post",
            "post_time": "post", "popularity": "post"}


def _cluster_of(rule: str) -> str | None:
    return "post" if rule.startswith("post.") else _CLUSTER.get(rule)


def _rules(rows: list[AuditRow]) -> dict[str, Callable[[list[AuditRow]], list[bool]]]:
    """The rules that apply to these rows (a feature absent from every row is skipped)."""
    rules: dict[str, Callable[[list[AuditRow]], list[bool]]] = {}

    def has(attr: str) -> bool:
        return any(getattr(r, attr) is not None for r in rows)

    if has("position"):
        rules["position"] = lambda rs: _cross_validated(rs, lambda r: min(r.position, POSITION_CAP) if r.position is not None else -1, _fit_table, "user")
    if has("post"):
        rules["post_prior"] = lambda rs: _leave_one_out(rs, lambda r: r.post)
    if has("user"):
        rules["user_prior"] = lambda rs: _leave_one_out(rs, lambda r: r.user)
    if has("own"):
        rules["own_post"] = lambda rs: _cross_validated(rs, lambda r: r.own, _fit_table, "post")
    for attr in ("post_time", "popularity"):
        if has(attr):
            rules[attr] = lambda rs, a=attr: _cross_validated(
                rs, lambda r: getattr(r, a) if getattr(r, a) is not None else -math.inf, _fit_stump, "post")
    names = sorted({k for r in rows for k in r.texts})
    for name in names:
        g = "post" if name.startswith("post.") else None  # the post's own text: one value per post
        rules[f"{name}.present"] = lambda rs, n=name, g=g: _cross_validated(rs, lambda r: bool((r.texts.get(n) or "").strip()), _fit_table, g)
        rules[f"{name}.length"] = lambda rs, n=name, g=g: _cross_validated(rs, lambda r: _text_len(r.texts.get(n)), _fit_stump, g)
        rules[f"{name}.script"] = lambda rs, n=name, g=g: _cross_validated(rs, lambda r: _cjk_share(r.texts.get(n)), _fit_stump, g)
        rules[f"{name}.digits"] = lambda rs, n=name, g=g: _cross_validated(rs, lambda r: bool(_DIGIT.search(r.texts.get(n) or "")), _fit_table, g)
    return rules


def audit(rows: list[AuditRow]) -> dict[str, RuleResult]:
    """Every applicable rule's accuracy on `rows` (and, for rows with buckets, on each bucket as
    `rule@bucket`)."""
    out: dict[str, RuleResult] = {}
    raw: dict[str, tuple[list[bool], list[Hashable] | None, float]] = {}
    groups = [("", rows)]
    buckets = sorted({r.bucket for r in rows})
    if len(buckets) > 1:
        groups += [(f"@{b}", [r for r in rows if r.bucket == b]) for b in buckets]
    for suffix, group in groups:
        if not group:
            continue
        counts = collections.Counter(r.label for r in group)
        baseline = max(counts.values()) / len(group)
        for name, rule in _rules(group).items():
            correct = rule(group)
            attr = _cluster_of(name)
            clusters = [getattr(r, attr) for r in group] if attr else None
            if clusters and any(c is None for c in clusters):
                clusters = [c if c is not None else r.key for c, r in zip(clusters, group)]
            raw[name + suffix] = (correct, clusters, baseline)
    # With dozens of rules, some beat chance by luck: the violation test uses an interval that
    # holds for all of them at once (Bonferroni), the report the plain 95% one.
    z_family = NormalDist().inv_cdf(1 - 0.025 / max(1, len(raw)))
    for name, (correct, clusters, baseline) in raw.items():
        out[name] = RuleResult(sum(correct) / len(correct), cluster_interval(correct, clusters), len(correct), baseline,
                               cluster_interval(correct, clusters, z_family)[0])
    return out


def violations(results: dict[str, RuleResult], margin: float = MAX_SHORTCUT_MARGIN,
               min_items: int = MIN_ITEMS) -> list[tuple[str, str]]:
    """(rule, detail) for every rule beating its baseline by more than `margin` points on at
    least `min_items` items, and significantly so (the family-wise interval above the baseline):
    with dozens of rules on a few hundred items, chance alone moves some rules by 5 points."""
    found = []
    for name, r in sorted(results.items()):
        if r.n >= min_items and (r.acc - r.baseline) * 100 > margin and r.lower_adjusted > r.baseline:
            found.append((name, f"rule '{name}' predicts the answer with accuracy {r.acc:.3f} "
                                f"(95% CI {r.ci[0]:.3f}-{r.ci[1]:.3f}, n={r.n}) vs chance {r.baseline:.3f} "
                                f"+ {margin:g} points"))
    return found


def report(results: dict[str, RuleResult]) -> dict[str, dict[str, Any]]:
    """The `shortcuts` JSON of one task: rule -> {acc, ci, n, baseline}."""
    return {name: results[name].to_dict() for name in sorted(results)}
