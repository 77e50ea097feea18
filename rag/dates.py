"""Days and months in answers, and the year their cited sentence gives them.

A small model asked "On what date was the timetable agreed?" answers "12 September",
dropping the year of the sentence it cites ("am 12. September 2014"). News is about time,
and articles years apart sit side by side in one index, so a day and month without its year
is half an answer: the cited sentence's year is added, in the answer's own notation
("12 September 2014", "September 12, 2014", "12. September 2014").
"""

from __future__ import annotations

import re

from index.lexicon import MONTH as _MONTH
from index.lexicon import YEARS, month_number

_YEAR = rf"{YEARS}(?!\d)"
# "12 September", "12. September", "September 12", "September 12th"
_DAY_MONTH = re.compile(
    rf"(?<![\w.])(?P<day>[0-3]?\d)\.?\s+(?P<month>{_MONTH})(?!\w)|(?<!\w)(?P<month2>{_MONTH})\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?![\w])",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(rf",?\s+(?P<year>{_YEAR})")


def with_years(claim: str, quote: str) -> str:
    """The claim with each day and month that lacks a year given the year the quote gives that
    same day and month."""
    years = _years_by_day(quote)
    for match in reversed(list(_DAY_MONTH.finditer(claim))):  # from the end: earlier positions stay valid
        if _YEAR_AFTER.match(claim, match.end()):
            continue
        year = years.get(_day(match))
        if year:
            comma = "," if match.group("month2") else ""
            claim = f"{claim[: match.end()]}{comma} {year}{claim[match.end() :]}"
    return claim


def _years_by_day(text: str) -> dict[tuple[int, int], str]:
    years: dict[tuple[int, int], str] = {}
    for match in _DAY_MONTH.finditer(text):
        after = _YEAR_AFTER.match(text, match.end())
        if after:
            years.setdefault(_day(match), after.group("year"))
    return years


def _day(match: re.Match) -> tuple[int, int]:
    day = match.group("day") or match.group("day2")
    return month_number(match.group("month") or match.group("month2")), int(day)
