"""The articles behind a URL: a feed's entries, each read from its link, or one article page.

``read_url`` returns what ``index.articles.read_folder`` returns: the articles, and one
``Skipped`` line (the URL and why) for each entry or page that could not be read; the rest of
the run goes on. Only the URL asked failing (a dead host, a 404, not a feed or a page) is an
error, a ``FetchError``, since then nothing at all was read.

An article's date is the feed entry's (published, else updated), else the page's metadata
(trafilatura's htmldate, else ``index.html_text``), else the page's HTTP ``Last-Modified``;
without any, ``index.articles.to_article`` infers one from the text. Its ``source_path`` and
``url`` are its link, its ``source`` the feed's title (else the host).

``WebState`` keeps each URL's ETag and Last-Modified between runs (a JSON file, replaced
whole on each save) so that a watch asks only for what changed: a 304 for the feed means
nothing new; a 304 for an article already indexed means it is unchanged and is not read
again. Validators are only sent for articles the index holds; the ones a read saw travel with
it (``UrlRead.seen``) and are kept only once ``commit`` says its articles were ingested, so
reads of several URLs at once never keep each other's too early.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence
from urllib.parse import urlsplit

from index.articles import DEFAULT_MAX_ARTICLE_CHARS, Skipped, to_article
from index.dates import iso_date
from index.errors import ArticleError
from index.feeds import FeedEntry, is_feed, read_feed
from index.formats import RawArticle, printable
from index.pages import article_id, page_article
from index.types import Article
from index.urls import is_url
from index.web import Fetcher, FetchError, Page

MAX_ENTRIES = 200  # a feed's entries read per run; longer feeds are news archives, not feeds
# Fewer words than this on a page is no article: a consent wall, "enable JavaScript", a menu.
# A paywalled article's teaser paragraph has more.
MIN_ARTICLE_WORDS = 20


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class WebState:
    """ETag / Last-Modified per URL, kept in ``path`` (none: in memory only)."""

    path: Path | None = None
    validators: dict[str, Validators] = field(default_factory=dict)
    _saving: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> "WebState":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError):  # a damaged file costs one full fetch, nothing more
            data = {}
        kept = {
            url: Validators(entry.get("etag"), entry.get("last_modified"))
            for url, entry in (data.items() if isinstance(data, dict) else [])
            if isinstance(url, str) and isinstance(entry, dict)
        }
        return cls(path, kept)

    def get(self, url: str) -> Validators:
        return self.validators.get(url, Validators())

    def commit(self, seen: dict[str, Validators]) -> None:
        """Keep the validators a read saw (``UrlRead.seen``), and save them all."""
        with self._saving:
            self.validators.update(seen)
            if self.path is not None:
                self._save()

    def _save(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {url: {"etag": v.etag, "last_modified": v.last_modified} for url, v in sorted(self.validators.items())}
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".web-state-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=1)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@dataclass
class UrlRead:
    """What one reading of a URL found: the articles, what was skipped, and what was not modified."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)  # article ids (or the feed's URL) a 304 answered
    seen: dict[str, Validators] = field(default_factory=dict)  # the validators of the pages read

    def note(self, url: str, page: Page) -> None:
        if page.etag or page.last_modified:
            self.seen[url] = Validators(page.etag, page.last_modified)


def read_url(
    url: str,
    *,
    fetcher: Fetcher,
    state: WebState | None = None,
    indexed: frozenset[str] | set[str] = frozenset(),
    conditional: bool = True,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
) -> UrlRead:
    """The articles at ``url`` (a feed or an article page). ``indexed``: the ids the index holds.

    With ``conditional``, the validators in ``state`` are sent: the URL's, and those of the
    articles in ``indexed``. Without, everything is fetched whole (the validators are still noted).
    """
    state = state if state is not None else WebState()
    known = state.get(url) if conditional else Validators()
    page = fetcher.get(url, etag=known.etag, last_modified=known.last_modified)
    found = UrlRead()
    if page.not_modified:
        found.not_modified.append(url)
        return found
    if not page.body.strip():
        raise FetchError(f"{url}: the response is empty")
    if not is_feed(page):
        try:
            raw = _page_raw(page, url, source=_host(url), entry=None)
        except ArticleError as exc:  # a body that is no text (binary)
            raise FetchError(f"{url}: {exc}") from None
        if _add(found, raw, url, max_article_chars):
            found.note(url, page)
        return found
    feed = read_feed(page)
    found.skipped.extend(Skipped(url, problem) for problem in feed.problems)
    if not feed.entries:
        found.skipped.append(Skipped(url, "the feed has no entries"))
    for entry in _one_per_link(feed.entries[:MAX_ENTRIES]):
        _read_entry(
            entry,
            found,
            fetcher=fetcher,
            state=state,
            indexed=indexed if conditional else frozenset(),
            source=feed.title or _host(url),
            max_article_chars=max_article_chars,
        )
    if len(feed.entries) > MAX_ENTRIES:
        found.skipped.append(Skipped(url, f"only the first {MAX_ENTRIES} of {len(feed.entries)} entries were read"))
    found.note(url, page)
    return found


def _one_per_link(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """A feed that lists one link several times has it fetched once: its first entry, in the feed's order."""
    first: dict[str, FeedEntry] = {}
    for entry in entries:
        first.setdefault(entry.link, entry)
    return list(first.values())


def _read_entry(
    entry: FeedEntry, found: UrlRead, *, fetcher: Fetcher, state: WebState, indexed, source: str, max_article_chars: int
) -> None:
    link = entry.link
    if not is_url(link):  # javascript:, file:, a path: never fetched
        found.skipped.append(Skipped(printable(link)[:200], "not an http:// or https:// link"))
        return
    known = state.get(link) if article_id(link) in indexed else Validators()
    try:
        page = fetcher.get(link, etag=known.etag, last_modified=known.last_modified)
    except ArticleError as exc:
        found.skipped.append(Skipped(link, str(exc).removeprefix(f"{link}: ")))
        return
    if page.not_modified:
        found.not_modified.append(article_id(link))
        return
    if is_feed(page):
        found.skipped.append(Skipped(link, "the entry links to a feed, not to an article"))
        return
    try:
        raw = _page_raw(page, link, source=source, entry=entry)
    except ArticleError as exc:
        found.skipped.append(Skipped(link, str(exc)))
        return
    if _add(found, raw, link, max_article_chars):
        found.note(link, page)


def _page_raw(page: Page, link: str, *, source: str, entry: FeedEntry | None) -> RawArticle:
    raw = page_article(
        page.text(), url=link, source=source, date=entry.date if entry else None, title=entry.title if entry else None
    )
    if raw.date is None and page.last_modified:
        raw = replace(raw, date=iso_date(page.last_modified))
    return raw


def _add(found: UrlRead, raw: RawArticle, link: str, max_chars: int) -> bool:
    """Turn a raw article into an Article and keep it; False, and a skipped line, when it cannot be."""
    words = len(raw.text.split())
    if words < MIN_ARTICLE_WORDS:
        counted = f" ({words} word{'s' if words != 1 else ''})" if words else ""
        found.skipped.append(Skipped(link, f"no article text found on the page{counted}"))
        return False
    try:
        article = to_article(raw, source_path=link, max_chars=max_chars)
    except ArticleError as exc:
        found.skipped.append(Skipped(link, str(exc)))
        return False
    if any(existing.id == article.id for existing in found.articles):
        found.skipped.append(Skipped(link, "listed twice in the feed"))
        return False
    found.articles.append(article)
    found.skipped.extend(
        Skipped(link, f"cut after {len(article.text):,} characters: {removal.text}")
        for removal in article.removed
        if removal.rule == "cut"
    )
    return True


def _host(url: str) -> str:
    return (urlsplit(url).hostname or url).removeprefix("www.")
