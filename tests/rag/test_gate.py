"""The model's turns: first come first served across threads, ``width`` at once, and a caller
that stops leaves the line (rag/gate.py)."""

from __future__ import annotations

import threading
import time

import pytest

from rag.gate import Abandoned, FifoGate, in_turn, stop_waiting_when

WAIT_S = 5.0


def until(condition, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def line_up(gate: FifoGate, names: list[str], entered: list[str], hold: threading.Event) -> list[threading.Thread]:
    """One thread per name, each joining the line only once the one before it is in line."""

    def take_turn(name: str) -> None:
        with gate.turn():
            entered.append(name)
            hold.wait(WAIT_S)

    threads = []
    for name in names:
        before = gate.waiting
        thread = threading.Thread(target=take_turn, args=(name,), daemon=True)
        thread.start()
        until(lambda: gate.waiting == before + 1)
        threads.append(thread)
    return threads


def test_callers_get_their_turns_in_the_order_they_came_across_threads():
    gate = FifoGate(1)
    entered: list[str] = []
    go = threading.Event()
    with gate.turn():  # the model is busy: everyone lines up
        order = [f"{kind}-{n}" for n in range(6) for kind in ("api", "ui")]
        threads = line_up(gate, order, entered, go)
    go.set()
    for thread in threads:
        thread.join(WAIT_S)
    assert entered == order


def test_width_callers_are_in_at_once_and_the_next_waits_for_a_seat():
    gate = FifoGate(2)
    entered: list[str] = []
    hold = threading.Event()
    threads = []
    for name in ("a", "b", "c"):
        thread = threading.Thread(target=lambda n=name: _hold_turn(gate, n, entered, hold), daemon=True)
        thread.start()
        threads.append(thread)
    until(lambda: len(entered) == 2)
    time.sleep(0.05)
    assert entered == ["a", "b"] and gate.waiting == 1 and gate.taken == 2
    hold.set()
    for thread in threads:
        thread.join(WAIT_S)
    assert entered == ["a", "b", "c"] and gate.taken == 0


def _hold_turn(gate: FifoGate, name: str, entered: list[str], hold: threading.Event) -> None:
    with gate.turn():
        entered.append(name)
        hold.wait(WAIT_S)


def test_a_turn_for_every_seat_waits_for_all_and_keeps_later_callers_behind_it():
    gate = FifoGate(3)
    entered: list[str] = []
    go = threading.Event()
    whole: list[int] = []

    def take_all() -> None:
        with gate.turn(seats=3):
            whole.append(gate.taken)

    with gate.turn():
        taker = threading.Thread(target=take_all, daemon=True)
        taker.start()
        until(lambda: gate.waiting == 1)
        later = line_up(gate, ["after"], entered, go)  # a seat is free, but it came after
        time.sleep(0.05)
        assert not whole and not entered
    go.set()
    for thread in [taker, *later]:
        thread.join(WAIT_S)
    assert whole == [3] and entered == ["after"]


def test_a_caller_that_stops_while_waiting_leaves_the_line_and_the_next_goes_on():
    gate = FifoGate(1)
    entered: list[str] = []
    stopped, go = threading.Event(), threading.Event()
    outcome: list[str] = []

    def wait_then_stop() -> None:
        with stop_waiting_when(stopped):
            try:
                with gate.turn():
                    outcome.append("got a turn")
            except Abandoned:
                outcome.append("left the line")

    with gate.turn():
        leaver = threading.Thread(target=wait_then_stop, daemon=True)
        leaver.start()
        until(lambda: gate.waiting == 1)
        threads = line_up(gate, ["next"], entered, go)
        stopped.set()
        leaver.join(WAIT_S)
        assert outcome == ["left the line"] and gate.waiting == 1
    go.set()
    for thread in threads:
        thread.join(WAIT_S)
    assert entered == ["next"] and gate.waiting == 0 and gate.taken == 0


def test_a_stream_read_in_turn_gives_its_seat_back_when_its_reader_stops_early():
    gate = FifoGate(1)
    finished: list[bool] = []

    def reply():
        try:
            yield from ("one ", "two ", "three")
        finally:
            finished.append(True)

    stream = in_turn(gate, reply())
    assert gate.taken == 0  # nothing is taken before the first read
    assert next(stream) == "one " and gate.taken == 1
    stream.close()  # a Stop button
    assert finished == [True] and gate.taken == 0
    assert "".join(in_turn(gate, reply())) == "one two three" and gate.taken == 0


def test_a_gate_needs_a_seat_and_a_turn_fits_the_gate():
    with pytest.raises(ValueError):
        FifoGate(0)
    with pytest.raises(ValueError):
        with FifoGate(2).turn(seats=3):
            pass


def test_the_in_process_model_lets_as_many_answers_in_as_it_has_slots(tmp_path):
    from rag.backends import LlamaCppBackend

    assert LlamaCppBackend(tmp_path / "model.gguf").gate.width == 1
    assert LlamaCppBackend(tmp_path / "model.gguf", parallel=4).gate.width == 4
