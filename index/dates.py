"""When an article was written: from its metadata, or else inferred from the dates it speaks of.

Metadata wins (front matter, HTML ``<meta>``, JSON-LD, ``<time>``, a feed record's ``date``).
Without it, the text's dates in German and English are read: full dates ("zum 30. September
2025", "September 30, 2025", "30.09.2025", "2025-09-30"), months ("im Januar 2026"), quarters
("im dritten Quartal 2025", "Q3 2025"), years ("2014"), and days without a year ("am 30.
Januar"), which take the year that fits the others. A date in a sentence that looks ahead ("wird", "dürften",
"will", "expected", or in the sentence after it), and a month, quarter or year in one that
forecasts or plans ("bis 2020", "Prognosen für 2027"), is announced for later: the article
is older than it. Every other date has passed: the article is at least as new as the latest
of them (a quarter as its end, a month or a year as its first day).

The result is a range (``earliest`` .. ``latest``; ``latest`` may be open) and the sentence
its start comes from; the start is the most likely day, as news speaks of the days just past.
Only a metadata date is the article's ``date`` (the one the model reads with its passages):
an inferred one is shown to people, as "about Jan 2026" when an announced date closes the
range, else as "Apr 2014 or later". What it leaves out: relative dates ("last year", "vor
vier Tagen") and weekdays. Measured by ``python -m bench.article_dates``.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from index.lexicon import GERMAN_MONTHS, MONTH, NEWS_YEAR, month_number
from index.sentences import sentence_spans

_ORDINALS = {
    "ersten": 1, "zweiten": 2, "dritten": 3, "vierten": 4, "first": 1, "second": 2, "third": 3, "fourth": 4,
    "1.": 1, "2.": 2, "3.": 3, "4.": 4,
}  # fmt: skip
_PATTERNS = [
    ("day", re.compile(rf"(?<![\w.])(?P<d>[0-3]?\d)\.?\s+(?P<m>{MONTH})\s+(?P<y>{NEWS_YEAR})", re.I)),
    ("day", re.compile(rf"(?<!\w)(?P<m>{MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>{NEWS_YEAR})", re.I)),
    ("day", re.compile(rf"(?<![\w.])(?P<d>[0-3]?\d)\.(?P<mn>[01]?\d)\.(?P<y>{NEWS_YEAR})")),
    ("day", re.compile(rf"(?<![\w-])(?P<y>{NEWS_YEAR})-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?![\d])")),
    ("quarter", re.compile(rf"(?P<q>ersten|zweiten|dritten|vierten|[1-4]\.)\s+Quartal\s+(?P<y>{NEWS_YEAR})", re.I)),
    ("quarter", re.compile(rf"(?P<q>first|second|third|fourth)\s+quarter\s+(?:of\s+)?(?P<y>{NEWS_YEAR})", re.I)),
    ("quarter", re.compile(rf"(?<!\w)Q(?P<qn>[1-4])\s*(?:/\s*)?(?P<y>{NEWS_YEAR})")),
    ("month", re.compile(rf"(?<![\w.])(?P<m>{MONTH})\s+(?P<y>{NEWS_YEAR})", re.I)),
    ("day-no-year", re.compile(rf"(?<![\w.])(?P<d>[0-3]?\d)\.?\s+(?P<m>{MONTH})(?![\w])", re.I)),
    ("day-no-year", re.compile(rf"(?<!\w)(?P<m>{MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\w.,]*\d)", re.I)),
    ("year", re.compile(rf"(?<![\w.,/-])(?P<y>{NEWS_YEAR})(?![\w.,/-]*\d)")),
]
# A date is announced for later when its sentence (or the next) speaks of the future; a month,
# quarter or year also when its sentence forecasts, plans or sets a deadline ("bis 2020"): the
# day a forecast was made has passed ("prognostizierte am 30. Januar ein schwieriges Jahr 2026").
_FUTURE = re.compile(
    r"\b(?:wird|werden|soll|sollen|sollten|dürfte|dürften|voraussichtlich|kommenden?|nächsten|will|shall"
    r"|expected|scheduled|due|upcoming|forthcoming|next)\b",
    re.I,
)
_PLANNED = re.compile(
    r"\b(?:bis|geplant|plant|könnte|könnten|\w*prognos\w*|erwart\w*|by|until|would|could|expect\w*|forecast\w*"
    r"|plans?|planned|target\w*)\b",
    re.I,
)


@dataclass(frozen=True)
class Dating:
    """An article's date, how it was found ("metadata", "text" or ""), its range and evidence."""

    date: str = ""  # the metadata's date, as it gives it
    how: str = ""
    earliest: str = ""  # inferred from the text: ISO days
    latest: str = ""
    evidence: str = ""


def describe(how: str, metadata_date: str | None, earliest: str, latest: str) -> str:
    """For people: "2026-02-02 (from the metadata)", "about Jan 2026 (from the text)",
    "Apr 2014 or later (from the text)"; empty when undated."""
    if metadata_date:
        return f"{metadata_date} (from the metadata)"
    label = short_label(how, metadata_date, earliest, latest, "en")
    return f"{label} (from the text)" if label else ""


def short_label(how: str, metadata_date: str | None, earliest: str, latest: str, language: str) -> str:
    """The date as an answer names its source's: "2026-02-02", "about Jan 2026", "etwa Jan. 2026",
    "Apr 2014 or later"; empty when there is none."""
    if metadata_date:
        return metadata_date
    if how != "text" or not earliest:
        return ""
    day = date.fromisoformat(earliest)
    if language == "de":
        month = f"{GERMAN_MONTHS[day.month - 1]} {day.year}"
        return f"etwa {month}" if latest else f"{month} oder später"
    month = day.strftime("%b %Y")
    return f"about {month}" if latest else f"{month} or later"


def iso_day(value: str | None) -> str:
    """A metadata date as an ISO day ("2026-02-02"): ISO dates and times, RFC 2822 ("Mon, 02 Feb
    2026 10:00:00 GMT"), "02.02.2026"; empty when it is none of these."""
    value = (value or "").strip()
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", value) or re.match(r"(\d{1,2})\.(\d{1,2})\.(\d{4})$", value)
    try:
        if found and len(found.group(1)) == 4:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()
        if found:
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1))).isoformat()
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


@dataclass(frozen=True)
class _Mention:
    start: date  # the first day it can mean
    end: date  # the last
    precise: bool  # given to the day
    ahead: bool  # announced for later
    sentence: str


def dating(text: str, metadata_date: str | None) -> Dating:
    """The article's date from its metadata, else the range its text allows (empty when neither)."""
    if metadata_date and metadata_date.strip():
        return Dating(date=metadata_date.strip(), how="metadata")
    mentions = _mentions(text)
    passed = [m for m in mentions if not m.ahead]
    if not passed:
        return Dating()
    earliest = max(m.start if m.precise else _passed_point(m) for m in passed)
    ahead = [m.start for m in mentions if m.ahead and m.start > earliest]
    latest = min(ahead) if ahead else None
    evidence = max(passed, key=lambda m: (m.start if m.precise else _passed_point(m), m.precise))
    return Dating(
        how="text",
        earliest=earliest.isoformat(),
        latest=latest.isoformat() if latest else "",
        evidence=evidence.sentence,
    )


def _passed_point(mention: _Mention) -> date:
    """A quarter has passed when it is reported on; a month or a year may be the current one."""
    return mention.end if 40 < (mention.end - mention.start).days < 100 else mention.start


def _mentions(text: str) -> list[_Mention]:
    """Every date the text names, in order; linear in the text (each position is claimed once)."""
    spans = sentence_spans(text)
    starts = [start for start, _ in spans]
    claimed = bytearray(len(text) + 1)
    found: list[tuple[int, str, re.Match]] = []
    for kind, pattern in _PATTERNS:  # the most precise first; a match inside one already found is skipped
        for match in pattern.finditer(text):
            if not claimed[match.start()]:
                claimed[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
                found.append((match.start(), kind, match))
    intervals = [_dated(kind, match) for _, kind, match in found if kind not in ("day-no-year", "year")]
    dated = [interval for interval in intervals if interval is not None]
    years = sorted({start.year for start, _ in dated})
    last_dated = max((end for _, end in dated), default=None)
    mentions = []
    for position, kind, match in sorted(found, key=lambda item: item[0]):
        interval = _with_a_year(match, years, last_dated) if kind == "day-no-year" else _dated(kind, match)
        if interval is None:
            continue
        index = max(0, bisect_right(starts, position) - 1)
        sentence = text[spans[index][0] : spans[index][1]] if spans else text
        following = text[spans[index + 1][0] : spans[index + 1][1]] if index + 1 < len(spans) else ""
        ahead = bool(_FUTURE.search(sentence) or _FUTURE.search(following[:200]))
        ahead = ahead or (not kind.startswith("day") and bool(_PLANNED.search(sentence)))
        mentions.append(_Mention(interval[0], interval[1], kind.startswith("day"), ahead, sentence.strip()))
    return mentions


def _dated(kind: str, match: re.Match) -> tuple[date, date] | None:
    try:
        year = int(match.group("y"))
        if kind == "day":
            month = int(match.group("mn")) if "mn" in match.re.groupindex else month_number(match.group("m"))
            day = date(year, month, int(match.group("d")))
            return day, day
        if kind == "quarter":
            number = int(match.group("qn")) if "qn" in match.re.groupindex else _ORDINALS[match.group("q").casefold()]
            first = date(year, 3 * number - 2, 1)
            return first, _month_end(date(year, 3 * number, 1))
        if kind == "year":
            return date(year, 1, 1), date(year, 12, 31)
        first = date(year, month_number(match.group("m")), 1)
        return first, _month_end(first)
    except (ValueError, KeyError):
        return None


def _with_a_year(match: re.Match, years: list[int], last_dated: date | None) -> tuple[date, date] | None:
    """A day without a year takes the latest year, of those the article names and the one after,
    that does not put it over a month past the article's last dated day (news speaks of the
    days just past: "5 January" in an article about December 2015 is in 2016)."""
    if not years or last_dated is None:
        return None
    limit = last_dated + timedelta(days=31)
    month, day = month_number(match.group("m")), int(match.group("d"))
    for year in sorted({*years, years[-1] + 1}, reverse=True):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= limit:
            return candidate, candidate
    return None


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: object) -> str | None:
    """An ISO 8601 date or datetime from ISO, RFC 822 / HTTP-date text; None when it is neither.

    A datetime with a zone keeps its zone; a bare day stays a day.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text if _valid_day(text) else None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is not None:
        return moment.isoformat()
    day = _ISO_DAY.match(text)  # "2024-03-05 10:00 Uhr" and the like: the day alone
    return day.group() if day and _valid_day(day.group()) else None


def _valid_day(text: str) -> bool:
    try:
        time.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True
