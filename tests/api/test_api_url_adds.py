"""Adding URLs over the HTTP API, against a hostile site on 127.0.0.1: nothing of this machine is
fetched by default, a slow fetch holds neither the library nor more than its share of the
server, and a fetch stops once its client has gone."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from index.web import HttpFetcher
from tests.conftest import free_port
from tests.hostile_site import HostileSite

DEADLINE_S = 3.0


@pytest.fixture
def site():
    running = HostileSite().start()
    yield running
    running.stop()


def local_fetcher() -> HttpFetcher:
    return HttpFetcher(host_delay_s=0.0, retries=0, deadline_s=DEADLINE_S, allow=("127.0.0.1",))


def test_the_api_fetches_nothing_of_this_machine_by_default(api, site):
    client, _ = api(indexed=False)
    reply = client.post("/v1/articles", json={"urls": [site.url("/internal")]}).json()
    assert reply["results"][0]["error"] == f"not added: {site.url('/internal')}: cannot connect"
    assert site.requests == [] and client.get("/v1/articles").json()["total"] == 0


def test_a_url_being_fetched_does_not_hold_the_library(api, site, make_assistant):
    client, _ = api(assistant=make_assistant(make_fetcher=local_fetcher))
    adding = threading.Thread(target=lambda: client.post("/v1/articles", json={"urls": [site.url("/drip")]}))
    adding.start()
    while "/drip" not in site.requests:
        time.sleep(0.05)
    started = time.monotonic()
    assert client.delete("/v1/articles/xiaomi-ford-geruecht").status_code == 200
    assert time.monotonic() - started < 1.0  # not after the drip's 3 s
    adding.join()


def test_more_url_additions_at_once_than_the_server_runs_get_a_503(api, site, make_assistant):
    from api.service import MAX_URL_ADDS

    client, _ = api(assistant=make_assistant(make_fetcher=local_fetcher), indexed=False)
    replies: list[httpx.Response] = []
    adding = [
        threading.Thread(target=lambda: replies.append(client.post("/v1/articles", json={"urls": [site.url("/drip")]})))
        for _ in range(MAX_URL_ADDS)
    ]
    for thread in adding:
        thread.start()
    while site.requests.count("/drip") < MAX_URL_ADDS:
        time.sleep(0.05)
    busy = client.post("/v1/articles", json={"urls": [site.url("/page.gz")]})
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "10"
    assert busy.json()["error"]["code"] == "too_many_url_additions"
    for thread in adding:
        thread.join()
    limit = f"not done within the {DEADLINE_S:g}-second limit for one fetch"
    assert all(reply.json()["results"][0]["error"].endswith(limit) for reply in replies)
    again = client.post("/v1/articles", json={"urls": [site.url("/page.gz")]})
    assert again.status_code == 200 and "cannot connect" not in again.text  # the places were given back


def test_a_url_addition_stops_when_its_client_goes(site, make_assistant, sample_articles):
    import uvicorn

    from api import build_api

    slow = make_assistant(make_fetcher=lambda: HttpFetcher(host_delay_s=0.0, deadline_s=60.0, allow=("127.0.0.1",)))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(build_api(slow, warm_up=False), host="127.0.0.1", port=port, log_level="error")
    )
    threading.Thread(target=server.run, daemon=True).start()
    try:
        while not server.started:
            time.sleep(0.05)
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"http://127.0.0.1:{port}/v1/articles", json={"urls": [site.url("/drip")]}, timeout=1.0)
        gone = time.monotonic()
        while not site.drips_closed and time.monotonic() - gone < 5.0:
            time.sleep(0.05)
        assert site.drips_closed and site.drips_closed[0] - gone < 2.0  # not after the fetch's 60 s
    finally:
        server.should_exit = True
