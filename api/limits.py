"""How much a request may send: its body in bytes, and its question in characters.

A body is measured twice: by its Content-Length, before anything is read (the 413 goes at once),
and while it is read, for a chunked body that declares no length (the reading stops at the
limit). Two limits: ``json_limit`` for every body but an upload of files, and ``upload_limit``
for a multipart ``POST /v1/articles``. Beneath a mounted UI (``api.app.mount_ui``) neither
applies: Gradio has its own (``max_file_size``).

FastAPI's own ``max_body_size`` is not used: where its limit strikes decides whether its 413 is
plain text or JSON, and neither says what the limit is.
"""

from __future__ import annotations

from typing import Collection

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.access import under
from api.errors import ApiError, error_response

# A question is at most 2,000 characters (rag.turn.MAX_QUESTION_CHARS) and a chat history is
# short (the rewrite reads its last three turns): 1 MiB holds a hundred turns of the longest
# questions and answers, and is parsed in memory, so it is kept well below an upload's.
MAX_BODY_BYTES = 1024 * 1024
# An upload of files may be as large as one file the library takes (Assistant.max_file_bytes,
# 20 MB by default) and this much more for the multipart framing and a few small files beside it.
UPLOAD_SLACK_BYTES = 1024 * 1024
UPLOAD_PATH = "/v1/articles"


class BodyTooLarge(ApiError):
    def __init__(self, limit: int, size: int | None = None) -> None:
        sent = f"is {size:,} bytes" if size is not None else "goes on"
        super().__init__(
            413, f"The request body {sent}, over this API's limit of {limit:,} bytes.", code="body_too_large"
        )


def check_question(question: str, limit: int) -> None:
    """An ApiError (422) that says the limit when ``question`` is longer."""
    if len(question) > limit:
        raise ApiError(
            422,
            f"The question is {len(question):,} characters long; this API takes {limit:,} characters at most.",
            code="question_too_long",
        )


class BodyLimit:
    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int, unguarded: Collection[str] = ()) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit
        self.unguarded = unguarded  # prefixes of mounted apps with limits of their own (a live set)

    def limit_of(self, scope: Scope, headers: Headers) -> int | None:
        if under(scope.get("path", ""), self.unguarded):
            return None
        is_upload = (
            scope.get("path") == UPLOAD_PATH
            and scope.get("method") == "POST"
            and headers.get("content-type", "").lower().startswith("multipart/form-data")
        )
        return self.upload_limit if is_upload else self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_of(scope, headers)
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            refusal = BodyTooLarge(limit, int(declared))
            await error_response(413, str(refusal.detail), refusal.code)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)  # an HTTPException: its handler answers, wherever it is read
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge as refusal:  # read where no handler sees it
            if started:
                raise
            await error_response(413, str(refusal.detail), refusal.code)(scope, receive, send)
