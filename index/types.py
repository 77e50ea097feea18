"""The plain data that flows out of ``index``: articles, chunks and search hits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """One news article as stored. Citation spans index into ``text``."""

    id: str
    title: str
    text: str
    source_path: str = ""
    date: str | None = None
    language: str | None = None


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
