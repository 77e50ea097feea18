"""What the UI's web server adds for the browser's safety and against guessed logins.

Both are plain ASGI middleware, handed to Gradio's FastAPI app through ``launch(app_kwargs=)``:
``SecurityHeaders`` puts the headers below on every HTTP response; ``LoginLimiter`` answers
HTTP 429 to an address after ``LoginLimit.failures`` failed logins within ``window_s`` seconds,
until the oldest of them is that old. Left out: a Content-Security-Policy that limits scripts
and styles (Gradio's page needs inline ones), and telling apart clients behind one proxy (they
share its address, and its limit).
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",  # no page of another site can frame the UI (clickjacking)
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
    "Referrer-Policy": "no-referrer",
}
LOGIN_PATH = "/login"  # Gradio's form login (gradio/routes.py), under the path the UI is mounted at


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response, replacing any of the same name."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() not in self.names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True)
class LoginLimit:
    """How many failed logins an address may make in a window of seconds."""

    failures: int = 5
    window_s: float = 60.0


class LoginLimiter:
    """Refuses logins from an address with ``limit.failures`` failed ones in the last ``window_s``.

    Each attempt counts as failed until its response says otherwise, so a burst of parallel
    guesses is limited too; a successful login forgets that address's failures.
    """

    def __init__(
        self, app: ASGIApp, *, limit: LoginLimit = LoginLimit(), clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.app = app
        self.limit = limit
        self.clock = clock
        self.failed: dict[str, deque[float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].rstrip("/").endswith(LOGIN_PATH):
            await self.app(scope, receive, send)
            return
        address = scope["client"][0] if scope.get("client") else "unknown"
        if wait_s := self.wait_s(address):
            await _too_many(send, wait_s)
            return
        self._count_failure(address)

        async def send_and_forget_on_success(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.failed.pop(address, None)
            await send(message)

        await self.app(scope, receive, send_and_forget_on_success)

    def wait_s(self, address: str) -> float:
        """Seconds until ``address`` may try again; 0 when it may now."""
        recent = self._recent(address)
        if len(recent) < self.limit.failures:
            return 0.0
        return recent[-self.limit.failures] + self.limit.window_s - self.clock()

    def _count_failure(self, address: str) -> None:
        for other in [a for a in self.failed if not self._recent(a)]:  # the table stays as small as the attack
            del self.failed[other]
        self.failed.setdefault(address, deque()).append(self.clock())

    def _recent(self, address: str) -> deque[float]:
        failures = self.failed.get(address, deque())
        while failures and failures[0] <= self.clock() - self.limit.window_s:
            failures.popleft()
        return failures


async def _too_many(send: Send, wait_s: float) -> None:
    seconds = max(1, math.ceil(wait_s))
    body = json.dumps({"detail": f"Too many failed logins: try again in {seconds} seconds."}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(seconds).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
