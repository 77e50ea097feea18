"""OpenAI-compatible chat over HTTP: /v1/chat/completions, whole or streamed, and /v1/models,
in the shapes the openai SDK reads; the stream sends the final answer, never the model's draft."""

from __future__ import annotations

import pytest

from api import streams
from api.openai_chat import pieces
from tests.fakes import DownBackend, PassageEchoBackend
from tests.sse import events

UK_QUESTION = "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"
UK_REPLY = "Xiaomi plans about 150 new stores in the UK [1]."
UK_QUOTE = (
    "Innerhalb der nächsten vier Jahre plant Xiaomi die Eröffnung von rund 150 neuen Stores auf dem britischen Markt."
)
UK_CONTENT = (
    f'{UK_REPLY}\n\nSources:\n- [1] Xiaomi Aktie: Ford-Gerücht dementiert (about Jan 2026, from the text): "{UK_QUOTE}"'
)


def chat(client, *messages, **fields):
    listed = [{"role": "user", "content": m} if isinstance(m, str) else m for m in messages]
    return client.post("/v1/chat/completions", json={"model": "article-qa", "messages": listed, **fields})


def test_a_completion_carries_the_answer_with_its_sources_and_the_citations_beside(api):
    client, qa = api(UK_REPLY)
    reply = chat(client, UK_QUESTION, temperature=0.2, max_tokens=50, user="someone")  # extra fields: ignored
    assert reply.status_code == 200
    completion = reply.json()
    assert completion["object"] == "chat.completion" and completion["id"].startswith("chatcmpl-")
    assert completion["model"] == "article-qa" and isinstance(completion["created"], int)
    [choice] = completion["choices"]
    assert choice["message"] == {"role": "assistant", "content": UK_CONTENT} and choice["finish_reason"] == "stop"
    usage = completion["usage"]  # the fake embedder's tokens are words
    read = [UK_QUESTION, *(passage.text for passage in qa.retrieve(UK_QUESTION))]
    assert usage["prompt_tokens"] == sum(len(text.split()) for text in read) > 100  # the passages the model read
    assert usage["completion_tokens"] == len(UK_CONTENT.split())
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    [citation] = completion["citations"]
    assert citation["number"] == 1 and citation["article_id"] == "xiaomi-ford-geruecht"
    assert citation["quote"] == UK_QUOTE and citation["end"] - citation["start"] == len(UK_QUOTE)


def test_a_refusal_is_an_ordinary_reply_that_quotes_the_closest_sentences(api):
    client, _ = api("NOT FOUND")
    completion = chat(client, "What is the name of Xiaomi's CEO?").json()
    content = completion["choices"][0]["message"]["content"]
    assert content.startswith("The articles don't say. Closest in the articles: [1] [2]\n\nSources:\n- [1] ")
    assert completion["choices"][0]["finish_reason"] == "stop" and len(completion["citations"]) == 2


def stream(client, *messages) -> list:
    reply = chat(client, *messages, stream=True)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/event-stream")
    return events(reply.text)


def test_a_streamed_completion_sends_the_role_then_the_content_then_the_citations_then_done(api):
    client, _ = api(UK_REPLY)
    found = [event for event in stream(client, UK_QUESTION) if event.name != "comment"]
    assert found[-1].data == "[DONE]"
    chunks = [event.json() for event in found[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "article-qa" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1 and chunks[0]["id"].startswith("chatcmpl-")
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    content = [c["choices"][0]["delta"].get("content", "") for c in chunks[1:-1]]
    assert len(content) > 1 and "".join(content) == UK_CONTENT
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    last = chunks[-1]
    assert last["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop", "logprobs": None}
    assert [c["article_id"] for c in last["citations"]] == ["xiaomi-ford-geruecht"]


def test_the_stream_sends_the_checked_answer_never_the_models_draft(api):
    client, qa = api("Lei Jun is the CEO of Xiaomi.")  # no citation: the checks refuse it
    found = [event for event in stream(client, "What is the name of Xiaomi's CEO?") if event.name != "comment"]
    content = "".join(event.json()["choices"][0]["delta"].get("content", "") for event in found[:-1])
    assert content.startswith("The articles don't say.") and "Lei Jun" not in "".join(event.data for event in found)
    assert len(found[-2].json()["citations"]) == 2 and found[-1].data == "[DONE]"  # the closest sentences
    assert qa.backend.prompts  # the model did write its draft


def test_while_the_answer_is_made_the_stream_sends_comments_that_clients_skip(api, make_assistant, monkeypatch):
    monkeypatch.setattr(streams, "KEEPALIVE_S", 0.05)
    qa = make_assistant()
    qa.backend = PassageEchoBackend(seconds_per_word=0.02)
    client, _ = api(assistant=qa)
    found = stream(client, UK_QUESTION)
    names = [event.name for event in found]
    assert names[0] == "" and "comment" in names  # the role chunk goes at once, then comments
    first_content = next(
        i for i, e in enumerate(found) if e.name == "" and e.json()["choices"][0]["delta"].get("content")
    )
    assert names.index("comment") < first_content
    assert {event.data for event in found if event.name == "comment"} == {"waiting"}


def test_an_error_mid_stream_is_an_error_event_in_openais_shape_and_no_done(api, make_assistant):
    qa = make_assistant()
    qa.backend = DownBackend()
    client, _ = api(assistant=qa)
    found = [event for event in stream(client, UK_QUESTION) if event.name != "comment"]
    assert found[0].json()["choices"][0]["delta"]["role"] == "assistant"
    error = found[-1].json()["error"]
    assert error["message"].startswith("The model server at http://10.0.0.5:8080") and error["type"] == "server_error"
    assert all(event.data != "[DONE]" for event in found)


def test_earlier_turns_are_the_history_without_their_sources_and_system_messages_are_ignored(api):
    client, qa = api("How many years does Xiaomi plan for its new UK stores?", "Over four years [1].")
    reply = chat(
        client,
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": [{"type": "text", "text": UK_QUESTION}]},
        {"role": "assistant", "content": UK_CONTENT},
        {"role": "user", "content": [{"type": "text", "text": "Over how many"}, {"type": "text", "text": "years?"}]},
    )
    assert reply.status_code == 200
    rewrite = qa.backend.prompts[0][-1]["content"]
    assert f"User: {UK_QUESTION}\nAssistant: {UK_REPLY}" in rewrite and "Sources:" not in rewrite
    assert "Last question: Over how many years?" in rewrite and "helpful assistant" not in rewrite
    assert reply.json()["choices"][0]["message"]["content"].startswith("Over four years [1].")


@pytest.mark.parametrize(
    "messages, message",
    [
        ([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}], "must be the user's question"),
        ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}], "reads text only"),
        ([], "messages: List should have at least 1 item"),
        ([{"role": "user", "content": "x" * 2001}], "2,001 characters long; this API takes 2,000 characters at most"),
        (
            [{"role": "user", "content": "?"}, {"role": "assistant", "content": "x" * 100_000}] * 1
            + [{"role": "user", "content": "Why?"}],
            "The chat history is 100,001 characters long; at most 100,000 are taken",
        ),
    ],
)
def test_a_chat_without_a_question_it_can_read_is_a_clear_error(api, messages, message):
    client, qa = api(indexed=False)
    reply = client.post("/v1/chat/completions", json={"model": "article-qa", "messages": messages, "stream": True})
    assert reply.status_code == 422 and message in reply.json()["error"]["message"]
    assert qa.backend.prompts == []


def test_the_one_model_is_listed_in_openais_shape(api):
    client, _ = api(indexed=False)
    listed = client.get("/v1/models").json()
    assert listed["object"] == "list"
    [model] = listed["data"]
    assert model["id"] == "article-qa" and model["object"] == "model" and model["owned_by"] == "article-qa"
    assert isinstance(model["created"], int) and client.get("/v1/models/article-qa").json() == model
    missing = client.get("/v1/models/gpt-4o")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"


@pytest.mark.parametrize("text", ["", "One.", "  Two  words  ", UK_CONTENT, "a\n\nb " * 20])
def test_the_streamed_pieces_make_up_the_content_exactly(text):
    found = pieces(text, words=3)
    assert "".join(found) == text and all(len(piece.split()) <= 3 for piece in found)
