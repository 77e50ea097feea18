"""`article-qa serve --ui` as a user runs it: one process on a free port with the real models, the
official `openai` client pointed at it, plain HTTP for article-qa's own endpoints, and the chat
UI beside them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SAMPLE_ARTICLES, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KEY = "a-test-key-of-32-characters-long"
RUNNING: dict[str, subprocess.Popen] = {}
STORES = "How many stores does Xiaomi plan to open in the UK?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from rag import Settings

    home = tmp_path_factory.mktemp("serve-home")
    port = free_port()
    env = {
        **os.environ,
        "ARTICLE_QA_HOME": str(home),
        "ARTICLE_QA_MODELS_DIR": str(Settings.from_env().models_dir),
        "ARTICLE_QA_API_KEY": KEY,
        "ARTICLE_QA_FETCH_ALLOW": "127.0.0.1",
    }
    command = [str(Path(sys.executable).parent / "article-qa"), "serve", "--port", str(port), "--ui"]
    log = (home / "serve.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    RUNNING["serve"] = process
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            raise AssertionError(f"article-qa serve was not ready: {(home / 'serve.log').read_text()[-3000:]}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def xiaomi_ford_article() -> str:
    return (SAMPLE_ARTICLES / "xiaomi-ford-geruecht.txt").read_text(encoding="utf-8")


def test_the_openai_client_gets_the_answer_with_a_verbatim_citation_streamed_and_not(server):
    from openai import OpenAI

    client = OpenAI(base_url=f"{server}/v1", api_key=KEY)
    assert [model.id for model in client.models.list()] == ["article-qa"]

    completion = client.chat.completions.create(model="article-qa", messages=[{"role": "user", "content": STORES}])
    content = completion.choices[0].message.content or ""
    citations = completion.model_extra["citations"]
    assert "150" in content and "Sources" in content
    assert any(c["article_id"] == "xiaomi-ford-geruecht" and c["quote"] in xiaomi_ford_article() for c in citations)
    assert all(f"[{c['number']}]" in content for c in citations)

    stream = client.chat.completions.create(
        model="article-qa", messages=[{"role": "user", "content": STORES}], stream=True
    )
    chunks = list(stream)
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert streamed == content  # the same checked answer, in pieces
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"] == citations


def test_a_question_the_articles_do_not_answer_is_refused(server):
    reply = httpx.post(
        f"{server}/v1/ask",
        json={"question": "What is the name of Xiaomi's CEO?"},
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=300,
    )
    assert reply.status_code == 200 and reply.json()["refused"] is True
    closest = reply.json()["citations"]  # the sentences that come closest, quoted as the refusal's sources
    assert len(closest) <= 2 and all(c["quote"] and c["end"] - c["start"] == len(c["quote"]) for c in closest)


def test_without_the_key_or_with_hostile_input_a_clear_4xx(server):
    asked = {"question": STORES}
    key = {"Authorization": f"Bearer {KEY}"}
    missing = httpx.post(f"{server}/v1/ask", json=asked, timeout=30)
    assert missing.status_code == 401 and "ARTICLE_QA_API_KEY" in missing.json()["error"]["message"]
    huge = httpx.post(f"{server}/v1/ask", content=b"{" + b" " * 5_000_000 + b"}", headers=key, timeout=30)
    assert huge.status_code == 413 and "bytes" in huge.json()["error"]["message"]
    long = httpx.post(f"{server}/v1/ask", json={"question": "x" * 100_000}, headers=key, timeout=30)
    assert 400 <= long.status_code < 500 and "characters" in long.json()["error"]["message"]
    json_body = {**key, "Content-Type": "application/json"}
    broken = httpx.post(f"{server}/v1/ask", content=b'{"question": ', headers=json_body, timeout=30)
    assert broken.status_code == 400 and "JSON" in broken.json()["error"]["message"]
    assert httpx.get(f"{server}/healthz", timeout=30).status_code == 200  # the health checks need no key


def test_two_clients_at_once_each_get_their_own_answer(server):
    questions = {
        "stores": (STORES, "150"),
        "shop": ("Which Xiaomi co-founder announced the US online shop?", "Lin Bin"),
    }
    answers: dict[str, dict] = {}

    def ask(name: str) -> None:
        reply = httpx.post(
            f"{server}/v1/ask",
            json={"question": questions[name][0]},
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=600,
        )
        answers[name] = reply.json()

    threads = [threading.Thread(target=ask, args=(name,)) for name in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name, (question, expected) in questions.items():
        assert answers[name]["question"] == question and expected in answers[name]["answer"], answers[name]


def test_the_chat_ui_is_served_beside_the_api_sharing_its_models(server):
    page = httpx.get(f"{server}/", follow_redirects=True, timeout=30)
    assert page.status_code == 200 and str(page.url).endswith("/ui/") and "gradio" in page.text.lower()


def test_ctrl_c_stops_the_server_within_seconds_while_a_url_it_fetches_drips(server):
    """The last test here: it stops the server."""
    from api.app import SHUTDOWN_GRACE_S
    from tests.hostile_site import HostileSite

    site = HostileSite().start()
    try:
        headers = {"Authorization": f"Bearer {KEY}"}
        body = {"urls": [site.url("/drip")]}
        post = lambda: httpx.post(f"{server}/v1/articles", json=body, headers=headers, timeout=120)  # noqa: E731
        threading.Thread(target=post, daemon=True).start()
        while "/drip" not in site.requests:
            time.sleep(0.1)
        process = RUNNING["serve"]
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        assert time.monotonic() - interrupted < SHUTDOWN_GRACE_S + 5  # the fetch's deadline is 60 s
    finally:
        site.stop()
