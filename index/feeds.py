"""RSS and Atom feeds (feedparser): their entries' links, titles and dates; and web dates as ISO.

A body is a feed when its content type says RSS, Atom or XML, or when it starts (after a byte
order mark, spaces and comments) with ``<?xml``, ``<rss``, ``<feed`` or ``<rdf:RDF``; an HTML
page is an article page. feedparser reads RSS 0.9x to 2.0, RSS 1.0 and Atom, in whatever
encoding the feed declares; a feed that is not well-formed is still read as far as it goes.

Dates: a feed entry's ``published`` (else ``updated``) date, RFC 822 in RSS, RFC 3339 in Atom,
becomes an ISO datetime in UTC (``index.dates.iso_date`` reads the dates of page metadata and
of an HTTP ``Last-Modified``).
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from index.dates import iso_date
from index.errors import ArticleError
from index.formats import printable
from index.web import Page, headers_of

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
_FEED_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:\?xml|rss[\s>]|feed[\s>]|rdf:RDF[\s>])", re.DOTALL
)


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None
    date: str | None  # ISO


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: tuple[FeedEntry, ...]
    problems: tuple[str, ...]  # entries without a link


def is_feed(page: Page) -> bool:
    if page.content_type in ("text/html", "application/xhtml+xml"):
        return False
    return page.content_type in _FEED_TYPES or bool(_FEED_START.match(page.body[:4096]))


def read_feed(page: Page) -> Feed:
    """The entries of a feed; an ArticleError when the body is no feed at all."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(page.body), response_headers=dict(headers_of(page)))
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise ArticleError(f"{page.url}: neither a feed nor an article page{f' ({problem})' if problem else ''}")
    entries, problems = [], []
    for number, entry in enumerate(parsed.entries, start=1):
        link = (entry.get("link") or "").strip()
        title = _text(entry.get("title"))
        if not link:
            problems.append(f"{page.url}: entry {number} ({title or 'untitled'}) has no link")
            continue
        entries.append(FeedEntry(link, title, _entry_date(entry)))
    return Feed(_text(parsed.feed.get("title")), tuple(entries), tuple(problems))


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(printable(value).split()) or None


def _entry_date(entry) -> str | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:  # feedparser gives a UTC struct_time
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).isoformat()
    for name in ("published", "updated"):  # a date feedparser could not read may still be ISO
        if found := iso_date(entry.get(name)):
            return found
    return None
