"""Reading numbers written in English or German notation.

"108.796" is 108796 in German and 108.796 in English; "25,5" is 25.5 in German. Where the
notation alone cannot tell (one separator followed by exactly three digits), both readings
are returned, and a comparison succeeds if either fits. What it leaves out: scale words
("1,5 Milliarden") and numbers written as words.
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def readings(token: str) -> set[float]:
    """Every value a number token can mean in English or German notation."""
    dots, commas = token.count("."), token.count(",")
    if not dots and not commas:
        return {float(token)}
    if dots and commas:
        decimal = "." if token.rfind(".") > token.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        return {float(token.replace(thousands, "").replace(decimal, "."))}
    separator = "." if dots else ","
    groups = token.split(separator)
    grouped_by_thousands = all(len(group) == 3 for group in groups[1:]) and 1 <= len(groups[0]) <= 3
    values = set()
    if grouped_by_thousands:
        values.add(float("".join(groups)))
    if len(groups) == 2:
        values.add(float(f"{groups[0]}.{groups[1]}"))
    return values or {float("".join(groups))}


def numbers_in(text: str) -> set[float]:
    """All values of all numbers in ``text``."""
    found: set[float] = set()
    for match in NUMBER.finditer(text):
        found |= readings(match.group())
    return found
