"""Scoring an answer against what was expected, without an LLM judge.

Text matching ignores case, accents and runs of whitespace. A number is expected within a
relative tolerance (0.1 passes 135..165 for 150) and is read in English or German notation.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from rag.numbers import numbers_in


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_accents.replace("ß", "ss").split())


def contains_any(answer: str, alternatives: Sequence[str]) -> bool:
    haystack = normalize(answer)
    return any(normalize(alternative) in haystack for alternative in alternatives)


def number_matches(answer: str, expected: float, tolerance: float = 0.0) -> bool:
    """True when any number in ``answer`` is within ``tolerance`` (relative) of ``expected``."""
    allowed = abs(expected) * tolerance
    return any(abs(value - expected) <= allowed for value in numbers_in(answer))
