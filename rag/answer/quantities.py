"""What a figure measures, read from the words around it: a sum of money, a share, a measure
with a unit (length, speed, energy, ...), a span of time, a year, or a count of something.

The words come from CLDR through Babel, in German and English: every unit's long names in the
singular and plural ("Kilometer", "kilometres", "Gigawattstunden", "miles per hour") and its
short forms where they cannot be ordinary words ("km", "kWh", "%"), grouped by CLDR's own
categories; every currency's names, plurals, symbols and ISO codes ("Britisches Pfund",
"pounds", "£", "GBP") and the nouns they end in ("Pfund", "Dollar"). What CLDR does not hold
is typed here once: scale words ("Mio.", "bn"), the minor units ("cents", "pence") and the
fractions that state a share ("half", "zwei Drittel").

What it leaves out: compound units written as one German word with another noun
("Megawatt-Leistung"), and units CLDR does not list ("Einwohner pro km²" is read as an area).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from index.lexical import STOP_WORDS
from index.lexicon import MONTH_NUMBERS, SCALE, YEAR
from rag.numbers import NUMBER

LOCALES = ("de", "en", "en_GB")  # en_GB: "kilometres", "per cent"
# CLDR's unit categories that news figures use; the rest (graphics, light, torque, ...) are left out
_CATEGORIES = {
    "length": "length", "area": "area", "volume": "volume", "mass": "mass", "speed": "speed",
    "energy": "energy", "power": "power", "duration": "duration", "temperature": "temperature",
    "digital": "digital", "consumption": "consumption", "pressure": "pressure", "frequency": "frequency",
}  # fmt: skip
_SHARE_UNITS = ("concentr-percent", "concentr-permille")
_MINOR_MONEY = ("cent", "cents", "pence", "penny", "rappen", "groschen")
_FRACTIONS = re.compile(
    r"\b(?:half|halves|third|thirds|quarter|quarters|fifth|fifths|hälfte|drittel|viertel|fünftel|zehntel"
    r"|jede[rsn]? (?:zweite|dritte|vierte|fünfte|zehnte)\w*|every (?:second|third|fourth|fifth|tenth))\b",
    re.IGNORECASE,
)
_WORDS_NOT_UNITS = STOP_WORDS | {"am", "pm", "min"}  # short forms that are words: "in", "am"
_PREFIXES = ("kilo", "mega", "giga", "tera", "milli", "centi")
# words before a number that make it a year: "in 2019", "seit 2010", "Ende 2015", "im März 2015"
_YEAR_CUES = (
    "in im seit since bis until by von from of year jahr jahres ende anfang mitte end early late mid before after "
    "vor nach um ab during während summer winter spring autumn sommer herbst frühjahr"
)


@dataclass(frozen=True)
class Quantity:
    """A number in a text and what it measures."""

    start: int
    end: int  # after its scale and unit words
    number: str
    kind: str  # "money", "share", a unit category ("length", "duration", ...), "year" or "count"
    noun: str = ""  # for a count, the word after it: "Stores", "jobs"; empty when none


@lru_cache(maxsize=1)
def short_forms() -> dict[str, str]:
    """Each unit's short forms as CLDR writes them ("km", "kWh", "MW", "%"): read in that case
    only, so that "EV" is no electronvolt and "mph" no "MPH" party."""
    forms: dict[str, str] = {}
    for pattern, category in _units():
        for form in _forms(pattern, "short", fold=False):
            if (len(form) >= 2 or not form.isalpha()) and form not in _WORDS_NOT_UNITS:
                forms.setdefault(form, category)
    forms.pop("m", None)  # "£4.6m" is millions
    return forms


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """Each unit or currency word, case-folded, and the kind of figure it makes."""
    words: dict[str, str] = {}
    for pattern, category in _units():
        for form in _forms(pattern, "long"):
            words.setdefault(form, category)
    for code in LOCALES:
        locale = Locale(code)
        for currency, name in locale.currencies.items():
            names = {name, locale.currency_symbols.get(currency, currency)} - {currency}
            plural = locale._data["currency_names_plural"]
            if currency in plural:
                names |= {plural[currency].get(count, "") for count in ("one", "other")}
            for text in filter(None, names):
                if len(text) > 3 or not text.isalpha():  # "Kč", "zł" and ISO codes ("DEM") are read by case
                    words[text.casefold()] = "money"
                last = text.split()[-1]
                if last.isalpha() and len(last) > 2:
                    words[last.casefold()] = "money"  # "Pfund" of "Britisches Pfund", "dollars"
    for form, kind in list(words.items()):
        if kind != "money":
            words.update(dict.fromkeys(_variants(form), kind))
    words.update(dict.fromkeys(_MINOR_MONEY, "money"))
    words.update({"per cent": "share", "percentage points": "share", "prozentpunkte": "share", "pct": "share"})
    return words


def _units():
    """CLDR's unit patterns in every locale, each with the category of figure it makes."""
    for code in LOCALES:
        patterns = Locale(code)._data["unit_patterns"]
        for unit in patterns.keys():
            category = "share" if unit in _SHARE_UNITS else _CATEGORIES.get(unit.split("-")[0])
            if category is not None:
                yield patterns[unit], category


def _variants(form: str) -> set[str]:
    """Other forms of a unit's name: the German dative plural ("Tage": "Tagen") and the same
    unit with another metric prefix ("Kilowattstunden": "Gigawattstunden")."""
    found = {form + "n"} if form.endswith("e") and len(form) > 3 else set()
    prefix = next((p for p in _PREFIXES if form.startswith(p) and len(form) > len(p) + 2), None)
    if prefix:
        found |= {other + form[len(prefix) :] for other in _PREFIXES}
    return found


def _forms(pattern, width: str, *, fold: bool = True) -> set[str]:
    try:
        counts = pattern[width]
    except KeyError:
        return set()
    found = set()
    for count in ("one", "other"):
        try:
            form = counts[count].replace("{0}", "").strip()
            found.add(form.casefold() if fold else form)
        except KeyError:
            continue
    return {form for form in found if form}


def _alternatives() -> str:
    """Every unit and currency word, longest first: the names in any case, short forms as written."""
    names = "|".join(re.escape(form) for form in sorted(lexicon(), key=len, reverse=True))
    shorts = "|".join(re.escape(form) for form in sorted(short_forms(), key=len, reverse=True))
    return f"(?i:{names})|{shorts}"


def kind_of(word: str) -> str:
    return short_forms().get(word) or lexicon().get(word.casefold(), "count")


@lru_cache(maxsize=1)
def _unit_word() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_alternatives()})(?!\w)")


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    return frozenset(Locale("en").currencies)


def named_units(text: str) -> list[tuple[int, str]]:
    """Where a text names a unit or currency, and its kind: "in km/h" gives (3, "speed") (ISO
    currency codes count in capitals only: "dem" is no Deutsche Mark)."""
    named = [(match.start(), kind_of(match.group())) for match in _unit_word().finditer(text)]
    codes = [(match.start(), "money") for match in re.finditer(r"\b[A-Z]{3}\b", text) if match[0] in currency_codes()]
    return sorted(named + codes)


@lru_cache(maxsize=1)
def _unit_after() -> re.Pattern:
    """A unit or currency word right after a number (and its scale word), longest first."""
    return re.compile(rf"\s*(?:(?i:{SCALE})(?!\w)\.?\s*)?(?P<unit>{_alternatives()})(?!\w)")


_SCALE_AFTER = re.compile(rf"\s*{SCALE}(?!\w)\.?", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s*([^\W\d_][\w-]{2,})")
_SIGN_BEFORE = re.compile(r"(?:[$£€¥]|\b[A-Z]{3})\s?$")
_CODE_AFTER = re.compile(rf"\s*(?:(?i:{SCALE})(?!\w)\.?\s*)?([A-Z]{{3}})\b")


def quantities(text: str) -> list[Quantity]:
    """The numbers of a text, each with what it measures."""
    found = []
    for match in NUMBER.finditer(text):
        if text[max(0, match.start() - 1) : match.start()] in ("-", "/") and match.start() > 1:
            if text[match.start() - 2].isalpha():
                continue  # part of a name: "KX-40", "COVID-19"
        unit = _unit_after().match(text, match.end())
        before = text[max(0, match.start() - 4) : match.start()]
        code = _CODE_AFTER.match(text, match.end())
        if code and code.group(1) in currency_codes():
            found.append(Quantity(match.start(), code.end(), match.group(), "money"))
            continue
        if unit:
            found.append(Quantity(match.start(), unit.end(), match.group(), kind_of(unit.group("unit"))))
            continue
        scale = _SCALE_AFTER.match(text, match.end())
        end = scale.end() if scale else match.end()
        sign = _SIGN_BEFORE.search(before)
        if sign and (not sign.group().strip().isalpha() or sign.group().strip() in currency_codes()):
            found.append(Quantity(match.start(), end, match.group(), "money"))
            continue
        noun = _NOUN_AFTER.match(text, end)
        if (
            YEAR.fullmatch(match.group())
            and not scale
            and (_year_cue().search(text[max(0, match.start() - 30) : match.start()]) or not _counts(noun))
        ):
            found.append(Quantity(match.start(), end, match.group(), "year"))
            continue
        found.append(Quantity(match.start(), end, match.group(), "count", noun.group(1) if noun else ""))
    return found


def _counts(noun: re.Match | None) -> bool:
    """Whether the word after a number is a thing it counts ("2000 Menschen", "2019 cars"), not
    a small word or a German verb ("2019 was", "2019 eröffnet")."""
    if noun is None:
        return False
    word = noun.group(1)
    return word.casefold() not in STOP_WORDS and (word[:1].isupper() or word.isascii())


@lru_cache(maxsize=1)
def _year_cue() -> re.Pattern:
    """A word right before a number that makes it a year: a preposition or period word, or a
    month's name in either language (CLDR's, through Babel)."""
    words = sorted(set(_YEAR_CUES.split()) | set(MONTH_NUMBERS), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\.?\s+$", re.IGNORECASE)


def states_share(text: str) -> bool:
    """Whether a text states a share in words: "half", "zwei Drittel", "every third"."""
    return bool(_FRACTIONS.search(text))
