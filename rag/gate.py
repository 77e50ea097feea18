"""Turns at the language model, first come first served, for every caller alike.

The in-process model runs ``parallel`` generations at once (llama.cpp's slots). Callers beyond
that wait here, in the order they came, whether they are API threads or UI sessions: the UI
had a queue of its own that let one session at a time to the model, against four API threads
(tests/bench/test_load.py: 6 UI answers against 18 API answers). Waiting here rather than in
llama.cpp's own queue, a caller that stops while it waits leaves the line, and the model never
reads the prompt of an answer nobody waits for: the waits of a thread in a
``stop_waiting_when(event)`` block end with ``Abandoned`` once the event is set.

What this leaves out: priorities and per-caller quotas.
"""

from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager
from typing import Iterator, TypeVar

T = TypeVar("T")
CHECK_STOP_S = 0.1  # how often a waiter that may be stopped looks at its event

_this_thread = threading.local()


class Abandoned(Exception):
    """The caller stopped waiting for its turn (its ``stop_waiting_when`` event was set)."""


@contextmanager
def stop_waiting_when(event: threading.Event) -> Iterator[None]:
    """In this block, this thread's waits at any gate end with ``Abandoned`` once ``event`` is set."""
    outer = getattr(_this_thread, "stop", None)
    _this_thread.stop = event
    try:
        yield
    finally:
        _this_thread.stop = outer


class FifoGate:
    """Lets ``width`` seats be held at once; callers wait in line, served in the order they came
    (``threading.Semaphore`` wakes its waiters in no promised order)."""

    def __init__(self, width: int = 1) -> None:
        if width < 1:
            raise ValueError(f"a gate has at least one seat, got width {width}")
        self.width = width
        self._changed = threading.Condition()
        self._line: deque[object] = deque()
        self._taken = 0

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._line)

    @property
    def taken(self) -> int:
        with self._changed:
            return self._taken

    @contextmanager
    def turn(self, seats: int = 1) -> Iterator[None]:
        """Wait until this caller is first in line and ``seats`` are free; hold them for the block
        (``seats=width``: the whole model, as for restoring a saved state into every slot)."""
        if not 1 <= seats <= self.width:
            raise ValueError(f"a turn takes 1 to {self.width} seats, got {seats}")
        stop: threading.Event | None = getattr(_this_thread, "stop", None)
        ticket = object()
        with self._changed:
            self._line.append(ticket)
            try:
                while self._line[0] is not ticket or self._taken + seats > self.width:
                    if stop is not None and stop.is_set():
                        raise Abandoned("stopped while waiting for the language model")
                    self._changed.wait(CHECK_STOP_S if stop is not None else None)
            except BaseException:  # the line moves on without it
                self._line.remove(ticket)
                self._changed.notify_all()
                raise
            self._line.popleft()
            self._taken += seats
            self._changed.notify_all()  # with seats left, the next in line goes in too
        try:
            yield
        finally:
            with self._changed:
                self._taken -= seats
                self._changed.notify_all()


def in_turn(gate: FifoGate, pieces: Iterator[T]) -> Iterator[T]:
    """``pieces`` (a streamed reply) read during one turn at ``gate``: the turn begins at the
    first read and ends when the stream ends or its reader stops early (``close``, or the
    generator collected), so an abandoned answer never keeps its seat."""
    with gate.turn():
        yield from pieces
