"""The int8 ONNX embedder against plain fp32 sentence-transformers, side by side in one run.

Speed: chunks/s on the same chunk-sized texts (XQuAD's German paragraphs cut to the chunk
size, with the document prompt), median of repeats, and the p50 of one query embedding.
Quality: dense retrieval on XQuAD (English and German questions against the 240 German
paragraphs, the setting of MODELS.md): hit@1, hit@5 and MRR for each embedder.

    python -m bench.embedder [--texts 24] [--repeats 3] [--questions N] [--out bench/results/embedder.md]

Needs the pulled embedder and its export (``article-qa models pull``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.retrieval import load, scores
from index import SentenceTransformerEmbedder
from index.onnx_embedding import OnnxEmbedder
from rag.settings import Settings


def chunks_per_second(embedders: list, texts: list[str], repeats: int) -> list[float]:
    """Each embedder's chunks/s, timed in turns (A B A B ...) so that a slow spell of the
    machine hits both alike; the median of the repeats."""
    for embedder in embedders:
        embedder.embed_documents(texts[:2])  # loaded and warm
    times: list[list[float]] = [[] for _ in embedders]
    for _ in range(repeats):
        for embedder, taken in zip(embedders, times):
            started = time.perf_counter()
            embedder.embed_documents(texts)
            taken.append(time.perf_counter() - started)
    return [len(texts) / statistics.median(taken) for taken in times]


def query_p50_ms(embedder, questions: list[str]) -> float:
    times = []
    for question in questions:
        started = time.perf_counter()
        embedder.embed_query(question)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def retrieval(embedder, paragraphs: list[str], questions: list[str], gold: list[int]) -> tuple[float, float, float]:
    import numpy as np

    documents = np.array(embedder.embed_documents(paragraphs))
    queries = np.array([embedder.embed_query(question) for question in questions])
    rankings = [list(np.argsort(-row)[:20]) for row in queries @ documents.T]
    return scores(rankings, gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=24, help="chunk-sized texts timed for speed")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--speed-only", action="store_true", help="skip the retrieval quality runs")
    parser.add_argument("--questions", type=int, default=0, help="XQuAD questions for quality (0: all 1,190)")
    parser.add_argument("--out", type=Path, default=None, help="also write the table to this Markdown file")
    args = parser.parse_args()
    settings = Settings.from_env()
    fp32 = SentenceTransformerEmbedder(settings.embedder_model)
    int8 = OnnxEmbedder(settings.onnx_embedder_dir)
    paragraphs, questions = load()
    if args.questions:
        questions = questions[:: max(1, len(questions) // args.questions)][: args.questions]
    cut = [fp32.warm_up().tokenizer.decode(fp32.tokenize(text)[: settings.chunk_tokens]) for text in paragraphs]
    texts = cut[: args.texts]
    embedders = {"fp32 sentence-transformers (torch)": fp32, "int8 ONNX (onnxruntime)": int8}
    speeds = chunks_per_second(list(embedders.values()), texts, args.repeats)
    gold = [q[0] for q in questions]
    rows = []
    for (label, embedder), speed in zip(embedders.items(), speeds):
        query_ms = query_p50_ms(embedder, [q[2] for q in questions[:30]])
        unmeasured = (float("nan"),) * 3
        english = unmeasured if args.speed_only else retrieval(embedder, paragraphs, [q[2] for q in questions], gold)
        german = unmeasured if args.speed_only else retrieval(embedder, paragraphs, [q[1] for q in questions], gold)
        rows.append((label, speed, query_ms, english, german))
        print(f"{label}: {speed:.2f} chunks/s, query p50 {query_ms:.0f} ms, en hit@5 {english[1]:.3f}", flush=True)
    base = rows[0][1]
    lines = [
        f"{len(texts)} chunk-sized texts ({settings.chunk_tokens} tokens), median of {args.repeats}; "
        f"XQuAD: {len(questions)} questions, {len(paragraphs)} German paragraphs.",
        "",
        "| embedder | chunks/s | speed-up | query p50 (ms) "
        "| en hit@1 | en hit@5 | en MRR | de hit@1 | de hit@5 | de MRR |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, speed, query_ms, english, german in rows:
        lines.append(
            f"| {label} | {speed:.2f} | {speed / base:.2f}x | {query_ms:.0f} | "
            + " | ".join(f"{value:.3f}" for value in (*english, *german))
            + " |"
        )
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(f"# Embedder speed and retrieval quality (`python -m bench.embedder`)\n\n{table}\n")


if __name__ == "__main__":
    main()
