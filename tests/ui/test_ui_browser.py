"""The chat in a real headless Chromium, fake models behind it: stop, clickable citations,
two tabs at once, and article markup shown as text."""

from urllib.parse import urlsplit

import pytest

from rag import Assistant
from tests.conftest import free_port
from tests.fakes import PassageEchoBackend
from ui.app import launch

pytestmark = pytest.mark.integration  # a real browser

UK_QUESTION = "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"
SHOP_QUESTION = "Welches Zubehör will Xiaomi über einen Online-Shop in den USA verkaufen?"
TIMEOUT_MS = 30_000


@pytest.fixture
def serve(store, embedder, tmp_path):
    apps, backends = [], []

    def start(*, seconds_per_word: float = 0.0, corpus=None) -> str:
        backend = PassageEchoBackend(seconds_per_word=seconds_per_word)
        backends.append(backend)
        assistant = Assistant(store=store, embedder=embedder, backend=backend, min_score=0.05)
        assistant.ingest(corpus)
        port = free_port()
        apps.append(launch(assistant, port=port, block=False, warm_up=False, uploads_dir=tmp_path / "uploads"))
        return f"http://127.0.0.1:{port}/"

    start.backends = backends
    yield start
    for app in apps:
        app.close()


def _ask(page, question: str) -> None:
    page.locator("#aqa-question textarea").fill(question)
    page.locator("#aqa-ask").click()


def _last_reply(page) -> str:
    return page.locator("#aqa-chat .message-content").last.inner_text()


def test_markers_lead_to_their_card_and_open_article_shows_the_quote(browser, serve, sample_articles, screenshot):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(serve(corpus=sample_articles))
    _ask(page, UK_QUESTION)
    card = page.locator("#aqa-source-1")
    card.wait_for(timeout=TIMEOUT_MS)
    page.locator("#aqa-chat a[href='#aqa-source-1']").last.click()
    assert "aqa-flash" in card.get_attribute("class")
    card.locator(".aqa-open").click()
    article = page.locator("#aqa-article-1")
    assert article.is_visible() and card.locator(".aqa-open").inner_text() == "Close article"
    quote = article.locator("mark.aqa-quote")
    assert quote.is_visible() and quote.inner_text() in article.inner_text()
    assert quote.evaluate(
        "m => { const r = m.getBoundingClientRect(), p = m.closest('.aqa-article')"
        ".getBoundingClientRect(); return r.top >= p.top && r.bottom <= p.bottom; }"
    )
    screenshot(page, "article-open")
    page.locator("#aqa-export").get_by_text("Export the answer").click()
    download = page.locator("#aqa-md")
    download.wait_for(timeout=TIMEOUT_MS)
    exported = page.locator("#aqa-export .cm-content").first.inner_text()
    assert "Sources:" in exported and quote.inner_text().split()[0] in exported
    with page.expect_download(timeout=TIMEOUT_MS) as saved:
        download.click()
    assert saved.value.suggested_filename.endswith(".md")
    outside = {urlsplit(url).hostname for url in requested} - {"127.0.0.1"}
    assert not outside, f"the page called outside this machine: {sorted(outside)}"


def test_stop_ends_the_answer_and_keeps_what_was_shown(browser, serve, sample_articles, screenshot):
    page = browser.new_page()
    page.goto(serve(seconds_per_word=0.4, corpus=sample_articles))
    _ask(page, UK_QUESTION)
    page.wait_for_function(
        "() => { const m = document.querySelectorAll('#aqa-chat .message-content');"
        " return m.length > 1 && m[m.length - 1].innerText.trim().split(/\\s+/).length >= 3; }",
        timeout=TIMEOUT_MS,
    )
    page.locator("#aqa-stop").click()
    page.wait_for_timeout(500)
    shown = _last_reply(page)
    page.wait_for_timeout(2500)  # the echo would have added about six more words by now
    assert _last_reply(page) == shown and len(shown.split()) >= 3
    assert page.locator("#aqa-source-1").count() == 0  # never finished, so no citation cards
    assert serve.backends[0].abandoned == 1  # the model was told to stop, not left generating
    screenshot(page, "stopped")
    page.locator("#aqa-new-chat").click()
    page.wait_for_function("() => document.querySelectorAll('#aqa-chat .message-content').length === 0")


def test_two_tabs_asking_at_once_each_get_their_own_answer(browser, serve, sample_articles, screenshot):
    url = serve(seconds_per_word=0.05, corpus=sample_articles)
    first, second = (browser.new_context().new_page() for _ in range(2))
    for page in (first, second):
        page.goto(url)
    _ask(first, UK_QUESTION)
    _ask(second, SHOP_QUESTION)
    for page in (first, second):
        page.locator("#aqa-source-1").wait_for(timeout=TIMEOUT_MS)
    first_sources, second_sources = (page.locator("#aqa-sources").inner_text() for page in (first, second))
    assert "xiaomi-ford-geruecht" in first_sources and "xiaomi-zubehoer-usa" not in first_sources
    assert "xiaomi-zubehoer-usa" in second_sources and "xiaomi-ford-geruecht" not in second_sources
    assert "Zubehör" not in _last_reply(first) and "Zubehör" in _last_reply(second)
    screenshot(first, "first-tab")
    screenshot(second, "second-tab")


def test_markup_in_an_article_is_shown_as_text_never_run(browser, serve, tmp_path, screenshot):
    corpus = tmp_path / "evil"
    corpus.mkdir()
    markup = '<script>window.hacked = 1</script><img src=x onerror="window.hacked = 2">'
    (corpus / "parks.txt").write_text(f"Die Stadt Celle {markup} plant zwölf neue Parks.\n")  # title and text
    page = browser.new_page()
    page.goto(serve(corpus=corpus))
    _ask(page, "Wie viele neue Parks plant die Stadt Celle?")
    page.locator("#aqa-source-1").wait_for(timeout=TIMEOUT_MS)
    page.locator("#aqa-source-1 .aqa-open").click()
    assert page.evaluate("window.hacked") is None
    assert "<script>window.hacked = 1</script>" in _last_reply(page)  # model output, as text
    assert "<script>window.hacked = 1</script>" in page.locator("#aqa-source-1").inner_text()  # article, as text
    assert page.locator("#aqa-sources script, #aqa-sources img, #aqa-chat img").count() == 0
    screenshot(page, "markup-as-text")
