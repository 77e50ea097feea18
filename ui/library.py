"""The article library behind the UI: the table of indexed articles, and uploads (``rag.uploads``,
which the HTTP API shares).
"""

from __future__ import annotations

from typing import Sequence

from rag import StoredArticle
from rag.uploads import UPLOAD_SUFFIXES, Uploaded, safe_name, shown_without_paths, store_uploads

__all__ = ["UPLOAD_SUFFIXES", "Uploaded", "library_rows", "safe_name", "shown_without_paths", "store_uploads"]


def library_rows(stored: Sequence[StoredArticle], query: str = "") -> list[list]:
    """Rows of the library table, filtered by a case-insensitive title (or id) search."""
    needle = query.strip().casefold()
    return [
        [s.article.id, s.article.title, s.article.when or "-", s.article.language or "", s.chunk_count]
        for s in stored
        if not needle or needle in s.article.title.casefold() or needle in s.article.id.casefold()
    ]
