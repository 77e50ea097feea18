"""How many article tokens should the model read? Answer accuracy and latency per budget.

Runs the project's question set (eval/datasets/samples.yaml) over the sample articles with the
real models, once per passage budget, in a fresh index under a temporary folder. An item
passes when its expectation is met (a refusal for refusal items) and, for answers, the
citations include its source articles. Budget 0 sends the retrieved chunks whole.

    python -m bench.answer_budget [--budgets 150,250,400,0] [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from eval.dataset import load_dataset
from eval.metrics import answer_matches, citations_cover
from rag import Assistant, Settings

ROOT = Path(__file__).resolve().parents[1]


def passed(item, answer) -> bool:
    if item.expect.refuse:
        return answer.refused
    if answer.refused or not answer_matches(answer.text, item.expect)[0]:
        return False
    return citations_cover([c.article_id for c in answer.citations], item.sources)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--budgets", default="150,250,400,0")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    items = load_dataset(ROOT / "eval" / "datasets" / "samples.yaml")[: args.limit]
    with tempfile.TemporaryDirectory() as home:
        settings = replace(Settings.defaults(Path(home)), models_dir=Settings.from_env().models_dir)
        qa = Assistant.open(settings)
        qa.ingest(settings.articles_dir)
        print("| budget (tokens) | passed | answers right | refusals right | median latency (s) |")
        print("|---|---|---|---|---|")
        for budget in (int(b) for b in args.budgets.split(",")):
            qa.budget_tokens = budget
            results, latencies = [], []
            for item in items:
                started = time.perf_counter()
                answer = qa.ask(item.question)
                latencies.append(time.perf_counter() - started)
                results.append((item, passed(item, answer)))
            answers = [ok for item, ok in results if not item.expect.refuse]
            refusals = [ok for item, ok in results if item.expect.refuse]
            label = budget if budget > 0 else "whole chunks"
            print(
                f"| {label} | {sum(ok for _, ok in results)}/{len(results)} | {sum(answers)}/{len(answers)} "
                f"| {sum(refusals)}/{len(refusals)} | {statistics.median(latencies):.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
