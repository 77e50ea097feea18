"""Bringing a store up to date with a set of articles, embedding only what changed.

An article's fingerprint covers its text, title, the chunking settings and the embedder, so
an unchanged article under unchanged settings is skipped without embedding anything, and a
change to any of them re-embeds it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Sequence

from index.articles import Skipped
from index.chunking import SentenceChunker
from index.embedding import Embedder
from index.errors import ArticleError
from index.store import VectorStore
from index.types import Article


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks_embedded: int = 0

    def summary(self) -> str:
        line = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.skipped)} skipped; {self.chunks_embedded} chunks embedded"
        )
        reasons = [f"  skipped {item.path}: {item.reason}" for item in self.skipped]
        return "\n".join([line, *reasons])


def fingerprint(article: Article, chunker: SentenceChunker, embedder: Embedder) -> str:
    digest = hashlib.sha256()
    for part in (article.title, article.text, article.date or "", chunker.signature, embedder.name):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def ingest(
    articles: Sequence[Article],
    *,
    store: VectorStore,
    chunker: SentenceChunker,
    embedder: Embedder,
    skipped: Sequence[Skipped] = (),
    prune: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> IngestReport:
    """Add new articles, replace changed ones, and with ``prune`` remove those not given."""
    report = IngestReport(skipped=list(skipped))
    known = store.fingerprints()
    for article in articles:
        wanted = fingerprint(article, chunker, embedder)
        if known.get(article.id) == wanted:
            report.unchanged.append(article.id)
            continue
        try:
            chunks = chunker.chunk(article)
        except ArticleError as exc:
            report.skipped.append(Skipped(article.source_path or article.id, str(exc)))
            continue
        progress(f"embedding {article.id} ({len(chunks)} chunks)")
        vectors = embedder.embed_documents([chunk.text for chunk in chunks])
        store.replace_article(article, wanted, chunks, vectors)
        report.chunks_embedded += len(chunks)
        (report.updated if article.id in known else report.added).append(article.id)
    if prune:
        given = {article.id for article in articles}
        for article_id in sorted(set(known) - given):
            store.remove_article(article_id)
            report.removed.append(article_id)
    return report
