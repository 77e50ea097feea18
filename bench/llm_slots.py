"""Several readers at once: llama.cpp's parallel slots (continuous batching) against one slot,
for 1, 2, 4 and 8 concurrent askers, on this machine's CPU (section "scale").

Each run is whole answers: ``n`` threads call ``Assistant.ask`` (retrieval, every model call,
the checks) with the real default models, over an index of the sample articles, taking the
questions of eval/datasets/samples.yaml from one shared list until it is empty; every run gets
the same questions. With one slot, askers beyond it wait either in llama.cpp's own queue (as
before ``rag.gate``) or at the gate; with ``k`` slots, ``k`` answers are generated at once.

A run's answers/min is its answers over its wall time (the last answers of a round run with
fewer askers at once, as at the end of any busy spell); p50 and p95 are of single answers, from
the call to ``ask`` to its return, waiting for a turn included; CPU s/answer is the process's
CPU time over the answers, which another process's load on the machine changes less than the
wall time. The runs are split into rounds taken in turns (the second in the reverse order), so
that a busy spell of the machine falls on all of them alike. Every slot count's model is loaded
at the start (the weights are one mapped file); its memory figure is the resident memory it
added, weights included, after it read the prompt prefix into every slot.

    python -m bench.llm_slots [--quick] [--askers 1,2,4,8] [--questions 16] [--rounds 2]

writes bench/results/llm_slots.md. What it leaves out: the UI's HTTP and Gradio's queue (see
tests/bench/test_load.py for answers through both), and machines with more cores.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from bench.figures import Figure, markdown, ratio_figure
from eval.dataset import EvalItem, load_dataset
from eval.metrics import answer_matches
from rag import Answer, Assistant, Settings
from rag.backends import LlamaCppBackend
from rag.gate import FifoGate
from rag.parts import open_embedder, open_store

RESULTS = Path(__file__).resolve().parent / "results"
EVAL_SET = Path(__file__).resolve().parent.parent / "eval" / "datasets" / "samples.yaml"
SECTION = "scale"
GATE = "the gate"  # rag.gate: first come, first served, in Python
LLAMA_QUEUE = "llama.cpp's queue"  # llama.cpp's own queue of requests waiting for a slot (before rag.gate)


@dataclass
class Run:
    """The answers of ``askers`` threads on ``slots`` slots, waiting in ``waits_in``, over all rounds."""

    askers: int
    slots: int
    waits_in: str
    seconds: list[float] = field(default_factory=list)  # of each answer
    right: int = 0  # answers that meet their item's expectation
    wall_s: float = 0.0
    cpu_s: float = 0.0
    loads: list[float] = field(default_factory=list)  # the 1-minute load average at each round's start and end

    @property
    def per_minute(self) -> float:
        return 60 * len(self.seconds) / self.wall_s if self.wall_s else 0.0

    @property
    def p50_s(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95_s(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]

    def latencies(self) -> str:
        return f"p50 {self.p50_s:.1f} s, p95 {self.p95_s:.1f} s"

    def note(self) -> str:
        cpu = self.cpu_s / len(self.seconds)
        return (
            f"{self.latencies()}; CPU {cpu:.1f} s/answer; right {self.right}/{len(self.seconds)}; "
            f"load {min(self.loads):.1f}-{max(self.loads):.1f}"
        )


def is_right(item: EvalItem, answer: Answer) -> bool:
    if item.expect.refuse:
        return answer.refused
    return not answer.refused and answer_matches(answer.text, item.expect)[0]


def measure(assistant: Assistant, items: Sequence[EvalItem], run: Run) -> None:
    """``run.askers`` threads answer ``items`` between them, each taking the next item when done;
    the answers and times are added to ``run``."""
    remaining = list(reversed(items))
    lock = threading.Lock()
    failures: list[BaseException] = []

    def ask_until_none_left() -> None:
        while True:
            with lock:
                if not remaining or failures:
                    return
                item = remaining.pop()
            started = time.perf_counter()
            try:
                answer = assistant.ask(item.question)
            except Exception as exc:  # a figure from a run with errors would mislead: the run fails
                with lock:
                    failures.append(exc)
                return
            with lock:
                run.seconds.append(time.perf_counter() - started)
                run.right += is_right(item, answer)

    run.loads.append(os.getloadavg()[0])
    threads = [threading.Thread(target=ask_until_none_left, name=f"asker-{k}") for k in range(run.askers)]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.wall_s += time.perf_counter() - started
    run.cpu_s += time.process_time() - cpu
    run.loads.append(os.getloadavg()[0])
    if failures:
        raise RuntimeError(f"{run.askers} askers on {run.slots} slots: {failures[0]}") from failures[0]


def resident_mib() -> float:
    found = re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(found[1]) / 1024 if found else 0.0


def plan(askers: list[int], slot_counts: list[int]) -> list[tuple[int, int, str]]:
    """(askers, slots, where the others wait) of every run: one slot with either queue, and each
    slot count up to the askers."""
    runs = []
    for n in askers:
        runs += [(n, 1, LLAMA_QUEUE)] if n > 1 else []
        runs += [(n, count, GATE) for count in slot_counts if count <= n]
    return runs


def bench_llm_slots(
    models_dir: Path,
    askers: list[int],
    questions: int,
    log: Callable[[str], None] = print,
    slots: list[int] | None = None,
    rounds: int = 2,
) -> list[Figure]:
    """Answers/min, p50/p95 latency and CPU per answer of ``questions`` answers for each number
    of ``askers`` (see the module's docstring); ``slots``: the slot counts (default: one per
    asker count), one slot always among them."""
    slot_counts = sorted(set(slots or askers) | {1})
    items = load_dataset(EVAL_SET)
    chosen = [items[k * len(items) // questions] for k in range(questions)] if questions < len(items) else items
    parts = [chosen[r::rounds] for r in range(rounds)]
    runs = {key: Run(*key) for key in plan(askers, slot_counts)}
    memory: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as home:
        settings = replace(Settings.defaults(Path(home)), models_dir=models_dir)
        store, embedder = open_store(settings), open_embedder(settings)
        Assistant(store=store, embedder=embedder, backend=None).ingest(settings.articles_dir)  # type: ignore[arg-type]
        embedder.embed_query("warm-up")  # loaded before the models' memory is measured
        assistants: dict[int, Assistant] = {}
        backends: dict[int, LlamaCppBackend] = {}
        for count in slot_counts:
            before = resident_mib()
            backends[count] = backend = LlamaCppBackend(
                settings.llm_file,
                threads=settings.threads,
                context_tokens=settings.context_tokens,
                parallel=count,
                prefix_cache=settings.models_dir / "prompt-cache",
            )
            assistants[count] = Assistant(
                store=store,
                embedder=embedder,
                backend=backend,
                top_k=settings.top_k,
                min_score=settings.min_score,
                max_answer_tokens=settings.max_answer_tokens,
                budget_tokens=settings.budget_tokens,
            )
            assistants[count].warm_up()
            memory[count] = resident_mib() - before
        for number, part in enumerate(parts):
            for key in runs if number % 2 == 0 else reversed(runs):
                n, count, way = key
                # wide open, the gate lets every asker on to llama.cpp, which queues them itself
                backends[count].gate = FifoGate(count if way == GATE else n)
                measure(assistants[count], part, runs[key])
                log(f"round {number + 1}/{rounds}: {n} askers, {count} slots, waiting in {way}: {runs[key].note()}")
        del assistants, backends  # the models go before the index
    return figures(runs, memory, settings.context_tokens)


def figures(runs: dict[tuple[int, int, str], Run], memory: dict[int, float], context: int) -> list[Figure]:
    """One figure per run, against one slot with llama.cpp's own queue (before the gate) for as
    many askers; then the memory of each slot count."""
    found = []
    for (n, count, way), run in runs.items():
        before = runs.get((n, 1, LLAMA_QUEUE))
        name = f"answers/min, {n} asker{'s' if n > 1 else ''}, {count} slot{'s' if count > 1 else ''}"
        name += f", waiting in {way}" if n > count else ""
        if before is None or run is before:
            found.append(Figure(SECTION, name, round(run.per_minute, 2), None, None, "answers/min", note=run.note()))
            continue
        found.append(
            ratio_figure(SECTION, f"{name} vs 1 slot, {LLAMA_QUEUE}", run.per_minute, before.per_minute,
                         "answers/min", target="ratio >= 1", at_least=1.0,
                         note=f"{run.note()} (before: {before.latencies()})")
        )  # fmt: skip
    for count, mib in sorted(memory.items()):
        found.append(
            Figure(SECTION, f"memory of the loaded model, {count} slot{'s' if count > 1 else ''}", round(mib), None,
                   None, "MiB", note=f"context {count} x {context} tokens; resident, weights included")
        )  # fmt: skip
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.llm_slots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 and 2 askers, 4 questions a run, one round")
    parser.add_argument("--askers", default="1,2,4,8", help="comma-separated numbers of concurrent askers")
    parser.add_argument("--slots", default="", help="comma-separated slot counts (default: one per asker count)")
    parser.add_argument("--questions", type=int, default=16, help="answers per run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds each run is split into, taken in turns")
    parser.add_argument("--out", type=Path, default=RESULTS / "llm_slots.md")
    args = parser.parse_args(argv)
    askers = [1, 2] if args.quick else [int(n) for n in args.askers.split(",")]
    slots = [int(n) for n in args.slots.split(",")] if args.slots else None
    questions, rounds = (4, 1) if args.quick else (args.questions, args.rounds)
    started = time.perf_counter()
    found = bench_llm_slots(
        Settings.from_env().models_dir,
        askers,
        questions,
        lambda line: print(line, file=sys.stderr, flush=True),
        slots,
        rounds,
    )
    results = {
        "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": f"{os.cpu_count()} CPU cores",
        "figures": [vars(figure) for figure in found],
    }
    table = markdown(results).replace("`article-qa bench", "`python -m bench.llm_slots", 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
