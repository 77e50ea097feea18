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

Articles stream through: read -> chunk -> embed -> write, never the whole corpus in memory.
They are written to the store in batches (``WRITE_BATCH_CHUNKS``), each embedded on one thread
while the batch before it is written on another and the next is read and chunked on this one,
so a remote embedder's round trips overlap the reading and the writing. What is kept for the
whole run is small: the catalog, and the ids, paths and text hashes of the articles read.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence, Sized

from index.articles import Skipped
from index.chunking import SentenceChunker
from index.copies import BANDS, ROWS, bands, grouped, signature
from index.embedding import Embedder
from index.errors import ArticleError
from index.types import DATING_FIELDS, Article
from index.vector_store import ArticleWrite, Catalogued, VectorStore


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
    """Sent as each article is settled (written, unchanged or skipped): how far the run is and how fast."""

    done: int  # articles settled
    total: int  # articles expected (for a folder: its files, a feed file may hold more); 0 when unknown
    article_id: str
    chunks_embedded: int
    seconds: float = 0.0  # since the run started

    @property
    def articles_per_s(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    @property
    def chunks_per_s(self) -> float:
        return self.chunks_embedded / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the pace so far; None when the total is unknown or passed."""
        if not self.total or not self.done or self.done >= self.total:
            return None
        return self.seconds * (self.total - self.done) / self.done


WRITE_BATCH_CHUNKS = 256  # chunks embedded and written to the store together

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
    articles: Iterable[Article],
    *,
    store: VectorStore,
    chunker: SentenceChunker,
    embedder: Embedder,
    skipped: Sequence[Skipped] = (),
    prune: Path | None = None,
    confirmed: bool = False,
    on_progress: Callable[[Progress], None] = lambda progress: None,
    total: int | None = None,
    batch_chunks: int = WRITE_BATCH_CHUNKS,
) -> IngestReport:
    """Add new articles, replace changed ones, and with ``prune=FOLDER`` remove the articles
    read from FOLDER before that are gone from it (the articles given were read from it).
    ``articles`` may be a generator: each is read once, as the run gets to it; ``skipped``
    (what reading passed over) is read when the articles are done."""
    started = time.perf_counter()
    report = IngestReport()
    report.orphans_removed = store.remove_orphans()
    known = store.catalog()
    expected = total if total is not None else (len(articles) if isinstance(articles, Sized) else 0)
    owners = _Owners(known)
    read_paths: set[str] = set()
    settled = 0
    counting = threading.Lock()  # articles settle on this thread and on the writer's

    def settle(article_id: str) -> None:
        nonlocal settled
        with counting:
            settled += 1
            on_progress(Progress(settled, expected, article_id, report.chunks_embedded, time.perf_counter() - started))

    def written(writes: Sequence[ArticleWrite]) -> None:
        for write in writes:
            report.chunks_embedded += len(write.chunks)
            (report.updated if write.article.id in known else report.added).append(write.article.id)
            if write.article.copy_group and write.article.copy_group != write.article.id:
                report.copies[write.article.id] = write.article.copy_group
            settle(write.article.id)

    with _Batches(store, embedder, batch_chunks, on_written=written) as batches:
        for article in articles:
            if article.source_path:
                read_paths.add(_same_path(article.source_path))
            text_hash = content_hash(article)
            owner = owners.claim(article, text_hash)
            if owner != article.id:
                if _owns(
                    article, known.get(article.id)
                ):  # it was indexed before its twin: keep the index free of copies
                    store.remove_article(article.id)
                report.skipped.append(Skipped(article.source_path or article.id, f"duplicate of {owner} (same text)"))
            elif not _take(article, text_hash, known, report, batches, chunker=chunker, embedder=embedder):
                settle(article.id)
        gone = _prunable(owners.given, read_paths, known, prune) if prune is not None else []
        for article in owners.orphaned_twins(set(gone)):  # their twin changed its text or is pruned
            report.skipped = [s for s in report.skipped if s.path != (article.source_path or article.id)]
            if not _take(article, content_hash(article), known, report, batches, chunker=chunker, embedder=embedder):
                settle(article.id)
    report.skipped = [*skipped, *report.skipped]  # ``skipped`` grows while a folder is read
    if gone and not confirmed and (not owners.given or len(gone) > len(known) / 2):
        raise ArticleError(
            f"--prune would remove {len(gone)} of the {len(known)} indexed articles"
            f"{' (the folder holds no readable article)' if not owners.given else ''}. Nothing was removed; "
            "check the folder, or run again with --yes to remove them."
        )
    for article_id in gone:
        store.remove_article(article_id)
        report.removed.append(article_id)
    return report


def _take(
    article: Article, text_hash: str, known, report: IngestReport, batches: _Batches, *, chunker, embedder
) -> bool:
    """Queue the article for writing when it is new or changed (True); else note why not."""
    if (holder := _other_file(article, known.get(article.id), text_hash)) is not None:
        report.skipped.append(
            Skipped(
                article.source_path or article.id,
                f"the id {article.id} is already used by {holder}: rename this file, "
                f"or remove that article first (article-qa remove {article.id})",
            )
        )
        return False
    wanted = fingerprint(article, chunker, embedder)
    if article.id in known and known[article.id].fingerprint == wanted:
        report.unchanged.append(article.id)
        return False
    try:
        chunks = chunker.chunk(article)
    except ArticleError as exc:
        report.skipped.append(Skipped(article.source_path or article.id, str(exc)))
        return False
    batches.add(ArticleWrite(article, chunks, (), wanted, text_hash))
    return True


class _Owners:
    """For each text, the one article indexed with it: an article already indexed with that text
    keeps it (so re-runs are stable), else the first read. A twin of an indexed article that is
    read later in the run is kept aside until the end, in case that one turns out to have
    changed its text or to be pruned; then the first such twin takes the text."""

    def __init__(self, known: dict[str, Catalogued]) -> None:
        self.known = known
        self.indexed = {entry.content_hash: article_id for article_id, entry in known.items()}
        self.claimed: dict[str, str] = {}  # text hash -> the article of this run that has it
        self.read: dict[str, str] = {}  # article id -> its text hash, for every article of this run
        self.waiting: dict[str, list[Article]] = {}  # text hash -> twins of an indexed article not read yet

    @property
    def given(self) -> set[str]:
        return set(self.read)

    def claim(self, article: Article, text_hash: str) -> str:
        self.read[article.id] = text_hash
        if text_hash in self.claimed:
            return self.claimed[text_hash]
        holder = self.indexed.get(text_hash)
        if holder is None or holder == article.id:
            self.claimed[text_hash] = article.id
            return article.id
        if holder not in self.read:
            self.waiting.setdefault(text_hash, []).append(article)
        return holder  # indexed with this text, and kept unless it was read with another

    def orphaned_twins(self, leaving: set[str]) -> list[Article]:
        """The first waiting twin of each text whose indexed holder was read with another text, or leaves."""
        found = []
        for text_hash, twins in self.waiting.items():
            holder = self.indexed[text_hash]
            if text_hash not in self.claimed and (self.read.get(holder, text_hash) != text_hash or holder in leaving):
                self.claimed[text_hash] = twins[0].id
                found.append(twins[0])
        return found


class _Batches:
    """Articles to write, gathered into batches of about ``batch_chunks`` chunks, in three stages
    on three threads: this one reads and chunks, one embeds, one finds wire copies and writes. So
    a batch is embedded while the one before it is written and the one after it is read (a remote
    embedder's round trips hide behind both); at most two batches wait, so memory stays bounded
    whatever the corpus."""

    def __init__(self, store: VectorStore, embedder: Embedder, batch_chunks: int, *, on_written) -> None:
        self.store = store
        self.embedder = embedder
        self.batch_chunks = max(1, batch_chunks)
        self.on_written = on_written
        self.pending: list[ArticleWrite] = []
        self.queued: list[Future] = []
        self.embedding = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-embed")
        self.writing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-write")

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if error is None:
                self._send()
                for queued in self.queued:
                    queued.result()  # a failure on the other threads is raised here
        finally:
            self.embedding.shutdown(wait=True, cancel_futures=True)
            self.writing.shutdown(wait=True, cancel_futures=True)

    def add(self, write: ArticleWrite) -> None:
        if any(waiting.article.id == write.article.id for waiting in self.pending):
            self._send()  # the same id twice (a feed may list an entry twice): one write each
        self.pending.append(write)
        if sum(len(waiting.chunks) for waiting in self.pending) >= self.batch_chunks:
            self._send()

    def _send(self) -> None:
        if not self.pending:
            return
        while len(self.queued) >= 2:  # the writer is behind: wait, rather than hold more batches
            self.queued.pop(0).result()
        for finished in [queued for queued in self.queued if queued.done()]:
            finished.result()  # a failure on the other threads is raised here, before more is read
            self.queued.remove(finished)
        batch, self.pending = self.pending, []
        texts = [chunk.text for write in batch for chunk in write.chunks]
        embedded = self.embedding.submit(self.embedder.embed_documents, texts)
        self.queued.append(self.writing.submit(self._write, batch, embedded))

    def _write(self, batch: list[ArticleWrite], embedded: Future) -> None:
        vectors = embedded.result()
        indexed = self.store.copies(bands=[bands(signature(write.article.text)) for write in batch])
        writes: list[ArticleWrite] = []
        first = 0
        for write in batch:
            article, keys = grouped(write.article, self.store, writes, indexed)
            count = len(write.chunks)
            writes.append(replace(write, article=article, vectors=vectors[first : first + count], bands=keys))
            first += count
        self.store.write_articles(writes)
        self.on_written(writes)


def _prunable(given: set[str], read: set[str], known: dict[str, Catalogued], folder: Path) -> list[str]:
    """The indexed articles read from ``folder`` whose file is gone, or was read again without them
    (``given``: the ids read, ``read``: the files they came from).

    An article whose file is there but was skipped (unreadable, being written, too large)
    stays; so do articles from elsewhere (uploads, other folders) and those of unknown origin.
    """
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


def _owns(article: Article, stored: Catalogued | None) -> bool:
    """Whether the indexed article of this id is this one, read again from the same place: only
    then may ingest take it out. Another file, feed or upload that gives the same id does not own it."""
    if stored is None:
        return False
    if not stored.source_path or not article.source_path:
        return stored.source_path == article.source_path
    return _same_path(stored.source_path) == _same_path(article.source_path)


def _same_path(path: str) -> str:
    return os.path.abspath(path)
