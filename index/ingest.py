"""Bringing a store up to date with a set of articles, embedding only what changed.

An article's fingerprint covers its cleaned text, metadata, the chunking settings and the
embedder, so an unchanged article under unchanged settings is skipped without embedding
anything, and a change to any of them re-embeds it. Two articles with the same text (after
cleaning, ignoring spacing) are indexed once; the other is reported as a duplicate.

Nothing is lost without being asked: an article read from one file is never replaced by a
different text from another file (an upload, another folder), and pruning removes only the
articles of the pruned folder whose files are gone or no longer hold them, never those whose
file is there but was skipped; a prune that would empty the folder's part of the index or
remove more than half the index needs ``confirmed``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from index.articles import Skipped
from index.chunking import SentenceChunker
from index.copies import BANDS, ROWS, grouped
from index.embedding import Embedder
from index.errors import ArticleError
from index.store import Catalogued, VectorStore
from index.types import DATING_FIELDS, Article


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks_embedded: int = 0
    orphans_removed: int = 0
    copies: dict[str, str] = field(default_factory=dict)  # an article written here -> the copy group it joined

    def summary(self) -> str:
        line = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.skipped)} skipped; {self.chunks_embedded} chunks embedded"
        )
        if self.orphans_removed:
            line += f"; {self.orphans_removed} chunks left by an interrupted run removed"
        reasons = [f"  skipped {item.path}: {item.reason}" for item in self.skipped]
        copies = [f"  {article_id}: a wire copy, grouped with {group}" for article_id, group in self.copies.items()]
        return "\n".join([line, *reasons, *copies])


@dataclass(frozen=True)
class Progress:
    """Sent after each article: how far the run is."""

    done: int
    total: int
    article_id: str
    chunks_embedded: int


# What the records hold beside the texts: an index written before a field was added is written
# again by the next ingest (a chunk's day is what date filters read; an article's MinHash bands
# are how its wire copies find it).
RECORD_FIELDS = (
    f"chunks: article_id title date day source url language ordinal start end; articles: copy bands {BANDS}x{ROWS}"
)


def content_hash(article: Article) -> str:
    return hashlib.sha256(" ".join(article.text.split()).encode("utf-8")).hexdigest()


def fingerprint(article: Article, chunker: SentenceChunker, embedder: Embedder) -> str:
    digest = hashlib.sha256()
    parts = (
        article.title,
        article.text,
        article.date,
        *(getattr(article, name) for name in DATING_FIELDS),
        article.source,
        article.url,
        article.language,
        repr(article.removed),
        chunker.signature,
        embedder.name,
        RECORD_FIELDS,
    )
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def ingest(
    articles: Sequence[Article],
    *,
    store: VectorStore,
    chunker: SentenceChunker,
    embedder: Embedder,
    skipped: Sequence[Skipped] = (),
    prune: Path | None = None,
    confirmed: bool = False,
    on_progress: Callable[[Progress], None] = lambda progress: None,
) -> IngestReport:
    """Add new articles, replace changed ones, and with ``prune=FOLDER`` remove the articles
    read from FOLDER before that are gone from it (the articles given were read from it)."""
    report = IngestReport(skipped=list(skipped))
    report.orphans_removed = store.remove_orphans()
    known = store.catalog()
    gone = _prunable(articles, known, prune) if prune is not None else []
    if gone and not confirmed and (not articles or len(gone) > len(known) / 2):
        raise ArticleError(
            f"--prune would remove {len(gone)} of the {len(known)} indexed articles"
            f"{' (the folder holds no readable article)' if not articles else ''}. Nothing was changed; "
            "check the folder, or run again with --yes to remove them."
        )
    hashes = {article.id: content_hash(article) for article in articles}
    owners = _text_owners(articles, hashes, known, leaving=set(gone))
    for done, article in enumerate(articles, start=1):
        owner = owners[hashes[article.id]]
        if owner != article.id:
            if article.id in known:  # it was indexed before its twin; keep the index free of copies
                store.remove_article(article.id)
            report.skipped.append(Skipped(article.source_path or article.id, f"duplicate of {owner} (same text)"))
        elif (holder := _other_file(article, known.get(article.id), hashes[article.id])) is not None:
            report.skipped.append(
                Skipped(
                    article.source_path or article.id,
                    f"the id {article.id} is already used by {holder}: rename this file, "
                    f"or remove that article first (article-qa remove {article.id})",
                )
            )
        else:
            _ingest_one(article, hashes[article.id], known, report, store=store, chunker=chunker, embedder=embedder)
        on_progress(Progress(done, len(articles), article.id, report.chunks_embedded))
    for article_id in gone:
        store.remove_article(article_id)
        report.removed.append(article_id)
    return report


def _prunable(articles: Sequence[Article], known: dict[str, Catalogued], folder: Path) -> list[str]:
    """The indexed articles read from ``folder`` whose file is gone, or was read again without them.

    An article whose file is there but was skipped (unreadable, being written, too large)
    stays; so do articles from elsewhere (uploads, other folders) and those of unknown origin.
    """
    given = {article.id for article in articles}
    read = {_same_path(article.source_path) for article in articles if article.source_path}
    root = _same_path(str(folder))
    gone = []
    for article_id, entry in known.items():
        if article_id in given or not entry.source_path:
            continue
        source = _same_path(entry.source_path)
        if (source == root or source.startswith(root + os.sep)) and (source in read or not os.path.exists(source)):
            gone.append(article_id)
    return sorted(gone)


def _other_file(article: Article, stored: Catalogued | None, text_hash: str) -> str | None:
    """The file an indexed article of this id came from, when that is another file and its text differs."""
    if stored is None or not stored.source_path or not article.source_path or stored.content_hash == text_hash:
        return None
    return None if _same_path(stored.source_path) == _same_path(article.source_path) else stored.source_path


def _same_path(path: str) -> str:
    return os.path.abspath(path)


def _text_owners(
    articles: Sequence[Article], hashes: dict[str, str], known: dict, *, leaving: set[str]
) -> dict[str, str]:
    """For each text, the one article that is indexed with it.

    An article already indexed with that text keeps it (so re-runs are stable), then the
    first in the given order.
    """
    given = {article.id for article in articles}
    owners: dict[str, str] = {}
    for article_id, entry in known.items():
        if article_id not in given and article_id not in leaving:  # stays indexed as it is
            owners[entry.content_hash] = article_id
    for article in articles:
        stored = known.get(article.id)
        if stored is not None and stored.content_hash == hashes[article.id]:
            owners.setdefault(hashes[article.id], article.id)
    for article in articles:
        owners.setdefault(hashes[article.id], article.id)
    return owners


def _ingest_one(
    article: Article, text_hash: str, known: dict, report: IngestReport, *, store, chunker, embedder
) -> None:
    wanted = fingerprint(article, chunker, embedder)
    if article.id in known and known[article.id].fingerprint == wanted:
        report.unchanged.append(article.id)
        return
    try:
        chunks = chunker.chunk(article)
    except ArticleError as exc:
        report.skipped.append(Skipped(article.source_path or article.id, str(exc)))
        return
    vectors = embedder.embed_documents([chunk.text for chunk in chunks])
    article, bands = grouped(article, store)
    store.replace_article(article, chunks, vectors, fingerprint=wanted, content_hash=text_hash, bands=bands)
    if article.copy_group and article.copy_group != article.id:
        report.copies[article.id] = article.copy_group
    report.chunks_embedded += len(chunks)
    (report.updated if article.id in known else report.added).append(article.id)
