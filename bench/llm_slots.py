"""Several readers at once: llama.cpp's parallel slots (continuous batching) against one slot,
for 1, 2, 4 and 8 concurrent askers, on this machine's CPU (section "scale").

Each run is whole answers: ``n`` threads call ``Assistant.ask`` (retrieval, every model call,
the checks) with the real default models, over an index of the sample articles, taking the
questions of eval/datasets/samples.yaml from one shared list until it is empty. The same list
goes to every run. A run's answers/min is its answers over its wall time (the last answers
run with fewer askers at once, as at the end of any busy spell); p50 and p95 are of single
answers, from the call to ``ask`` to its return, waiting for a turn at the model included.

Each slot count loads the model afresh: its KV cache is ``context_tokens`` per slot, and the
saved prompt prefix is restored only with one slot (``rag.backends``); the memory figure is the
process's resident memory after loading and warming the model, over what it was before.

    python -m bench.llm_slots [--quick] [--askers 1,2,4,8] [--questions 24]

writes bench/results/llm_slots.md. What it leaves out: the UI's HTTP and Gradio's queue (see
tests/test_load.py for answers through both), and machines with more cores.
"""

from __future__ import annotations

import argparse
import gc
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

from bench.figures import Figure, ratio_figure
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
LLAMA_QUEUE = "llama.cpp"  # llama.cpp's own queue of requests waiting for a slot (before rag.gate)


@dataclass
class Run:
    """One run: ``askers`` threads on ``slots`` slots."""

    askers: int
    slots: int
    seconds: list[float] = field(default_factory=list)  # of each answer
    right: int = 0  # answers that meet their item's expectation
    wall_s: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # the 1-minute load average before and after
    waits_in: str = GATE  # where askers beyond the slots wait

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


def is_right(item: EvalItem, answer: Answer) -> bool:
    if item.expect.refuse:
        return answer.refused
    return not answer.refused and answer_matches(answer.text, item.expect)[0]


def measure(assistant: Assistant, items: Sequence[EvalItem], askers: int, slots: int) -> Run:
    """``askers`` threads answer ``items`` between them, each taking the next item when done."""
    run = Run(askers, slots, load=(os.getloadavg()[0], 0.0))
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

    threads = [threading.Thread(target=ask_until_none_left, name=f"asker-{k}") for k in range(askers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.wall_s = time.perf_counter() - started
    run.load = (run.load[0], os.getloadavg()[0])
    if failures:
        raise RuntimeError(f"{askers} askers on {slots} slots: {failures[0]}") from failures[0]
    return run


def resident_mib() -> float:
    status = Path("/proc/self/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+)", status)
    return int(found[1]) / 1024 if found else 0.0


def bench_llm_slots(
    models_dir: Path,
    askers: list[int],
    questions: int,
    log: Callable[[str], None] = print,
    slots: list[int] | None = None,
) -> list[Figure]:
    """Answers/min and p50/p95 latency of ``questions`` answers for each number of ``askers``: on
    one slot, waiting in llama.cpp's own queue (as before ``rag.gate``) and at the gate, and on
    each count of ``slots`` (default: one per asker count) up to the askers."""
    slot_counts = sorted(set(slots or askers) | {1})
    items = load_dataset(EVAL_SET)
    chosen = [items[k * len(items) // questions] for k in range(questions)] if questions < len(items) else items
    runs: dict[tuple[int, int, str], Run] = {}
    memory: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as home:
        settings = replace(Settings.defaults(Path(home)), models_dir=models_dir)
        store, embedder = open_store(settings), open_embedder(settings)
        indexing = Assistant(store=store, embedder=embedder, backend=None)  # type: ignore[arg-type]  # ingest only
        indexing.ingest(settings.articles_dir)
        embedder.embed_query("warm-up")  # loaded before the memory of the model is measured
        for count in slot_counts:
            before = resident_mib()
            backend = LlamaCppBackend(
                settings.llm_file,
                threads=settings.threads,
                context_tokens=settings.context_tokens,
                parallel=count,
                prefix_cache=settings.models_dir / "prompt-cache",
            )
            assistant = Assistant(
                store=store,
                embedder=embedder,
                backend=backend,
                top_k=settings.top_k,
                min_score=settings.min_score,
                max_answer_tokens=settings.max_answer_tokens,
                budget_tokens=settings.budget_tokens,
            )
            assistant.warm_up()
            memory[count] = resident_mib() - before
            for n in askers:
                ways = [LLAMA_QUEUE, GATE] if count == 1 and n > 1 else [GATE] if count <= n else []
                for way in ways:
                    # the gate wide open: every asker goes on to llama.cpp, which queues them itself
                    backend.gate = FifoGate(count if way == GATE else n)
                    run = measure(assistant, chosen, n, count)
                    run.waits_in = way
                    runs[(n, count, way)] = run
                    log(
                        f"{n} askers, {count} slots, waiting in {way}: {run.per_minute:.1f} answers/min, "
                        f"{run.latencies()}, right {run.right}/{len(run.seconds)}, "
                        f"load {run.load[0]:.2f} -> {run.load[1]:.2f}"
                    )
            del assistant, backend  # the model and its KV cache go before the next count loads
            gc.collect()
    return figures(runs, memory, settings.context_tokens)


def figures(runs: dict[tuple[int, int, str], Run], memory: dict[int, float], context: int) -> list[Figure]:
    """One figure per run, against one slot with llama.cpp's own queue (before) for as many
    askers; then the memory of each slot count."""
    found = []
    for (n, count, way), run in sorted(runs.items()):
        note = f"{run.latencies()}; right {run.right}/{len(run.seconds)}; load {run.load[0]:.1f}->{run.load[1]:.1f}"
        before = runs.get((n, 1, LLAMA_QUEUE))
        name = f"answers/min, {n} askers, {count} slot{'s' if count > 1 else ''}, waiting in {way}"
        if before is None or run is before:
            found.append(Figure(SECTION, name, round(run.per_minute, 2), None, None, "answers/min", note=note))
            continue
        found.append(
            ratio_figure(SECTION, f"{name} vs 1 slot, llama.cpp's queue", run.per_minute, before.per_minute,
                         "answers/min", target="ratio >= 1", at_least=1.0,
                         note=f"{note} (before: {before.latencies()})")
        )  # fmt: skip
    for count, mib in sorted(memory.items()):
        found.append(
            Figure(SECTION, f"memory of the loaded model, {count} slot{'s' if count > 1 else ''}", round(mib), None,
                   None, "MiB", note=f"context {count} x {context} tokens; resident, after warm-up")
        )  # fmt: skip
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.llm_slots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 and 2 askers, 6 questions a run")
    parser.add_argument("--askers", default="1,2,4,8", help="comma-separated numbers of concurrent askers")
    parser.add_argument("--slots", default="", help="comma-separated slot counts (default: one per asker count)")
    parser.add_argument("--questions", type=int, default=24, help="answers per run")
    parser.add_argument("--out", type=Path, default=RESULTS / "llm_slots.md")
    args = parser.parse_args(argv)
    askers = [1, 2] if args.quick else [int(n) for n in args.askers.split(",")]
    slots = [int(n) for n in args.slots.split(",")] if args.slots else None
    questions = 6 if args.quick else args.questions
    started = time.perf_counter()
    found = bench_llm_slots(
        Settings.from_env().models_dir, askers, questions, lambda line: print(line, file=sys.stderr, flush=True), slots
    )
    from bench.suite import markdown  # here, not above: the suite imports this module

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
