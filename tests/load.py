"""A bounded load run: askers (API threads, UI sessions) ask in turns until a deadline, each
asker on its own thread; every outcome is kept, checked by the caller and summed up here."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

# An asker asks one question and returns what it saw; it raises on any error.
Asker = Callable[[str], object]


@dataclass
class Outcome:
    asker: str
    question: str
    seconds: float
    result: object = None
    error: str = ""


@dataclass
class LoadRun:
    outcomes: list[Outcome] = field(default_factory=list)
    hung: list[str] = field(default_factory=list)  # askers still busy long after the deadline
    wall_s: float = 0.0

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]

    def p95_s(self) -> float:
        times = sorted(o.seconds for o in self.outcomes)
        return times[max(0, -(-95 * len(times) // 100) - 1)] if times else 0.0

    def summary(self) -> str:
        kinds = sorted({o.asker.split("-")[0] for o in self.outcomes})
        per_kind = ", ".join(f"{k} {sum(o.asker.startswith(k) for o in self.outcomes)}" for k in kinds)
        return (
            f"{len(self.outcomes)} questions in {self.wall_s:.0f} s ({per_kind}), {len(self.errors)} errors, "
            f"p95 {self.p95_s():.2f} s, {len(self.hung)} askers hung"
        )


def run_load(askers: dict[str, Asker], questions: Sequence[str], *, seconds: float, grace_s: float) -> LoadRun:
    """Each asker asks ``questions`` in turn (asker k starting at question k) until ``seconds``
    have passed; a question under way then still finishes. An asker not done ``grace_s`` after
    the deadline counts as hung."""
    run = LoadRun()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def ask_in_turns(name: str, ask: Asker, offset: int) -> None:
        turn = offset
        while time.perf_counter() < deadline:
            question = questions[turn % len(questions)]
            turn += 1
            began = time.perf_counter()
            try:
                outcome = Outcome(name, question, 0.0, result=ask(question))
            except Exception as exc:  # every error is counted, none ends the run
                outcome = Outcome(name, question, 0.0, error=f"{type(exc).__name__}: {exc}")
            outcome.seconds = time.perf_counter() - began
            with lock:
                run.outcomes.append(outcome)

    threads = [
        threading.Thread(target=ask_in_turns, args=(name, ask, k), name=name, daemon=True)
        for k, (name, ask) in enumerate(askers.items())
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline + grace_s - time.perf_counter()))
    run.hung = [thread.name for thread in threads if thread.is_alive()]
    run.wall_s = time.perf_counter() - started
    return run
