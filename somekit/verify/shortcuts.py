"""Shortcut audit: can a trivial one-feature rule predict the answer? (docs/architecture.md, "Integrity", issue 13)

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

import hashlib
import math
import re
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Callable

import numpy as np

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


class _Data:
    """The rows as arrays: label codes, and per grouping (item, post, user) integer codes and folds.
    Everything is computed once per audit; rules are numpy passes over these arrays."""

    def __init__(self, rows: list[AuditRow]):
        self.rows = rows
        self.classes = sorted({r.label for r in rows})
        index = {c: k for k, c in enumerate(self.classes)}
        self.y = np.fromiter((index[r.label] for r in rows), dtype=np.int64, count=len(rows))
        self.k = len(self.classes)
        counts = np.bincount(self.y, minlength=self.k)
        self.majority = int(np.argmax(counts))  # ties: the first class name, as in _majority
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}

    def codes(self, attr: str | None) -> tuple[np.ndarray, list[str]]:
        """Integer code per row of `attr` (post, user; None: the item itself), rows without it
        standing alone under their own key."""
        name = attr or "key"
        if name not in self._codes:
            values = [str(getattr(r, attr) if attr and getattr(r, attr) is not None else "\x00" + r.key) for r in self.rows]
            self._codes[name] = _factorize(values)
        return self._codes[name]

    def folds(self, attr: str | None) -> np.ndarray:
        inv, uniq = self.codes(attr)
        return np.array([_fold(u.lstrip("\x00")) for u in uniq], dtype=np.int64)[inv]

    def train_default(self, mask: np.ndarray) -> int:
        counts = np.bincount(self.y[mask], minlength=self.k)
        return int(np.argmax(counts)) if counts.sum() else self.majority


def _unique_argmax(counts: np.ndarray, default: int) -> np.ndarray:
    """Per row of a count matrix: the class with the strictly largest positive count, else default."""
    if counts.shape[1] == 1:
        return np.where(counts[:, 0] > 0, 0, default)
    top = np.sort(counts, axis=1)
    best = np.argmax(counts, axis=1)
    return np.where((top[:, -1] > top[:, -2]) & (top[:, -1] > 0), best, default)


def _table_rule(d: _Data, x: np.ndarray, train: np.ndarray, default: int) -> np.ndarray:
    """Fitted value table: category code -> majority label on the training rows."""
    counts = np.zeros((int(x.max()) + 1 if len(x) else 1, d.k), dtype=np.int64)
    np.add.at(counts, (x[train], d.y[train]), 1)
    return _unique_argmax(counts, default)[x]


def _stump_rule(d: _Data, x: np.ndarray, train: np.ndarray, default: int) -> np.ndarray:
    """Best single threshold on the training rows: x <= t gets one label, x > t another, each
    side's majority, chosen to maximise training accuracy (no split: the default)."""
    xt, yt = x[train], d.y[train]
    pred = np.full(len(x), default, dtype=np.int64)
    if len(xt) == 0:
        return pred
    order = np.argsort(xt, kind="stable")
    xs = xt[order]
    onehot = np.zeros((len(xs), d.k), dtype=np.float64)
    onehot[np.arange(len(xs)), yt[order]] = 1.0
    cum = np.cumsum(onehot, axis=0)
    total = cum[-1]
    bias = np.zeros(d.k)
    bias[default] = 0.5  # ties between labels go to the default
    left, right = cum + bias, (total - cum) + bias
    score = cum[np.arange(len(xs)), np.argmax(left, axis=1)] + (total - cum)[np.arange(len(xs)), np.argmax(right, axis=1)]
    ends = np.append(xs[1:] != xs[:-1], True)  # a threshold sits between distinct values only
    score = np.where(ends, score, -1)
    i = int(np.argmax(score))
    if score[i] <= total[default]:
        return pred
    lab_l, lab_r = int(np.argmax(left[i])), int(np.argmax(right[i]))
    return np.where(x <= xs[i], lab_l, lab_r)


def _cross_validated(d: _Data, x: np.ndarray, fit, group: str | None = None) -> np.ndarray:
    """Per row: is it predicted right by the rule fit on the other fold? With `group` (post or
    user), folds split whole groups, so a rule cannot memorise a post from its other items."""
    fold = d.folds(group)
    correct = np.zeros(len(x), dtype=bool)
    for k in (0, 1):
        test = fold == k
        if not test.any():
            continue
        train = ~test
        pred = fit(d, x, train, d.train_default(train))
        correct[test] = pred[test] == d.y[test]
    return correct


def _leave_one_out(d: _Data, attr: str) -> np.ndarray:
    """Per row: is 'the majority label of the other items with the same key' right? (No other
    item, or a tie: the overall majority.) Rows without the key get the majority."""
    inv, uniq = d.codes(attr)
    counts = np.zeros((len(uniq), d.k), dtype=np.int64)
    np.add.at(counts, (inv, d.y), 1)
    others = counts[inv].copy()
    others[np.arange(len(inv)), d.y] -= 1
    pred = _unique_argmax(others, d.majority)
    alone = np.array([u.startswith("\x00") for u in uniq], dtype=bool)[inv]
    pred[alone] = d.majority
    return pred == d.y


def _text_len(text: str | None) -> float:
    return float(len(text)) if text else 0.0


def _cjk_share(text: str | None) -> float:
    return len(_CJK.findall(text)) / len(text) if text else -1.0


def cluster_interval(correct, clusters: np.ndarray | None, z: float = 1.959964) -> tuple[float, float]:
    """95% interval of an accuracy whose items come in clusters (the items of one post, or of one
    user, succeed or fail together under a post or user rule): the cluster-robust variance
    sum_g (sum_{i in g} (c_i - acc))^2 / n^2, never narrower than Wilson's."""
    c = np.asarray(correct, dtype=np.float64)
    n = len(c)
    hits = int(c.sum())
    lo, hi = wilson(hits, n, z)
    if clusters is None or n == 0:
        return lo, hi
    acc = hits / n
    sums = np.bincount(clusters, weights=c - acc)
    half = z * math.sqrt(float(np.dot(sums, sums))) / n
    return (max(0.0, min(lo, acc - half)), min(1.0, max(hi, acc + half)))


#: Which items move together under each rule (None: items are independent).
_CLUSTER = {"position": "user", "user_prior": "user", "post_prior": "post", "own_post": "post",
            "post_time": "post", "popularity": "post"}


def _cluster_of(rule: str) -> str | None:
    return "post" if rule.startswith("post.") else _CLUSTER.get(rule)


def _factorize(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Integer codes in order of first appearance (a dict, not a sort of Python objects)."""
    index: dict[Any, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    return codes, list(index)


def _categories(values: list[Any]) -> np.ndarray:
    return _factorize(values)[0]


def _rules(d: _Data) -> dict[str, Callable[[], np.ndarray]]:
    """The rules that apply to these rows (a feature absent from every row is skipped)."""
    rows = d.rows
    rules: dict[str, Callable[[], np.ndarray]] = {}

    def has(attr: str) -> bool:
        return any(getattr(r, attr) is not None for r in rows)

    def num(values: list[float | None]) -> np.ndarray:
        return np.array([-math.inf if v is None else float(v) for v in values], dtype=np.float64)

    if has("position"):
        rules["position"] = lambda: _cross_validated(
            d, _categories([min(r.position, POSITION_CAP) if r.position is not None else -1 for r in rows]), _table_rule, "user")
    if has("post"):
        rules["post_prior"] = lambda: _leave_one_out(d, "post")
    if has("user"):
        rules["user_prior"] = lambda: _leave_one_out(d, "user")
    if has("own"):
        rules["own_post"] = lambda: _cross_validated(d, _categories([r.own for r in rows]), _table_rule, "post")
    for attr in ("post_time", "popularity"):
        if has(attr):
            rules[attr] = lambda a=attr: _cross_validated(d, num([getattr(r, a) for r in rows]), _stump_rule, "post")
    names = sorted({k for r in rows for k in r.texts})
    for name in names:
        g = "post" if name.startswith("post.") else None  # the post's own text: one value per post
        texts = [r.texts.get(name) for r in rows]
        cache: dict[str | None, float] = {}
        rules[f"{name}.present"] = lambda t=texts, g=g: _cross_validated(d, _categories([bool((x or "").strip()) for x in t]), _table_rule, g)
        rules[f"{name}.length"] = lambda t=texts, g=g: _cross_validated(d, num([_text_len(x) for x in t]), _stump_rule, g)
        rules[f"{name}.script"] = lambda t=texts, g=g, c=cache: _cross_validated(
            d, num([c[x] if x in c else c.setdefault(x, _cjk_share(x)) for x in t]), _stump_rule, g)
        rules[f"{name}.digits"] = lambda t=texts, g=g: _cross_validated(d, _categories([bool(_DIGIT.search(x or "")) for x in t]), _table_rule, g)
    return rules


def audit(rows: list[AuditRow]) -> dict[str, RuleResult]:
    """Every applicable rule's accuracy on `rows` (and, for rows with buckets, on each bucket as
    `rule@bucket`)."""
    out: dict[str, RuleResult] = {}
    raw: dict[str, tuple[np.ndarray, np.ndarray | None, float]] = {}
    groups = [("", rows)]
    buckets = sorted({r.bucket for r in rows})
    if len(buckets) > 1:
        groups += [(f"@{b}", [r for r in rows if r.bucket == b]) for b in buckets]
    for suffix, group in groups:
        if not group:
            continue
        d = _Data(group)
        baseline = float(np.bincount(d.y).max()) / len(group)
        for name, rule in _rules(d).items():
            attr = _cluster_of(name)
            raw[name + suffix] = (rule(), d.codes(attr)[0] if attr else None, baseline)
    # With dozens of rules, some beat chance by luck: the violation test uses an interval that
    # holds for all of them at once (Bonferroni), the report the plain 95% one.
    z_family = NormalDist().inv_cdf(1 - 0.025 / max(1, len(raw)))
    for name, (correct, clusters, baseline) in raw.items():
        out[name] = RuleResult(float(correct.mean()), cluster_interval(correct, clusters), len(correct), baseline,
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
