"""How long does the first question take, with and without Assistant.warm_up()?

Each case runs in a fresh process, so the model loads from scratch, over a fresh index of the
sample articles. The warm-up is what the UI runs in the background while it serves its page.

    python -m bench.first_question
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

QUESTIONS = [
    "How many stores does Xiaomi plan to open in the UK?",
    "Which Xiaomi co-founder announced the US online shop?",
]


def one_case(warm: bool) -> None:
    from rag import Assistant, Settings

    with tempfile.TemporaryDirectory() as home:
        settings = replace(Settings.defaults(Path(home)), models_dir=Settings.from_env().models_dir)
        qa = Assistant.open(settings)
        qa.ingest(settings.articles_dir)
        started = time.perf_counter()
        if warm:
            qa.warm_up()
        warm_up_s = time.perf_counter() - started
        seconds = []
        for question in QUESTIONS:
            started = time.perf_counter()
            qa.ask(question)
            seconds.append(time.perf_counter() - started)
        label = "after warm_up()" if warm else "cold"
        print(f"| {label} | {warm_up_s:.1f} | {seconds[0]:.1f} | {seconds[1]:.1f} |", flush=True)


def main() -> None:
    if sys.argv[1:2] in (["cold"], ["warm"]):
        one_case(sys.argv[1] == "warm")
        return
    print("| case | warm-up (s) | first question (s) | second question (s) |")
    print("|---|---|---|---|", flush=True)
    for case in ("cold", "warm"):
        subprocess.run([sys.executable, "-m", "bench.first_question", case], check=True, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
