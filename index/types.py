"""The plain data that flows out of ``index``: articles, chunks and search hits."""

from __future__ import annotations

from dataclasses import dataclass

from index.dates import describe


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
    date: str | None = None  # from the metadata, else the most likely day its text allows (index.dates)
    language: str | None = None
    url: str | None = None
    source: str | None = None
    removed: tuple[Removal, ...] = ()
    date_how: str = ""  # "metadata", "text", or "" when there is no date
    date_earliest: str = ""  # from the text: the range the date lies in (ISO days; either may be open)
    date_latest: str = ""
    date_evidence: str = ""  # the sentence the text's date comes from

    @property
    def when(self) -> str:
        """The date for people, with how it was found: "about Jan 2026 (from the text)"."""
        return describe(self.date_how, self.date, self.date_earliest, self.date_latest)


DATING_FIELDS = ("date_how", "date_earliest", "date_latest", "date_evidence")  # stored beside ``date``


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article: ``article.text[start:end] == text``."""

    id: str
    article_id: str
    ordinal: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """A chunk found by a search, with its cosine similarity to the query (higher is closer)."""

    chunk: Chunk
    title: str
    score: float
    date: str | None = None
    language: str | None = None
