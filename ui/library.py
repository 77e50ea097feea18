"""The article library behind the UI: the table of indexed articles (uploads are ``rag.uploads``,
which the HTTP API shares)."""

from __future__ import annotations

from typing import Sequence

from rag import StoredArticle


def library_rows(stored: Sequence[StoredArticle], query: str = "") -> list[list]:
    """Rows of the library table, filtered by a case-insensitive title (or id) search."""
    needle = query.strip().casefold()
    return [
        [s.article.id, s.article.title, s.article.when or "-", s.article.language or "", s.chunk_count]
        for s in stored
        if not needle or needle in s.article.title.casefold() or needle in s.article.id.casefold()
    ]
