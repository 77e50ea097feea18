"""One article per story: wire copies among the retrieved articles are read and shown once.

The same agency story printed by three outlets is one source, not three that agree, and its
three prints would fill the passages with one text. Of the retrieved articles that are copies
of each other (``index.copies`` groups them at ingest), only the earliest is kept, and it
names the others that print what it cites word for word: "also in ..." (``also_in``). A copy
that printed the cited sentence otherwise is not named as agreeing.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from index.types import Article, Hit


def one_per_story(hits: Sequence[Hit], articles: Mapping[str, Article]) -> list[Hit]:
    """The hits without those of an article whose copy group has an earlier article among them."""
    first: dict[str, Article] = {}
    for hit in hits:
        article = articles[hit.chunk.article_id]
        if article.copy_group and (
            article.copy_group not in first or _earliest(article) < _earliest(first[article.copy_group])
        ):
            first[article.copy_group] = article
    return [
        hit
        for hit in hits
        if not articles[hit.chunk.article_id].copy_group
        or first[articles[hit.chunk.article_id].copy_group].id == hit.chunk.article_id
    ]


def also_in(text: str, copies: Sequence[Article]) -> tuple[str, ...]:
    """The copies that print ``text`` word for word (spacing aside)."""
    wanted = " ".join(text.split())
    return tuple(copy.id for copy in copies if wanted in " ".join(copy.text.split()))


def _earliest(article: Article) -> tuple[bool, str, str]:
    """Dated before undated, then by day, then by id."""
    return (not article.day, article.day, article.id)
