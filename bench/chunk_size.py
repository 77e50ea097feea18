"""Which chunk size? Measured on XQuAD (German paragraphs, English and German questions).

Each of the 24 XQuAD articles becomes one German article (its paragraphs joined), chunked
with the project's SentenceChunker at several sizes and embedded with the configured
embedder. For every question the top-k chunks by cosine similarity are retrieved; a hit is a
retrieved chunk that contains the gold German answer text. The cost of a size is the number
of embedder tokens those k chunks put into the prompt, since prompt tokens set the waiting
time on a CPU.

    python -m bench.chunk_size [--sizes 96,128,160,256,384] [--k 3] [--limit N]

The data is CC BY-SA 4.0 (Artetxe et al., 2019); it is read from ../shared/data/xquad-dev.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from index import Article, SentenceChunker, SentenceTransformerEmbedder
from rag.settings import Settings

XQUAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "xquad-dev"


def load(limit: int | None):
    german = json.loads((XQUAD / "xquad.de.json").read_text(encoding="utf-8"))["data"]
    english = json.loads((XQUAD / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    english_questions = {qa["id"]: qa["question"] for a in english for p in a["paragraphs"] for qa in p["qas"]}
    articles, questions = [], []
    for entry in german:
        articles.append(
            Article(
                id=entry["title"], title=entry["title"], text="\n\n".join(p["context"] for p in entry["paragraphs"])
            )
        )
        for paragraph in entry["paragraphs"]:
            for qa in paragraph["qas"]:
                answers = [answer["text"] for answer in qa["answers"]]
                questions.append((qa["question"], english_questions[qa["id"]], answers))
    return articles, questions[:limit] if limit else questions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="96,128,160,256,384")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    settings = Settings.from_env()
    embedder = SentenceTransformerEmbedder(settings.embedder_model)
    articles, questions = load(args.limit)
    import numpy as np

    started = time.perf_counter()
    queries = {
        "de": np.array([embedder.embed_query(q) for q, _, _ in questions]),
        "en": np.array([embedder.embed_query(q) for _, q, _ in questions]),
    }
    print(f"{len(questions)} questions x 2 languages embedded in {time.perf_counter() - started:.0f} s")
    print(
        f"| chunk tokens | overlap | chunks | answer in top-{args.k}: en | de "
        f"| prompt tokens for top-{args.k} (median) |"
    )
    print("|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        overlap = size // 6
        chunker = SentenceChunker(embedder.tokenize, chunk_tokens=size, overlap_tokens=overlap)
        chunks = [chunk for article in articles for chunk in chunker.chunk(article)]
        vectors = np.array(embedder.embed_documents([chunk.text for chunk in chunks]))
        lengths = np.array([len(embedder.tokenize(chunk.text)) for chunk in chunks])
        row = []
        cost = []
        for language in ("en", "de"):
            top = np.argsort(-(queries[language] @ vectors.T), axis=1)[:, : args.k]
            hits = 0
            for (_, _, answers), ranked in zip(questions, top):
                hits += any(answer in chunks[i].text for i in ranked for answer in answers)
                cost.append(int(lengths[ranked].sum()))
            row.append(hits / len(questions))
        print(f"| {size} | {overlap} | {len(chunks)} | {row[0]:.3f} | {row[1]:.3f} | {statistics.median(cost):.0f} |")


if __name__ == "__main__":
    main()
