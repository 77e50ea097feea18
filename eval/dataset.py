"""Eval datasets: YAML or JSON Lines, one item per question.

- id: uk-stores
  question: How many stores does Xiaomi plan to open in the UK?
  expect: {number: 150, tolerance: 0.1}     # or {any: [...]}, {all: [[...], ...]}, {refuse: true}
  sources: [xiaomi-ford-geruecht]           # article ids the citations must include
  tags: [number, uk]                        # optional: the report splits its scores by these too
  since: 2026-01                            # optional: asked of the articles written since / until then
  until: 2026-12-31
  first_source: xiaomi-ford-geruecht        # optional: the article the answer must cite first (the newest)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from index.errors import DatasetError

__all__ = ["DatasetError", "EvalItem", "Expectation", "load_dataset"]


@dataclass(frozen=True)
class Expectation:
    number: float | None = None
    tolerance: float = 0.0
    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    refuse: bool = False


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    expect: Expectation
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    first_source: str = ""

    @property
    def kind(self) -> str:
        """The kind of expectation: refuse, all (several parts), number or text."""
        if self.expect.refuse:
            return "refuse"
        if self.expect.all:
            return "all"
        return "number" if self.expect.number is not None else "text"


def load_dataset(path: Path) -> list[EvalItem]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"Cannot read the dataset {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() in (".jsonl", ".json"):
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as exc:
            raise DatasetError(f"{path} is not valid JSON Lines: {exc}") from exc
    else:
        import yaml

        try:
            records = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            raise DatasetError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(records, list):
        raise DatasetError(f"{path} must hold a list of items")
    items = [_item(record, number) for number, record in enumerate(records, start=1)]
    duplicates = {item.id for item in items if sum(other.id == item.id for other in items) > 1}
    if duplicates:
        raise DatasetError(f"{path}: item ids used twice: {', '.join(sorted(duplicates))}")
    return items


def _item(record, number: int) -> EvalItem:
    if not isinstance(record, dict) or not record.get("question") or not isinstance(record.get("expect"), dict):
        raise DatasetError(f"item {number} needs a question and an expect mapping (see eval/datasets/samples.yaml)")
    expect = record["expect"]
    alternatives = expect.get("any", ())
    groups = tuple(tuple([g] if isinstance(g, str) else g) for g in expect.get("all", ()))
    expectation = Expectation(
        number=float(expect["number"]) if "number" in expect else None,
        tolerance=float(expect.get("tolerance", 0.0)),
        any=tuple(str(a) for a in alternatives),
        all=tuple(tuple(str(a) for a in group) for group in groups),
        refuse=bool(expect.get("refuse", False)),
    )
    if expectation.number is None and not expectation.any and not expectation.all and not expectation.refuse:
        raise DatasetError(
            f"item {number} ({record.get('id')}): expect needs number, any, all or refuse "
            "(see eval/datasets/samples.yaml)"
        )
    return EvalItem(
        id=str(record.get("id") or f"item-{number}"),
        question=str(record["question"]),
        expect=expectation,
        sources=tuple(str(s) for s in record.get("sources", ()) or ()),
        tags=tuple(str(t) for t in record.get("tags", ()) or ()),
        since=str(record.get("since") or ""),  # YAML reads 2026-01-15 as a date: str() gives it back
        until=str(record.get("until") or ""),
        first_source=str(record.get("first_source") or ""),
    )
