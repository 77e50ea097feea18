"""End to end: `article-qa ui` with the real models, driven in a real headless Chromium.

Asks about the UK stores and checks 150 with a card quoting the Xiaomi/Ford article, opens
that article, uploads a new article and asks about it, and sees a refusal. Screenshots of
each step go to test-artifacts/ui/.
"""

import os
import subprocess
import sys
import time

import httpx
import pytest

from rag import Settings
from tests.conftest import ROOT, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ANSWER_MS = 180_000  # the first answer also waits for the models to load


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    home = tmp_path_factory.mktemp("ui-home")
    port = free_port()
    env = dict(
        os.environ,
        ARTICLE_QA_DATA_DIR=str(home / "data"),
        ARTICLE_QA_MODELS_DIR=str(Settings.from_env().models_dir),
    )
    log = open(home / "ui.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "ui", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    try:
        while True:
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`article-qa ui` did not serve {url}:\n{(home / 'ui.log').read_text()[-3000:]}")
            time.sleep(1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _ask(page, question: str) -> str:
    """Ask and wait for the finished answer (its time is shown last); return its text."""
    count = page.locator("#aqa-chat .message-content").count()
    page.locator("#aqa-question textarea").fill(question)
    page.locator("#aqa-ask").click()
    page.wait_for_function(
        """n => { const m = document.querySelectorAll('#aqa-chat .message-content');
                  if (m.length < n + 2) return false;
                  const last = m[m.length - 1];
                  return last.querySelector('.aqa-refusal') !== null || /\\d+\\.\\d s\\s*$/.test(last.innerText); }""",
        arg=count,
        timeout=ANSWER_MS,
    )
    return page.locator("#aqa-chat .message-content").last.inner_text()


def test_ask_check_the_source_open_it_upload_and_refuse(browser, app_url, tmp_path, screenshot):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)

    reply = _ask(page, "How many stores in the UK?")
    assert "150" in reply and "[1]" in reply, reply
    cards = page.locator("#aqa-sources .aqa-card")
    uk_card = cards.filter(has_text="Xiaomi Aktie: Ford-Gerücht dementiert").first
    assert "rund 150 neuen Stores" in uk_card.locator(".aqa-paragraph mark.aqa-quote").inner_text()
    screenshot(page, "1-uk-stores")
    uk_card.locator(".aqa-open").click()
    article = uk_card.locator(".aqa-article")
    assert article.is_visible() and "Citigroup" in article.inner_text()  # the whole article
    screenshot(page, "2-article-open")

    upload = tmp_path / "sonnenkorn.md"
    upload.write_text(
        "# Bäckerei Sonnenkorn eröffnet siebte Filiale in Celle\n\n"
        "Die Bäckerei Sonnenkorn eröffnet am 3. März in der Celler Altstadt ihre siebte Filiale. "
        "In der neuen Filiale arbeiten künftig 12 Angestellte.\n",
        encoding="utf-8",
    )
    page.get_by_role("tab", name="Articles").click()
    page.locator("#aqa-upload input[type=file]").set_input_files(str(upload))
    page.locator("#aqa-upload").get_by_text("sonnenkorn.md").first.wait_for(timeout=30_000)
    page.locator("#aqa-add").click()
    page.locator("#aqa-library-report").get_by_text("1 added").wait_for(timeout=120_000)
    assert page.get_by_text("Bäckerei Sonnenkorn eröffnet siebte Filiale in Celle").first.is_visible()
    screenshot(page, "3-uploaded")

    page.get_by_role("tab", name="Chat").click()
    reply = _ask(page, "Wie viele Angestellte arbeiten in der neuen Sonnenkorn-Filiale in Celle?")
    assert "12" in reply, reply
    assert "12 Angestellte" in page.locator("#aqa-sources .aqa-paragraph mark.aqa-quote").first.inner_text()
    screenshot(page, "4-uploaded-answer")

    reply = _ask(page, "What is the name of Xiaomi's CEO?")
    assert page.locator("#aqa-chat .message-content").last.locator(".aqa-refusal").count() == 1, reply
    assert "don't say" in reply
    screenshot(page, "5-refusal")
