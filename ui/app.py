"""The Gradio app: a chat with source cards, an article library and per-session settings.

Each browser session keeps its own conversation and settings (Gradio state and component
values are per session); the index and the models are shared. Up to ``ANSWERING_SESSIONS``
sessions answer at once: they wait for the model at the same first-come-first-served gate as
the Python API's callers (``rag.gate``), so neither side starves the other; each still gets
only their own answer. Uploads and deletions have a queue of their own: indexing an upload
never holds up a question.

A session may send its questions to another model server only when the operator lists that
server's URL (``ARTICLE_QA_UI_LLM_URLS``): the server gets the retrieved passages, so an open
choice would let any user make this machine post them anywhere it can reach.
"""

from __future__ import annotations

import html
import logging
import secrets
import tempfile
import threading
from contextlib import closing
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from rag import Answer, ArticleQAError, Assistant, Passage, SettingsError, report_unexpected
from rag.backends import ChatBackend, OpenAICompatibleBackend
from rag.background import in_background
from rag.prompt import REWRITE_TURNS
from rag.settings import check_login
from rag.uploads import UPLOAD_SUFFIXES, shown_without_paths, store_uploads
from ui.export import exported
from ui.library import library_rows
from ui.render import answer_markdown, passages_html, sources_html, streaming_markdown
from ui.security import LoginLimiter, SecurityHeaders

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
IN_PROCESS = "In-process model"
SERVER = "OpenAI-compatible server"
LIBRARY_HEADERS = ["id", "title", "date", "language", "chunks"]
# Sessions past the model's slots wait at its gate beside the API's callers, in the order they
# asked; beyond this many, in Gradio's queue (which shows their place). 16 answers take about
# two minutes on 2 cores (bench/results/llm_slots.md).
ANSWERING_SESSIONS = 16

CSS = """
.aqa-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; }
.aqa-card h4 { margin: 0 0 4px 0; font-size: 0.95em; }
.aqa-card .aqa-meta { color: #57606a; font-size: 0.8em; margin-bottom: 6px; }
.aqa-card mark { background: #fff3b0; padding: 0 2px; }
.aqa-card.aqa-flash { outline: 3px solid #f0b400; }
.aqa-open { font-size: 0.85em; text-decoration: underline; cursor: pointer; background: none; border: 0; padding: 0; }
.aqa-article { max-height: 320px; overflow-y: auto; border-top: 1px solid #d0d7de; margin-top: 8px;
  padding-top: 6px; white-space: pre-wrap; }
.aqa-refusal { border-left: 4px solid #d4a72c; padding: 4px 10px; font-style: italic; color: #7d4e00; }
.aqa-refused { color: #9a6700; }
.aqa-error { border-left: 4px solid #cf222e; padding: 4px 10px; color: #82071e; }
"""

# Runs once when the source panel loads: "Open article" shows the whole article scrolled to
# its quote; a marker [n] in an answer scrolls to card n and flashes it.
SOURCES_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('.aqa-open');
  if (!button) return;
  const view = element.querySelector('#aqa-article-' + button.dataset.source);
  if (!view) return;
  view.hidden = !view.hidden;
  button.textContent = view.hidden ? 'Open article' : 'Close article';
  const quote = view.querySelector('mark.aqa-quote');
  if (!view.hidden && quote) quote.scrollIntoView({block: 'center'});
});
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="#aqa-source-"]');
  if (!link) return;
  event.preventDefault();
  const card = document.getElementById(link.getAttribute('href').slice(1));
  if (!card) return;
  card.scrollIntoView({block: 'nearest'});
  card.classList.add('aqa-flash');
  setTimeout(() => card.classList.remove('aqa-flash'), 1500);
});
"""


def model_server(kind: str, url: str | None, model: str, *, allowed: Sequence[str]) -> ChatBackend | None:
    """The model server a session chose, when ``allowed`` lists its URL; None for the in-process model."""
    if kind != SERVER:
        return None
    if not allowed:
        raise ArticleQAError(
            "Choosing a model server is turned off here; the operator can allow servers with ARTICLE_QA_UI_LLM_URLS."
        )
    url = (url or "").strip()
    if not url:
        raise ArticleQAError(f"Choose a server URL first: one of {', '.join(allowed)}.")
    listed = {allowed_url.rstrip("/"): allowed_url for allowed_url in allowed}
    if url.rstrip("/") not in listed:
        raise ArticleQAError(f"The server URL {url} is not one this app allows; choose one of: {', '.join(allowed)}.")
    return OpenAICompatibleBackend(listed[url.rstrip("/")], model=(model or "").strip() or "default")


def build_app(assistant: Assistant, *, uploads_dir: Path | None = None, model_urls: Sequence[str] = ()):
    import gradio as gr

    uploads = uploads_dir or Path(tempfile.mkdtemp(prefix="article-qa-uploads-"))
    exports = Path(tempfile.mkdtemp(prefix="article-qa-exports-"))  # where Gradio serves downloads from
    upload_limit = assistant.max_file_bytes

    def respond(message, chat, turns, top_k, answer_tokens, kind, url, model, since, until) -> Iterator[tuple]:
        chat = list(chat) + [{"role": "user", "content": message}]
        passages: list[Passage] = []
        streamed = ""
        try:
            qa = assistant.configured(
                top_k=int(top_k),
                max_answer_tokens=int(answer_tokens),
                backend=model_server(kind, url, model, allowed=model_urls),
            )
            with closing(
                in_background(lambda: qa.ask_stream(message, turns[-REWRITE_TURNS:], since=since, until=until))
            ) as items:
                for item in items:
                    if item is None:  # still waiting for the model: a moment at which Stop can end it
                        yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
                    elif isinstance(item, Passage):  # the sources show while the model still reads
                        passages.append(item)
                        yield "", chat + [_reply("…")], passages_html(passages), turns, gr.skip()
                    elif isinstance(item, Answer):
                        cited = assistant.articles(sorted({c.article_id for c in item.citations}))
                        yield (
                            "",
                            chat + [_reply(answer_markdown(item))],
                            sources_html(item, {article.id: article for article in cited}),
                            turns + [(message, item.text)],
                            item,
                        )
                    else:
                        streamed += item
                        shown = chat + [_reply(streaming_markdown(streamed))]
                        yield "", shown, passages_html(passages), turns, gr.skip()
        except Exception as exc:  # one message in the chat; a bug of ours also leaves its traceback in a log
            failed = chat + [_reply(_error_html(exc, "answering in the UI: " + message))]
            yield message, failed, gr.skip(), turns, gr.skip()

    def export(answer: Answer | None):
        if answer is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        markdown, text, markdown_file, json_file = exported(answer, exports)
        return markdown, text, gr.update(value=markdown_file, visible=True), gr.update(value=json_file, visible=True)

    def show_library(query: str):
        return library_rows(assistant.library(), query)

    def choices() -> list[tuple[str, str]]:
        return [(f"{s.article.title} ({s.article.id})", s.article.id) for s in assistant.library()]

    def article_choices():
        return gr.update(choices=choices())

    def add_files(files, query, progress=gr.Progress()):
        if not files:
            return "Choose one or more files first.", show_library(query), article_choices()
        in_use = {stored.article.id for stored in assistant.library()}
        stored = store_uploads(
            [(Path(f).name, Path(f)) for f in files], uploads, max_bytes=upload_limit, taken_ids=in_use
        )
        lines = [f"Refused {name}: {why}" for name, why in stored.refused]
        for number, path in enumerate(stored.saved, start=1):
            name = stored.names[path]
            progress((number - 1, len(stored.saved)), desc=f"Indexing {name}")
            lines.append(add_upload(path, name, stored.renamed.get(path)))
        return "\n\n".join(lines) or "Nothing to add.", show_library(query), article_choices()

    def add_upload(path: Path, name: str, id_in_use: str | None) -> str:
        """Index one stored upload; its copy goes again when nothing in it was added."""
        try:
            report = assistant.ingest(path)
        except Exception as exc:  # the other uploads still go in
            path.unlink(missing_ok=True)
            why = _error_text(exc, f"adding an upload in the UI: {path}")
            return f"{name}: not added: {shown_without_paths(why, path, name)}"
        summary = shown_without_paths(report.summary(), path, name)
        if not (report.added or report.updated):
            path.unlink(missing_ok=True)
        elif id_in_use:
            return f"{name}: the name {id_in_use} is in use, so it was added as {path.stem}: {summary}"
        return f"{name}: {summary}"

    def delete(article_id, query):
        if not article_id:
            message = "Choose an article to delete."
        elif assistant.remove(article_id):
            for upload in uploads.iterdir() if uploads.is_dir() else ():  # its upload goes too (ids never glob)
                if upload.stem == article_id:
                    upload.unlink()
            message = f"Deleted {article_id}."
        else:
            message = f"{article_id} is not in the index."
        return message, show_library(query), article_choices()

    with gr.Blocks(title="article-qa", analytics_enabled=False) as app:
        gr.Markdown("## article-qa\nAsk about the indexed news articles, in English or German.")
        turns = gr.State([])
        answered = gr.State(None)  # the last Answer, for the export panel
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Answers", height=480, elem_id="aqa-chat")
                    question = gr.Textbox(
                        label="Question",
                        placeholder="How many stores does Xiaomi plan in the UK?",
                        elem_id="aqa-question",
                    )
                    with gr.Row():
                        send = gr.Button("Ask", variant="primary", elem_id="aqa-ask")
                        stop = gr.Button("Stop", variant="stop", elem_id="aqa-stop")
                        new_chat = gr.Button("New chat", elem_id="aqa-new-chat")
                    with gr.Accordion("Export the answer", open=False, elem_id="aqa-export"):
                        exported_markdown = gr.Code(label="Markdown", language="markdown", buttons=["copy"])
                        exported_json = gr.Code(label="JSON", language="json", buttons=["copy"])
                        with gr.Row():
                            markdown_download = gr.DownloadButton("Download .md", visible=False, elem_id="aqa-md")
                            json_download = gr.DownloadButton("Download .json", visible=False, elem_id="aqa-json")
                    with gr.Accordion("Settings", open=False):
                        top_k = gr.Slider(1, 10, value=assistant.top_k, step=1, label="Sources retrieved")
                        answer_tokens = gr.Slider(
                            40, 400, value=assistant.max_answer_tokens, step=20, label="Longest answer (tokens)"
                        )
                        with gr.Row():
                            since = gr.Textbox(
                                label="Articles written since", placeholder="2026-01-15, 2026-01 or 2026"
                            )
                            until = gr.Textbox(label="… until", placeholder="undated articles are left out")
                        offered = bool(model_urls)  # hidden, they stay in the API, where the server refuses them
                        kind = gr.Radio([IN_PROCESS, SERVER], value=IN_PROCESS, label="Language model", visible=offered)
                        url = gr.Dropdown(
                            list(model_urls),
                            value=model_urls[0] if offered else None,
                            allow_custom_value=True,  # refused with our own message, not Gradio's
                            label="Server URL (OpenAI-compatible)",
                            visible=offered,
                        )
                        model = gr.Textbox(label="Model name on that server", value="default", visible=offered)
                with gr.Column(scale=2):
                    sources = gr.HTML(
                        "<h3>Sources</h3><p>Citations appear here.</p>", elem_id="aqa-sources", js_on_load=SOURCES_JS
                    )
            inputs = [question, chat, turns, top_k, answer_tokens, kind, url, model, since, until]
            outputs = [question, chat, sources, turns, answered]
            asked = gr.on(
                [send.click, question.submit],
                respond,
                inputs,
                outputs,
                api_name="ask",
                concurrency_id="answer",
                concurrency_limit=ANSWERING_SESSIONS,
            )
            asked.then(export, answered, [exported_markdown, exported_json, markdown_download, json_download])
            stop.click(None, None, None, cancels=asked)
            new_chat.click(lambda: ([], [], "<h3>Sources</h3>"), None, [chat, turns, sources], cancels=asked)
        with gr.Tab("Articles"):
            search = gr.Textbox(label="Search titles", elem_id="aqa-library-search")
            table = gr.Dataframe(headers=LIBRARY_HEADERS, value=lambda: show_library(""), interactive=False)
            with gr.Row():
                files = gr.File(
                    label=f"Add articles ({', '.join(UPLOAD_SUFFIXES)}; up to {upload_limit:,} bytes each)",
                    file_count="multiple",
                    file_types=list(UPLOAD_SUFFIXES),
                    elem_id="aqa-upload",
                )
                with gr.Column():
                    add = gr.Button("Add to library", variant="primary", elem_id="aqa-add")
                    chosen = gr.Dropdown(label="Article to delete", choices=choices(), elem_id="aqa-delete-choice")
                    remove = gr.Button("Delete article", variant="stop", elem_id="aqa-delete")
            report = gr.Markdown(elem_id="aqa-library-report")
            search.change(show_library, search, table)
            # uploads and deletions queue on their own: an upload being indexed never holds up a question
            add.click(
                add_files,
                [files, search],
                [report, table, chosen],
                api_name="add",
                concurrency_id="library",
                concurrency_limit=1,
            )
            remove.click(
                delete,
                [chosen, search],
                [report, table, chosen],
                api_name="delete",
                concurrency_id="library",
                concurrency_limit=1,
            )
            app.load(article_choices, None, chosen)
    return app


def launch(
    assistant: Assistant,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    uploads_dir: Path | None = None,
    model_urls: Sequence[str] = (),
    block: bool = True,
    warm_up: bool = True,
):
    """Serve the app; with ``block=False`` return it running (tests close it with ``app.close()``).

    ``model_urls``: the model servers a session may choose instead of the assistant's own (none:
    no choice). Every response carries security headers; failed logins are limited per address.
    """
    from starlette.middleware import Middleware

    app, options = mountable(assistant, host=host, auth=auth, uploads_dir=uploads_dir, model_urls=model_urls)
    if warm_up:  # the page is served at once; the models load and read the prompt prefix meanwhile
        threading.Thread(target=_warm_up, args=(assistant,), name="warm-up", daemon=True).start()
    app.launch(
        server_name=host,
        server_port=port,
        **options,
        prevent_thread_lock=not block,
        app_kwargs={"middleware": [Middleware(middleware) for middleware in MIDDLEWARE]},
    )
    return app


MIDDLEWARE = (SecurityHeaders, LoginLimiter)  # outermost first


def mountable(
    assistant: Assistant,
    *,
    host: str = "127.0.0.1",
    auth: tuple[str, str] | None = None,
    uploads_dir: Path | None = None,
    model_urls: Sequence[str] = (),
    api_key: str = "",
) -> tuple[Any, dict]:  # (gradio.Blocks, options)
    """The app, queued, and the options Gradio serves it with (login, style, upload limit): what
    ``launch`` serves, for another FastAPI app to mount (``api.mount_ui``) with ``MIDDLEWARE``.
    Served on any ``host`` but this machine's loopback, it needs a login. Mounted beside an API
    with ``api_key`` and no login of its own, its login is that key: a key that guards the API
    guards the UI's own API (ask, upload, delete) too."""
    if auth is None and api_key:
        return _mountable(assistant, uploads_dir, model_urls, key_login(api_key), KEY_LOGIN_MESSAGE)
    if host not in LOCAL_HOSTS and auth is None:
        raise SettingsError(
            f"Refusing to serve on {host} without a login: set ARTICLE_QA_UI_USER and ARTICLE_QA_UI_PASSWORD."
        )
    if auth is not None:
        check_login(*auth)
    return _mountable(assistant, uploads_dir, model_urls, auth, None)


KEY_LOGIN_MESSAGE = "Sign in with any user name and the API's key (ARTICLE_QA_API_KEY) as the password."


def key_login(api_key: str) -> Callable[[str, str], bool]:
    """A login whose password is the API key (compared in constant time); the user name is free."""

    def accepts(user: str, password: str) -> bool:
        return secrets.compare_digest(password.encode("utf-8"), api_key.encode("utf-8"))

    return accepts


def _mountable(assistant, uploads_dir, model_urls, auth, auth_message) -> tuple[Any, dict]:
    app = build_app(assistant, uploads_dir=uploads_dir, model_urls=model_urls)
    app.queue(default_concurrency_limit=1)
    options = {"auth": auth, "css": CSS, "show_error": True, "max_file_size": assistant.max_file_bytes}
    return app, options | ({"auth_message": auth_message} if auth_message else {})


def _reply(content: str) -> dict:
    return {"role": "assistant", "content": content}


def _error_text(exc: Exception, context: str) -> str:
    """An error of ours says what to do; anything else is one line naming the log with its traceback."""
    return str(exc) if isinstance(exc, ArticleQAError) else report_unexpected(exc, context)


def _error_html(exc: Exception, context: str) -> str:
    return f'<div class="aqa-error">{html.escape(_error_text(exc, context))}</div>'


def _warm_up(assistant: Assistant) -> None:
    try:
        assistant.warm_up()
    except Exception as exc:  # the first question will then report the same problem to the user
        logging.getLogger(__name__).warning("warming up the models failed: %s", exc)
