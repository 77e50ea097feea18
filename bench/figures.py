"""One measured figure of the benchmark, and the pair-to-ratio helper every section uses."""

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
