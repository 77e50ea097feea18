"""What counts as a URL here: http or https, with a host and a valid port."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) URL with a host: what ``ingest`` and ``watch`` fetch, and what
    the settings take for a server."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
