"""Ingesting from URLs once (``ingest_url``) or again and again (``watch``).

``watch`` polls each URL every ``every_s`` seconds, one after the other, and logs one line per
URL and round: what was added or updated, and each problem (a dead feed, a page skipped)
on a line of its own. A URL that fails is tried again next round; nothing stops the loop but
``stop`` being set or Ctrl-C, after which it returns a summary of the whole watch.
"""

from __future__ import annotations

import threading
import time
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
) -> IngestReport:
    """Index the articles at ``url`` (a feed or a page): new ones added, changed ones replaced.

    Raises a ``FetchError`` when the URL itself cannot be read; what fails below it (an entry's
    page) is a skipped line in the report. ``state``'s validators are saved once the articles
    they stand for are in the index.
    """
    state = state if state is not None else WebState()
    found = read_url(
        url,
        fetcher=fetcher or HttpFetcher(),
        state=state,
        indexed=set(store.catalog()),
        conditional=conditional,
    )
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
    state.commit()
    return report


@dataclass
class WatchSummary:
    rounds: int = 0
    added: int = 0
    updated: int = 0
    skipped: int = 0
    failures: int = 0  # a URL that could not be read in a round
    started: float = field(default_factory=time.monotonic)

    def line(self) -> str:
        minutes = (time.monotonic() - self.started) / 60
        return (
            f"watched for {minutes:.1f} min, {self.rounds} rounds: {self.added} added, {self.updated} updated, "
            f"{self.skipped} skipped, {self.failures} failed fetches"
        )


def watch(
    urls: Sequence[str],
    *,
    every_s: float,
    ingest_one: Callable[[str], IngestReport],
    log: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    rounds: int | None = None,
) -> WatchSummary:
    """Poll ``urls`` until ``stop`` is set, Ctrl-C, or ``rounds`` rounds; each round ingests each URL."""
    stop = stop or threading.Event()
    summary = WatchSummary()
    try:
        while not stop.is_set() and (rounds is None or summary.rounds < rounds):
            began = time.monotonic()
            for url in urls:
                _poll(url, ingest_one, summary, log)
                if stop.is_set():
                    break
            summary.rounds += 1
            if rounds is not None and summary.rounds >= rounds:
                break
            stop.wait(max(0.0, every_s - (time.monotonic() - began)))
    except KeyboardInterrupt:
        log("stopped")
    return summary


def _poll(url: str, ingest_one: Callable[[str], IngestReport], summary: WatchSummary, log) -> None:
    try:
        report = ingest_one(url)
    except ArticleQAError as exc:
        summary.failures += 1
        log(f"{time.strftime('%H:%M:%S')} {exc}")
        return
    except Exception as exc:  # a bug of ours must not end the watch: one line, the traceback in a file
        summary.failures += 1
        log(f"{time.strftime('%H:%M:%S')} {url}: {report_unexpected(exc, f'article-qa watch {url}')}")
        return
    summary.added += len(report.added)
    summary.updated += len(report.updated)
    summary.skipped += len(report.skipped)
    log(
        f"{time.strftime('%H:%M:%S')} {url}: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped"
    )
    for item in report.skipped:
        log(f"  skipped {item.path}: {item.reason}")
