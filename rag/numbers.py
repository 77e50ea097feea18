"""Reading numbers written in English or German notation.

"108.796" is 108796 in German and 108.796 in English; "25,5" is 25.5 in German. Where the
notation alone cannot tell (one separator followed by exactly three digits), both readings
are returned, and a comparison succeeds if either fits. A scale word after a number adds
the scaled reading too: "61 Millionen" is 61 and 61,000,000; "1,5 Milliarden" is 1.5 and
1,500,000,000. Numbers written as words up to twelve, cardinal or ordinal, are read in both
languages ("drei", "four", "dritten", "third"), and so is "einer Milliarde" / "one billion".
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CARDINALS = {
    1: "one eins einer eine einem einen",
    2: "two zwei",
    3: "three drei",
    4: "four vier",
    5: "five fünf",
    6: "six sechs",
    7: "seven sieben",
    8: "eight acht",
    9: "nine neun",
    10: "ten zehn",
    11: "eleven elf",
    12: "twelve zwölf",
}
_ORDINAL_STEMS = {
    1: "first erst",
    2: "second zweit",
    3: "third dritt",
    4: "fourth viert",
    5: "fifth fünft",
    6: "sixth sechst",
    7: "seventh siebt",
    8: "eighth acht",
    9: "ninth neunt",
    10: "tenth zehnt",
    11: "eleventh elft",
    12: "twelfth zwölft",
}
_WORD_VALUES = {word: value for value, words in _CARDINALS.items() for word in words.split()} | {
    f"{stem}{ending}": value
    for value, stems in _ORDINAL_STEMS.items()
    for stem in stems.split()
    for ending in ("", "e", "en", "er", "es", "em")
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SCALED = re.compile(
    r"(\d+(?:[.,]\d+)*|\b(?:one|a|ein|eine|einer|einem)\b)\s*(thousand|tausend|million|millionen|mio\.?|billion|billions|milliarde|milliarden|mrd\.?)\b",
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
        whole, _, decimals = token.replace(thousands, "").partition(decimal)
        return set() if decimal in decimals else {float(f"{whole}.{decimals}")}  # "0.0,0.0" reads as nothing
    separator = "." if dots else ","
    groups = token.split(separator)
    grouped_by_thousands = all(len(group) == 3 for group in groups[1:]) and 1 <= len(groups[0]) <= 3
    values = set()
    if grouped_by_thousands:
        values.add(float("".join(groups)))
    if len(groups) == 2 and not (grouped_by_thousands and groups[1].endswith("0")):
        values.add(float(f"{groups[0]}.{groups[1]}"))  # "1,000" is never 1.0: decimals drop trailing zeros
    return values or {float("".join(groups))}


def numbers_in(text: str) -> set[float]:
    """All values of all numbers in ``text``."""
    found: set[float] = set()
    for match in NUMBER.finditer(text):
        found |= readings(match.group())
    for match in _NUMBER_WORD.finditer(text):
        found.add(float(_WORD_VALUES[match.group().lower()]))
    for match in _SCALED.finditer(text):
        factor = _SCALES[match.group(2).lower().rstrip(".")]
        found |= {round(value * factor, 6) for value in _values(match.group(1))}
    return found


def unsupported_numbers(answer: str, evidence: str) -> list[str]:
    """Numbers written in digits in ``answer`` that ``evidence`` does not hold in any reading.

    "1 billion" is checked as 1,000,000,000, so "einer Milliarde" supports it.
    """
    known = numbers_in(evidence)
    scaled = {match.start(1): match for match in _SCALED.finditer(answer) if match.group(1)[0].isdigit()}
    missing = []
    for match in NUMBER.finditer(answer):
        values = readings(match.group())
        if match.start() in scaled:
            scale = scaled[match.start()]
            values = {round(v * _SCALES[scale.group(2).lower().rstrip(".")], 6) for v in values}
        if not values & known:
            missing.append(match.group())
    return missing


def _values(token: str) -> set[float]:
    return readings(token) if token[0].isdigit() else {1.0}


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
