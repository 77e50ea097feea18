"""``POST /v1/ask``: a question answered with sentence-exact citations, whole or as events.

The reply is ``rag.export.answer_json``: the same JSON as ``article-qa ask --json`` (the text
under "answer", "refused" with "refusal" and "refusal_detail", the citations with their quotes
and spans, the passages read and the timings). With ``"stream": true`` it comes as server-sent
events: ``passage`` for each passage as soon as it is retrieved, ``delta`` for each piece of
text as the model writes it, then ``answer`` with the JSON above, or ``error`` with the API's
error JSON. The deltas are the model's words as they come; the ``answer`` is what the checks
made of them (a refusal, renumbered markers, labelled sections): show its text at the end.

What is wrong with the request (a question too long or empty, a bad date, a ``top_k`` out of
range) is a JSON error before any event.
"""

from __future__ import annotations

from contextlib import aclosing
from typing import Any, AsyncGenerator, Callable, Iterator

from fastapi import APIRouter, Request, Response

from api.errors import described, error_body
from api.limits import check_question
from api.schemas import AskRequest
from api.service import Service
from api.streams import WAITING, EventStream, KeepAlive, event, final_answer, items_of
from rag import Answer, Passage
from rag.export import answer_json, passage_json
from rag.turn import check_history, clean_question, day_range

GONE = 499  # the client closed the connection first (nginx's code): nobody reads this reply
EVENTS_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The Answer as JSON; with stream, server-sent events: passage, delta ..., answer, or error.",
        "content": {"text/event-stream": {}},
    }
}


def routes(service: Service) -> APIRouter:
    router = APIRouter(tags=["ask"])

    @router.post("/v1/ask", responses=EVENTS_DOC)
    async def ask(body: AskRequest, request: Request):
        """Answer a question from the indexed articles, each claim cited by the sentence it comes from."""
        answer = prepared(service, body)
        if body.stream:
            return EventStream(ask_events(answer))
        final = await final_answer(request, answer)
        return answer_json(final) if final is not None else Response(status_code=GONE)

    return router


def prepared(service: Service, body: AskRequest) -> Callable[[], Iterator[str | Passage | Answer]]:
    """The answer to make, once the request is known to be right (else an error is raised here)."""
    check_question(body.question, service.max_question_chars)
    question = clean_question(body.question)
    day_range(body.since, body.until)
    qa = service.assistant.configured(top_k=body.top_k)
    history = body.turns()
    check_history(history)
    return lambda: qa.ask_stream(question, history, since=body.since, until=body.until)


async def ask_events(answer: Callable[[], Iterator[str | Passage | Answer]]) -> AsyncGenerator[str, None]:
    keepalive = KeepAlive()
    try:
        async with aclosing(items_of(answer)) as items:
            async for item in items:
                if item is None:
                    if keepalive.due():
                        yield WAITING
                    continue
                if isinstance(item, Passage):
                    yield event("passage", passage_json(item))
                elif isinstance(item, Answer):
                    yield event("answer", answer_json(item))
                else:
                    yield event("delta", {"text": item})
                keepalive.sent()
    except Exception as exc:
        status, message, code = described(exc, "answering a streamed question in the HTTP API")
        yield event("error", error_body(status, message, code))
