"""The Gradio chat: streaming answers with their sources beside them, and the article list.

Everything the articles or the model say is escaped before it reaches the page.
"""

from __future__ import annotations

import html
import logging
import os
import threading
from typing import Iterator

from rag import Answer, Assistant, Passage

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

CSS = """
.aqa-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; }
.aqa-card h4 { margin: 0 0 4px 0; font-size: 0.95em; }
.aqa-card .aqa-meta { color: #57606a; font-size: 0.8em; margin-bottom: 6px; }
.aqa-card mark { background: #fff3b0; padding: 0 2px; }
.aqa-refused { color: #9a6700; }
"""


def sources_html(passages: list[Passage], answer: Answer | None = None) -> str:
    """Cards for the citations of a finished answer, or for the retrieved passages before it."""
    if answer is not None and answer.citations:
        cards = [
            f'<div class="aqa-card" id="source-{c.number}"><h4>[{c.number}] {html.escape(c.title)}</h4>'
            f'<div class="aqa-meta">{html.escape(c.article_id)}'
            f"{' · ' + html.escape(c.date) if c.date else ''} · characters {c.start}–{c.end}</div>"
            f"<mark>{html.escape(c.quote)}</mark></div>"
            for c in answer.citations
        ]
        return "<h3>Sources</h3>" + "".join(cards)
    if answer is not None and answer.refused:
        note = "<p class='aqa-refused'>No passage answers this question.</p>"
    else:
        note = "<p>Reading these passages…</p>" if passages else "<p>No relevant passages found.</p>"
    cards = [
        f'<div class="aqa-card"><h4>{html.escape(p.title)}</h4>'
        f'<div class="aqa-meta">{html.escape(p.article_id)} · similarity {p.score:.2f}</div>'
        f"{html.escape(p.text[:400])}{'…' if len(p.text) > 400 else ''}</div>"
        for p in passages
    ]
    return "<h3>Retrieved passages</h3>" + note + "".join(cards)


def answer_markdown(answer: Answer) -> str:
    text = _escape_markdown(answer.text)
    if answer.refused:
        return f"*{text}*"
    return text + f"\n\n<sub>{answer.timings.get('total_s', 0):.1f} s</sub>"


def _escape_markdown(text: str) -> str:
    return html.escape(text).replace("*", "\\*").replace("_", "\\_")


def build_app(assistant: Assistant):
    import gradio as gr

    def respond(message: str, history: list) -> Iterator[tuple]:
        history = list(history) + [{"role": "user", "content": message}]
        passages: list[Passage] = []
        streamed = ""
        for item in assistant.ask_stream(message):
            if isinstance(item, Passage):  # sources show while the model is still reading
                passages.append(item)
                yield "", history + [{"role": "assistant", "content": "…"}], sources_html(passages)
                continue
            if isinstance(item, Answer):
                reply = {"role": "assistant", "content": answer_markdown(item)}
                yield "", history + [reply], sources_html(passages, item)
                return
            streamed += item
            yield "", history + [{"role": "assistant", "content": _escape_markdown(streamed)}], sources_html(passages)

    def article_rows() -> list[list]:
        return [[a.id, a.title, a.language or "", len(a.text)] for a in assistant.articles()]

    with gr.Blocks(title="article-qa") as app:
        gr.Markdown("## article-qa\nAsk about the indexed news articles, in English or German.")
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Answers", height=480)
                    question = gr.Textbox(label="Question", placeholder="How many stores does Xiaomi plan in the UK?")
                    with gr.Row():
                        send = gr.Button("Ask", variant="primary")
                        new_chat = gr.Button("New chat")
                with gr.Column(scale=2):
                    sources = gr.HTML("<h3>Sources</h3><p>Citations appear here.</p>")
            send.click(respond, [question, chat], [question, chat, sources])
            question.submit(respond, [question, chat], [question, chat, sources])
            new_chat.click(lambda: ([], "<h3>Sources</h3>"), None, [chat, sources])
        with gr.Tab("Articles"):
            table = gr.Dataframe(
                headers=["id", "title", "language", "characters"], value=article_rows, interactive=False
            )
            gr.Button("Refresh").click(article_rows, None, table)
    return app


def launch(assistant: Assistant, *, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None):
    if host not in LOCAL_HOSTS and auth is None:
        raise SystemExit(
            f"Refusing to serve on {host} without a login: set ARTICLE_QA_UI_USER and ARTICLE_QA_UI_PASSWORD."
        )
    app = build_app(assistant)
    # The page is served at once; the models load and read the prompt prefix meanwhile.
    threading.Thread(target=_warm_up, args=(assistant,), name="warm-up", daemon=True).start()
    app.queue(default_concurrency_limit=1)
    app.launch(server_name=host, server_port=port, auth=auth, css=CSS, show_error=True)


def _warm_up(assistant: Assistant) -> None:
    try:
        assistant.warm_up()
    except Exception as exc:  # the first question will then report the same problem to the user
        logging.getLogger(__name__).warning("warming up the models failed: %s", exc)
