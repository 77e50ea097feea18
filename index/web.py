"""Fetching feeds and article pages over HTTP, politely and within limits.

``HttpFetcher`` (httpx) sends a clear User-Agent (``article-qa/VERSION``), reads robots.txt
once an hour per host and keeps to it (a Crawl-delay too), waits ``host_delay_s`` between two
requests to the same host, follows at most ``max_redirects`` redirects, stops reading a body
past ``max_bytes`` (counted after decompression, ``index.inflate``), and retries a 5xx, a 429 or
a timeout ``retries`` times after 0.5 s, 1 s, 2 s ... (a Retry-After up to ``MAX_RETRY_AFTER_S``
is honoured). ``If-None-Match`` and ``If-Modified-Since`` are sent when validators are given; a
304 is ``Page.not_modified``.

Bounds that hold whatever the server does: one fetch (its robots.txt, redirects, retries and
body together) ends within ``deadline_s``; it connects only to public addresses and to the
hosts and networks in ``allow`` (``index.addresses``), checked on every redirect, and a refused
address reads as "cannot connect", like a host that is down (``index.connections``).

Each failure is a ``FetchError`` (an ``ArticleError``) whose message is one line naming the URL
and what went wrong. A robots.txt that cannot be fetched (a 5xx, a timeout) forbids the host
until the next try, as RFC 9309 says; one that is missing (a 4xx) allows everything.

What it leaves out: pages built by JavaScript, cookies and logins, and robots.txt for the
hosts a redirect passes through (only the host asked is checked).

The charset of a page: a byte order mark, else UTF-8 when the bytes are UTF-8 (whatever the
header says: UTF-8 is seldom valid by chance), else the charset declared by the header or by
a ``<meta>`` in the first 4 KB when it reads the bytes, else ``index.formats.decode``.
"""

from __future__ import annotations

import codecs
import re
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol
from urllib.parse import urlsplit

import httpx

from index.addresses import AddressPolicy
from index.connections import GuardedBackend, GuardedTransport, Resolver, deadline, stopped, time_left
from index.errors import ArticleError
from index.formats import decode
from index.inflate import ACCEPTED_ENCODINGS, InflateError, decoded
from index.urls import is_url

DEFAULT_TIMEOUT_S = 20.0  # one connect or read
DEFAULT_DEADLINE_S = 60.0  # one fetch, all of it
DEFAULT_HOST_DELAY_S = 1.0  # at most one request a second to one host
DEFAULT_RETRIES = 2
DEFAULT_MAX_REDIRECTS = 5
MAX_RETRY_AFTER_S = 60.0
ROBOTS_TTL_S = 3600.0
_RETRIED_STATUS = frozenset((429, 500, 502, 503, 504))
# A server that did not answer in time or dropped the connection midway; a refused connection is not retried.
_RETRIED_ERRORS = (httpx.TimeoutException, httpx.ReadError, httpx.RemoteProtocolError)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


class FetchError(ArticleError):
    """A URL that could not be fetched; the message is the one line to show."""


@dataclass(frozen=True)
class Page:
    """What a GET brought back: the body as bytes, and the headers that matter here."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return page_text_of(self.body, self.charset)


class Fetcher(Protocol):
    """Anything that GETs a URL as ``HttpFetcher`` does (tests give a fake)."""

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page: ...


def user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"article-qa/{version('article-qa')}"
    except PackageNotFoundError:
        return "article-qa"


@dataclass
class HttpFetcher:
    timeout_s: float = DEFAULT_TIMEOUT_S
    deadline_s: float = DEFAULT_DEADLINE_S
    allow: tuple[str, ...] = ()  # hosts and networks fetched from besides public addresses
    resolve: Resolver = socket.getaddrinfo
    host_delay_s: float = DEFAULT_HOST_DELAY_S
    retries: int = DEFAULT_RETRIES
    backoff_s: float = 0.5
    max_bytes: int = 20_000_000
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    agent: str = field(default_factory=user_agent)
    sleep: Callable[[float], None] = time.sleep
    _last_request: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | str]] = field(default_factory=dict)
    _robots_read: dict[str, threading.Lock] = field(default_factory=dict)  # one read of a host's robots.txt at a time
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _client: httpx.Client | None = None

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        """The page at ``url``; a 304 when the validators still hold. Raises FetchError."""
        if not is_url(url):
            raise FetchError(f"{url}: not an http:// or https:// URL")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with deadline(self.deadline_s):
            self._check_robots(url)
            return self._get(url, headers, allow_not_found=False)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        with self._lock:
            return self._client or self._open()

    def _open(self) -> httpx.Client:
        backend = GuardedBackend(AddressPolicy.allowing(self.allow), self.resolve)
        self._client = httpx.Client(
            transport=GuardedTransport(backend),
            headers={"User-Agent": self.agent, "Accept-Encoding": ACCEPTED_ENCODINGS},
            timeout=self.timeout_s,
            follow_redirects=True,
            max_redirects=self.max_redirects,
            trust_env=False,  # no proxy settings of the environment: the URL asked is the one fetched
        )
        return self._client

    def _get(self, url: str, headers: dict[str, str], *, allow_not_found: bool) -> Page:
        for attempt in range(self.retries + 1):
            self._wait_for_host(url)
            try:
                page, retry_after = self._once(url, headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if time_left() <= 0:
                    raise FetchError(
                        f"{url}: not done within the {self.deadline_s:g}-second limit for one fetch"
                    ) from None
                if stopped():
                    raise FetchError(f"{url}: stopped before it was done") from None
                if (
                    attempt < self.retries
                    and isinstance(exc, _RETRIED_ERRORS)
                    and self._pause(self.backoff_s * 2**attempt)
                ):
                    continue
                raise FetchError(f"{url}: {_transport_problem(exc, self.timeout_s)}{_after_tries(attempt)}") from None
            except httpx.HTTPError as exc:  # too many redirects, a bad URL in a redirect
                raise FetchError(f"{url}: {_http_problem(exc, self.max_redirects)}") from None
            pause = min(retry_after or self.backoff_s * 2**attempt, MAX_RETRY_AFTER_S)
            if page.status in _RETRIED_STATUS and attempt < self.retries and self._pause(pause):
                continue
            if page.status in (200, 203, 304) or (allow_not_found and 400 <= page.status < 500):
                return page
            raise FetchError(f"{url}: HTTP {page.status}{_after_tries(attempt)}")
        raise AssertionError("unreachable")

    def _pause(self, seconds: float) -> bool:
        """Wait before a retry, when the retry can still start before the fetch's deadline."""
        if seconds >= time_left() or stopped():
            return False
        self.sleep(seconds)
        return True

    def _once(self, url: str, headers: dict[str, str]) -> tuple[Page, float | None]:
        with self.client.stream("GET", url, headers=headers) as response:
            if response.status_code != 200:
                return _page(response, b""), _retry_after(response.headers.get("Retry-After"))
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"{url}: {int(declared):,} bytes is over the {self.max_bytes:,}-byte limit")
            try:
                body = decoded(response.iter_raw(), response.headers.get("Content-Encoding", ""), self.max_bytes)
            except InflateError as exc:
                raise FetchError(f"{url}: {exc}") from None
            return _page(response, body), None

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            robots = self._robots.get(host)
            delay = self.host_delay_s
            if robots and not isinstance(robots[1], str):
                delay = max(delay, float(robots[1].crawl_delay(self.agent) or 0))
            now = time.monotonic()
            wait = self._last_request.get(host, -1e9) + delay - now
            self._last_request[host] = now + max(wait, 0.0)
        if wait >= time_left():
            raise FetchError(
                f"{url}: its turn at {host} (one request every {delay:g} s) comes after the "
                f"{self.deadline_s:g}-second limit for one fetch"
            )
        if wait > 0:
            self.sleep(wait)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        with self._lock:
            reading = self._robots_read.setdefault(host, threading.Lock())
        if not reading.acquire(timeout=max(time_left(), 0.0)):  # another fetch is reading it
            raise FetchError(f"{url}: not done within the {self.deadline_s:g}-second limit for one fetch")
        try:
            cached = self._robots.get(host)
            if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL_S:
                cached = (time.monotonic(), self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt"))
                self._robots[host] = cached
        finally:
            reading.release()
        rules = cached[1]
        if isinstance(rules, str) and rules.startswith("cannot connect"):  # the host is down, not its robots.txt
            del self._robots[host]
            raise FetchError(f"{url}: {rules}")
        if isinstance(rules, str):
            raise FetchError(f"{url}: robots.txt could not be read ({rules}), so the host is not fetched for now")
        if not rules.can_fetch(self.agent, url):
            raise FetchError(f"{url}: robots.txt of {parts.netloc} does not allow {self.agent} here")

    def _read_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | str:
        rules = urllib.robotparser.RobotFileParser(robots_url)
        try:
            page = self._get(robots_url, {}, allow_not_found=True)
        except FetchError as exc:
            return str(exc).split(": ", 1)[-1]
        rules.parse([] if page.status >= 400 else page.text().splitlines())  # no rules: all allowed
        return rules


def _page(response: httpx.Response, body: bytes) -> Page:
    return Page(
        url=str(response.url),
        status=response.status_code,
        body=body,
        content_type=response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
        charset=response.charset_encoding,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )


def _retry_after(value: str | None) -> float | None:
    return float(value) if value and value.strip().isdigit() else None


def _after_tries(attempt: int) -> str:
    return f" (after {attempt + 1} tries)" if attempt else ""


def _transport_problem(exc: httpx.HTTPError, timeout_s: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout_s:g} s"
    if isinstance(exc, httpx.ConnectError):  # never why: a refused address and a closed port read the same
        return "cannot connect"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _http_problem(exc: httpx.HTTPError, max_redirects: int) -> str:
    if isinstance(exc, httpx.TooManyRedirects):
        return f"more than {max_redirects} redirects"
    return str(exc) or type(exc).__name__


def page_text_of(body: bytes, charset: str | None) -> str:
    """The text of a page's bytes (see the module's docstring for the order of the charsets)."""
    if body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(body)
    try:
        return body.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(body[:4096])
    for declared in (charset, meta.group(1).decode("ascii") if meta else None):
        name = _codec(declared)
        if name and name != "utf-8":
            try:
                return body.decode(name).replace("\r\n", "\n").replace("\r", "\n")
            except UnicodeDecodeError:
                continue
    return decode(body)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name  # as browsers read them


def headers_of(page: Page) -> Mapping[str, str]:
    """The response headers a feed parser wants, rebuilt from a Page."""
    content_type = page.content_type + (f"; charset={page.charset}" if page.charset else "")
    return {"content-type": content_type, "content-location": page.url}
