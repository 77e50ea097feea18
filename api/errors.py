"""Every error of the API as JSON in OpenAI's shape, so that the ``openai`` SDK and chat UIs
show its message: ``{"error": {"message": ..., "type": ..., "code": ...}}``. Never a traceback.

    HTTPException            its status; ours (``ApiError``) carry a code, Starlette's (an unknown
                             path, a wrong method, a form it cannot read) get one from the status
    RequestValidationError   422, one line naming each bad field; a body that is not JSON: 400
    ArticleQAError           its message, which is written for users:
                             SettingsError, QuestionError, ArticleError                422
                             StoreError, ModelError, BackendError                       503
                             any other                                                  500
    anything else            500, ``report_unexpected``'s line, which names the log file holding
                             the traceback (``CatchAll``, inside our other middleware)

``type`` is "authentication_error" for a 401, "server_error" for a 5xx and
"invalid_request_error" otherwise, as OpenAI's API says them.
"""

from __future__ import annotations

import logging
from typing import Any, Mapping, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag import (
    ArticleError,
    ArticleQAError,
    BackendError,
    ModelError,
    QuestionError,
    SettingsError,
    StoreError,
    report_unexpected,
)

logger = logging.getLogger(__name__)

STATUS_OF_ERROR: tuple[tuple[type[ArticleQAError], int], ...] = (
    (SettingsError, 422),
    (QuestionError, 422),
    (ArticleError, 422),
    (StoreError, 503),
    (ModelError, 503),
    (BackendError, 503),
)
_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


class ApiError(HTTPException):
    """An error of this API with its own code: ``ApiError(404, "No article ...", code="article_not_found")``."""

    def __init__(self, status_code: int, message: str, *, code: str, headers: Mapping[str, str] | None = None):
        super().__init__(status_code, detail=message, headers=dict(headers) if headers else None)
        self.code = code


def error_type(status: int) -> str:
    if status == 401:
        return "authentication_error"
    return "server_error" if status >= 500 else "invalid_request_error"


def error_body(status: int, message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type(status), "code": code}}


def error_response(status: int, message: str, code: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, code), status_code=status, headers=headers)


def described(exc: Exception, context: str) -> tuple[int, str, str]:
    """(status, message, code) for any exception; an unexpected one is reported with ``context``."""
    if isinstance(exc, ApiError):
        return exc.status_code, str(exc.detail), exc.code
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail), _CODES.get(exc.status_code, f"http_{exc.status_code}")
    if isinstance(exc, ArticleQAError):
        status = next((status for kind, status in STATUS_OF_ERROR if isinstance(exc, kind)), 500)
        return status, str(exc), _snake(type(exc).__name__)
    return 500, report_unexpected(exc, context), "internal_error"


def readable(errors: Sequence[Any]) -> str:
    """pydantic's errors as one line: ``question: Field required; top_k: Input should be a valid integer``."""
    parts = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else f"body: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "The request is not valid."


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ArticleQAError, _article_qa_error)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    status, message, code = described(exc, "")
    if status == 404 and not isinstance(exc, ApiError):
        message = f"{request.method} {request.url.path} is not an endpoint of this API (they are listed at /docs)."
    elif status == 405:
        message = f"{request.url.path} does not take {request.method}; see /docs for what it takes."
    return error_response(status, message, code, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    broken = next((error for error in errors if error.get("type") == "json_invalid"), None)
    if broken is not None:
        why = (broken.get("ctx") or {}).get("error", "")
        message = "The request body is not valid JSON" + (f": {why}" if why else "") + "."
        return error_response(400, message, "invalid_json")
    content_type = request.headers.get("content-type", "")
    if request.method == "POST" and "json" not in content_type and any(e.get("loc") == ("body",) for e in errors):
        message = "The request body must be JSON, sent with the header 'Content-Type: application/json'" + (
            f" (it came as {content_type!r})." if content_type else " (it came without one)."
        )
        return error_response(415, message, "not_json")
    return error_response(422, readable(errors), "invalid_request")


async def _article_qa_error(request: Request, exc: Exception) -> JSONResponse:
    status, message, code = described(exc, f"{request.method} {request.url.path} in the HTTP API")
    return error_response(status, message, code)


class CatchAll:
    """Any exception no handler took: a 500 whose message is ``report_unexpected``'s line.

    Starlette's own handler for ``Exception`` sends its response and then raises the exception
    again (the server prints its traceback a second time); this one ends it here. When the
    response had already begun (a stream), only the log file is written: the stream's own
    generator sends its clients an error event first."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            line = report_unexpected(exc, f"serving {scope.get('method')} {scope.get('path')} in the HTTP API")
            if started:
                logger.error(line)
                return
            await error_response(500, line, "internal_error")(scope, receive, send)


def _snake(name: str) -> str:
    return "".join(f"_{ch.lower()}" if ch.isupper() and i else ch.lower() for i, ch in enumerate(name))
