"""The clauses of a sentence, and those that hold an answer's figures.

A news sentence packs several facts: "Graz has ordered 40 trams, and Linz is also interested".
Its clauses are the parts between commas and colons (not those inside a number or a score,
"1:0"), semicolons,
dashes and the conjunctions that join main clauses ("and", "but", "while", "und", "aber",
"während", ...). Figures are compared by value, in digits or words ("acht" is 8).
"""

from __future__ import annotations

import re

from rag.numbers import numbers_in

_CLAUSE_END = re.compile(
    r";|:(?!\d)|,(?!\d)|\s+(?:and|but|while|whereas|und|aber|während|doch|sondern|sowie)\s+|\s+[-–]\s+", re.IGNORECASE
)


def clauses(sentence: str) -> list[str]:
    return [clause for clause in _CLAUSE_END.split(sentence) if clause.strip()]


def clauses_holding(sentence: str, values: set[float]) -> list[str]:
    """The clauses that hold one of the values (the whole sentence when no value is given)."""
    if not values:
        return [sentence]
    return [clause for clause in clauses(sentence) if numbers_in(clause) & values]


def clauses_about(sentence: str, answer: str) -> list[str]:
    """The clauses that hold the answer's figures or, for an answer without any, its words
    (five-letter prefixes: "Chivas" meets "Chivas"); the whole sentence when none does."""
    if values := numbers_in(answer):
        return clauses_holding(sentence, values)
    words = {word.casefold()[:5] for word in re.findall(r"[^\W\d_]{4,}", answer)}
    holding = [c for c in clauses(sentence) if words & {w.casefold()[:5] for w in re.findall(r"\w{4,}", c)}]
    return holding or [sentence]
