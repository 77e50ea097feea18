"""The plain data that flows out of ``index``: articles, chunks and search hits."""

from __future__ import annotations

from dataclasses import dataclass

from index.dates import describe, iso_day, short_label


@dataclass(frozen=True)
class Removal:
    """A piece of a file's text that cleaning removed, and the rule that removed it."""

    rule: str
    text: str


@dataclass(frozen=True)
class Article:
    """One news article as stored: ``text`` is the cleaned text that citation spans index into."""

    id: str
    title: str
    text: str
    source_path: str = ""
    date: str | None = None  # from the metadata only (index.dates); ``day`` also has the inferred one
    language: str | None = None
    url: str | None = None
    source: str | None = None
    removed: tuple[Removal, ...] = ()
    date_how: str = ""  # "metadata", "text", or "" when there is no date
    date_earliest: str = ""  # from the text: the range the date lies in (ISO days; either may be open)
    date_latest: str = ""
    date_evidence: str = ""  # the sentence the text's date comes from
    copy_group: str = ""  # the wire copies it is one of (index.copies): its first member's id; empty when none

    @property
    def when(self) -> str:
        """The date for people, with how it was found: "about Jan 2026 (from the text)"; empty when undated."""
        return describe(self.date_how, self.date, self.date_earliest, self.date_latest)

    @property
    def day(self) -> str:
        """The most likely day it was written, as an ISO day ("2026-01-01"): the metadata's date,
        else the start of the range its text allows; empty when undated. Date filters and the
        order of sources that disagree use it."""
        return iso_day(self.date) or self.date_earliest

    @property
    def firm_day(self) -> str:
        """``day`` when it is the metadata's or the text's range is closed ("about Jan 2026"); empty
        for an open range ("Jul 2009 or later"), whose start is a bound, not a date: an article
        that names a deadline of 2009 may be from 2005. Sources are ordered and labelled by it."""
        return self.day if self.date_how == "metadata" or self.date_latest else ""

    def date_label(self, language: str) -> str:
        """The firm date as an answer names it: "2026-02-02", "about Jan 2026", "etwa Jan. 2026"; empty when none."""
        if not self.firm_day:
            return ""
        return short_label(self.date_how, self.date, self.date_earliest, self.date_latest, language)


DATING_FIELDS = ("date_how", "date_earliest", "date_latest", "date_evidence")  # stored beside ``date``


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article: ``article.text[start:end] == text``; its id is
    ``chunk_id(article_id, ordinal)``."""

    id: str
    article_id: str
    ordinal: int
    text: str
    start: int
    end: int


def chunk_id(article_id: str, ordinal: int) -> str:
    return f"{article_id}#{ordinal}"


def article_of(chunk_id: str) -> str:
    """The article id of a chunk id (``chunk_id``'s inverse; an article id may hold ``#``)."""
    return chunk_id.rpartition("#")[0]


@dataclass(frozen=True)
class Hit:
    """A chunk found by a search, with its cosine similarity to the query (higher is closer)."""

    chunk: Chunk
    title: str
    score: float
    date: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class DayRange:
    """Articles written from ``since`` to ``until`` (ISO days, both included; either may be open).
    An article is in it when its most likely day (``Article.day``) is; an undated one never is."""

    since: str = ""
    until: str = ""

    def __bool__(self) -> bool:
        return bool(self.since or self.until)

    def holds(self, day: str) -> bool:
        return bool(day) and (not self.since or day >= self.since) and (not self.until or day <= self.until)
