"""A hostile site on 127.0.0.1 for the fetch tests: a real HTTP server in a thread whose every
page does one hostile thing (a compression bomb, a drip, late headers, a redirect to this
machine); every request is recorded, and a drip's connection closed by its client is noted."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"<html><body><p>Die Stadt Celle baut bis 2027 zwei neue Parks am Fluss.</p></body></html>"
STORY = (
    "<html><body><article><h1>Neue Parks</h1><p>Die Stadt Celle baut bis 2027 zwei neue Parks am Fluss. Die Kosten "
    "liegen nach Angaben der Verwaltung bei rund vier Millionen Euro, der Rat muss noch zustimmen.</p></article>"
    "</body></html>"
).encode()
ZEROS = 50_000_000  # what a bomb expands to: 50 MB here (a real one: gigabytes)
LIMIT = 1_000_000


class HostileSite:
    """A server whose every page does one hostile thing; each request is recorded."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.drips_closed: list[float] = []  # when a client closed a drip's connection
        self.stopping = threading.Event()
        self._bomb = gzip.compress(b"\0" * ZEROS, compresslevel=9)

    def start(self) -> "HostileSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append(self.path)
                try:
                    site.answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        if path == "/robots.txt":
            return self._send(handler, 404, b"")
        if path == "/good.xml":
            item = f"<item><title>Neue Parks</title><link>{self.url('/story.html', 'localhost')}</link></item>"
            feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Bote</title>{item}</channel></rss>"
            return self._send(handler, 200, feed.encode(), content_type="application/rss+xml")
        if path == "/story.html":
            return self._send(handler, 200, STORY)
        if path == "/page.gz":
            return self._send(handler, 200, gzip.compress(PAGE), encoding="gzip")
        if path == "/bomb":
            return self._send(handler, 200, self._bomb, encoding="gzip")
        if path == "/bomb-in-a-bomb":
            return self._send(handler, 200, gzip.compress(self._bomb), encoding="gzip, gzip")
        if path == "/brotli":
            return self._send(handler, 200, b"\x1b\x00", encoding="br")
        if path == "/drip":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            try:
                while not self.stopping.wait(0.2):  # a byte every 0.2 s, for ever
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.drips_closed.append(time.monotonic())
            return None
        if path == "/late-headers":
            self.stopping.wait(30)
            return self._send(handler, 200, PAGE)
        if path == "/to-loopback":
            handler.send_response(302)
            handler.send_header("Location", self.url("/internal"))
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        return self._send(handler, 200, b"<html><body><p>internal: model path, keys</p></body></html>")

    @staticmethod
    def _send(handler, status: int, body: bytes, encoding: str = "", content_type: str = "text/html") -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        if encoding:
            handler.send_header("Content-Encoding", encoding)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
