"""Fetching within hard bounds, against a hostile server on 127.0.0.1: compression bombs, a
server that drips, redirects to this machine, and addresses no fetch may go to."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import tracemalloc

import pytest

from index.addresses import AddressPolicy
from index.watching import STOP_GRACE_S, watch
from index.web import FetchError, HttpFetcher
from tests.hostile_site import LIMIT, PAGE, HostileSite


@pytest.fixture(scope="module")
def site():
    running = HostileSite().start()
    yield running
    running.stop()


def fetcher(**options) -> HttpFetcher:
    return HttpFetcher(**{"host_delay_s": 0.0, "retries": 0, "max_bytes": LIMIT, "allow": ("127.0.0.1",), **options})


def test_a_gzip_page_is_read(site):
    assert fetcher().get(site.url("/page.gz")).body == PAGE


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/bomb", f"over the {LIMIT:,}-byte limit once decompressed; not read further"),
        ("/bomb-in-a-bomb", "compressed more than once (gzip, gzip), which is not read"),
        ("/brotli", "compressed as 'br', which was not asked for"),
    ],
)
def test_a_compression_bomb_is_refused_without_being_expanded(site, path, message):
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as refused:
            fetcher().get(site.url(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(refused.value) == f"{site.url(path)}: {message}"
    assert peak < 5 * LIMIT  # expanded, the page would be 50 times the limit


@pytest.mark.parametrize("path", ["/drip", "/late-headers"])
def test_one_fetch_ends_at_its_deadline_however_the_server_sends(site, path):
    started = time.monotonic()
    with pytest.raises(FetchError) as late:
        fetcher(deadline_s=1.5, timeout_s=20.0).get(site.url(path))
    assert time.monotonic() - started < 3.0
    assert str(late.value) == f"{site.url(path)}: not done within the 1.5-second limit for one fetch"


def test_this_machine_is_not_fetched_from_by_default_and_reads_as_a_host_that_is_down(site):
    asked = len(site.requests)
    with pytest.raises(FetchError) as refused:
        HttpFetcher(host_delay_s=0.0, retries=0).get(site.url("/internal"))
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    with pytest.raises(FetchError) as down:
        fetcher().get(f"http://127.0.0.1:{closed_port}/internal")
    assert str(refused.value) == f"{site.url('/internal')}: cannot connect"
    assert str(down.value) == f"http://127.0.0.1:{closed_port}/internal: cannot connect"
    assert len(site.requests) == asked  # not even its robots.txt


def test_a_redirect_to_an_address_not_allowed_is_not_followed(site):
    allowed_by_name = fetcher(allow=("localhost",))
    asked = len(site.requests)
    with pytest.raises(FetchError, match=r"/to-loopback: cannot connect$"):
        allowed_by_name.get(site.url("/to-loopback", host="localhost"))
    assert "/internal" not in site.requests[asked:]


def test_the_connection_goes_to_the_address_that_was_checked(site):
    def resolve(host, port, **_):
        addresses = {"news.test": ["127.0.0.1"], "mixed.test": ["93.184.216.34", "127.0.0.1"]}[host]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    # news.test is in no DNS: the page comes only if the one checked answer is the one connected to
    pinned = fetcher(allow=("127.0.0.0/8",), resolve=resolve)
    assert pinned.get(site.url("/page.gz", host="news.test")).body == PAGE
    with pytest.raises(FetchError, match="cannot connect"):  # one public answer does not cover a private one
        fetcher(allow=(), resolve=resolve).get(site.url("/page.gz", host="mixed.test"))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::",
    ],
)  # fmt: skip
def test_addresses_that_are_not_public_are_refused(address):
    assert not AddressPolicy().permits("host.example", address)


def test_public_addresses_and_what_a_deployment_allows_are_permitted():
    assert AddressPolicy().permits("example.org", "93.184.216.34")
    assert AddressPolicy().permits("example.org", "2606:4700::1111")
    intranet = AddressPolicy.allowing(["feeds.intranet", "10.1.0.0/16"])
    assert intranet.permits("FEEDS.intranet.", "10.9.9.9") and intranet.permits("other", "10.1.200.7")
    assert not intranet.permits("other", "10.2.0.1")
    with pytest.raises(ValueError, match="is not a host name, an address or a network"):
        AddressPolicy.allowing(["http://10.0.0.0/8"])


def test_a_watch_keeps_polling_the_good_feed_while_others_drip_bomb_and_redirect_home(site, make_assistant):
    assistant = make_assistant()
    good = HostileSite().start()  # another host: a host's own politeness delay is not what is tested
    fetcher = HttpFetcher(host_delay_s=0.0, retries=0, deadline_s=3.0, allow=("localhost",))
    urls = [site.url(path, "localhost") for path in ("/drip", "/bomb", "/to-loopback")] + [
        good.url("/good.xml", "localhost")
    ]
    stop = threading.Event()
    threading.Timer(4.0, stop.set).start()
    asked = len(site.requests)
    lines: list[str] = []
    try:
        summary = watch(
            urls,
            every_s=0.5,
            ingest_one=lambda url: assistant.ingest_url(url, fetcher=fetcher),
            log=lines.append,
            stop=stop,
        )
    finally:
        good.stop()
    assert good.requests.count("/good.xml") >= 6  # every 0.5 s, while one drip takes 3 s
    assert site.requests[asked:].count("/drip") <= 2 and "/internal" not in site.requests[asked:]
    assert [stored.article.title for stored in assistant.store.articles()] == ["Neue Parks"]
    assert summary.failures >= 3 and not summary.interrupted


def test_ctrl_c_ends_a_watch_within_seconds_with_the_status_of_an_interrupted_program(
    site, tmp_path, monkeypatch, make_assistant, capsys
):
    from cli.main import main
    from rag.assistant import Assistant

    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    monkeypatch.setenv("ARTICLE_QA_FETCH_ALLOW", "127.0.0.1")
    monkeypatch.setattr(Assistant, "open", staticmethod(lambda settings: make_assistant()))
    threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    assert main(["watch", site.url("/drip"), "--every", "1m"]) == 130
    assert time.monotonic() - started < 1.0 + STOP_GRACE_S + 1.0  # the drip's fetch (60 s) is left behind
    assert capsys.readouterr().err.strip().splitlines()[-2:][0] == "stopped"
