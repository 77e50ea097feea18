"""The HTTP API (api/): questions answered and refused, whole or streamed; errors as JSON in
OpenAI's shape; the key, the limits, CORS, readiness; a client that goes stops its answer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from api import build_api, serve
from rag import SettingsError
from rag.answer.steps import MODEL_NOT_FOUND
from tests.fakes import DownBackend, PassageEchoBackend, ScriptedBackend
from tests.sse import events, leave_when

UK_QUESTION = "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"
UK_REPLY = "Xiaomi plans about 150 new stores in the UK [1]."
KEY = "a-key-of-20-chars!!!"


def until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_question_is_answered_with_its_citations_passages_and_timings(api):
    client, _ = api(UK_REPLY)
    reply = client.post("/v1/ask", json={"question": UK_QUESTION})
    assert reply.status_code == 200
    answer = reply.json()
    assert answer["answer"] == UK_REPLY and answer["refused"] is False and answer["refusal"] == ""
    [citation] = answer["citations"]
    assert citation["number"] == 1 and citation["article_id"] == "xiaomi-ford-geruecht"
    assert citation["when"] == "about Jan 2026 (from the text)" and "rund 150 neuen Stores" in citation["quote"]
    text = client.get(f"/v1/articles/{citation['article_id']}").json()["text"]
    assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert answer["passages"] and answer["timings"]["total_s"] > 0  # measured, not a default 0


def test_a_refusal_says_so_and_why(api):
    client, _ = api("NOT FOUND")
    answer = client.post("/v1/ask", json={"question": "What is the name of Xiaomi's CEO?"}).json()
    assert answer["refused"] is True and answer["refusal"] == MODEL_NOT_FOUND
    assert answer["answer"] == "The articles don't say. Closest in the articles: [1] [2]"
    assert [citation["number"] for citation in answer["citations"]] == [1, 2]  # the closest sentences, quoted


def test_history_top_k_and_dates_reach_the_assistant(api):
    client, qa = api("How many new stores does Xiaomi plan in the UK?", UK_REPLY)
    history = [["Who is Xiaomi's CEO?", "Lei Jun [1]."], {"question": "Where?", "answer": "In the UK [1]."}]
    reply = client.post("/v1/ask", json={"question": "And how many stores?", "history": history, "top_k": 1})
    assert reply.json()["standalone_question"] == "How many new stores does Xiaomi plan in the UK?"
    rewrite, answer = qa.backend.prompts
    assert "Who is Xiaomi's CEO?" in rewrite[-1]["content"] and "In the UK [1]." in rewrite[-1]["content"]
    assert answer[-1]["content"].count("Article:") == 1  # top_k 1: one passage, one article
    refused = client.post("/v1/ask", json={"question": UK_QUESTION, "since": "2027"}).json()
    assert refused["refused"] and refused["passages"] == []  # no article was written since 2027


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"question": UK_QUESTION, "top_k": 0}, 422, "top_k must be a whole number from 1 to 50, got 0"),
        ({"question": "   "}, 422, "The question is empty"),
        ({"question": UK_QUESTION, "since": "last week"}, 422, "since 'last week' is not a date"),
        ({"question": "x" * 100_000}, 422, "100,000 characters long; this API takes 2,000 characters at most"),
        ({"question": UK_QUESTION, "history": [["Wer?", "Er."]] * 101}, 422, "has 101 turns; at most 100 are taken"),
        ({"question": UK_QUESTION, "history": [["?", "x" * 9_999]] * 11}, 422, "is 110,000 characters long; at most"),
        ({"questoin": UK_QUESTION}, 422, "question: Field required; questoin: Extra inputs are not permitted"),
        ({"question": UK_QUESTION, "top_k": "many"}, 422, "top_k: Input should be a valid integer"),
        ({"question": UK_QUESTION, "top_k": "5"}, 422, "top_k: Input should be a valid integer"),
        ({"question": UK_QUESTION, "top_k": True}, 422, "top_k: Input should be a valid integer"),
        ({"question": UK_QUESTION, "stream": "yes"}, 422, "stream: Input should be a valid boolean"),
        ({"question": UK_QUESTION, "since": "٢٠٢٦"}, 422, "is not a date"),
    ],
)
def test_a_wrong_request_is_one_clear_json_error(api, body, status, message):
    client, qa = api()
    reply = client.post("/v1/ask", json=body)
    assert reply.status_code == status
    error = reply.json()["error"]
    assert message in error["message"] and error["type"] == "invalid_request_error" and error["code"]
    assert qa.backend.prompts == []  # refused before the model was asked


def test_bad_json_is_a_400_that_says_so(api):
    client, _ = api()
    reply = client.post("/v1/ask", content=b'{"question": "How many', headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert reply.json()["error"]["message"].startswith("The request body is not valid JSON")
    assert reply.json()["error"]["code"] == "invalid_json"
    unmarked = client.post("/v1/ask", content=b'{"question": "How many stores?"}')  # no Content-Type
    assert unmarked.status_code == 415 and "Content-Type: application/json" in unmarked.json()["error"]["message"]


def test_a_streamed_answer_sends_its_passages_then_the_text_then_the_answer(api):
    client, _ = api(UK_REPLY)
    reply = client.post("/v1/ask", json={"question": UK_QUESTION, "stream": True})
    assert reply.headers["content-type"].startswith("text/event-stream")
    found = [event for event in events(reply.text) if event.name != "comment"]
    names = [event.name for event in found]
    passages, deltas = names.count("passage"), names.count("delta")
    assert passages >= 1 and deltas >= 2
    assert names == ["passage"] * passages + ["delta"] * deltas + ["answer"]
    assert "".join(event.json()["text"] for event in found if event.name == "delta") == UK_REPLY
    whole = client.post("/v1/ask", json={"question": UK_QUESTION}).json()  # the script's reply ran out: refused
    answer = found[-1].json()
    assert answer["answer"] == UK_REPLY and answer["citations"][0]["article_id"] == "xiaomi-ford-geruecht"
    assert set(answer) == set(whole)


def test_a_failure_mid_stream_is_an_error_event_and_without_a_stream_a_503(api, make_assistant):
    qa = make_assistant()
    qa.backend = DownBackend()
    client, _ = api(assistant=qa)
    streamed = events(client.post("/v1/ask", json={"question": UK_QUESTION, "stream": True}).text)
    assert streamed[0].name == "passage" and streamed[-1].name == "error"
    assert streamed[-1].json()["error"]["message"].startswith("The model server at http://10.0.0.5:8080")
    reply = client.post("/v1/ask", json={"question": UK_QUESTION})
    assert reply.status_code == 503 and reply.json()["error"]["code"] == "backend_error"
    assert reply.json()["error"]["type"] == "server_error"


def test_a_bug_of_ours_is_one_json_line_naming_the_log_with_its_traceback(api, make_assistant):
    class BrokenBackend(ScriptedBackend):
        def stream_chat(self, messages, *, max_tokens, grammar=None):
            raise RuntimeError("boom")

    qa = make_assistant()
    qa.backend = BrokenBackend()
    client, _ = api(assistant=qa)
    reply = client.post("/v1/ask", json={"question": UK_QUESTION})
    assert reply.status_code == 500 and "Traceback" not in reply.text
    message = reply.json()["error"]["message"]
    assert message.startswith("unexpected RuntimeError: boom (details in ")
    log = message.split("details in ")[1].split(";")[0]
    assert "Traceback" in Path(log).read_text(encoding="utf-8")


def test_an_unknown_path_or_method_is_a_json_error(api):
    client, _ = api(indexed=False)
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404 and "GET /v1/nothing is not an endpoint" in missing.json()["error"]["message"]
    wrong = client.get("/v1/ask")
    assert wrong.status_code == 405 and "does not take GET" in wrong.json()["error"]["message"]


def test_the_openapi_document_lists_every_endpoint_and_docs_serves_it(api):
    client, _ = api(indexed=False)
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/v1/ask", "/v1/articles", "/v1/articles/{article_id}", "/v1/chat/completions", "/v1/models",
        "/v1/models/{model_id}", "/healthz", "/readyz",
    }  # fmt: skip
    assert set(paths["/v1/articles"]["post"]["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert "text/event-stream" in paths["/v1/ask"]["post"]["responses"]["200"]["content"]
    assert "swagger" in client.get("/docs").text.lower()


def test_every_endpoint_but_the_health_checks_needs_the_key(api):
    client, _ = api(indexed=False, api_key=KEY)
    for path in ("/v1/models", "/v1/articles", "/docs", "/openapi.json"):
        missing = client.get(path)
        assert missing.status_code == 401 and missing.json()["error"]["code"] == "missing_api_key", path
        assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.get("/v1/models", headers={"Authorization": f"Bearer {KEY[:-1]}?"})
    assert wrong.status_code == 401 and wrong.json()["error"]["type"] == "authentication_error"
    assert "ARTICLE_QA_API_KEY" in wrong.json()["error"]["message"]
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200


def test_a_short_key_is_refused_when_the_api_is_built(api):
    with pytest.raises(SettingsError, match="api_key must be at least 16 characters, got 5 characters"):
        api(indexed=False, api_key="short")


def test_an_oversized_body_is_a_413_that_names_the_limit_whether_declared_or_chunked(api):
    client, qa = api(indexed=False, max_body_bytes=1000)
    declared = client.post("/v1/ask", json={"question": "x" * 2000})
    assert declared.status_code == 413 and "over this API's limit of 1,000 bytes" in declared.json()["error"]["message"]

    def chunked():  # no Content-Length: counted as it is read
        yield b'{"question": "'
        for _ in range(10):
            yield b"x" * 200
        yield b'"}'

    streamed = client.post("/v1/ask", content=chunked(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "body_too_large"
    assert qa.backend.prompts == []


def test_cors_is_off_by_default_and_on_for_the_configured_origins_only(api):
    preflight = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"}
    client, _ = api(indexed=False)
    assert "access-control-allow-origin" not in client.options("/v1/ask", headers=preflight).headers
    assert "access-control-allow-origin" not in client.get("/healthz", headers={"Origin": preflight["Origin"]}).headers
    client, _ = api(indexed=False, cors_origins=["http://localhost:3000"], api_key=KEY)
    allowed = client.options(
        "/v1/ask", headers={**preflight, "Access-Control-Request-Headers": "authorization,content-type"}
    )
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    other = client.options("/v1/ask", headers={**preflight, "Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    refused = client.get("/v1/models", headers={"Origin": "http://localhost:3000"})  # no key: 401, readable in the page
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_ready_only_once_the_models_are_warmed_up_and_healthy_all_along(api, make_assistant):
    release = threading.Event()
    qa = make_assistant()
    qa.warm_up = lambda: release.wait(5)
    client, _ = api(assistant=qa, indexed=False, warm_up=True)
    loading = client.get("/readyz")
    assert loading.status_code == 503 and loading.json()["error"]["code"] == "warming_up"
    assert client.get("/healthz").json() == {"status": "ok"}
    release.set()
    until(lambda: client.get("/readyz").status_code == 200)
    assert client.get("/readyz").json() == {"status": "ready"}


def test_a_failed_warm_up_is_a_503_with_its_message(api, make_assistant):
    from rag import ModelError

    def fail():
        raise ModelError("The embedder is missing: run `article-qa models pull`.")

    qa = make_assistant()
    qa.warm_up = fail
    client, _ = api(assistant=qa, indexed=False, warm_up=True)
    until(lambda: client.get("/readyz").json()["error"]["code"] == "warm_up_failed")
    assert "run `article-qa models pull`" in client.get("/readyz").json()["error"]["message"]
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "path, body",
    [
        ("/v1/ask", {"question": UK_QUESTION}),
        ("/v1/ask", {"question": UK_QUESTION, "stream": True}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": UK_QUESTION}]}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": UK_QUESTION}], "stream": True}),
    ],
)
def test_a_client_that_goes_away_stops_its_answer_and_the_model(make_assistant, sample_articles, path, body):
    class SlowModel(PassageEchoBackend):  # a reply of a few dozen words: seconds
        started = threading.Event()

        def stream_chat(self, messages, *, max_tokens, grammar=None):
            self.started.set()
            return super().stream_chat(messages, max_tokens=max_tokens, grammar=grammar)

    model = SlowModel(seconds_per_word=0.1)
    qa = make_assistant()
    qa.backend = model
    qa.ingest(sample_articles)
    sent = leave_when(build_api(qa, warm_up=False), path, body, model.started.is_set)
    until(lambda: model.abandoned == 1)
    if not body.get("stream"):
        assert sent[0]["status"] == 499  # nobody reads it
    else:  # the stream began, and ended without the answer
        streamed = b"".join(message.get("body", b"") for message in sent)
        assert sent[0]["status"] == 200 and b"event: answer" not in streamed and b"[DONE]" not in streamed


def test_serve_refuses_a_host_beyond_this_machine_without_a_key(make_assistant, monkeypatch):
    import uvicorn

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **_: served.append((host, port)))
    qa = make_assistant()
    with pytest.raises(
        SettingsError, match="Refusing to serve the API on 0.0.0.0 without a key: set ARTICLE_QA_API_KEY"
    ):
        serve(qa, host="0.0.0.0", warm_up=False)
    assert served == []
    serve(qa, host="127.0.0.1", port=8081, warm_up=False)
    serve(qa, host="0.0.0.0", port=8082, api_key=KEY, warm_up=False)
    assert served == [("127.0.0.1", 8081), ("0.0.0.0", 8082)]


def test_a_gradio_app_mounted_beside_the_api_keeps_its_own_login_not_the_key(api):
    import gradio as gr

    from api import mount_ui

    client, _ = api(indexed=False, api_key=KEY)
    with gr.Blocks(analytics_enabled=False) as blocks:
        gr.Markdown("article-qa")
    mount_ui(client.app, blocks, path="/ui")
    assert client.get("/ui/").status_code == 200  # a browser cannot send the key
    assert client.get("/v1/models").status_code == 401
    assert client.get("/uix").status_code == 401  # only beneath /ui
    assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"  # where a browser starts
    assert client.get("/v1/articles").status_code == 401  # not "beneath /"


def test_with_a_key_and_no_login_of_its_own_the_mounted_chat_ui_asks_for_the_key(api, tmp_path):
    from api import mount_ui
    from ui.app import mountable

    client, qa = api(api_key=KEY)
    blocks, options = mountable(qa, uploads_dir=tmp_path / "uploads", api_key=KEY)
    mount_ui(client.app, blocks, path="/ui", **options)
    assert client.get("/ui/config").status_code == 401  # what the UI's client reads first
    assert client.post("/ui/gradio_api/queue/join", json={"fn_index": 0, "data": []}).status_code == 401
    assert client.post("/ui/login", data={"username": "me", "password": "not-the-key-at-all"}).status_code == 400
    assert client.post("/ui/login", data={"username": "me", "password": KEY}).status_code == 200
    assert client.get("/ui/config").status_code == 200  # with the login's cookie
