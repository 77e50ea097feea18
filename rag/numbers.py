"""Reading numbers written in English or German notation.

"108.796" is 108796 in German and 108.796 in English; "25,5" is 25.5 in German. Where the
notation alone cannot tell (one separator followed by exactly three digits), both readings
are returned, and a comparison succeeds if either fits. A scale word after a number adds
the scaled reading too: "61 Millionen" is 61 and 61,000,000; "1,5 Milliarden" is 1.5 and
1,500,000,000. What it leaves out: numbers written as words ("drei").
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCALED = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(thousand|tausend|million|millionen|mio\.?|billion|billions|milliarde|milliarden|mrd\.?)\b",
    re.IGNORECASE,
)
_SCALES = {
    "thousand": 1e3,
    "tausend": 1e3,
    "million": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd": 1e9,
}


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
    for match in _SCALED.finditer(text):
        factor = _SCALES[match.group(2).lower().rstrip(".")]
        found |= {round(value * factor, 6) for value in readings(match.group(1))}
    return found


_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?![\d.,]*\d)")
_DECIMAL = re.compile(r"(?<![\d.,])(\d+)([.,])(\d{1,2})(?![\d.,]*\d)")


def localize(text: str, language: str, sources: str = "") -> str:
    """Write the numbers of an answer in its language's notation.

    Decimals with one or two digits after the separator are unambiguous ("25,5" is 25.5) and
    are always converted. A number grouped by threes ("108.796") is converted when the same
    digits appear in the cited sources, whose notation tells which one it is.
    """
    decimal, grouping = (".", ",") if language == "en" else (",", ".")
    text = _DECIMAL.sub(lambda m: f"{m.group(1)}{decimal}{m.group(3)}", text)

    def regroup(match: re.Match) -> str:
        token = match.group()
        digits = re.sub(r"[.,]", "", token)
        if any(re.sub(r"[.,]", "", other) == digits for other in NUMBER.findall(sources)):
            return re.sub(r"[.,]", grouping, token)
        return token

    return _GROUPED.sub(regroup, text)
