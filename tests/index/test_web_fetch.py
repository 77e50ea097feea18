"""The parts of web reading on their own: charsets, dates, ids, saved validators, politeness, retries."""

from __future__ import annotations

import json

import pytest

from index.dates import iso_date
from index.errors import ArticleError
from index.feeds import is_feed
from index.pages import article_id
from index.web import Fetcher, FetchError, HttpFetcher, Page, page_text_of
from index.web_articles import UrlRead, WebState, read_url
from tests.news_site import LOCAL, NewsSite


class FakeFetcher:
    """Pages by URL, as ``Fetcher`` gives them; what is asked is recorded."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.asked: list[tuple[str, str | None]] = []

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        self.asked.append((url, etag))
        if url not in self.pages:
            raise FetchError(f"{url}: HTTP 404")
        page = self.pages[url]
        return Page(url, 304, etag=etag) if etag and etag == page.etag else page


def test_the_fake_fetcher_is_a_fetcher() -> None:
    fetcher: Fetcher = FakeFetcher({})
    assert callable(fetcher.get)


@pytest.mark.parametrize(
    ("body", "charset", "expected"),
    [
        ("Müller".encode(), "iso-8859-1", "Müller"),  # UTF-8 bytes under a Latin-1 header
        ("Müller €".encode("cp1252"), "utf-8", "Müller €"),  # Windows-1252 bytes under a UTF-8 header
        ("Müller".encode("latin-1"), None, "Müller"),
        ("Щука".encode("koi8-r"), "koi8-r", "Щука"),  # a declared charset that reads the bytes
        (b"<meta charset='koi8-r'>" + "Щука".encode("koi8-r"), None, "<meta charset='koi8-r'>Щука"),
        ("Müller".encode("utf-16"), "iso-8859-1", "Müller"),  # a byte order mark wins
    ],
)
def test_page_charsets(body, charset, expected):
    assert page_text_of(body, charset) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, 04 Mar 2025 09:30:00 +0100", "2025-03-04T09:30:00+01:00"),
        ("Sun, 02 Mar 2025 15:00:00 GMT", "2025-03-02T15:00:00+00:00"),
        ("2025-03-09T10:00:00Z", "2025-03-09T10:00:00+00:00"),
        ("2025-03-09", "2025-03-09"),
        ("2025-03-09 10:00 Uhr", "2025-03-09"),
        ("2025-02-30", None),
        ("last Tuesday", None),
        ("", None),
    ],
)
def test_dates_become_iso(text, expected):
    assert iso_date(text) == expected


def test_article_ids_from_urls_are_readable_stable_and_unique():
    first = article_id("https://www.example.org/politik/2025/03/Neues-Wasserwerk.html")
    assert first.startswith("example.org-neues-wasserwerk-") and len(first.rsplit("-", 1)[1]) == 8
    assert first == article_id("https://www.example.org/politik/2025/03/Neues-Wasserwerk.html")
    assert first != article_id("https://www.example.org/wirtschaft/2025/03/Neues-Wasserwerk.html")
    assert article_id("https://example.org/").startswith("example.org-")
    assert len(article_id("https://example.org/" + "a" * 500)) < 90


def test_web_state_is_saved_whole_and_a_damaged_file_costs_only_a_full_fetch(tmp_path):
    path = tmp_path / "data" / "web-state.json"
    state = WebState.load(path)
    found = UrlRead()
    found.note("http://a/feed", Page("http://a/feed", 200, etag='"1"', last_modified="Sun, 02 Mar 2025 15:00:00 GMT"))
    assert WebState.load(path).validators == {} and state.validators == {}  # not before commit
    state.commit(found.seen)
    again = WebState.load(path)
    assert again.get("http://a/feed").etag == '"1"' and list(path.parent.iterdir()) == [path]
    assert json.loads(path.read_text(encoding="utf-8"))["http://a/feed"]["etag"] == '"1"'
    path.write_text("{not json", encoding="utf-8")
    assert WebState.load(path).validators == {}


def test_feeds_and_pages_are_told_apart():
    assert is_feed(Page("u", 200, b"<?xml version='1.0'?><rss/>", "text/plain"))
    assert is_feed(Page("u", 200, b"\xef\xbb\xbf <!-- x --><feed xmlns='...'>", "application/octet-stream"))
    assert is_feed(Page("u", 200, b"<rss>", "application/rss+xml"))
    assert not is_feed(Page("u", 200, b"<?xml version='1.0'?><html>", "text/html"))
    assert not is_feed(Page("u", 200, b"<!DOCTYPE html><html>", ""))


def test_a_page_that_is_no_feed_and_no_article_is_one_skipped_line():
    fetcher = FakeFetcher({"http://a/x": Page("http://a/x", 200, b"<html><body><nav>Menu</nav></body></html>")})
    found = read_url("http://a/x", fetcher=fetcher)
    assert found.articles == [] and [s.reason for s in found.skipped] == ["no article text found on the page (1 word)"]


def test_an_xml_body_that_is_no_feed_is_an_error():
    fetcher = FakeFetcher({"http://a/x": Page("http://a/x", 200, b"<?xml version='1.0'?><svg/>", "text/xml")})
    with pytest.raises(ArticleError, match="neither a feed nor an article page"):
        read_url("http://a/x", fetcher=fetcher)


def test_a_host_is_asked_at_most_once_per_delay_and_5xx_is_retried_with_backoff():
    site = NewsSite().start()
    slept: list[float] = []
    try:
        fetcher = HttpFetcher(host_delay_s=5.0, retries=2, backoff_s=0.25, sleep=slept.append, allow=LOCAL)
        assert fetcher.get(f"{site.base}/news/flaky.html").status == 200
        fetcher.get(f"{site.base}/page.html")
    finally:
        site.stop()
    # robots.txt, then the 503 (Retry-After: 0, so the backoff), then the retry and the next page:
    # each waits out the host's delay (the fake sleep does not pass time, so each wait is about 5 s)
    assert slept[0] == pytest.approx(5.0, abs=0.5) and 0.25 in slept
    assert sum(wait > 4 for wait in slept) == 3


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (500, False)])
def test_a_missing_robots_txt_allows_all_and_one_that_fails_forbids_the_host_for_now(status, allowed):
    site = NewsSite(robots_status=status).start()
    try:
        fetcher = HttpFetcher(host_delay_s=0.0, retries=0, allow=LOCAL)
        if allowed:
            assert fetcher.get(f"{site.base}/page.html").status == 200
        else:
            with pytest.raises(FetchError, match=r"robots.txt could not be read \(HTTP 500\)"):
                fetcher.get(f"{site.base}/page.html")
            assert "/page.html" not in site.paths()
    finally:
        site.stop()


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h", 3600), ("1h30m", 5400), ("90s", 90), ("2d", 172800)]
)
def test_watch_intervals(text, seconds):
    from cli.arguments import duration

    assert duration(text) == seconds


@pytest.mark.parametrize("text", ["10s", "15", "15x", "m", "1h-5m", ""])
def test_bad_watch_intervals_are_refused_before_any_work(text):
    import argparse

    from cli.arguments import duration

    with pytest.raises(argparse.ArgumentTypeError):
        duration(text)


def test_a_page_keeps_the_words_inside_its_time_elements():
    from index.main_text import page_text

    html = (
        "<html><body><article><h1>Brücke</h1><p>Die Brücke wurde am <time datetime='2025-03-24'>24. März</time> "
        "eröffnet und ist 300 Meter lang. Sie verbindet zwei Stadtteile, die bisher nur über eine Fähre "
        "verbunden waren, und soll täglich von 12.000 Autos befahren werden.</p></article></body></html>"
    )
    assert "am 24. März eröffnet" in page_text(html)[0].text


def test_a_link_a_feed_lists_five_times_is_fetched_once_in_the_feeds_order():
    item = "<item><title>Parks</title><link>http://a/parks</link></item>"
    other = "<item><title>Bad</title><link>http://a/bad</link></item>"
    feed = (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Bote</title>{item}{other}{item * 4}</channel></rss>"
    )
    text = "Die Stadt Celle baut bis 2027 zwei neue Parks am Fluss, teilte die Verwaltung am Montag mit. " * 3
    fetcher = FakeFetcher(
        {
            "http://a/feed": Page("http://a/feed", 200, feed.encode(), "application/rss+xml"),
            "http://a/parks": Page("http://a/parks", 200, f"<html><body><p>{text}</p></body></html>".encode()),
            "http://a/bad": Page("http://a/bad", 200, f"<html><body><p>{text} Ein Bad.</p></body></html>".encode()),
        }
    )
    found = read_url("http://a/feed", fetcher=fetcher)
    assert [url for url, _ in fetcher.asked] == ["http://a/feed", "http://a/parks", "http://a/bad"]
    assert len(found.articles) == 2 and found.skipped == []
