"""Reading numbers written in English or German notation, in digits or in words.

"108.796" is 108796 in German and 108.796 in English; "25,5" is 25.5 in German. Where the
notation alone cannot tell (one separator followed by exactly three digits), both readings
are returned, and a comparison succeeds if either fits. A scale after a number adds the
scaled reading too: "61 Millionen" is 61 and 61,000,000; "1,5 Mrd." and "3,36bn" are
1,500,000,000 and 3,360,000,000; "£4.6m" is 4.6 and 4,600,000 (and "412m" therefore also
412,000,000: a suffix "m" may be metres, so both readings stay). Numbers written as words
are read in both languages: cardinals ("drei", "twenty-five", "fünfundzwanzig", "hundert"),
ordinals up to the twelfth ("dritten", "third"), "a dozen" / "ein Dutzend", and scaled words
("sechs Millionen", "two billion", "einer Milliarde", "half a million"). A German "Billion"
is a thousand milliards, an English "billion" a milliard: both readings are kept. Percent
and per mille signs leave the number as written ("25,5 %" is 25.5); a range ("10-12",
"zehn bis zwölf") gives both ends.
"""

from __future__ import annotations

import math
import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CARDINALS = {
    0: "zero null",
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
    12: "twelve zwölf dozen dutzend",
    13: "thirteen dreizehn",
    14: "fourteen vierzehn",
    15: "fifteen fünfzehn",
    16: "sixteen sechzehn",
    17: "seventeen siebzehn",
    18: "eighteen achtzehn",
    19: "nineteen neunzehn",
    20: "twenty zwanzig",
    30: "thirty dreißig dreissig",
    40: "forty vierzig",
    50: "fifty fünfzig",
    60: "sixty sechzig",
    70: "seventy siebzig",
    80: "eighty achtzig",
    90: "ninety neunzig",
    100: "hundred hundert",
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
_UNITS = {word: value for word, value in _WORD_VALUES.items() if value < 10 and value in _CARDINALS}
_TENS = {word: value for value, words in _CARDINALS.items() if 20 <= value <= 90 for word in words.split()}
_WORD_ALTERNATIVES = "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
# "twenty-five", "twenty five", "fünfundzwanzig", "einundzwanzig": tens with units
_COMPOUND = re.compile(
    rf"\b(?:({'|'.join(_TENS)})[- ]({'|'.join(_UNITS)})|({'|'.join(_UNITS)}|ein)und({'|'.join(_TENS)}))\b",
    re.IGNORECASE,
)
_NUMBER_WORD = re.compile(rf"\b({_WORD_ALTERNATIVES})\b", re.IGNORECASE)
_SCALES = {
    "thousand": (1e3,),
    "thousands": (1e3,),
    "tausend": (1e3,),
    "tsd": (1e3,),
    "k": (1e3,),
    "million": (1e6,),
    "millions": (1e6,),
    "millionen": (1e6,),
    "mio": (1e6,),
    "mn": (1e6,),
    "m": (1e6,),
    "billion": (1e9, 1e12),  # English milliard, German thousand milliards
    "billions": (1e9,),
    "bn": (1e9,),
    "milliarde": (1e9,),
    "milliarden": (1e9,),
    "mrd": (1e9,),
    "billionen": (1e12,),
    "bio": (1e12,),
    "trillion": (1e12,),
    "trillions": (1e12,),
    "tn": (1e12,),
}
_ATTACHED_ONLY = {"k", "m"}  # "4.6m", "20k": the suffix touches the number ("5 m" is five metres)
_AMBIGUOUS = {"m"}  # "412m" may be metres: the unscaled reading stays valid for an answer too
_SCALED = re.compile(
    rf"(\d+(?:[.,]\d+)*|\b(?:half\s+an?|an?|eine\s+halbe|einer\s+halben|{_WORD_ALTERNATIVES})\b)(\s*)"
    rf"({'|'.join(sorted(_SCALES, key=len, reverse=True))})(?:\.|\b)",
    re.IGNORECASE,
)


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
    for match in _COMPOUND.finditer(text):
        tens, units = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        found.add(float(_TENS[tens.lower()] + _WORD_VALUES.get(units.lower(), 1)))
    for match in _SCALED.finditer(text):
        found |= _scaled_values(match)
    return {value for value in found if math.isfinite(value)}


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
            scaled_values = _scaled_values(scale)
            if scaled_values:
                values = scaled_values | (values if _scale_word(scale) in _AMBIGUOUS else set())
        if values and not values & known:
            missing.append(match.group())
    return missing


def _scale_word(match: re.Match) -> str:
    return match.group(3).lower()


def _scaled_values(match: re.Match) -> set[float]:
    """The values of a number followed by its scale ("1,5 Mrd.", "sechs Millionen", "£4.6m")."""
    word = _scale_word(match)
    if word in _ATTACHED_ONLY and (match.group(2) or not match.group(1)[0].isdigit()):
        return set()
    number = " ".join(match.group(1).lower().split())
    if number[0].isdigit():
        bases = readings(number)
    elif number.startswith(("half", "eine halbe", "einer halben")):
        bases = {0.5}
    else:
        bases = {float(_WORD_VALUES.get(number, 1))}
    return {round(base * factor, 6) for base in bases for factor in _SCALES[word]}


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
