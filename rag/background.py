"""An answer made on a thread of its own and handed over item by item, so that a stop works at
any moment: the UI's Stop and New chat, and an API client that goes away.

Gradio stops an answer by closing its generator, which it can do only between two items: for
up to 60 s it retries, and meanwhile holds the lock every other session's Stop needs. The API
(``api.streams``) closes it when its client disconnects. An answer waiting for its turn at the
model (``rag.gate``) has no item to give for as long as the askers ahead of it take. Here the
reader's generator gets ``None`` every ``POLL_S`` while nothing came, so a stop ends it at once;
the answer's thread is then told to stop: it leaves the model's line, or closes the reply where
it stands, which stops the model.

The thread reads the answer in step with its reader, an item when the reader asks for one, never
ahead: a reply read ahead would reach its end before a stop could close it (the browser test
stops a five-word reply after its fourth word, and the model must be told to stop).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator
from typing import Callable, Iterator, TypeVar

from rag.gate import Abandoned, stop_waiting_when

T = TypeVar("T")
POLL_S = 0.5  # the longest a stop waits for the reader's generator to be closable

_END = object()


def in_background(answer: Callable[[], Iterator[T]]) -> Generator[T | None, None, None]:
    """The items of ``answer()``, made on another thread; ``None`` while none came for ``POLL_S``.
    Its errors are raised here. Closing this generator stops the answer."""
    items: queue.Queue = queue.Queue()
    wanted = threading.Semaphore(0)  # released once for each item the reader asks for, and at a stop
    stopped = threading.Event()

    def make() -> None:
        stream: Iterator[T] | None = None
        with stop_waiting_when(stopped):
            try:
                stream = answer()
                while wanted.acquire() and not stopped.is_set():
                    items.put(next(stream))
            except (StopIteration, Abandoned):
                pass  # the answer is complete, or it left the model's line: nobody waits for it
            except Exception as exc:  # raised where the items are read, as if it had been raised there
                items.put(exc)
            finally:
                if isinstance(stream, Generator):
                    stream.close()  # stopped mid-reply: so is the model
                items.put(_END)

    threading.Thread(target=make, name="answer", daemon=True).start()
    try:
        while True:
            wanted.release()
            while True:
                try:
                    item = items.get(timeout=POLL_S)
                    break
                except queue.Empty:
                    yield None
            if item is _END:
                return
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stopped.set()
        wanted.release()  # a thread waiting to be asked for the next item sees the stop
