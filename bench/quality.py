"""Answer quality on the three development sets, side by side: what any change to the prompt,
the checks or the thresholds is measured on.

- samples: eval/datasets/samples.yaml over the two sample articles;
- news-dev: real DER STANDARD and BBC news, ../shared/data/news-dev (evaluation data: read
  where it lies, never copied into the repository); with --distractors its 400 further
  articles are indexed too;
- news-dev2: 16 other real articles of the same sources, ../shared/data/news-dev2: the check
  set, never tuned on (its totals are reported before and after a change);
- xquad-dev: XQuAD's German paragraphs with English questions, 60 spread over the set,
  converted from ../shared/data/xquad-dev into a temporary folder.

    python -m bench.quality [--sets samples,news-dev,news-dev2,xquad-dev] [--distractors] [--replies DIR]
                            [--json-out FILE]

``--replies DIR`` keeps the model's replies on disk, keyed by the whole prompt: a second run
after a change to the checks, the citations or the scoring asks the model only what it was
not asked before, so it takes seconds, not minutes (its latencies are then not real ones).
Each set gets a fresh index in a temporary folder; the summaries are those of ``article-qa
eval``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Iterator, Sequence

from eval import harness, report
from eval.dataset import load_dataset
from eval.squad import convert
from rag import Assistant, Settings
from rag.backends import ChatBackend, Message

ROOT = Path(__file__).resolve().parents[1]
SETS = ("samples", "news-dev", "news-dev2", "xquad-dev")
COLUMNS = (
    "n",
    "answer_accuracy",
    "refusal_accuracy",
    "citation_accuracy",
    "answered_wrongly",
    "coverage",
    "retrieval_hit_at_k",
    "latency_p50_s",
)


class RepliesOnDisk:
    """A ChatBackend that answers a prompt it has seen from disk, and asks ``backend`` otherwise."""

    def __init__(self, backend: ChatBackend, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def name(self) -> str:
        return self.backend.name

    def read_prefix(self, messages: Sequence[Message]) -> str:
        return self.backend.read_prefix(messages)

    def stream_chat(self, messages: Sequence[Message], *, max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        key = json.dumps([list(messages), max_tokens, grammar, {}], sort_keys=True)
        stored = self.folder / hashlib.sha256(key.encode()).hexdigest()
        if stored.is_file():
            yield from json.loads(stored.read_text(encoding="utf-8"))
            return
        pieces = list(self.backend.stream_chat(messages, max_tokens=max_tokens, grammar=grammar))
        stored.write_text(json.dumps(pieces), encoding="utf-8")
        yield from pieces


def question_set(name: str, shared: Path, scratch: Path, *, distractors: bool) -> tuple[Path, Path, int | None]:
    """(questions, corpus folder, spread) of a set."""
    if name == "samples":
        return ROOT / "eval" / "datasets" / "samples.yaml", ROOT / "articles", None
    if name == "news-dev2":
        return shared / "data" / "news-dev2" / "qa.yaml", shared / "data" / "news-dev2" / "corpus", None
    if name == "news-dev":
        news = shared / "data" / "news-dev"
        if not distractors:
            return news / "qa.yaml", news / "corpus", None
        corpus = scratch / "news-dev-all"  # a scratch copy: the ingester reads folders recursively
        for part in ("corpus", "distractors"):
            shutil.copytree(news / part, corpus / part)
        return news / "qa.yaml", corpus, None
    if name == "xquad-dev":
        xquad = shared / "data" / "xquad-dev"
        done = convert(xquad / "xquad.de.json", scratch / "xquad", questions_from=xquad / "xquad.en.json")
        return done.dataset, done.corpus, 60
    raise SystemExit(f"unknown set {name!r}: choose from {', '.join(SETS)}")


def run_set(name: str, settings: Settings, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="article-qa-quality-") as scratch:
        questions, corpus, spread = question_set(name, args.shared, Path(scratch), distractors=args.distractors)
        items = load_dataset(questions)
        if spread:
            items = items[:: max(1, len(items) // spread)][:spread]
        assistant = Assistant.open(
            replace(settings, data_dir=Path(scratch) / "data", chroma_host="", collection="quality")
        )
        if args.replies:
            assistant.backend = RepliesOnDisk(assistant.backend, Path(args.replies))
        assistant.ingest(corpus)
        results = harness.run(assistant, items)
    return report.summarize(results, k=5) | {"items": [r.id for r in results if not r.passed]}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="where data/ lies")
    parser.add_argument("--distractors", action="store_true", help="index news-dev's 400 distractors too")
    parser.add_argument("--replies", metavar="DIR", help="keep the model's replies on disk (see above)")
    parser.add_argument("--json-out", metavar="FILE")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    summaries = {name: run_set(name, settings, args) for name in args.sets.split(",")}
    print("| set | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for name, summary in summaries.items():
        print(f"| {name} | " + " | ".join(_shown(summary.get(column)) for column in COLUMNS) + " |")
    for name, summary in summaries.items():
        print(f"{name}: failed {', '.join(summary['items']) or 'none'}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(summaries, indent=2, ensure_ascii=False), encoding="utf-8")


def _shown(value) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
