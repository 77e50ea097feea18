"""OpenAI-compatible chat: ``POST /v1/chat/completions`` and ``GET /v1/models``, so that the
``openai`` SDK and chat UIs can use article-qa as a model named ``article-qa``.

The request: the last message is the question (a user's); the user and assistant turns before
it are the history, paired in order as (question, answer), each earlier reply without the
sources list this API appended to it (``rag.export.without_sources``); system, developer and tool
messages are ignored, and so are the fields this model has no use for (temperature,
max_tokens, ...) and the model's name. A message's content is a string or a list of
``{"type": "text", "text": ...}`` parts.

The reply's content is ``rag.export.answer_markdown``: the answer's text with its [n] markers,
then "Sources:", one line per citation: [n] title (date): "quoted sentence". The structured
citations (number, article_id, title, date, when, quote, start, end, also_in) come beside
``choices``, in a top-level ``citations``. A refusal is an ordinary reply: its text says the
articles don't say, ``finish_reason`` is "stop", and ``citations`` holds the sentences that
come closest (none when no passage was relevant). ``usage`` counts tokens with the embedder's
tokenizer (the model's is not exposed): the prompt's are those of the question, the chat
turns and the passages the model read, not of the fixed instructions; the completion's, those
of the reply's content.

Streaming sends the final answer only. What the model writes is not always the answer: the
checks after it may refuse it, renumber its markers or label its sections by article
(``Assistant.ask_stream``), and an OpenAI client cannot take back content it was sent. So the
stream opens at once with the ``role`` chunk, then, while the answer is made, sends an SSE
comment (``: waiting``) every ``api.streams.KEEPALIVE_S``, which the ``openai`` SDK skips (its
``SSEDecoder.decode`` returns nothing for a line that begins with ":", and a blank line after
it makes no event); once the Answer is known its content follows in chunks of
``WORDS_PER_CHUNK`` words, then a chunk with ``finish_reason: "stop"`` and the ``citations``,
then ``data: [DONE]``. An error on the way is ``data: {"error": {...}}``, which the SDK raises
as an ``APIError`` with its message, and ends the stream. A client that goes away, streaming
or not, stops its answer and the model (``api.streams``).
"""

from __future__ import annotations

import re
import secrets
import time
from contextlib import aclosing
from typing import Any, AsyncGenerator, Callable, Iterator, Sequence

from fastapi import APIRouter, Request, Response

from api.ask import EVENTS_DOC, GONE
from api.errors import ApiError, described, error_body
from api.limits import check_question
from api.schemas import MODEL_ID, ChatMessage, ChatRequest
from api.service import Service
from api.streams import WAITING, EventStream, KeepAlive, data_only, final_answer, items_of
from rag import Answer
from rag.export import answer_markdown, citation_json, without_sources
from rag.turn import check_history, clean_question

WORDS_PER_CHUNK = 8
_WORD = re.compile(r"\s*\S+|\s+$")  # a word with the white space before it; white space at the end


def routes(service: Service) -> APIRouter:
    router = APIRouter(tags=["openai"])

    @router.get("/v1/models")
    def list_models() -> dict[str, Any]:
        """The one model, in OpenAI's list shape."""
        return {"object": "list", "data": [model_json(service)]}

    @router.get("/v1/models/{model_id}")
    def get_model(model_id: str) -> dict[str, Any]:
        if model_id != MODEL_ID:
            raise ApiError(
                404, f"The model {model_id!r} does not exist; the one model here is {MODEL_ID}.", code="model_not_found"
            )
        return model_json(service)

    @router.post("/v1/chat/completions", responses=EVENTS_DOC)
    async def chat_completions(body: ChatRequest, request: Request):
        """The last user message answered from the articles, with sources, as OpenAI's chat API replies."""
        question, history = conversation(body.messages)
        check_question(question, service.max_question_chars)
        question = clean_question(question)
        check_history(history)  # here, not in the stream: a 422, never an error event after a 200
        assistant = service.assistant

        def answer() -> Iterator[Any]:
            return assistant.ask_stream(question, history)

        completion = f"chatcmpl-{secrets.token_hex(12)}"
        if body.stream:
            return EventStream(chat_events(answer, completion))
        final = await final_answer(request, answer)
        if final is None:
            return Response(status_code=GONE)
        read = [question, *(f"{asked} {said}" for asked, said in history), *(p.text for p in final.passages)]
        count = service.assistant.embedder.tokenize
        return completion_json(final, completion, prompt_tokens=sum(len(count(text)) for text in read), count=count)

    return router


def model_json(service: Service) -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": service.started, "owned_by": "article-qa"}


def conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    """The question (the last message, a user's) and the (question, answer) turns before it.

    A user message that no assistant reply follows is joined to the next user message; an
    assistant reply with no question before it is left out."""
    last = messages[-1]
    if last.role != "user":
        raise ApiError(
            422, f"The last message must be the user's question; it is a {last.role} message.", code="no_question"
        )
    history: list[tuple[str, str]] = []
    asked: list[str] = []
    for message in messages[:-1]:
        if message.role == "user":
            asked.append(message.text())
        elif message.role == "assistant" and asked:
            history.append(("\n".join(asked), without_sources(message.text())))
            asked = []
    return last.text(), history


def completion_json(
    answer: Answer, completion: str, *, prompt_tokens: int, count: Callable[[str], list] = str.split
) -> dict[str, Any]:
    content = answer_markdown(answer)
    tokens = len(count(content))
    return {
        "id": completion,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": tokens, "total_tokens": prompt_tokens + tokens},
        "citations": [citation_json(citation) for citation in answer.citations],
    }


def pieces(text: str, words: int = WORDS_PER_CHUNK) -> list[str]:
    """``text`` in runs of ``words`` words, white space kept: their concatenation is ``text``."""
    found = _WORD.findall(text)
    return ["".join(found[start : start + words]) for start in range(0, len(found), words)]


async def chat_events(answer: Callable[[], Iterator[Any]], completion: str) -> AsyncGenerator[str, None]:
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
        body = {"id": completion, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID}
        return data_only({**body, "choices": [choice], **extra})

    yield chunk({"role": "assistant", "content": ""})
    keepalive = KeepAlive()
    try:
        async with aclosing(items_of(answer)) as items:
            async for item in items:
                if isinstance(item, Answer):
                    for piece in pieces(answer_markdown(item)):
                        yield chunk({"content": piece})
                    yield chunk({}, "stop", citations=[citation_json(c) for c in item.citations])
                    yield data_only("[DONE]")
                    return
                if keepalive.due():  # passages and the model's words are not sent: see above
                    yield WAITING
    except Exception as exc:
        status, message, code = described(exc, "answering a streamed chat completion in the HTTP API")
        yield data_only(error_body(status, message, code))
