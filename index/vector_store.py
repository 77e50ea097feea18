"""The VectorStore Protocol (where chunks and articles live) and the plain records it reads and writes.

index/store.py implements it on Chroma; tests/fakes.py has an in-memory one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from index.types import Article, Chunk, DayRange, Hit


@dataclass(frozen=True)
class Catalogued:
    """What the index knows of an article without reading its text."""

    fingerprint: str
    content_hash: str
    chunk_count: int
    source_path: str = ""  # the file it was read from; empty for articles indexed before paths were kept


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    fingerprint: str
    chunk_count: int
    bands: tuple[str, ...] = ()  # its MinHash band keys (index.copies)


@dataclass(frozen=True)
class ArticleWrite:
    """One article to write in place of what its id held: its chunks, their vectors, and what
    the catalog keeps of it (``bands``: its MinHash band keys, index.copies)."""

    article: Article
    chunks: Sequence[Chunk]
    vectors: Sequence[Sequence[float]]
    fingerprint: str
    content_hash: str
    bands: Sequence[str] = ()


class VectorStore(Protocol):
    def catalog(self) -> dict[str, Catalogued]:
        """Every fully written article by id."""

    def articles(self, ids: Sequence[str] | None = None) -> list[StoredArticle]: ...

    def article_ids(self) -> list[str]:
        """The ids of every indexed article, sorted: a library's pages, without reading them."""

    def write_articles(self, writes: Sequence[ArticleWrite]) -> None:
        """Write articles and their chunks in place of what their ids held, in one batch; an
        article's record is written after its chunks, so a crash leaves no half-written article
        (its chunks are swept by ``remove_orphans``, and it is written again)."""

    def remove_article(self, article_id: str) -> None: ...

    def copies(self, *, bands: Sequence[Sequence[str]] = (), group: str = "") -> list[StoredArticle]:
        """The articles that share a band key (at the same position) with any of the band key
        lists ``bands`` (candidate wire copies of those articles), or are in the copy group."""

    def set_copy_group(self, ids: Sequence[str], group: str) -> None: ...

    def remove_orphans(self) -> int:
        """Delete chunks whose article has no record (left by a crash); how many."""

    def search(self, vector: Sequence[float], k: int, days: DayRange = DayRange()) -> list[Hit]:
        """The k chunks nearest ``vector``, of articles in ``days`` when it is set."""

    def scored(self, vector: Sequence[float], chunk_ids: Sequence[str], days: DayRange = DayRange()) -> list[Hit]:
        """The chunks of ``chunk_ids`` that are stored (of articles in ``days``, when set), by
        their cosine to ``vector``, nearest first: an exact search among a few."""

    def chunk_texts(self, article_ids: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
        """(chunk id, text, language) of every chunk, or of the chunks of ``article_ids``, for the
        lexical index."""

    def chunk_count(self) -> int: ...

    def version(self) -> str:
        """Changes with every write (before and after it), so a reader can tell cheaply that the
        chunks it indexed are still what the store holds; starts with ``WRITING`` while a write
        is under way (in any process), so that a reader can wait for a whole index."""

    def changed_since(self, version: str) -> set[str] | None:
        """The ids of the articles whose chunks changed after ``version`` (a few others may be
        among them); None when the store cannot tell (an unknown or long-gone version)."""
