"""The chat UI served for real by Gradio on 127.0.0.1, with fake models behind it."""

import socket

import pytest

from rag import Answer, Citation, Passage
from ui.app import build_app, sources_html


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_article_text_and_model_output_are_escaped():
    passage = Passage(1, "evil", "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", 0, 10, 0.5)
    citation = Citation(1, "evil", "<b>Title</b>", "<script>alert(3)</script>", 0, 25)
    page = sources_html([passage]) + sources_html([passage], Answer("q", "a [1]", (citation,), False, "en"))
    assert "<script>" not in page and "<img" not in page and "<b>Title" not in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page


def test_a_question_in_the_served_app_gets_the_answer_and_its_source_card(make_assistant, sample_articles):
    from gradio_client import Client

    assistant = make_assistant("Xiaomi plans about 150 new stores in the UK [1].")
    assistant.ingest(sample_articles)
    app = build_app(assistant)
    port = _free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        _, history, sources = client.predict(
            "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?", [], api_name="/respond"
        )
    finally:
        app.close()
    reply = history[-1]["content"]
    reply_text = reply if isinstance(reply, str) else reply[0]["text"]
    assert "150 new stores in the UK [1]" in reply_text
    assert "rund 150 neuen Stores auf dem britischen Markt" in sources and 'id="source-1"' in sources


def test_serving_beyond_this_machine_needs_a_login(make_assistant):
    from ui.app import launch

    with pytest.raises(SystemExit, match="ARTICLE_QA_UI_USER"):
        launch(make_assistant(), host="0.0.0.0", port=_free_port())
