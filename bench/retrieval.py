"""Dense, lexical and fused retrieval on XQuAD: hit@1, hit@5 and MRR, English and German questions.

The corpus is the 120 German paragraphs of xquad-dev, one document each; a question's gold
document is the paragraph it was written for. Fusion is weighted reciprocal-rank fusion,
where the lexical ranking's weight depends on whether the question is in the document's
language (see ``rag.retrieval.fuse``).

    python -m bench.retrieval [--cross 0,0.1,0.25,0.5,1] [--limit N]

Embeddings are cached in bench/.cache so that trying fusion settings is quick.
The data is CC BY-SA 4.0 (Artetxe et al., 2019); it is read from ../shared/data/xquad-dev.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from index import SentenceTransformerEmbedder
from index.lexical import BM25, tokens
from rag.retrieval import fuse
from rag.settings import Settings

XQUAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "xquad-dev"
CACHE = Path(__file__).resolve().parent / ".cache"


def load():
    german = json.loads((XQUAD / "xquad.de.json").read_text(encoding="utf-8"))["data"]
    english = json.loads((XQUAD / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    english_questions = {qa["id"]: qa["question"] for a in english for p in a["paragraphs"] for qa in p["qas"]}
    paragraphs, questions = [], []
    for entry in german:
        for paragraph in entry["paragraphs"]:
            for qa in paragraph["qas"]:
                questions.append((len(paragraphs), qa["question"], english_questions[qa["id"]]))
            paragraphs.append(paragraph["context"])
    return paragraphs, questions


def embedded(embedder, texts: list[str], kind: str):
    import numpy as np

    key = hashlib.sha256((embedder.name + kind + "\x00".join(texts)).encode()).hexdigest()[:16]
    path = CACHE / f"{kind}-{key}.npy"
    if path.exists():
        return np.load(path)
    if kind == "documents":
        vectors = np.array(embedder.embed_documents(texts))
    else:
        vectors = np.array([embedder.embed_query(text) for text in texts])
    CACHE.mkdir(exist_ok=True)
    np.save(path, vectors)
    return vectors


def scores(rankings: list[list[int]], gold: list[int]) -> tuple[float, float, float]:
    hit1 = sum(r[:1] == [g] for r, g in zip(rankings, gold)) / len(gold)
    hit5 = sum(g in r[:5] for r, g in zip(rankings, gold)) / len(gold)
    mrr = sum(1 / (r.index(g) + 1) if g in r else 0.0 for r, g in zip(rankings, gold)) / len(gold)
    return hit1, hit5, mrr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", default="0.02,0.05,0.1,0.2,0.3", help="BM25 bonus weights to try")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder(Settings.from_env().embedder_model)
    paragraphs, questions = load()
    questions = questions[: args.limit] if args.limit else questions
    gold = [q[0] for q in questions]
    documents = embedded(embedder, paragraphs, "documents")
    bm25 = BM25(tokens(p, "de") for p in paragraphs)
    depth = 20
    rows = []
    for language, column in (("en", 2), ("de", 1)):
        texts = [q[column] for q in questions]
        queries = embedded(embedder, texts, f"queries-{language}")
        dense = [list((-(documents @ q)).argsort()[:depth]) for q in queries]
        dense_scored = [[(int(i), float(documents[i] @ q)) for i in ranked] for ranked, q in zip(dense, queries)]
        lexical = [bm25.top(tokens(text, language), depth) for text in texts]
        rows.append((language, "dense", scores([[int(i) for i in r] for r in dense], gold)))
        rows.append((language, "BM25", scores([[i for i, _ in r] for r in lexical], gold)))
        rrf = [_rrf(d, lx) for d, lx in zip(dense_scored, lexical)]
        rows.append((language, "rank fusion (RRF, k=60)", scores(rrf, gold)))
        for weight in (float(w) for w in args.weights.split(",")):
            fused = [
                [i for i, _ in fuse(d, bm25.scores(tokens(text, language)), weights=weight)]
                for d, text in zip(dense_scored, texts)
            ]
            rows.append((language, f"dense + BM25 bonus, weight {weight:g}", scores(fused, gold)))
    print(f"xquad-dev: {len(paragraphs)} German paragraphs, {len(questions)} questions per language")
    print("| questions | retriever | hit@1 | hit@5 | MRR |")
    print("|---|---|---|---|---|")
    for language, name, (hit1, hit5, mrr) in rows:
        print(f"| {language} | {name} | {hit1:.3f} | {hit5:.3f} | {mrr:.3f} |")


def _rrf(dense, lexical, k: int = 60) -> list[int]:
    fused: dict[int, float] = {}
    for ranking in (dense, lexical):
        for rank, (document, _) in enumerate(ranking, start=1):
            fused[document] = fused.get(document, 0.0) + 1.0 / (k + rank)
    return sorted(fused, key=lambda document: -fused[document])


if __name__ == "__main__":
    main()
