"""A small news site on 127.0.0.1 for the feed tests: a real HTTP server in a thread.

It serves an RSS 2.0 feed, an Atom feed and the pages they link to, each page trying one
thing a real site does: boilerplate and a cookie banner, a paywall teaser, a charset the
header gets wrong both ways, a 404, a redirect, a slow answer, a huge page, a path robots.txt
forbids, a 503 that passes, dates only in the page or only in ``Last-Modified``. The feed
honours ``If-None-Match``; every request is recorded. The pages are written for these tests.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCAL = ("127.0.0.1",)  # the fetch setting that lets the product fetch from this site
SLOW_S = 1.5
HUGE_BYTES = 400_000

_BODY = (
    "<p>Die Stadtwerke Kleinfeld haben am Montag {thing} vorgestellt. Nach Angaben des Unternehmens sollen "
    "die Arbeiten im kommenden Frühjahr beginnen und rund zwei Jahre dauern.</p>"
    "<p>Bürgermeisterin Jana Müller sprach von einem wichtigen Schritt für die Region. Die Kosten werden "
    "auf {cost} Millionen Euro geschätzt; der Gemeinderat muss dem Vorhaben noch zustimmen.</p>"
    "<p>Kritik kam von der Opposition, die eine frühere Beteiligung der Bürger gefordert hatte. Eine "
    "Informationsveranstaltung ist für den nächsten Monat geplant.</p>"
)


def article_page(title: str, thing: str, cost: int, *, head: str = "", extra: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>{title} | Kleinfelder Bote</title>"
        f"{head}</head><body>"
        "<header><nav><a href='/'>Startseite</a> <a href='/politik'>Politik</a> "
        "<a href='/sport'>Sport</a></nav></header>"
        "<div id='cookie-banner'>Wir verwenden Cookies. Alle akzeptieren oder Einstellungen anpassen.</div>"
        f"<main><article><h1>{title}</h1>{_BODY.format(thing=thing, cost=cost)}{extra}</article></main>"
        "<div class='share-bar'>Teilen auf Facebook Teilen auf X Per E-Mail senden</div>"
        "<aside class='related'><h2>Mehr zum Thema</h2><ul><li><a href='/x'>Neue Buslinie geplant</a></li></ul></aside>"
        "<footer>Impressum Datenschutz Kontakt © Kleinfelder Bote</footer></body></html>"
    )


PAYWALL = (
    "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Haushalt 2025</title></head><body>"
    "<main><article><h1>Der Haushalt für 2025 steht</h1>"
    "<p>Der Gemeinderat von Kleinfeld hat den Haushalt für 2025 mit großer Mehrheit beschlossen. Er sieht "
    "Ausgaben von 84 Millionen Euro vor, vier Millionen mehr als im Vorjahr.</p>"
    "<div class='paywall'><p>Lesen Sie weiter mit Bote Plus: Jetzt abonnieren, den ersten Monat gratis.</p></div>"
    "</article></main></body></html>"
)


def _rss(base: str, extra_item: str = "") -> str:
    def item(path: str, title: str, date: str = "") -> str:
        when = f"<pubDate>{date}</pubDate>" if date else ""
        return f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>{when}</item>"

    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Kleinfelder Bote</title>"
        f"<link>{base}/</link><description>Nachrichten</description>"
        + item("/news/wasserwerk.html", "Neues Wasserwerk für Kleinfeld", "Tue, 04 Mar 2025 09:30:00 +0100")
        + item("/news/haushalt.html", "Der Haushalt für 2025 steht", "Wed, 05 Mar 2025 18:00:00 GMT")
        + item("/news/latin1.html", "Neue Brücke über die Au", "Thu, 06 Mar 2025 07:00:00 GMT")
        + item("/news/utf8.html", "Müllabfuhr wird digital", "Thu, 06 Mar 2025 08:00:00 GMT")
        + item("/news/gone.html", "Ein Artikel, den es nicht mehr gibt", "Fri, 07 Mar 2025 08:00:00 GMT")
        + item("/news/moved.html", "Radweg wird verlängert", "Fri, 07 Mar 2025 09:00:00 GMT")
        + item("/news/slow.html", "Langsamer Server", "Fri, 07 Mar 2025 10:00:00 GMT")
        + item("/news/huge.html", "Eine riesige Seite", "Fri, 07 Mar 2025 11:00:00 GMT")
        + item("/private/intern.html", "Nur für Mitarbeiter", "Fri, 07 Mar 2025 12:00:00 GMT")
        + item("/news/metadate.html", "Schwimmbad öffnet wieder")
        + item("/news/lastmod.html", "Stadtfest im Juni")
        + item("/news/flaky.html", "Neue Kita eröffnet", "Sat, 08 Mar 2025 10:00:00 GMT")
        + extra_item
        + "</channel></rss>"
    )


ATOM = (
    "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Bote Atom</title>"
    "<id>urn:bote</id><updated>2025-03-09T10:00:00Z</updated>"
    "<entry><title>Neues Wasserwerk für Kleinfeld</title><id>urn:1</id><link href='{base}/news/wasserwerk.html'/>"
    "<published>2025-03-04T09:30:00+01:00</published><updated>2025-03-09T10:00:00Z</updated></entry></feed>"
)


@dataclass
class NewsSite:
    """The server, what it has served, and switches a test may turn."""

    base: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    feed_version: int = 1
    flaky_failures: int = 1  # 503s before /news/flaky.html answers
    robots_status: int = 200
    server: ThreadingHTTPServer | None = None

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def pages(self, base: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
        utf8 = "text/html; charset=utf-8"
        extra = (
            "<item><title>Neue Bibliothek</title>"
            f"<link>{base}/news/bibliothek.html</link><pubDate>Mon, 10 Mar 2025 08:00:00 GMT</pubDate></item>"
        )
        rss = _rss(base, extra if self.feed_version > 1 else "").encode("utf-8")
        metadate = "<meta property='article:published_time' content='2025-02-20T06:00:00+01:00'>"
        return {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
            "/feed.xml": (
                200,
                {"Content-Type": "application/rss+xml", "ETag": f'"feed-v{self.feed_version}"'},
                rss,
            ),
            "/atom.xml": (200, {"Content-Type": "application/atom+xml"}, ATOM.format(base=base).encode()),
            "/news/wasserwerk.html": (
                200,
                {"Content-Type": utf8, "ETag": '"wasserwerk-1"'},
                article_page("Neues Wasserwerk für Kleinfeld", "ein neues Wasserwerk", 38).encode(),
            ),
            "/news/haushalt.html": (200, {"Content-Type": utf8}, PAYWALL.encode()),
            "/news/latin1.html": (  # the header says UTF-8, the bytes are Latin-1
                200,
                {"Content-Type": utf8},
                article_page("Neue Brücke über die Au", "eine neue Brücke", 12).replace("utf-8", "x").encode("latin-1"),
            ),
            "/news/utf8.html": (  # the header says ISO-8859-1, the bytes are UTF-8
                200,
                {"Content-Type": "text/html; charset=ISO-8859-1"},
                article_page("Müllabfuhr wird digital", "eine digitale Müllabfuhr", 2).encode("utf-8"),
            ),
            "/news/target.html": (
                200,
                {"Content-Type": utf8},
                article_page("Radweg wird verlängert", "einen längeren Radweg", 5).encode(),
            ),
            "/news/huge.html": (
                200,
                {"Content-Type": utf8},
                article_page("Eine riesige Seite", "eine riesige Seite", 1, extra="<p>Bla bla.</p>" * 30_000).encode(),
            ),
            "/private/intern.html": (200, {"Content-Type": utf8}, article_page("Intern", "Internes", 1).encode()),
            "/news/metadate.html": (
                200,
                {"Content-Type": utf8},
                article_page("Schwimmbad öffnet wieder", "das sanierte Schwimmbad", 9, head=metadate).encode(),
            ),
            "/news/lastmod.html": (
                200,
                {"Content-Type": utf8, "Last-Modified": "Sun, 02 Mar 2025 15:00:00 GMT"},
                article_page("Stadtfest im Juni", "das Programm des Stadtfests", 1).encode(),
            ),
            "/news/flaky.html": (200, {"Content-Type": utf8}, article_page("Neue Kita", "eine neue Kita", 4).encode()),
            "/news/bibliothek.html": (
                200,
                {"Content-Type": utf8},
                article_page("Neue Bibliothek", "eine neue Bibliothek", 7).encode(),
            ),
            "/page.html": (
                200,
                {"Content-Type": utf8},
                article_page("Neues Wasserwerk für Kleinfeld", "ein neues Wasserwerk", 38, head=metadate).encode(),
            ),
        }

    def start(self) -> "NewsSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                site.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        if path == "/robots.txt" and self.robots_status != 200:
            return _send(handler, self.robots_status, {}, b"")
        if path == "/news/moved.html":
            return _send(handler, 301, {"Location": "/news/target.html"}, b"")
        if path == "/news/slow.html":
            time.sleep(SLOW_S)
            return _send(handler, 200, {"Content-Type": "text/html"}, b"<p>late</p>")
        if path == "/news/flaky.html" and self.flaky_failures > 0:
            self.flaky_failures -= 1
            return _send(handler, 503, {"Retry-After": "0"}, b"busy")
        found = self.pages(self.base).get(path)
        if found is None:
            return _send(handler, 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
        status, headers, body = found
        etag = headers.get("ETag")
        if etag and handler.headers.get("If-None-Match") == etag:
            return _send(handler, 304, {"ETag": etag}, b"")
        return _send(handler, status, headers, body)


def _send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    if len(body) < HUGE_BYTES:  # the huge page says no length: the limit must hold while it is read
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    try:
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (the huge page, the slow one)
        pass
