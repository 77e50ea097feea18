"""Reading a text/event-stream body as a client does (the API tests), and driving the API as a
client that goes away in the middle."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable

import anyio


@dataclass(frozen=True)
class Event:
    name: str  # "" for an event without a name (OpenAI's), "comment" for a comment line
    data: str

    def json(self) -> Any:
        return json.loads(self.data)


def events(body: str) -> list[Event]:
    """Each event of ``body``, in order, and each comment line as an Event named "comment"."""
    found = []
    for block in body.split("\n\n"):
        if not block.strip():
            continue
        name, data = "", []
        for line in block.split("\n"):
            if line.startswith(":"):
                found.append(Event("comment", line[1:].strip()))
            elif line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data.append(line[len("data: ") :])
        if data:
            found.append(Event(name, "\n".join(data)))
    return found


def leave_when(app, path: str, body: dict, condition: Callable[[], bool], *, wait_s: float = 10.0) -> list[dict]:
    """POST ``body`` to ``app`` as a client that disconnects once ``condition()`` holds (or after
    ``wait_s``); what it was sent."""
    sent: list[dict] = []

    async def main() -> None:
        given = False
        deadline = time.monotonic() + wait_s

        async def receive() -> dict:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": json.dumps(body).encode(), "more_body": False}
            while not condition() and time.monotonic() < deadline:
                await anyio.sleep(0.01)
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},  # as uvicorn says it
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        await app(scope, receive, send)

    anyio.run(main)
    return sent
