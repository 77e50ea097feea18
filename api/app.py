"""The HTTP API: one shared ``rag.Assistant`` behind FastAPI (its OpenAPI document at /docs).

    POST   /v1/ask                  a question answered with citations (JSON, or server-sent events)
    GET    /v1/articles             the indexed articles, a page at a time
    GET    /v1/articles/{id}        one article with its text
    POST   /v1/articles             add uploaded files (multipart) or feeds and pages (JSON {"urls": [...]})
    DELETE /v1/articles/{id}        remove an article
    POST   /v1/chat/completions     OpenAI's chat API (the ``openai`` SDK, chat UIs), streamed or not
    GET    /v1/models               the one model, "article-qa"
    GET    /healthz                 the process is up: always 200
    GET    /readyz                  200 once the models are loaded and have read the prompt prefix; 503 before

Around every request, outermost first: CORS (only for the configured origins), the API key
(``api.access``), the body limit (``api.limits``), and the last resort for a bug of ours
(``api.errors.CatchAll``). Every error is JSON in OpenAI's shape (``api.errors``).

The models load on a thread of their own as soon as the app is built (``warm_up=True``): the
API answers at once, /readyz says when the first question will be as quick as the rest (a
question asked before then is answered all the same, only more slowly). The UI (``ui.app.build_app``) can be served
by the same app and port: ``mount_ui``. ``serve`` runs it all with uvicorn.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any, Mapping, Sequence

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import articles, ask, openai_chat
from api.access import ApiKeyGuard
from api.errors import CatchAll, error_response, install_error_handlers
from api.limits import MAX_BODY_BYTES, UPLOAD_SLACK_BYTES, BodyLimit
from api.service import Service
from rag import Assistant, SettingsError
from rag.settings import checked
from rag.turn import MAX_QUESTION_CHARS

SHUTDOWN_GRACE_S = 3
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DESCRIPTION = (
    "Questions about news articles answered from the articles alone, each claim cited by the exact"
    " sentence it comes from; an OpenAI-compatible chat endpoint for the `openai` SDK and chat UIs."
)


def build_api(
    assistant: Assistant,
    *,
    api_key: str = "",
    cors_origins: Sequence[str] = (),
    max_body_bytes: int = MAX_BODY_BYTES,
    max_upload_bytes: int | None = None,
    max_question_chars: int = MAX_QUESTION_CHARS,
    uploads_dir: Path | None = None,
    warm_up: bool = True,
) -> FastAPI:
    """The API over ``assistant``.

    ``api_key``: the key every request but /healthz and /readyz must send (``Authorization:
    Bearer KEY``); empty: none asked. ``cors_origins``: the web origins whose pages may call it
    from a browser; none: CORS off. ``max_body_bytes``: the largest body but an upload's;
    ``max_upload_bytes``: an upload's (default: one file at the library's limit, and 1 MiB).
    ``max_question_chars``: the longest question (default: the assistant's own limit, 2,000;
    a higher one is still refused by the assistant). ``uploads_dir``: where uploads are kept
    (default: a new temporary folder). ``warm_up``: load the models now, on a thread; without
    it, /readyz is ready at once and the first question loads them.
    """
    if api_key:
        checked("api_key", api_key)
    checked("api_cors_origins", tuple(cors_origins))
    service = Service(
        assistant=assistant,
        uploads=uploads_dir or Path(tempfile.mkdtemp(prefix="article-qa-uploads-")),
        max_question_chars=max_question_chars,
    )
    app = FastAPI(title="article-qa", description=DESCRIPTION)
    app.state.unguarded = unguarded = set[str]()  # prefixes of mounted apps with their own login and limits
    for router in (ask.routes(service), articles.routes(service), openai_chat.routes(service), health(service)):
        app.include_router(router)
    install_error_handlers(app)
    # added innermost first
    app.add_middleware(CatchAll)
    upload_limit = max_upload_bytes or assistant.max_file_bytes + UPLOAD_SLACK_BYTES
    app.add_middleware(BodyLimit, json_limit=max_body_bytes, upload_limit=upload_limit, unguarded=unguarded)
    if api_key:
        app.add_middleware(ApiKeyGuard, key=api_key, unguarded=unguarded)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    if warm_up:
        threading.Thread(target=service.readiness.warm_up, args=(assistant,), name="api-warm-up", daemon=True).start()
    else:
        service.readiness.done.set()
    return app


def health(service: Service) -> APIRouter:
    router = APIRouter(tags=["health"])

    # on the event loop: never behind the worker threads
    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz():
        """Whether the models are loaded: 200 when they are, 503 while they load or when they failed."""
        readiness = service.readiness
        if readiness.error:
            return error_response(503, f"The models failed to load: {readiness.error}", "warm_up_failed")
        if not readiness.done.is_set():
            return error_response(503, "The models are still loading; ask again in a few seconds.", "warming_up")
        return {"status": "ready"}

    return router


def mount_ui(app: FastAPI, blocks: Any, *, path: str = "/ui", **gradio_options: Any) -> FastAPI:
    """Serve a Gradio app (``ui.app.build_app``'s) at ``path`` of this API: one process, one port.

    Beneath ``path`` the API's key and body limit do not apply (a browser cannot send the key):
    the UI keeps its own login (with a key and no login, the key is its password:
    ``ui.app.mountable``) and upload limit, given here as Gradio's ``auth`` and
    ``max_file_size`` (``gradio.mount_gradio_app``'s options, as ``ui.app.launch`` gives them to
    ``launch``). Its security headers and login limiter (``ui.security``) are the caller's to add,
    with ``app.add_middleware``, before the app serves.
    """
    import gradio
    from fastapi.responses import RedirectResponse

    path = path.rstrip("/")
    app.state.unguarded.update({path, "/"})  # "/" alone: "/v1/ask" is not under it (``api.access.under``)

    @app.get("/", include_in_schema=False)
    def to_the_ui() -> RedirectResponse:
        return RedirectResponse(f"{path}/")

    return gradio.mount_gradio_app(app, blocks, path=path, **gradio_options)


def check_exposure(host: str, api_key: str) -> None:
    """A SettingsError when ``host`` reaches beyond this machine and no API key is set."""
    if host not in LOCAL_HOSTS and not api_key:
        raise SettingsError(
            f"Refusing to serve the API on {host} without a key: set ARTICLE_QA_API_KEY"
            " (at least 16 characters); clients then send it as 'Authorization: Bearer KEY'."
        )


def serve(
    assistant: Assistant,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    api_key: str = "",
    cors_origins: Sequence[str] = (),
    uploads_dir: Path | None = None,
    warm_up: bool = True,
    ui: Any = None,
    ui_options: Mapping[str, Any] | None = None,
    middleware: Sequence[type] = (),
) -> None:
    """Serve the API with uvicorn until interrupted; with ``ui`` (Gradio Blocks), the UI at /ui too
    (``ui_options`` as for ``mount_ui``), "/" leading to it. ``middleware``: ASGI middleware classes
    around everything, outermost first (the UI's security headers and login limiter).

    Any host but this machine's loopback needs an API key: a SettingsError otherwise."""
    check_exposure(host, api_key)
    app = build_api(assistant, api_key=api_key, cors_origins=cors_origins, uploads_dir=uploads_dir, warm_up=warm_up)
    if ui is not None:
        mount_ui(app, ui, **(ui_options or {}))
    for layer in reversed(middleware):  # each added goes outside the ones before
        app.add_middleware(layer)  # type: ignore[arg-type]  # an ASGI class taking the app
    import uvicorn

    # After Ctrl-C, requests under way get SHUTDOWN_GRACE_S to finish; then they are cancelled
    # (a URL's fetch with them, api.articles), and the process ends.
    uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=SHUTDOWN_GRACE_S)
