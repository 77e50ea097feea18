"""The chat UI served for real by Gradio on 127.0.0.1, driven through its API, fakes behind it."""

import pytest

from rag import Assistant, SettingsError
from tests.conftest import free_port
from tests.fakes import ScriptedBackend
from ui.app import launch

pytestmark = pytest.mark.integration  # a real Gradio server on 127.0.0.1

UK_QUESTION = "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"


@pytest.fixture
def serve(tmp_path):
    """Serve an assistant; yield a gradio_client Client factory (one Client = one browser session)."""
    from gradio_client import Client

    apps = []

    def start(assistant: Assistant, **options):
        port = free_port()
        apps.append(
            launch(assistant, port=port, block=False, warm_up=False, uploads_dir=tmp_path / "uploads", **options)
        )
        return lambda: Client(f"http://127.0.0.1:{port}/", verbose=False)

    yield start
    for app in apps:
        app.close()


def _ask(
    client, question, *, top_k=3, answer_tokens=200, kind="In-process model", url="", model="default", days=("", "")
):
    _, chat, sources = client.predict(question, [], top_k, answer_tokens, kind, url, model, *days, api_name="/ask")
    reply = chat[-1]["content"]
    return (reply if isinstance(reply, str) else reply[0]["text"]), sources


def test_a_question_gets_the_answer_with_linked_markers_and_its_source_card(make_assistant, sample_articles, serve):
    assistant = make_assistant("Xiaomi plans about 150 new stores in the UK [1].")
    assistant.ingest(sample_articles)
    reply, sources = _ask(serve(assistant)(), UK_QUESTION)
    assert "150 new stores in the UK" in reply and 'href="#aqa-source-1"' in reply
    assert 'id="aqa-source-1"' in sources and "rund 150 neuen Stores auf dem britischen Markt" in sources
    assert "Open article" in sources


def test_a_date_range_limits_the_articles_and_source_cards_show_how_each_date_was_found(
    make_assistant, sample_articles, serve
):
    assistant = make_assistant("Xiaomi plans about 150 new stores in the UK [1].")
    assistant.ingest(sample_articles)
    client = serve(assistant)()
    reply, sources = _ask(client, UK_QUESTION, days=("2026-01", ""))  # the Ford article: about Jan 2026
    assert "150 new stores" in reply and "about Jan 2026 (from the text)" in sources
    reply, _ = _ask(client, UK_QUESTION, days=("2027", ""))
    assert "aqa-refusal" in reply
    reply, _ = _ask(client, UK_QUESTION, days=("last week", ""))
    assert "is not a date" in reply


def test_a_follow_up_is_asked_with_the_conversation_of_its_own_session(make_assistant, sample_articles, serve):
    assistant = make_assistant(
        "Xiaomi plans about 150 new stores in the UK [1].",
        "Over how many years does Xiaomi plan its 150 new UK stores?",  # the rewrite of the follow-up
        "Over four years [1].",
    )
    assistant.ingest(sample_articles)
    client = serve(assistant)()
    _ask(client, UK_QUESTION)
    reply, _ = _ask(client, "Over how many years?")
    assert "four years" in reply
    rewrite_prompt = assistant.backend.prompts[1][-1]["content"]
    assert UK_QUESTION in rewrite_prompt and "150 new stores" in rewrite_prompt


def test_settings_change_the_answer_of_that_session_only(store, embedder, sample_articles, serve):
    class RecordingBackend(ScriptedBackend):
        def stream_chat(self, messages, *, max_tokens, grammar=None):
            self.max_tokens = max_tokens
            return super().stream_chat(messages, max_tokens=max_tokens, grammar=grammar)

    backend = RecordingBackend("NOT FOUND")
    assistant = Assistant(store=store, embedder=embedder, backend=backend, min_score=0.05)
    assistant.ingest(sample_articles)
    _ask(serve(assistant)(), UK_QUESTION, top_k=1, answer_tokens=80)
    assert backend.max_tokens == 80 and assistant.max_answer_tokens == 200
    assert backend.prompts[-1][-1]["content"].count("Article:") == 1  # one source retrieved, one article


def test_a_server_url_off_the_operators_list_is_a_clear_message(make_assistant, sample_articles, serve):
    assistant = make_assistant()
    assistant.ingest(sample_articles)
    client = serve(assistant, model_urls=("http://127.0.0.1:8080",))()
    reply, _ = _ask(client, UK_QUESTION, kind="OpenAI-compatible server", url="file:///etc/passwd")
    assert "The server URL file:///etc/passwd is not one this app allows" in reply


def test_an_empty_question_is_a_clear_message(make_assistant, serve):
    reply, _ = _ask(serve(make_assistant())(), "   ")
    assert "The question is empty" in reply


def test_a_bug_of_ours_is_one_message_naming_the_log_with_its_traceback(make_assistant, sample_articles, serve):
    class BrokenBackend(ScriptedBackend):
        def stream_chat(self, messages, *, max_tokens, grammar=None):
            raise RuntimeError("boom")

    assistant = make_assistant()
    assistant.backend = BrokenBackend()
    assistant.ingest(sample_articles)
    reply, _ = _ask(serve(assistant)(), UK_QUESTION)
    assert "unexpected RuntimeError: boom" in reply and "Traceback" not in reply
    log = reply.split("details in ")[1].split(";")[0]
    assert "Traceback" in open(log, encoding="utf-8").read()


def test_upload_indexes_the_file_under_a_safe_name_and_delete_removes_it(make_assistant, serve, tmp_path):
    from gradio_client import handle_file

    article = tmp_path / "incoming" / "Bäckerei Sonnenkorn.md"
    article.parent.mkdir()
    article.write_text("# Sonnenkorn eröffnet in Celle\n\nDie Bäckerei Sonnenkorn eröffnet ihre siebte Filiale.\n")
    client = serve(make_assistant())()
    report, table, _ = client.predict([handle_file(str(article))], "", api_name="/add")
    assert "1 added" in report
    assert [row[:2] for row in table["data"]] == [["Bäckerei-Sonnenkorn", "Sonnenkorn eröffnet in Celle"]]
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == ["Bäckerei-Sonnenkorn.md"]
    report, table, _ = client.predict("Bäckerei-Sonnenkorn", "", api_name="/delete")
    assert report == "Deleted Bäckerei-Sonnenkorn." and table["data"] in ([], [[""] * 5], [["", "", "", "", ""]])
    assert not any((tmp_path / "uploads").iterdir())


def test_serving_beyond_this_machine_needs_a_login(make_assistant):
    with pytest.raises(SettingsError, match="ARTICLE_QA_UI_USER"):
        launch(make_assistant(), host="0.0.0.0", port=free_port(), block=False, warm_up=False)


def test_with_a_login_another_address_serves_only_those_who_log_in(make_assistant, sample_articles, tmp_path):
    import httpx
    from gradio_client import Client

    assistant = make_assistant("Rund 150 neue Stores [1].")
    assistant.ingest(sample_articles)
    port = free_port()
    app = launch(assistant, host="0.0.0.0", port=port, auth=("reader", "pass-word-10"), block=False, warm_up=False,
                 uploads_dir=tmp_path / "uploads")  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}/config").status_code == 401  # nothing but the login page without a login
        with pytest.raises(Exception):
            Client(f"{url}/", auth=("reader", "wrong"), verbose=False)
        client = Client(f"{url}/", auth=("reader", "pass-word-10"), verbose=False)
        reply, _ = _ask(client, UK_QUESTION)
        assert "150" in reply
    finally:
        app.close()


def test_deleting_an_article_whose_id_looks_like_a_path_touches_no_file_outside_uploads(
    make_assistant, serve, tmp_path
):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "../victim", "title": "T", "text": "Ein Satz über nichts."}\n', encoding="utf-8")
    victim = tmp_path / "victim.md"
    victim.write_text("keep me")
    assistant = make_assistant()
    assistant.ingest(feed)
    (tmp_path / "uploads").mkdir()
    client = serve(assistant)()
    report, _, _ = client.predict("../victim", "", api_name="/delete")
    assert report == "Deleted ../victim." and victim.read_text() == "keep me"
