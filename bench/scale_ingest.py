"""Ingest at scale: what the pipeline itself costs (read -> clean -> chunk -> embed -> write) and
whether its memory stays flat as the corpus grows.

Each run is a fresh process (``python -m bench.scale_ingest run ...``) that ingests a folder and
prints its seconds, chunks and peak RSS (VmHWM), so runs do not share memory or caches:

- synthetic corpora of N articles (news-like German text from a fixed word list, one file
  each, two to three chunks an article) with the *free* embedder: the real tokenizer (chunk
  sizes), random unit vectors for free. Its chunks/s is the pipeline's own ceiling, the speed an
  embeddings server would have to beat before the pipeline is the bottleneck; target >= 2,000.
- peak RSS at two sizes (10k and 100k articles in the full run), into embedded Chroma and into
  a Chroma server: the ingest process itself should not grow with the corpus; embedded Chroma
  holds its HNSW index in the process, which does.
- a real corpus (news-dev's 416 articles, read where it lies) with the default in-process
  embedder: the end-to-end cost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from bench.figures import Figure, markdown
from index import Embedder

ROOT = Path(__file__).resolve().parents[1]
NEWS_DEV = Path(os.environ.get("NEWS_DEV", ROOT.parent / "shared" / "data" / "news-dev"))
_WORDS = (
    "der die das Stadt Gemeinde Rat Millionen Euro Jahr Prozent Unternehmen Umsatz Quartal Regierung Minister "
    "kündigte an dass sich nach Angaben Sprecher wurde werden Projekt neue Straße Brücke Schule Bahn Strom Preis "
    "Kunden Markt Aktie Gewinn Verlust Mitarbeiter Polizei Gericht Urteil Wahl Partei Bürgermeister Landkreis "
    "berichtet bestätigt erwartet geplant eröffnet gebaut verkauft gestiegen gesunken Montag Dienstag Woche"
).split()


def write_corpus(folder: Path, articles: int, *, seed: int = 1) -> None:
    """``articles`` synthetic news articles of 8 to 14 sentences, 1,000 files a subfolder."""
    rng = random.Random(seed)
    for number in range(articles):
        sentences = []
        for _ in range(rng.randint(8, 14)):
            words = rng.choices(_WORDS, k=rng.randint(8, 16))
            sentences.append(" ".join(words).capitalize() + f" {rng.randint(2, 9999)}.")
        part = folder / f"part-{number // 1000:04d}"
        part.mkdir(parents=True, exist_ok=True)
        (part / f"a{number:06d}.txt").write_text(f"Meldung {number}\n" + " ".join(sentences), encoding="utf-8")


class FreeEmbedder:
    """The Embedder Protocol at no cost: the real tokenizer, random unit vectors (distinct, so
    HNSW stays well-formed)."""

    def __init__(self, tokenize, dimensions: int = 768) -> None:
        import numpy as np

        self._tokenize = tokenize
        self._rng = np.random.default_rng(7)
        self.dimensions = dimensions

    @property
    def name(self) -> str:
        return "free-embedder"

    def tokenize(self, text: str) -> list:
        return self._tokenize(text)

    def embed_documents(self, texts: Sequence[str], *, titles: Sequence[str] | None = None) -> list[list[float]]:
        import numpy as np

        vectors = self._rng.standard_normal((len(texts), self.dimensions), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_child(corpora: list[Path], data: Path, embedder_kind: str, chroma_port: int) -> dict:
    """One ingest in this process; what it cost."""
    from dataclasses import replace

    from rag import Assistant, Settings
    from rag.parts import open_embedder, open_store

    settings = replace(Settings.from_env(), data_dir=data)
    if chroma_port:
        settings = replace(settings, chroma_host="127.0.0.1", chroma_port=chroma_port)
    if embedder_kind == "free":  # the model's tokenizer alone: no weights in memory
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(settings.embedder_model).backend_tokenizer
        embedder: Embedder = FreeEmbedder(lambda text: tokenizer.encode(text, add_special_tokens=False).ids)
    else:
        embedder = open_embedder(settings)
    embedder.embed_query("warm-up")  # the model loads before the clock starts
    assistant = Assistant(store=open_store(settings), embedder=embedder, backend=None)  # type: ignore[arg-type]
    _ = assistant.chunker
    started = time.perf_counter()
    reports = [assistant.ingest(corpus) for corpus in corpora]
    seconds = time.perf_counter() - started
    return {
        "articles": sum(len(report.added) for report in reports),
        "chunks": sum(report.chunks_embedded for report in reports),
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
        "skipped": sum(len(report.skipped) for report in reports),
    }


def measure(corpora: list[Path], embedder_kind: str, *, chroma_port: int = 0) -> dict:
    """``run_child`` in a fresh process, into a fresh index."""
    with tempfile.TemporaryDirectory() as data:
        command = [sys.executable, "-m", "bench.scale_ingest", "run", data, embedder_kind, str(chroma_port),
                   *map(str, corpora)]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"ingest run failed: {done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if not result["chunks"]:
            raise RuntimeError(f"ingest run embedded nothing: {result}")
        return result


def bench_ingest_scale(sizes: list[int], *, real_corpus: bool, log=print) -> list[Figure]:
    """The "scale" section's ingest figures."""
    figures = []
    with tempfile.TemporaryDirectory() as home:
        runs = {}
        for size in sizes:
            corpus = Path(home) / f"corpus-{size}"
            log(f"scale: writing {size:,} synthetic articles ...")
            write_corpus(corpus, size)
            for where, port in (("embedded Chroma", 0), ("a Chroma server", _chroma_server(Path(home) / f"s{size}"))):
                log(f"scale: ingest of {size:,} articles into {where}, free embedder ...")
                try:
                    runs[(size, where)] = result = measure([corpus], "free", chroma_port=port)
                finally:
                    _stop_chroma_server(port)
                rate = result["chunks"] / result["seconds"]
                per_s = result["articles"] / result["seconds"]
                note = (f"{result['chunks']:,} chunks in {result['seconds']} s ({per_s:.0f}"
                        f" articles/s); free embedder (real tokenizer, random vectors); peak RSS "
                        f"{result['peak_rss_mib']:.0f} MiB")  # fmt: skip
                figures.append(Figure("scale", f"ingest pipeline, {size:,} articles into {where}", round(rate, 1),
                                      None, None, "chunks/s", "chunks/s >= 2000", rate >= 2000, note))  # fmt: skip
                log(f"scale: {figures[-1]}")
        if len(sizes) >= 2:
            small, large = min(sizes), max(sizes)
            for where in ("embedded Chroma", "a Chroma server"):
                low, high = runs[(small, where)]["peak_rss_mib"], runs[(large, where)]["peak_rss_mib"]
                figures.append(Figure("scale", f"peak RSS of ingest, {large:,} vs {small:,} articles, {where}",
                                      high, low, round(high / low, 3), "MiB", "ratio <= 1.1", high / low <= 1.1,
                                      "the ingest process alone (a Chroma server's memory is its own)"))  # fmt: skip
    if real_corpus and (NEWS_DEV / "distractors").is_dir():
        log("scale: ingest of news-dev's articles with the default embedder ...")
        result = measure([NEWS_DEV / "corpus", NEWS_DEV / "distractors"], "local")  # read where it lies
        figures.append(Figure("scale", f"ingest of {result['articles']} real articles (news-dev), default embedder",
                              round(result["chunks"] / result["seconds"], 2), None, None, "chunks/s",
                              note=f"{result['chunks']:,} chunks in {result['seconds']} s; peak RSS "
                              f"{result['peak_rss_mib']:.0f} MiB"))  # fmt: skip
    return figures


_SERVERS: dict[int, subprocess.Popen] = {}


def _chroma_server(path: Path) -> int:
    import socket

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    _SERVERS[port] = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return port
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("chroma run did not start")


def _stop_chroma_server(port: int) -> None:
    server = _SERVERS.pop(port, None)
    if server is not None:
        server.terminate()
        server.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_ingest")
    commands = parser.add_subparsers(dest="command", required=True)
    child = commands.add_parser("run", help="one ingest in this process (used by the benchmark)")
    child.add_argument("data", type=Path)
    child.add_argument("embedder", choices=("free", "local"))
    child.add_argument("chroma_port", type=int)
    child.add_argument("corpora", type=Path, nargs="+")
    whole = commands.add_parser("bench", help="the figures, written to bench/results/scale_ingest.md")
    whole.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    whole.add_argument("--no-real-corpus", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "run":
        print(json.dumps(run_child(args.corpora, args.data, args.embedder, args.chroma_port)))
        return 0
    started = time.perf_counter()
    figures = bench_ingest_scale(args.sizes, real_corpus=not args.no_real_corpus,
                                 log=lambda line: print(line, file=sys.stderr, flush=True))  # fmt: skip
    from dataclasses import asdict

    results = {"quick": False, "seconds": round(time.perf_counter() - started, 1),
               "machine": f"{os.cpu_count()} CPU cores", "figures": [asdict(f) for f in figures]}  # fmt: skip
    table = markdown(results).replace(
        "`article-qa bench`", f"`python -m bench.scale_ingest bench --sizes {args.sizes}`"
    )
    (ROOT / "bench" / "results" / "scale_ingest.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
