"""Benchmark: would a reviewer keep the offline drafts' key terms and titles? (issue 30)

Two corpora:
- the bundled Weibo sample (the demo's): RED and SES built with the extractive drafter, every
  event and topic summary read back from the items;
- the CED-shaped real subset in ../shared/data/ced-weibo (held out: nothing was tuned on it):
  each rumour cascade (the original post and its reposts' texts) is one group of posts about one
  story, as a RED cluster is; its key terms and headline come from the same functions.

Figures per corpus: the share of key terms that are jieba dictionary words of a content part of
speech, hashtags or English words and occur in 2+ posts (judged by verify's own code,
verify/draft_text.py; target 100%), the share of titles that are a clause of a post or a
hashtag, and title length in characters. Baseline, measured in the same run on the same groups:
the previous drafter's rule (raw jieba tokens, HMM on, ranked by over-representation against the
background; title = the top three terms). With an LLM endpoint configured
(SOMEKIT_LLM_BASE_URL), SES topics are also drafted by the LLM and both drafts are scored by the
judge (the topic's posts as the reference). Last line: one JSON object.

    python bench/drafts.py [--ced ../shared/data/ced-weibo] [--cascades 517]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from somekit.drafters.draft_text import headline, key_terms
from somekit.verify.draft_text import is_clause_of, term_problem

ROOT = Path(__file__).resolve().parents[1]
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_EN = re.compile(r"[a-z][a-z0-9']{2,}")
_EN_STOP = frozenset("the and for are but not you all any can had her was one our out has him his how its may new now "
                     "see two who did get let say she too use this that with from have they will what when your just "
                     "more been were into than them then some http https www com".split())


def _old_terms_of(text: str) -> set[str]:
    import jieba

    runs = _CJK.findall(text or "")
    out = {w for w in jieba.lcut(" ".join(runs)) if len(w) >= 2 and _CJK.fullmatch(w)} if runs else set()
    return out | {w for w in _EN.findall((text or "").lower()) if w not in _EN_STOP}


class Baseline:
    """The previous extractive rule, kept here only to measure against: every jieba token of 2+
    CJK characters (HMM guesses included) and English word, in 2+ posts, ranked by cluster share
    minus background share; the title was the top three terms."""

    def __init__(self, background: list[str]):
        self.outside = Counter(t for x in background for t in _old_terms_of(x))
        self.n_out = max(1, len(background))

    def terms(self, texts: list[str], k: int = 3, exclude: str = "") -> list[str]:
        inside = Counter(t for x in texts for t in _old_terms_of(x) if t not in exclude.lower())
        n_in = max(1, len(texts))
        ranked = sorted((t for t, c in inside.items() if c >= 2),
                        key=lambda t: (-(inside[t] / n_in - self.outside[t] / self.n_out), -inside[t], t))
        return ranked[:k]


def _figures(groups: list[dict], which: str) -> dict:
    terms = [(t, g["texts"]) for g in groups for t in g[f"{which}_terms"]]
    ok = sum(term_problem(t, texts) is None for t, texts in terms)
    heads = [g[f"{which}_head"] for g in groups if g[f"{which}_head"]]
    clause = sum(any(is_clause_of(h, x) for x in g["texts"]) or (h.startswith("#") and h.endswith("#"))
                 for g in groups if (h := g[f"{which}_head"]))
    return {"groups": len(groups), "key_terms": len(terms), "key_terms_valid_share": round(ok / len(terms), 4) if terms else None,
            "terms_per_group": round(len(terms) / len(groups), 3) if groups else None,
            "title_is_clause_or_hashtag_share": round(clause / len(heads), 4) if heads else None,
            "title_chars_median": statistics.median(len(h) for h in heads) if heads else None,
            "title_chars_max": max((len(h) for h in heads), default=None),
            "bad_terms_sample": [t for t, texts in terms if term_problem(t, texts) is not None][:8]}


def _compare(groups: list[dict]) -> dict:
    new, base = _figures(groups, "new"), _figures(groups, "baseline")
    ratio = (round(new["key_terms_valid_share"] / base["key_terms_valid_share"], 3)
             if new["key_terms_valid_share"] and base["key_terms_valid_share"] else None)
    return {"extractive": new, "baseline": base, "valid_share_ratio": ratio}


def ced_groups(ced: Path, limit: int | None) -> list[dict]:
    originals = sorted((ced / "original-microblog").glob("*.json"))[:limit]
    texts_of = {}
    for path in originals:
        orig = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
        rep = ced / "rumor-repost" / path.name
        reposts = json.loads(rep.read_text(encoding="utf-8")) if rep.exists() else []
        texts_of[path.name] = [orig] + [r["text"] for r in reposts[:50] if (r.get("text") or "").strip()]
    baseline = Baseline([t[0] for t in texts_of.values()])
    groups = []
    for name, texts in texts_of.items():
        base = baseline.terms(texts)
        groups.append({"texts": texts, "new_terms": key_terms(texts), "baseline_terms": base,
                       "new_head": headline(texts[0], texts, "zh"), "baseline_head": "、".join(base)})
    return groups


def _drafter(ws, name: str) -> None:
    """Name the red and ses drafter in the workspace's somekit.toml (the bench's own sections)."""
    path = ws.root / "somekit.toml"
    text = path.read_text(encoding="utf-8").split("\n# bench/drafts.py\n")[0]
    path.write_text(text + "\n# bench/drafts.py\n" + "".join(
        f'[tasks.{t}]\noptions = {{ drafter = "{name}" }}\n' for t in ("red", "ses")), encoding="utf-8")


def sample_groups(work: Path) -> tuple[list[dict], dict]:
    """RED events and SES topics of the bundled sample, built by the extractive drafter."""
    from somekit.enrich.textview import post_texts
    from somekit.ingest import ingest
    from somekit.builders.registry import get_builder
    from somekit.sample import WEIBO
    from somekit.store.items import read_items
    from somekit.store.query import connect
    from somekit.verify.runner import run_checks
    from somekit.workspace import init_workspace

    ws = init_workspace(work / "ws")
    _drafter(ws, "extractive")          # even where an endpoint is configured
    ingest(ws, "jsonl", [WEIBO])
    cfg = ws.config()
    for task in ("red", "ses"):
        get_builder(task)(ws, cfg, n=12 if task == "red" else 6)
    con = connect(ws.corpus)
    by_loc: dict[str, list[str]] = {}
    for loc, text in con.execute("SELECT coalesce(location, ''), coalesce(text, '') FROM posts").fetchall():
        by_loc.setdefault(loc, []).append(text)
    con.close()
    groups = []
    red, ses = read_items(ws, "red"), read_items(ws, "ses")
    texts = post_texts(ws, {p for it in red for ev in it.answer.events for p in ev.post_ids}
                       | {p for it in ses for p in it.inputs.post_ids}, cfg)
    seen = set()
    for it in red:
        for ev in it.answer.events:
            if ev.title in seen:        # an event listed in several windows counts once
                continue
            seen.add(ev.title)
            mine = [texts[p] for p in ev.post_ids]
            base = Baseline(by_loc.get(ev.location, [])).terms(mine, exclude=ev.location)
            groups.append({"texts": mine, "new_terms": ev.key_terms, "baseline_terms": base,
                           "new_head": ev.title.split("：", 1)[-1], "baseline_head": "、".join(base)})
    everything = Baseline([t for v in by_loc.values() for t in v])
    for it in ses:
        mine = [texts[p] for p in it.inputs.post_ids]
        base = everything.terms(mine, exclude=it.inputs.topic)
        groups.append({"texts": mine, "new_terms": it.answer.key_terms, "baseline_terms": base,
                       "new_head": None, "baseline_head": None})
    report = run_checks(ws, ["red", "ses"])
    extra = {"red_items": len(red), "ses_items": len(ses), "verify_ok": report["ok"],
             "violations": [v for v in report["violations"]][:5]}
    if os.environ.get("SOMEKIT_LLM_BASE_URL"):
        extra["judge"] = judge_ses(ws, ses, texts)
    return groups, extra


def judge_ses(ws, extractive: list, texts: dict[str, str]) -> dict:
    """The judge's score of the extractive and the LLM SES drafts, each against the topic's posts."""
    from somekit.builders.registry import get_builder
    from somekit.eval.cases import Case
    from somekit.eval.judge import score_judged
    from somekit.eval.judges import resolve_judge
    from somekit.store.items import read_items

    _drafter(ws, "llm")
    get_builder("ses")(ws, ws.config(), n=len(extractive))
    llm_items = {it.inputs.topic: it for it in read_items(ws, "ses")}
    judge, name = resolve_judge(ws)
    out = {}
    for which, items in (("extractive", {it.inputs.topic: it for it in extractive}), ("llm", llm_items)):
        cases = [Case(id=t, question=it.query, gold="\n".join(texts.get(p, "") for p in it.inputs.post_ids)[:2000],
                      answer=it.answer.summary) for t, it in items.items()]
        out[which] = score_judged("ses", cases, judge, name)["score"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ced", default=str(ROOT.parent / "shared" / "data" / "ced-weibo"))
    ap.add_argument("--cascades", type=int, default=None, help="CED cascades to use (default: all)")
    args = ap.parse_args()
    out: dict = {"bench": "drafts"}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        groups, extra = sample_groups(Path(tmp))
        out["sample"] = {**_compare(groups), **extra}
    out["sample_seconds"] = round(time.perf_counter() - t0, 2)
    ced = Path(args.ced)
    if (ced / "original-microblog").is_dir():
        t0 = time.perf_counter()
        out["ced"] = _compare(ced_groups(ced, args.cascades))
        out["ced_seconds"] = round(time.perf_counter() - t0, 2)
    else:
        out["ced"] = None
        print(f"no CED data at {ced}; CED figures skipped", file=sys.stderr)
    out["load_avg"] = list(os.getloadavg())
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
