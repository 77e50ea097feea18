"""The eval report: a summary of the item results, as JSON and as Markdown tables.

Besides the totals (among them the harm: ``answered_wrongly``, the share of all questions
given an answer that is wrong or that should have been a refusal, and ``coverage``, the share
answered at all), the summary splits the scores by question language / source articles'
language ("en/de": an English question about a German article), by kind of expectation
(number, text, all, refuse) and by the items' tags, and counts the reasons for refusals.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict
from typing import Sequence

from eval.harness import ItemResult


def summarize(results: Sequence[ItemResult], *, k: int, retrieval_only: bool = False) -> dict:
    with_sources = [r for r in results if r.sources]
    latencies = [r.latency_s for r in results if r.latency_s is not None]
    ttfts = [r.ttft_s for r in results if r.ttft_s is not None]
    summary = {
        "n": len(results),
        "k": k,
        "retrieval_only": retrieval_only,
        "retrieval_hit_at_k": _share(r.first_hit_rank is not None for r in with_sources),
        "retrieval_mrr": _mean([1 / r.first_hit_rank if r.first_hit_rank else 0.0 for r in with_sources]),
    }
    if retrieval_only:
        return summary
    return {
        **summary,
        **_scores(results),
        "answer_f1": _mean([r.f1 for r in results if r.f1 is not None]),
        "latency_p50_s": _percentile(latencies, 50),
        "latency_p95_s": _percentile(latencies, 95),
        "ttft_p50_s": _percentile(ttfts, 50),
        "refusal_reasons": dict(sorted(Counter(r.refusal or "unknown" for r in results if r.refused).items())),
        "by_languages": _split(results, lambda r: [r.languages]),
        "by_kind": _split(results, lambda r: [r.kind]),
        "by_tag": _split(results, lambda r: list(r.tags)),
        "risk_coverage": risk_coverage(results),
    }


def _scores(results: Sequence[ItemResult]) -> dict:
    answerable = [r for r in results if not r.expects_refusal]
    return {
        "accuracy": _share(r.passed for r in results),
        "answer_accuracy": _share(r.passed for r in answerable),
        "refusal_accuracy": _share(r.passed for r in results if r.expects_refusal),
        "citation_accuracy": _share(bool(r.citation_ok) for r in answerable if r.sources),
        "answered_wrongly": _share(not r.refused and not r.passed for r in results),
        "coverage": _share(not r.refused for r in results),
    }


RISK_THRESHOLDS = (0.0, 0.02, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5)


def risk_coverage(results: Sequence[ItemResult]) -> dict[str, dict]:
    """For each threshold on the model's probability of its answer: the share of all questions
    that would still be answered, and the share that would be answered wrongly, had answers
    below it been refused. Answers already refused under the run's own threshold
    (ARTICLE_QA_MIN_ANSWER_PROBABILITY) stay refused: run with it at 0 to see the whole curve."""
    curve = {}
    for threshold in RISK_THRESHOLDS:
        kept = [r for r in results if not r.refused and (r.probability is None or r.probability >= threshold)]
        curve[f"{threshold:.2f}"] = {
            "coverage": round(len(kept) / len(results), 4) if results else None,
            "answered_wrongly": round(sum(not r.passed for r in kept) / len(results), 4) if results else None,
        }
    return curve


def _split(results: Sequence[ItemResult], keys) -> dict[str, dict]:
    """The scores of each group of items; an item may be in several groups (tags) or in none."""
    groups: dict[str, list[ItemResult]] = {}
    for result in results:
        for key in keys(result):
            groups.setdefault(key, []).append(result)
    return {key: {"n": len(group), **_scores(group)} for key, group in sorted(groups.items())}


def to_json(summary: dict, results: Sequence[ItemResult]) -> str:
    return json.dumps({"summary": summary, "items": [asdict(r) for r in results]}, ensure_ascii=False, indent=2)


def to_markdown(summary: dict, results: Sequence[ItemResult], *, title: str = "Eval report") -> str:
    lines = [f"# {title}", "", summary_table(summary), "", *breakdown_tables(summary)]
    if summary.get("retrieval_only"):
        lines += ["| id | question | retrieved articles | first hit |", "|---|---|---|---|"]
        for r in sorted(results, key=lambda r: (r.first_hit_rank is not None, r.id)):
            lines.append(
                f"| {r.id} | {_cell(r.question)} | {_cell(', '.join(r.retrieved_article_ids))} | "
                f"{r.first_hit_rank or '-'} |"
            )
        return "\n".join(lines) + "\n"
    lines += ["| | id | question | answer | citations ok | latency (s) | why |", "|---|---|---|---|---|---|---|"]
    for r in sorted(results, key=lambda r: (r.passed, r.id)):
        citation = {True: "yes", False: "no", None: "-"}[r.citation_ok]
        lines.append(
            f"| {'pass' if r.passed else 'FAIL'} | {r.id} | {_cell(r.question)} | {_cell(r.answer)} | {citation} "
            f"| {r.latency_s if r.latency_s is not None else '-'} | {_cell(r.why)} |"
        )
    return "\n".join(lines) + "\n"


def summary_table(summary: dict) -> str:
    rows = ["| metric | value |", "|---|---|"]
    for key, value in summary.items():
        if not isinstance(value, dict):
            rows.append(f"| {key} | {_shown(value)} |")
    return "\n".join(rows)


def breakdown_tables(summary: dict) -> list[str]:
    """The split scores and the refusal reasons as Markdown tables, a blank line after each."""
    lines: list[str] = []
    for key, heading in (("by_languages", "question/articles"), ("by_kind", "kind"), ("by_tag", "tag")):
        if summary.get(key):
            lines += [
                f"| {heading} | n | accuracy | answers | refusals | citations | answered wrongly |",
                "|---|---|---|---|---|---|---|",
            ]
            for name, scores in summary[key].items():
                metrics = ("accuracy", "answer_accuracy", "refusal_accuracy", "citation_accuracy", "answered_wrongly")
                shown = [_shown(scores[metric]) for metric in metrics]
                lines.append(f"| {name} | {scores['n']} | " + " | ".join(shown) + " |")
            lines.append("")
    if summary.get("risk_coverage"):
        lines += ["| answer's probability at least | coverage | answered wrongly |", "|---|---|---|"]
        lines += [
            f"| {threshold} | {_shown(point['coverage'])} | {_shown(point['answered_wrongly'])} |"
            for threshold, point in summary["risk_coverage"].items()
        ]
        lines.append("")
    if summary.get("refusal_reasons"):
        lines += ["| refusal reason | answers |", "|---|---|"]
        lines += [f"| {reason} | {count} |" for reason, count in summary["refusal_reasons"].items()]
        lines.append("")
    return lines


def _shown(value) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _share(flags) -> float | None:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _percentile(values: list[float], percent: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``percent`` % of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
