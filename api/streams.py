"""Answers made off the event loop, stopped when their client goes, and server-sent events.

Every answer runs as ``rag.background.in_background`` runs the UI's: on a thread of its own,
read item by item, ``None`` every ``POLL_S`` while none came; each item is awaited on a worker
thread (``anyio.to_thread``), so the event loop never waits for the model and other requests
go on. The model's fairness between callers is ``rag.gate``'s.

A client that goes away stops its answer (the thread leaves the model's line, or closes the
reply, which stops the model):
- a plain reply (``final_answer``) asks ``request.is_disconnected()`` at every item, that is at
  least every ``POLL_S``, and closes the answer when the client is gone;
- a stream (``EventStream``) is cancelled by Starlette when the client disconnects, or fails
  at its next write; either way its generator, and with it the answer, is closed. While the
  answer gives nothing to send, a comment line (``: waiting``) goes every ``KEEPALIVE_S``: it
  keeps proxies from closing an idle connection and finds a client that has gone.
An answer stops between two of its items: a step that gives none (the model's second look at
the best passage, ``rag.second_look``) runs to its end first, as it does for the UI's Stop.
"""

from __future__ import annotations

import json
import time
from contextlib import aclosing
from typing import Any, AsyncGenerator, Callable, Iterator, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from rag import Answer
from rag.background import in_background

T = TypeVar("T")
# Answers read at once: each holds a worker thread for up to POLL_S at a time, from a pool of
# their own, so that answers waiting at the model's gate never take the threads the other
# endpoints run on; past this many, a reader waits for a thread (its items come a little later).
ANSWER_THREADS = anyio.CapacityLimiter(64)
KEEPALIVE_S = 5.0  # a comment line at least this often while nothing else is sent
WAITING = ": waiting\n\n"
_END = object()


def _next(items: Iterator[Any]) -> Any:
    return next(items, _END)


async def items_of(answer: Callable[[], Iterator[T]]) -> AsyncGenerator[T | None, None]:
    """The items of ``answer()``, made on a thread of its own; ``None`` while none came for
    ``rag.background.POLL_S``. Its errors are raised here; closing this generator stops it."""
    items = in_background(answer)
    try:
        while (item := await anyio.to_thread.run_sync(_next, items, limiter=ANSWER_THREADS)) is not _END:
            yield item
    finally:
        items.close()  # never while a worker thread is in it: a cancelled wait for one waits for it


async def final_answer(request: Request, answer: Callable[[], Iterator[Any]]) -> Answer | None:
    """The Answer that ``answer()`` ends with; None, the answer stopped, when the client went first."""
    async with aclosing(items_of(answer)) as items:
        async for item in items:
            if isinstance(item, Answer):
                return item
            if await request.is_disconnected():
                return None
    raise RuntimeError("the answer ended without an Answer")


class KeepAlive:
    """Whether a comment line is due: nothing was sent for ``KEEPALIVE_S``."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def sent(self) -> None:
        self.last = time.monotonic()

    def due(self) -> bool:
        if time.monotonic() - self.last < KEEPALIVE_S:
            return False
        self.sent()
        return True


def event(name: str, data: Any) -> str:
    """One server-sent event with a JSON payload (JSON has no raw line breaks)."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def data_only(data: Any) -> str:
    """An event without a name, as OpenAI's streams send them: ``data: {...}``."""
    return f"data: {data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)}\n\n"


class EventStream(StreamingResponse):
    """A ``text/event-stream`` response whose generator is closed however the response ends:
    Starlette closes it only when the client's going cancels it inside the generator, not
    when a write fails or the cancel finds it waiting to send."""

    media_type = "text/event-stream"

    def __init__(self, events: AsyncGenerator[str, None]) -> None:
        super().__init__(events, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self.events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.events.aclose()
