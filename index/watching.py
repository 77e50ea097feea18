"""Ingesting from URLs once (``ingest_url``) or again and again (``watch``).

``watch`` polls each URL every ``every_s`` seconds, each on a thread of its own, so that a feed
that is slow or dead holds up no other (its fetch ends at the fetcher's deadline); the
articles are written one URL at a time (``writing``). It logs one line per URL and round: what
was added or updated, and each problem (a dead feed, a page skipped) on a line of its own. A
URL that fails is tried again next round; nothing stops the loop but ``stop`` being set or
Ctrl-C, after which it returns a summary of the whole watch within ``STOP_GRACE_S``.
"""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Callable, Sequence

from index.chunking import SentenceChunker
from index.embedding import Embedder
from index.errors import ArticleQAError, report_unexpected
from index.ingest import IngestReport, Progress, ingest
from index.vector_store import VectorStore
from index.web import Fetcher, HttpFetcher
from index.web_articles import UrlRead, WebState, read_url

MIN_EVERY_S = 60.0  # a feed is seldom updated more often; polling faster only burdens its host
STOP_GRACE_S = 3.0  # after Ctrl-C, how long a write under way may take to finish


def ingest_url(
    url: str,
    *,
    store: VectorStore,
    chunker: SentenceChunker,
    embedder: Embedder,
    fetcher: Fetcher | None = None,
    state: WebState | None = None,
    conditional: bool = True,
    on_progress: Callable[[Progress], None] = lambda progress: None,
    writing: AbstractContextManager | None = None,
) -> IngestReport:
    """Index the articles at ``url`` (a feed or a page): new ones added, changed ones replaced.

    Raises a ``FetchError`` when the URL itself cannot be read; what fails below it (an entry's
    page) is a skipped line in the report. ``state``'s validators are saved once the articles
    they stand for are in the index. ``writing`` (a lock) is held while the articles are
    written, not while they are fetched.
    """
    state = state if state is not None else WebState()
    found = read_url(
        url,
        fetcher=fetcher or HttpFetcher(),
        state=state,
        indexed=set(store.catalog()),
        conditional=conditional,
    )
    with writing or nullcontext():
        return ingest_read(found, store=store, chunker=chunker, embedder=embedder, state=state, on_progress=on_progress)


def ingest_read(
    found: UrlRead,
    *,
    store: VectorStore,
    chunker: SentenceChunker,
    embedder: Embedder,
    state: WebState,
    on_progress: Callable[[Progress], None] = lambda progress: None,
) -> IngestReport:
    """Index what ``read_url`` found, then keep the validators it saw."""
    report = ingest(
        found.articles,
        store=store,
        chunker=chunker,
        embedder=embedder,
        skipped=found.skipped,
        on_progress=on_progress,
    )
    report.unchanged.extend(found.not_modified)
    state.commit(found.seen)
    return report


@dataclass
class WatchSummary:
    rounds: int = 0  # rounds every URL has had
    added: int = 0
    updated: int = 0
    skipped: int = 0
    failures: int = 0  # a URL that could not be read in a round
    interrupted: bool = False  # ended by Ctrl-C
    started: float = field(default_factory=time.monotonic)
    _counting: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def line(self) -> str:
        minutes = (time.monotonic() - self.started) / 60
        return (
            f"watched for {minutes:.1f} min, {self.rounds} rounds: {self.added} added, {self.updated} updated, "
            f"{self.skipped} skipped, {self.failures} failed fetches"
        )

    def count(self, report: IngestReport | None) -> None:
        with self._counting:
            if report is None:
                self.failures += 1
                return
            self.added += len(report.added)
            self.updated += len(report.updated)
            self.skipped += len(report.skipped)


def watch(
    urls: Sequence[str],
    *,
    every_s: float,
    ingest_one: Callable[[str], IngestReport],
    log: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    rounds: int | None = None,
) -> WatchSummary:
    """Poll ``urls``, each on its own thread, until ``stop`` is set, Ctrl-C, or ``rounds`` rounds."""
    stop = stop or threading.Event()
    summary = WatchSummary()
    polls = dict.fromkeys(urls, 0)
    logging = threading.Lock()  # a URL's lines stay together
    over = threading.Event()  # after Ctrl-C: a fetch left behind says nothing more

    def follow(url: str) -> None:
        while not stop.is_set() and (rounds is None or polls[url] < rounds):
            began = time.monotonic()
            report, lines = _poll(url, ingest_one)
            summary.count(report)
            with logging:
                for line in lines if not over.is_set() else ():
                    log(line)
            polls[url] += 1
            if rounds is None or polls[url] < rounds:
                stop.wait(max(0.0, every_s - (time.monotonic() - began)))

    threads = [threading.Thread(target=follow, args=(url,), name=f"watch {url}", daemon=True) for url in polls]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.25)  # short joins, so that Ctrl-C is seen at once
    except KeyboardInterrupt:
        stop.set()
        summary.interrupted = True
        log("stopped")
        ends = time.monotonic() + STOP_GRACE_S
        for thread in threads:  # a fetch is left behind; a write under way may finish
            thread.join(max(0.0, ends - time.monotonic()))
        over.set()
    summary.rounds = min(polls.values(), default=0)
    return summary


def _poll(url: str, ingest_one: Callable[[str], IngestReport]) -> tuple[IngestReport | None, list[str]]:
    """One URL ingested, and the lines to log for it; no report when it could not be read."""
    now = time.strftime("%H:%M:%S")
    try:
        report = ingest_one(url)
    except ArticleQAError as exc:
        return None, [f"{now} {exc}"]
    except Exception as exc:  # a bug of ours must not end the watch: one line, the traceback in a file
        return None, [f"{now} {url}: {report_unexpected(exc, f'article-qa watch {url}')}"]
    counts = (
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped"
    )
    return report, [f"{now} {url}: {counts}", *(f"  skipped {item.path}: {item.reason}" for item in report.skipped)]
