"""An answer on a thread of its own (rag/background.py): its items in order, its errors raised
where they are read, and a stop, while it waits for the model or while the model replies, ends it."""

from __future__ import annotations

import time

import pytest

from rag import background
from rag.background import in_background
from rag.gate import FifoGate, in_turn
from tests.fakes import PassageEchoBackend

WAIT_S = 5.0


def until(condition) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_the_items_come_in_order_and_an_error_is_raised_where_they_are_read():
    def answer():
        yield "passage"
        yield "reply"
        raise RuntimeError("the model failed")

    items = in_background(answer)
    assert [next(items), next(items)] == ["passage", "reply"]
    with pytest.raises(RuntimeError, match="the model failed"):
        next(items)


def test_a_stop_while_waiting_for_the_model_leaves_its_line(monkeypatch):
    monkeypatch.setattr(background, "POLL_S", 0.02)
    gate = FifoGate(1)
    model = PassageEchoBackend()
    prompt = [{"role": "user", "content": "[1] Celle baut zwölf Parks."}]
    with gate.turn():  # another asker's answer is under way
        items = in_background(lambda: in_turn(gate, model.stream_chat(prompt, max_tokens=20)))
        assert next(items) is None  # nothing yet: a moment at which the UI can stop it
        until(lambda: gate.waiting == 1)
        items.close()  # Stop
        until(lambda: gate.waiting == 0)
    assert "".join(in_turn(gate, model.stream_chat(prompt, max_tokens=20))).startswith("Celle baut")
    assert model.abandoned == 0  # the stopped one never reached the model


def test_a_stop_while_the_model_replies_stops_the_model_even_just_before_its_last_word():
    model = PassageEchoBackend(seconds_per_word=0.01)
    prompt = [{"role": "user", "content": "[1] Celle baut."}]  # the reply: "Celle baut. [1]"
    items = in_background(lambda: model.stream_chat(prompt, max_tokens=50))
    assert [next(items), next(items)] == ["Celle ", "baut. "]
    time.sleep(0.2)  # the UI is busy showing it: a thread that read ahead would finish the reply now
    items.close()  # Stop
    until(lambda: model.abandoned == 1)
