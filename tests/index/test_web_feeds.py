"""Feeds and pages from a real HTTP server on 127.0.0.1: each page gives its article or one skipped line."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from index import SentenceChunker
from index.watching import ingest_url, watch
from index.web import FetchError, HttpFetcher
from index.web_articles import WebState, read_url
from rag.turn import day_range
from tests.news_site import LOCAL, NewsSite

TIMEOUT_S = 0.5
MAX_BYTES = 200_000


@pytest.fixture
def site():
    site = NewsSite().start()
    yield site
    site.stop()


def fetcher() -> HttpFetcher:
    return HttpFetcher(
        timeout_s=TIMEOUT_S, host_delay_s=0.0, retries=1, backoff_s=0.01, max_bytes=MAX_BYTES, allow=LOCAL
    )


def by_title(articles) -> dict:
    return {article.title: article for article in articles}


def test_a_feed_gives_every_entry_its_full_article_or_one_skipped_line(site):
    found = read_url(f"{site.base}/feed.xml", fetcher=fetcher())
    articles = by_title(found.articles)
    skipped = {item.path.removeprefix(site.base): item.reason for item in found.skipped}

    water = articles["Neues Wasserwerk für Kleinfeld"]
    assert "Bürgermeisterin Jana Müller sprach von einem wichtigen Schritt" in water.text
    assert "Informationsveranstaltung ist für den nächsten Monat geplant." in water.text
    for boilerplate in ("Cookies", "Startseite", "Teilen auf", "Impressum", "Neue Buslinie"):
        assert boilerplate not in water.text
    assert water.date == "2025-03-04T08:30:00+00:00" and water.date_how == "metadata"  # RFC 822 +0100, as ISO UTC
    assert water.url == water.source_path == f"{site.base}/news/wasserwerk.html"
    assert water.source == "Kleinfelder Bote" and water.language == "de"
    assert water.id.startswith("127.0.0.1-wasserwerk-")

    budget = articles["Der Haushalt für 2025 steht"]  # a paywall: the teaser, not the sales pitch
    assert "Ausgaben von 84 Millionen Euro" in budget.text and "abonnieren" not in budget.text

    assert "Neue Brücke über die Au" in articles  # Latin-1 bytes under a UTF-8 header
    assert "Bürgermeisterin Jana Müller" in articles["Neue Brücke über die Au"].text
    assert "Bürgermeisterin Jana Müller" in articles["Müllabfuhr wird digital"].text  # UTF-8 under ISO-8859-1

    moved = articles["Radweg wird verlängert"]  # a redirect: the article, under the link the feed gave
    assert "einen längeren Radweg" in moved.text and moved.url == f"{site.base}/news/moved.html"

    assert articles["Schwimmbad öffnet wieder"].date == "2025-02-20T06:00:00+01:00"  # the page's metadata
    assert articles["Stadtfest im Juni"].date == "2025-03-02T15:00:00+00:00"  # HTTP Last-Modified
    assert "eine neue Kita" in articles["Neue Kita eröffnet"].text  # a 503 first, then the page

    assert skipped["/news/gone.html"] == "HTTP 404"
    assert skipped["/news/slow.html"] == f"no answer within {TIMEOUT_S:g} s (after 2 tries)"
    assert skipped["/news/huge.html"] == f"over the {MAX_BYTES:,}-byte limit; not read further"
    assert "robots.txt" in skipped["/private/intern.html"] and "/private/intern.html" not in site.paths()
    assert len(found.articles) == 8 and len(skipped) == 4  # nothing else lost


def test_the_server_sees_a_clear_user_agent_and_robots_txt_is_read_once(site):
    read_url(f"{site.base}/feed.xml", fetcher=fetcher())
    agents = {headers.get("user-agent") for _, headers in site.requests}
    assert len(agents) == 1 and agents.pop().startswith("article-qa")
    assert site.paths().count("/robots.txt") == 1


def test_an_atom_feed_and_a_single_page(site):
    [entry] = read_url(f"{site.base}/atom.xml", fetcher=fetcher()).articles
    assert entry.title == "Neues Wasserwerk für Kleinfeld" and entry.date == "2025-03-04T08:30:00+00:00"
    assert entry.source == "Bote Atom"
    [page] = read_url(f"{site.base}/page.html", fetcher=fetcher()).articles
    assert page.title == "Neues Wasserwerk für Kleinfeld" and page.source == "127.0.0.1"
    assert page.date == "2025-02-20T06:00:00+01:00" and "Jana Müller" in page.text


def test_a_dead_url_is_one_clear_error(site):
    with pytest.raises(FetchError, match=r"^http://127\.0\.0\.1:\d+/nope\.xml: HTTP 404$"):
        read_url(f"{site.base}/nope.xml", fetcher=fetcher())
    site.stop()
    with pytest.raises(FetchError, match=r"^http://127\.0\.0\.1:\d+/feed\.xml: cannot connect"):
        read_url(f"{site.base}/feed.xml", fetcher=fetcher())


def test_a_second_poll_asks_only_for_what_changed(site, store, embedder, tmp_path):
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    state_file = tmp_path / "web-state.json"
    web = fetcher()

    def poll():
        return ingest_url(
            f"{site.base}/feed.xml",
            store=store,
            chunker=chunker,
            embedder=embedder,
            fetcher=web,
            state=WebState.load(state_file),
        )

    first = poll()
    assert len(first.added) == 8 and len(first.skipped) == 4
    assert json.loads(state_file.read_text(encoding="utf-8"))[f"{site.base}/feed.xml"]["etag"] == '"feed-v1"'

    site.requests.clear()
    second = poll()  # the feed answers 304: nothing else is fetched
    assert second.added == second.updated == [] and site.paths() == ["/feed.xml"]
    assert site.requests[0][1]["if-none-match"] == '"feed-v1"'

    site.feed_version, site.flaky_failures = 2, 0
    site.requests.clear()
    third = poll()
    assert [store.articles([aid])[0].article.title for aid in third.added] == ["Neue Bibliothek"]
    assert third.updated == []
    water = next(h for p, h in site.requests if p == "/news/wasserwerk.html")
    assert water["if-none-match"] == '"wasserwerk-1"'  # an indexed article is asked for conditionally


def test_watch_logs_one_line_per_problem_and_goes_on(site, store, embedder):
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    lines: list[str] = []

    def ingest_one(url: str):
        return ingest_url(url, store=store, chunker=chunker, embedder=embedder, fetcher=fetcher())

    summary = watch(
        [f"{site.base}/nope.xml", f"{site.base}/feed.xml"], every_s=0, ingest_one=ingest_one, log=lines.append, rounds=1
    )
    assert summary.rounds == 1 and summary.failures == 1 and summary.added == 8 and summary.skipped == 4
    assert any(line.endswith("/nope.xml: HTTP 404") for line in lines)
    assert sum("skipped" in line and "/news/" in line for line in lines) == 3
    assert "watched for" in summary.line()


def test_article_qa_ingest_of_a_feed_url(site, tmp_path, monkeypatch, make_assistant, store, capsys):
    from rag.assistant import Assistant

    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    monkeypatch.setenv("ARTICLE_QA_FETCH_ALLOW", "127.0.0.1")
    monkeypatch.setattr(Assistant, "open", staticmethod(lambda settings: make_assistant()))
    monkeypatch.setattr("cli.web.web_parts", lambda settings: (fetcher(), WebState.load(tmp_path / "web-state.json")))
    assert main(["ingest", f"{site.base}/feed.xml"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("8 added, 0 updated, 0 unchanged, 0 removed, 4 skipped")
    assert f"skipped {site.base}/news/gone.html: HTTP 404" in out.out
    water = next(s.article for s in store.articles() if s.article.title == "Neues Wasserwerk für Kleinfeld")
    assert water.date == "2025-03-04T08:30:00+00:00" and "Jana Müller" in water.text


def test_article_qa_ingest_of_a_dead_url_is_one_line_and_exit_1(site, tmp_path, monkeypatch, capsys):
    from rag.assistant import Assistant

    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    monkeypatch.setenv("ARTICLE_QA_FETCH_ALLOW", "127.0.0.1")
    monkeypatch.setattr(Assistant, "open", staticmethod(lambda settings: pytest.fail("no model loads for a dead URL")))
    assert main(["ingest", f"{site.base}/nope.xml"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {site.base}/nope.xml: HTTP 404"]


def test_article_qa_watch_polls_and_ends_with_a_summary(site, tmp_path, monkeypatch, make_assistant, store, capsys):
    from rag.assistant import Assistant

    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    monkeypatch.setenv("ARTICLE_QA_FETCH_ALLOW", "127.0.0.1")
    monkeypatch.setattr(Assistant, "open", staticmethod(lambda settings: make_assistant()))
    monkeypatch.setattr("cli.web.web_parts", lambda settings: (fetcher(), WebState.load(tmp_path / "web-state.json")))
    argv = ["watch", f"{site.base}/feed.xml", f"{site.base}/nope.xml", "--every", "1m", "--rounds", "1"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "watching 2 URL(s) every 60 s" in err and f"{site.base}/nope.xml: HTTP 404" in err
    assert err.strip().splitlines()[-1].endswith("1 rounds: 8 added, 0 updated, 4 skipped, 1 failed fetches")
    assert len(store.articles()) == 8


def test_a_feed_ingested_through_the_api_is_answered_within_its_entries_dates(site, make_assistant):
    qa = make_assistant()
    report = qa.ingest_url(f"{site.base}/feed.xml", fetcher=fetcher())
    assert len(report.added) == 8 and len(report.skipped) == 4
    day_of = {article.id: article.day for article in qa.articles()}
    assert sorted(day_of.values())[0] == "2025-02-20" and sorted(day_of.values())[-1] >= "2025-03-04"
    question = "Was kostet das neue Wasserwerk in Kleinfeld?"
    march = {p.article_id for p in qa.retrieve(question, days=day_range(since="2025-03"))}
    february = {p.article_id for p in qa.retrieve(question, days=day_range(until="2025-02"))}
    assert march and all(day_of[article_id] >= "2025-03-01" for article_id in march)
    assert february and all(day_of[article_id] <= "2025-02-28" for article_id in february)
