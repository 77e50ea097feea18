"""The commands that read the web: ``ingest URL`` and ``watch URL...`` (index.web_articles does the reading)."""

from __future__ import annotations

import sys
import threading

from cli.output import INTERRUPTED, out, progress_bar, say


def web_parts(settings):
    """The fetcher and the saved ETags / Last-Modified dates of URLs (data/web-state.json)."""
    from index.web_articles import WebState
    from rag.parts import open_fetcher

    return open_fetcher(settings), WebState.load(settings.data_dir / "web-state.json")


def ingest_url(args, settings) -> int:
    """A feed or an article page: read before the models load, so a dead URL costs no wait."""
    from tqdm import tqdm

    from index.errors import ArticleError
    from index.watching import ingest_read
    from index.web import FetchError
    from index.web_articles import read_url
    from rag.assistant import Assistant

    if args.prune:
        raise ArticleError("--prune is for folders: articles read from a URL are never pruned. Run without it.")
    fetcher, state = web_parts(settings)
    try:
        found = read_url(args.path, fetcher=fetcher, state=state, conditional=False)
    except FetchError as exc:
        say(f"error: {exc}")
        return 1
    finally:
        fetcher.close()
    assistant = Assistant.open(settings)
    with tqdm(desc="ingest", unit="article", file=sys.stderr, disable=None) as bar:
        report = ingest_read(
            found,
            store=assistant.store,
            chunker=assistant.chunker,
            embedder=assistant.embedder,
            state=state,
            on_progress=progress_bar(bar),
        )
    out(report.summary())
    return 0


def watch_urls(args, settings) -> int:
    from index.watching import watch
    from rag.assistant import Assistant

    assistant = Assistant.open(settings)
    fetcher, state = web_parts(settings)

    writing = threading.Lock()  # the URLs are fetched at once, and written one at a time

    def ingest_one(url: str):
        return assistant.ingest_url(url, state=state, fetcher=fetcher, writing=writing)

    say(f"watching {len(args.urls)} URL(s) every {args.every:g} s; Ctrl-C stops")
    try:
        summary = watch(args.urls, every_s=args.every, ingest_one=ingest_one, log=say, rounds=args.rounds)
    finally:
        fetcher.close()
    say(summary.line())
    return INTERRUPTED if summary.interrupted else 0
