"""`somekit eval TASK --gold FILE --pred FILE`."""

from __future__ import annotations

import click

from ..eval import EVAL_TASKS
from .common import console, domain_errors, print_json


@click.command("eval")
@click.argument("task", type=click.Choice(list(EVAL_TASKS)))
@click.option("--gold", "gold", required=True, type=click.Path(dir_okay=False, exists=True),
              help="Frozen split (.parquet, or .jsonl of items / a --hide-test-answers answers file) or a SoMe ground_truth .json.")
@click.option("--pred", "pred", required=True, type=click.Path(dir_okay=False, exists=True),
              help='Predictions: JSON lines {"id": ..., "answer": "<raw text>"} for our gold; for SoMe gold, a JSON file shaped like it.')
@click.option("--ws", "ws", type=click.Path(file_okay=False), default=None, help="Workspace whose [llm] config and response cache to use.")
@click.option("--llm-base-url", default=None, help="OpenAI-compatible endpoint for the judge / extraction fallback.")
@click.option("--llm-model", default=None, help="Model name at that endpoint.")
@click.option("--llm-fallback/--no-llm-fallback", default=None,
              help="Ask the LLM when rules find no single label (default: on when an endpoint is configured).")
@click.option("--compat", type=click.Choice(["blueprint"]), default=None,
              help="nap: also print BluePrint's own figures (its F1 is accuracy, its cosine compares mean vectors), beside ours.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object on stdout.")
@domain_errors
def eval_cmd(task: str, gold: str, pred: str, ws: str | None, llm_base_url: str | None, llm_model: str | None,
             llm_fallback: bool | None, compat: str | None, as_json: bool) -> None:
    """Score an agent's answers for TASK (ubp ucs mcr uea mid smq ses red nap).

    Classification tasks: the label is extracted from each free-text answer (rules in Chinese and
    English, then the LLM when configured); acc = exact matches x 100 / n, tcr = answers with a
    label x 100 / n. Missing predictions count as not completed. smq/ses/red: an LLM judge rates
    0-5 per criterion, score = mean x 20. nap: macro/micro F1 over actions, cosine of texts.

    \b
    Examples:
      somekit eval ubp --gold ../shared/data/some-ground-truth/user_behavior_prediction.json --pred agent_ubp.json
      somekit eval uea --gold ws/frozen/v1/uea/test.parquet --pred answers.jsonl --json
      somekit eval smq --gold gt/social_media_question_answering.json --pred smq.json --llm-base-url http://127.0.0.1:8000/v1
    """
    from ..eval import evaluate
    from ..eval.llm import LazyLLM, endpoint_configured
    from ..workspace import open_workspace

    w = open_workspace(ws) if ws else None
    llm = LazyLLM(w, base_url=llm_base_url, model=llm_model)
    use_fallback = endpoint_configured(llm_base_url, w) if llm_fallback is None else llm_fallback
    embedder = None
    if task == "nap":
        from ..annotate.embeddings import get_embedder

        embedder = get_embedder(w)
    if compat and task != "nap":
        raise click.UsageError("--compat blueprint applies to nap only")
    result = evaluate(task, gold, pred, llm=llm if (task in ("smq", "ses", "red") or use_fallback) else None,
                      embedder=embedder, compat=compat)
    if as_json:
        print_json(result)
        return
    main = {k: result[k] for k in ("acc", "score", "macro_f1", "micro_f1", "cosine", "cosine_set", "tcr") if k in result}
    console.print(f"[bold]{task}[/] n={result['n']:,}  " + "  ".join(f"{k}={v}" for k, v in main.items()))
    if result.get("compat"):
        bp = result["compat"]
        console.print("  blueprint compat (its definitions, for comparison with its paper): " + "  ".join(
            f"{k}={bp[k]:.4f}" for k in ("f1", "avg_embed_cosine_similarity", "max_cosine_similarity") if k in bp))
    if result.get("judge_failures"):
        console.print(f"  [yellow]judge failed on {result['judge_failures']} items (left out of the mean)[/]")


def register(group: click.Group) -> None:
    group.add_command(eval_cmd)
