"""The API key: with one set, every request but the health checks (and a mounted UI, which asks
for its own login or, without one, for the same key: ``ui.app.mountable``) needs
``Authorization: Bearer KEY``; otherwise a 401 in the API's error shape.

The key is compared with ``secrets.compare_digest``, in constant time. What this leaves out:
several keys, scopes, and a limit on failed tries (a key of 16 characters or more,
``rag.settings.API_KEY``, is not guessed online).
"""

from __future__ import annotations

import secrets
from typing import Collection

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response

OPEN_PATHS = frozenset({"/healthz", "/readyz"})
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def under(path: str, prefixes: Collection[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or below one: "/ui/x" is under "/ui", "/uix" is not."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)


class ApiKeyGuard:
    def __init__(self, app: ASGIApp, *, key: str, unguarded: Collection[str] = ()) -> None:
        self.app = app
        self.key = key.encode("utf-8")
        self.unguarded = unguarded  # prefixes of mounted apps with a login of their own (a live set)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or path in OPEN_PATHS or under(path, self.unguarded):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # none is served here: a browser's could not send the key anyway
            await send({"type": "websocket.close", "code": 1008})
            return
        scheme, _, given = Headers(scope=scope).get("authorization", "").partition(" ")
        if not given or scheme.lower() != "bearer":
            message = (
                "This API needs its key: send the header 'Authorization: Bearer KEY' (the server's ARTICLE_QA_API_KEY)."
            )
            await error_response(401, message, "missing_api_key", CHALLENGE)(scope, receive, send)
        elif not secrets.compare_digest(given.strip().encode("utf-8"), self.key):
            message = "The API key is not valid: send the server's ARTICLE_QA_API_KEY as 'Authorization: Bearer KEY'."
            await error_response(401, message, "invalid_api_key", CHALLENGE)(scope, receive, send)
        else:
            await self.app(scope, receive, send)
