"""The words of English and German that the code reads news with, each list defined here once.

From CLDR through Babel, in every form its locales give them (English, British English,
German, Austrian German; format and stand-alone, wide and abbreviated):

- ``MONTH_NUMBERS``: each month's name, lower case and without its abbreviation's dot, to its
  number ("jänner", "sept", "mär" ...), and ``MONTH``, a pattern that matches any of them with
  an optional dot; ``MONTH_NAMES``, the whole names alone ("Lei Jun" is a name, "June" none);
  ``MONTH_ABBREVIATIONS``, the shortened names alone;
- ``GERMAN_MONTHS``: the abbreviated German names an answer's dates are written with;
- ``WEEKDAYS``: the days of the week.

Typed here because no library holds them:

- ``SCALE``: the scale words after a figure ("850 Mio. Euro", "£4.6m", "3 Milliarden");
- ``YEAR``: a year as a figure of its own (1800-2099), and ``NEWS_YEAR``, a year a news
  article is dated in (1950-2099: an earlier year in an article's text is history, not its date).

A test (tests/index/test_lexicon.py) checks that no other module of index/ or rag/ types a
month or a weekday of its own.
"""

from __future__ import annotations

import re

from babel import Locale

LOCALES = ("en", "en_GB", "de", "de_AT")


def _names(kind: str, widths: tuple[str, ...] = ("wide", "abbreviated")) -> dict[str, int]:
    found: dict[str, int] = {}
    for code in LOCALES:
        names = getattr(Locale.parse(code), kind)
        for context in ("format", "stand-alone"):
            for width in widths:
                for number, name in names[context][width].items():
                    found.setdefault(name.casefold().rstrip("."), number)
    return found


MONTH_NUMBERS: dict[str, int] = _names("months")
MONTH_NAMES: frozenset[str] = frozenset(_names("months", ("wide",)))  # whole names only: "Jun" may be a name
# the shortened ones ("Sept.", "Jän.", "Mär"): a dot after them ends no sentence; "Mai." does
MONTH_ABBREVIATIONS: frozenset[str] = frozenset(_names("months", ("abbreviated",))) - MONTH_NAMES
MONTH = "(?:" + "|".join(sorted(map(re.escape, MONTH_NUMBERS), key=len, reverse=True)) + r")\.?"
GERMAN_MONTHS: tuple[str, ...] = tuple(Locale.parse("de").months["format"]["abbreviated"][n] for n in range(1, 13))
WEEKDAYS: frozenset[str] = frozenset(name for name in _names("days") if len(name) > 3)  # "mon", "di." are no words

SCALE = r"(?:thousand|tausend|tsd\.?|millions?|millionen|mio\.?|mn|m|billions?|bn|milliarden?|mrd\.?)"
YEARS = r"(?:1[89]\d\d|20\d\d)"  # the years read as years: 1800-2099
YEAR = re.compile(rf"(?<![\d.,]){YEARS}(?![\d.,]*\d)")  # ... as a figure of its own, not part of a longer number
NEWS_YEAR = r"(?:19[5-9]\d|20\d\d)(?!\d)"


def month_number(name: str) -> int:
    """The number of a month's name as ``MONTH`` matched it ("Sept.", "Jänner", "mär")."""
    return MONTH_NUMBERS[name.casefold().rstrip(".")]
