"""``article-qa bench [--quick]``: what the pipeline costs on top of the models, measured side by side.

Every figure is a pair measured in the same run (ours and a reference), with medians over
repeats where there are repeats:

- ingest: end-to-end chunks/s against the embedder's own ``embed_documents`` on the same chunk
  texts; re-ingest of the unchanged corpus against the first ingest;
- retrieval: p50/p95 of a search on a real Chroma index of 1k, 10k (and, in the full run,
  100k) synthetic chunks (random unit vectors, texts from a word list: the real embedder
  cannot embed 100k chunks in time), lexical re-scoring included, query embedding apart;
- answer: time to first token and total of ``ask`` against a raw call of the same LLM with
  the identical prompt, and how the time splits;
- peer: LlamaIndex's ``CitationQueryEngine`` on the same Chroma collection, embedder and LLM
  (bench/peer.py), both answering the eval set: accuracy of answers, refusals and citations,
  median latency;
- cold start: a fresh ``article-qa ask`` process against a process that only loads the two
  models; peak memory of each;
- scale: the ingest pipeline's own speed and peak memory at two corpus sizes (bench/scale_ingest.py);
  search latency and the lexical index's build, update and memory at 100k and 1M synthetic chunks
  (bench/scale_search.py); whole answers per minute and their latency for 1 to 8 concurrent askers,
  with one slot and with llama.cpp's parallel slots (bench/llm_slots.py).

Results go to bench/results/latest.json and bench/results/latest.md (the table in docs/performance.md).
The corpus is XQuAD's German articles (../shared/data/xquad-dev, CC BY-SA 4.0).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

from bench.figures import Figure, markdown, ratio_figure
from bench.llm_slots import bench_llm_slots
from bench.peer import CitationPeer
from bench.retrieval import XQUAD
from bench.scale_ingest import bench_ingest_scale
from bench.scale_search import bench_search_scale
from eval.dataset import load_dataset
from eval.harness import run_item
from eval.report import summarize
from eval.squad import convert
from index import Article, ChromaStore, Chunk
from rag import Answer, Assistant, Settings
from rag.parts import open_embedder, open_store
from rag.prompt import ANSWER_GRAMMAR
from rag.retrieval import HybridRetriever

RESULTS = Path(__file__).resolve().parent / "results"
EVAL_SET = Path(__file__).resolve().parent.parent / "eval" / "datasets" / "samples.yaml"
QUESTIONS = [
    "How many stores does Xiaomi plan to open in the UK?",
    "Wie viele Elektrofahrzeuge lieferte Xiaomi im dritten Quartal 2025 aus?",
    "Which bank predicted a difficult year 2026 for Xiaomi?",
    "Which Xiaomi co-founder announced the US online shop?",
    "What gross margin did Xiaomi's EV segment reach?",
]


def bench_ingest(settings: Settings, corpus: Path, repeats: int) -> list[Figure]:
    """Ingest into a fresh index and the raw embedding of the same chunk texts, timed in turns."""
    embedder = open_embedder(settings)
    embedder.embed_query("warm-up")  # loaded before the clock starts, for both sides
    ingests, raws = [], []
    for turn in range(repeats):
        store = open_store(replace(settings, data_dir=settings.data_dir / str(turn)))
        assistant = Assistant(store=store, embedder=embedder, backend=None,  # type: ignore[arg-type]  # ingest only
                              chunk_tokens=settings.chunk_tokens, overlap_tokens=settings.overlap_tokens)  # fmt: skip
        _ = assistant.chunker  # the chunker's one-time import of llama-index (2 s) is a start-up cost
        started = time.perf_counter()
        report = assistant.ingest(corpus)
        ingests.append(time.perf_counter() - started)
        texts = [text for _, text, _ in assistant.store.chunk_texts()]
        started = time.perf_counter()
        embedder.embed_documents(texts)
        raws.append(time.perf_counter() - started)
    started = time.perf_counter()
    again = assistant.ingest(corpus)
    second = time.perf_counter() - started
    chunks, first, raw = report.chunks_embedded, statistics.median(ingests), statistics.median(raws)
    return [
        ratio_figure("ingest", "chunks/s, ingest vs raw embed_documents", chunks / first, len(texts) / raw, "chunks/s",
                     target="ratio >= 0.9", at_least=0.9,
                     note=f"{chunks} chunks, {len(report.added)} articles; median of {repeats}, in turns"),
        ratio_figure("ingest", "re-ingest of the unchanged corpus vs first ingest", second, first, "s",
                     target="ratio <= 0.05", at_most=0.05, note=f"{again.chunks_embedded} chunks embedded again"),
    ]  # fmt: skip


def bench_retrieval(settings: Settings, sizes: list[int], searches: int) -> list[Figure]:
    import numpy as np

    embedder = open_embedder(settings)
    query_times = []
    for question in QUESTIONS * 4:
        started = time.perf_counter()
        embedder.embed_query(question)
        query_times.append(time.perf_counter() - started)
    figures = [Figure("retrieval", "query embedding p50", round(statistics.median(query_times) * 1000, 1), None,
                      None, "ms", note=f"{embedder.name}, {len(query_times)} questions")]  # fmt: skip
    rng = np.random.default_rng(7)
    words = [f"{a}{b}" for a in ("wort", "markt", "preis", "stadt", "zahl", "jahr") for b in range(300)]
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            store = ChromaStore.persistent(Path(folder), "bench")
            per_article = 100
            for a in range(size // per_article):
                texts = [" ".join(random.Random(a * 1000 + c).choices(words, k=40)) for c in range(per_article)]
                text = "\n".join(texts)
                offsets = np.cumsum([0] + [len(t) + 1 for t in texts])
                chunks = [Chunk(f"s{a}-{c}", f"s{a}", c, t, int(offsets[c]), int(offsets[c]) + len(t))
                          for c, t in enumerate(texts)]  # fmt: skip
                vectors = rng.normal(size=(per_article, 768)).astype("float32")
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                store.replace_article(Article(f"s{a}", f"Synthetic {a}", text, language="de"), chunks, vectors.tolist(),
                                      fingerprint=str(a), content_hash=str(a))  # fmt: skip
            retriever = HybridRetriever(store, embedder)
            queries = rng.normal(size=(searches, 768)).astype("float32")
            queries /= np.linalg.norm(queries, axis=1, keepdims=True)
            retriever.search_vector(queries[0], "markt0 preis5", "de", 3)  # builds the lexical index once
            taken = []
            for i, vector in enumerate(queries):
                question = " ".join(random.Random(i).choices(words, k=6))
                started = time.perf_counter()
                retriever.search_vector(vector, question, "de", 3)
                taken.append(time.perf_counter() - started)
            p50 = statistics.median(taken) * 1000
            p95 = sorted(taken)[int(0.95 * (len(taken) - 1))] * 1000
            note = f"p95 {p95:.1f} ms; synthetic vectors and texts; BM25 re-scoring included"
            target, met = ("p50 <= 50 ms", p50 <= 50) if size >= 100_000 else ("", None)
            figures.append(Figure("retrieval", f"search p50 at {size:,} chunks", round(p50, 1), None, None, "ms",
                                  target, met, note))  # fmt: skip
    return figures


def bench_answer(settings: Settings, questions: list[str]) -> list[Figure]:
    assistant = Assistant.open(settings)
    assistant.ensure_indexed(progress=lambda line: None)
    assistant.warm_up()
    recorded: list[list[dict]] = []
    stream_chat = assistant.backend.stream_chat

    def recording(messages, **options):
        recorded.append(list(messages))
        return stream_chat(messages, **options)

    assistant.backend.stream_chat = recording  # type: ignore[method-assign]  # the prompts, as sent
    ours_first, ours_total, prompts, splits = [], [], [], []
    for question in questions:  # each question only shares the fixed examples with the one before
        recorded.clear()
        started = time.perf_counter()
        first = None
        for item in assistant.ask_stream(question):
            if isinstance(item, str) and first is None:
                first = time.perf_counter() - started
        ours_total.append(time.perf_counter() - started)
        ours_first.append(first or ours_total[-1])
        prompts.append(recorded[0] if recorded else None)
        assert isinstance(item, Answer)  # the stream ends with the Answer
        splits.append(item.timings)
    assistant.backend.stream_chat = stream_chat  # type: ignore[method-assign]
    server = assistant.backend.warm_up()  # type: ignore[attr-defined]  # LlamaCppBackend  # llama.cpp itself, called as our backend calls it
    raw = [_raw_call(server, messages, assistant.max_answer_tokens) for messages in prompts if messages]
    raw_first, raw_total = [r[0] for r in raw], [r[1] for r in raw]  # then the identical first prompts
    median = statistics.median
    split = {key: round(median(s.get(key, 0.0) for s in splits), 3)
             for key in ("retrieval_s", "first_token_s", "generation_s", "second_look_s", "total_s")}  # fmt: skip
    tokens = median(r[2] for r in raw)
    return [
        ratio_figure("answer", "time to first token, ask vs raw LLM call", median(ours_first), median(raw_first), "s",
                     target="ratio <= 1.1", at_most=1.1, note=f"{len(questions)} questions; split (medians): {split}"),
        ratio_figure("answer", "total, ask vs raw LLM call", median(ours_total), median(raw_total), "s",
                     target="ratio <= 1.1", at_most=1.1,
                     note=f"ours includes second looks and per-article calls; prompt {tokens:.0f} tokens (median)"),
    ]  # fmt: skip


def bench_peer(settings: Settings, every: int) -> list[Figure]:
    """Every ``every``-th eval item, answered by us and then by the peer: each side in one block,
    so that neither evicts the other's prompt prefix from llama.cpp's cache."""
    assistant = Assistant.open(settings)
    assistant.ensure_indexed(progress=lambda line: None)
    assistant.warm_up()
    items = load_dataset(EVAL_SET)[::every]
    peer = CitationPeer(assistant)
    ours = summarize([run_item(assistant, item) for item in items], k=5)
    theirs = summarize([run_item(assistant, item, ask=peer.ask_stream) for item in items], k=5)
    note = f"{len(items)} questions of {EVAL_SET.name}"
    figures = [
        Figure("peer", f"{name}, ours vs LlamaIndex CitationQueryEngine", ours[key], theirs[key], None, "",
               "ours >= peer", None if None in (ours[key], theirs[key]) else ours[key] >= theirs[key], note)
        for key, name in (("answer_accuracy", "answer accuracy"), ("refusal_accuracy", "refusal accuracy"),
                          ("citation_accuracy", "citation accuracy"))
    ]  # fmt: skip
    return figures + [
        ratio_figure("peer", "median latency, ours vs LlamaIndex CitationQueryEngine", ours["latency_p50_s"],
                     theirs["latency_p50_s"], "s", target="ratio < 1", at_most=0.999,
                     note=f"time to first token {ours['ttft_p50_s']} vs {theirs['ttft_p50_s']} s"),
    ]  # fmt: skip


def _raw_call(server, messages: list[dict], max_tokens: int) -> tuple[float, float, int]:
    """(first token s, total s, prompt tokens) of one streamed call straight to llama.cpp, with
    the answer grammar and settings our backend sends."""
    request = {"messages": messages, "max_tokens": max_tokens, "temperature": 0.0, "stream": True,
               "cache_prompt": True, "grammar": ANSWER_GRAMMAR}  # fmt: skip
    started = time.perf_counter()
    first: list[float] = []
    stats: dict = {}

    def on_chunk(chunk) -> bool:
        chunk = json.loads(chunk) if isinstance(chunk, str) else chunk
        if not first and any((c.get("delta") or {}).get("content") for c in chunk.get("choices", [])):
            first.append(time.perf_counter() - started)
        stats.update(chunk.get("timings") or {})
        return False

    server.handle_chat_completions(request, on_chunk)
    total = time.perf_counter() - started
    return (first[0] if first else total), total, int(stats.get("cache_n", 0) + stats.get("prompt_n", 0))


def _console_script() -> str:
    """The installed ``article-qa`` command: beside this interpreter, else on the PATH."""
    beside = Path(sys.executable).with_name("article-qa")
    found = str(beside) if beside.exists() else shutil.which("article-qa")
    if not found:
        raise RuntimeError("the article-qa command is not installed (pip install -e .)")
    return found


def _timed_process(command: list[str], env: dict) -> tuple[float, float]:
    """Seconds a command takes and its peak memory in MiB.

    The peak is the child's own VmHWM, read from /proc while it runs (getrusage's ru_maxrss
    would carry this benchmark's own peak over the fork); sampled every 20 ms.
    """
    errors = tempfile.TemporaryFile("w+", encoding="utf-8")
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    peak_kb = 0
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None and time.perf_counter() - started < 600:
        try:
            peak_kb = max(peak_kb, int(re.search(r"VmHWM:\s+(\d+)", status.read_text())[1]))  # type: ignore[index]
        except (OSError, TypeError):
            pass
        time.sleep(0.02)
    if child.poll() is None:
        child.kill()
    child.wait()
    taken = time.perf_counter() - started
    with errors:
        errors.seek(0)
        if child.returncode != 0:
            raise RuntimeError(f"benchmark process {command[1:]} failed: {errors.read()[-2000:]}")
    return taken, peak_kb / 1024


def _ui_first_page(env: dict) -> float:
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.perf_counter()
    ui = subprocess.Popen([_console_script(), "ui", "--port", str(port)], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while time.perf_counter() - started < 300:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the UI did not answer within 300 s")
    finally:
        ui.terminate()
        ui.wait(timeout=30)


def bench_cold_start(settings: Settings, repeats: int) -> list[Figure]:
    env = {
        **os.environ,
        "ARTICLE_QA_DATA_DIR": str(settings.data_dir),
        "ARTICLE_QA_MODELS_DIR": str(settings.models_dir),
    }
    Assistant.open(settings).ensure_indexed(progress=lambda line: None)
    asks, loads = [], []
    for _ in range(repeats):
        asks.append(_timed_process([_console_script(), "ask", "How many stores in the UK?"], env))
        loads.append(_timed_process([sys.executable, "-m", "bench.load_models"], env))
    ask_s, load_s = statistics.median(t for t, _ in asks), statistics.median(t for t, _ in loads)
    ui_s = statistics.median(_ui_first_page(env) for _ in range(repeats))
    return [
        ratio_figure("cold start", "fresh `article-qa ask` process vs loading the two models", ask_s, load_s, "s",
                     note="ask includes one answer; the models' process loads both and embeds one query"),
        ratio_figure("cold start", "`article-qa ui` until its page answers HTTP vs loading the two models", ui_s,
                     load_s, "s", note="the page is served before the models are warm"),
        Figure("memory", "peak RSS of `article-qa ask`", round(max(m for _, m in asks)), None, None, "MiB"),
        Figure("memory", "peak RSS of loading the two models", round(max(m for _, m in loads)), None, None, "MiB"),
    ]  # fmt: skip


def run(quick: bool, models_dir: Path, log=print) -> dict:
    """Every figure, measured on scratch indexes with the models in ``models_dir``."""
    started = time.perf_counter()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as home:
        settings = replace(Settings.defaults(Path(home)), models_dir=models_dir)
        corpus = Path(home) / "xquad"
        convert(XQUAD / "xquad.de.json", corpus)
        articles = sorted((corpus / "corpus").iterdir())
        if quick:
            for extra in articles[6:]:
                extra.unlink()
        log("ingest ...")
        figures += bench_ingest(replace(settings, data_dir=Path(home) / "ingest"), corpus / "corpus", 2 if quick else 3)
        log("retrieval ...")
        figures += bench_retrieval(
            settings, [1_000, 10_000] if quick else [1_000, 10_000, 100_000], 50 if quick else 200
        )
        log("answers ...")
        figures += bench_answer(
            replace(settings, data_dir=Path(home) / "answer"), QUESTIONS[:3] if quick else QUESTIONS
        )
        log("peer ...")
        figures += bench_peer(replace(settings, data_dir=Path(home) / "peer"), 4 if quick else 1)
        log("cold start ...")
        figures += bench_cold_start(replace(settings, data_dir=Path(home) / "cold"), 1 if quick else 3)
        log("scale ...")
        figures += bench_ingest_scale([500, 2_000] if quick else [10_000, 100_000], real_corpus=not quick, log=log)
        figures += bench_search_scale([10_000] if quick else [100_000, 1_000_000], 50 if quick else 200, log)
        slots = ([1, 2], 4, 1) if quick else ([1, 2, 4, 8], 16, 2)  # askers, questions a run, rounds
        figures += bench_llm_slots(models_dir, slots[0], slots[1], log, rounds=slots[2])
    return {
        "quick": quick,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": f"{os.cpu_count()} CPU cores",
        "figures": [asdict(figure) for figure in figures],
    }


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """``settings`` come from the CLI; run as a script, the benchmark reads them itself."""
    parser = argparse.ArgumentParser(prog="article-qa bench", description="pipeline costs against the raw models")
    parser.add_argument("--quick", action="store_true", help="fewer articles, sizes and repeats (a few minutes)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for latest.json and latest.md")
    args = parser.parse_args(argv)
    models_dir = (settings or Settings.from_env()).models_dir
    results = run(args.quick, models_dir, log=lambda line: print(line, file=sys.stderr, flush=True))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = markdown(results)
    (args.out / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
