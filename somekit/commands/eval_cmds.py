"""`somekit eval TASK --gold FILE --pred FILE`."""

from __future__ import annotations

import click

from ..schemas.tasks import TASKS
from .common import console, domain_errors, json_option, print_json


@click.command("eval")
@click.argument("task", type=click.Choice(list(TASKS)), required=False)
@click.option("--gold", "gold", type=click.Path(exists=True),
              help="Frozen split (.parquet, or .jsonl of items), a SoMe-shaped ground_truth .json (SoMe's or our export's, "
                   "mid-zh included), or the folder holding it (an export, SoMe's repo, or a folder of <task name>.json).")
@click.option("--pred", "pred", type=click.Path(dir_okay=False, exists=True),
              help='Predictions, matched by key: JSON lines {"id"|"weibo_id"+"user_id"[+"action"]|"key": ..., "answer": "<raw text>"}, '
                   "a file shaped like SoMe's ground truth, or one of SoMe's results files.")
@click.option("--some-results", "some_results", type=click.Path(file_okay=False, exists=True),
              help="Score every results/<task>/<model>.json that SoMe's test_*.py wrote (TASK and --pred not needed).")
@click.option("--judge", "judge", default=None,
              help="Judge for smq/ses/red: a model name at --llm-base-url (or SOMEKIT_LLM_BASE_URL / [llm] base_url), "
                   "or 'embedded' for the offline model (smoke tests only). Also SOMEKIT_JUDGE.")
@click.option("--ws", "ws", type=click.Path(file_okay=False), default=None, help="Workspace whose [llm] config and response cache to use.")
@click.option("--llm-base-url", default=None, help="OpenAI-compatible endpoint for the judge / extraction fallback.")
@click.option("--llm-model", default=None, help="Model name at that endpoint.")
@click.option("--llm-fallback/--no-llm-fallback", default=None,
              help="Ask the LLM when rules find no single label (default: on when an endpoint is configured).")
@click.option("--fallback/--no-fallback", "offline_fallback", default=True,
              help="Read answers the rules leave undecided with the offline classifier (rule 'offline-fallback'); "
                   "it abstains when unsure, and the LLM, when configured, reads them first.")
@click.option("--llm-audit", "llm_audit", type=click.IntRange(min=0), default=40, show_default=True,
              help="With an LLM: how many rule-read answers it also reads, to report how often the two agree.")
@click.option("--compat", type=click.Choice(["blueprint"]), default=None,
              help="nap: also print BluePrint's own figures (its F1 is accuracy, its cosine compares mean vectors), beside ours.")
@json_option("the scores")
@domain_errors
def eval_cmd(task: str | None, gold: str | None, pred: str | None, some_results: str | None, judge: str | None,
             ws: str | None, llm_base_url: str | None, llm_model: str | None, llm_fallback: bool | None, as_json: bool,
             offline_fallback: bool = True, llm_audit: int = 40, compat: str | None = None) -> None:
    """Score an agent's answers for TASK (ubp ucs mcr uea mid mid-zh smq ses red nap).

    Classification tasks: the label is extracted from each free-text answer (rules in Chinese and
    English, then the LLM when configured, then an offline classifier that abstains when unsure);
    acc = exact matches x 100 / n, tcr = answers with a label x 100 / n. Predictions are matched to gold by key, never by position; missing ones count
    as not completed. smq/ses/red: a named LLM judge rates 0-5 per criterion, score = mean x 20
    (failed judgements count 0), with a 95% interval. nap: macro/micro F1 over actions, cosine.

    \b
    Examples:
      somekit eval ubp --gold ../shared/data/some-ground-truth/user_behavior_prediction.json --pred agent_ubp.json
      somekit eval uea --gold ws/frozen/v1/uea/test.parquet --pred answers.jsonl --json
      somekit eval mid-zh --gold out/some --pred mid_zh.json --json      # our export's folder (or its ground_truth.json)
      somekit eval smq --gold gt/social_media_question_answering.json --pred smq.json --llm-base-url http://127.0.0.1:8000/v1 --judge qwen2.5-72b
      somekit eval --some-results SoMe/results --gold SoMe --json
    """
    from pathlib import Path

    from ..eval import EvalError, evaluate
    from ..eval.judges import EMBEDDED, WARNING, resolve_judge
    from ..eval.llm import LazyLLM, endpoint_configured
    from ..workspace import open_workspace

    w = open_workspace(ws) if ws else None
    llm = LazyLLM(w, base_url=llm_base_url, model=llm_model)
    use_fallback = endpoint_configured(llm_base_url, w) if llm_fallback is None else llm_fallback
    judged = some_results is not None or task in ("smq", "ses", "red")
    judge_llm, judge_name = resolve_judge(w, judge, llm_base_url, llm_model) if judged else (None, None)
    if judge_name == EMBEDDED:
        click.echo(WARNING, err=True)
    if some_results:
        from ..eval.some_results import score_some_results

        gold_dir = gold or str(Path(some_results).resolve().parent)
        if not Path(gold_dir).is_dir():
            raise EvalError("--some-results needs --gold to be the folder holding the ground truth")
        result = score_some_results(some_results, gold_dir, llm=llm if use_fallback else None, judge=judge_llm, judge_name=judge_name,
                                    offline_fallback=offline_fallback)
        if as_json:
            print_json(result)
            return
        for t, models in result.items():
            for model, r in models.items():
                main = {k: r[k] for k in ("acc", "score", "tcr") if k in r}
                console.print(f"[bold]{t}[/] {model}: n={r['n']:,}  " + ("  ".join(f"{k}={v}" for k, v in main.items()) or r.get("skipped", "")))
        return
    if not task or not gold or not pred:
        raise EvalError("give TASK, --gold and --pred (or --some-results DIR)")
    if task in ("smq", "ses", "red"):
        fallback = judge_llm
    else:
        fallback = llm if use_fallback else None
    embedder = None
    if task == "nap":
        from ..annotate.embeddings import get_embedder

        embedder = get_embedder(w)
    if compat and task != "nap":
        raise click.UsageError("--compat blueprint applies to nap only")
    result = evaluate(task, gold, pred, llm=fallback, embedder=embedder, judge_name=judge_name, compat=compat,
                      offline_fallback=offline_fallback, llm_audit=llm_audit if fallback is not None else 0)
    if as_json:
        print_json(result)
        return
    main = {k: result[k] for k in ("acc", "score", "macro_f1", "micro_f1", "cosine", "cosine_set", "tcr") if k in result}
    console.print(f"[bold]{task}[/] n={result['n']:,}  " + "  ".join(f"{k}={v}" for k, v in main.items()))
    if result.get("ci") or result.get("acc_ci"):
        console.print(f"  95% interval: {result.get('ci') or result.get('acc_ci')}")
    if result.get("compat"):
        bp = result["compat"]
        console.print("  blueprint compat (its definitions, for comparison with its paper): " + "  ".join(
            f"{k}={bp[k]:.4f}" for k in ("f1", "avg_embed_cosine_similarity", "max_cosine_similarity") if k in bp))
    if result.get("judge_failures"):
        console.print(f"  [yellow]the judge failed on {result['judge_failures']} items (scored 0)[/]")
    if result.get("reading"):
        console.print("  " + reading_line(result["reading"]))
    m = result.get("matching", {})
    if any(m.get(k) for k in ("missing", "extra", "duplicate", "conflicting", "unkeyed")):
        console.print("  predictions: " + ", ".join(f"{k} {m[k]}" for k in ("matched", "missing", "extra", "duplicate", "conflicting", "unkeyed") if k in m))


def reading_line(reading: dict) -> str:
    """How the answers were read, in one line: a reader judges from it how far to trust the score."""
    parts = [f"read by rules {reading['rules_decided']}", f"undecided by rules {reading['undecided_share']:.1%}"]
    off = reading.get("offline_fallback", {})
    if off.get("enabled"):
        parts.append(f"offline fallback decided {off.get('decided', 0)} of {off.get('asked', 0)}" + (" (unavailable)" if off.get("unavailable") else ""))
    if reading.get("llm_fallback", {}).get("asked"):
        parts.append(f"LLM decided {reading['llm_fallback']['decided']} of {reading['llm_fallback']['asked']}")
    if reading.get("llm_agreement", {}).get("rate") is not None:
        a = reading["llm_agreement"]
        parts.append(f"LLM agrees with the rules on {a['agree']} of {a['both_decided']}")
    parts.append(f"undecided after all {reading['undecided_share_after_fallbacks']:.1%}")
    if reading.get("parser_errors"):
        parts.append(f"[red]parser errors {sum(reading['parser_errors'].values())}[/]")
    return "answers: " + ", ".join(parts)


def register(group: click.Group) -> None:
    group.add_command(eval_cmd)
