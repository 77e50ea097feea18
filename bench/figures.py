"""One measured figure of the benchmark, the pair-to-ratio helper every section uses, and the
Markdown table of a run's figures (``markdown``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Figure:
    section: str
    name: str
    ours: float
    reference: float | None  # measured beside ours (the raw model's or the peer's figure), when there is one
    ratio: float | None
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""


def ratio_figure(section, name, ours, reference, unit, *, target="", at_least=None, at_most=None, note=""):
    ratio = ours / reference if reference else None
    met = None
    if ratio is not None and at_least is not None:
        met = ratio >= at_least
    if ratio is not None and at_most is not None:
        met = ratio <= at_most
    reference = None if reference is None else round(reference, 4)  # a reference that could not be measured
    return Figure(section, name, round(ours, 4), reference, _round(ratio), unit, target, met, note)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def markdown(results: dict) -> str:
    lines = [
        f"`article-qa bench{' --quick' if results['quick'] else ''}`, {results['machine']}, {results['seconds']} s",
        "",
        "| section | figure | ours | reference | ratio | target | met | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in results["figures"]:
        met = "" if f["met"] is None else ("yes" if f["met"] else "no")
        reference = "" if f["reference"] is None else f"{f['reference']} {f['unit']}"
        ratio = "" if f["ratio"] is None else f"{f['ratio']}"
        lines.append(f"| {f['section']} | {f['name']} | {f['ours']} {f['unit']} | {reference} | {ratio} | "
                     f"{f['target']} | {met} | {f['note']} |")  # fmt: skip
    return "\n".join(lines) + "\n"
