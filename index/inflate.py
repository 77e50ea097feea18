"""A response body decompressed as it arrives, never past a byte limit.

httpx decompresses each layer of a ``Content-Encoding`` in full before anything can count the
bytes: 2 KB sent as "gzip, gzip" became a gigabyte in memory. Here the raw bytes are inflated
piece by piece with zlib's ``max_length``, so no more than the limit (plus one byte, to know it
was passed) is ever held; a body compressed more than once, or in a coding that was not asked
for, is refused before it is read.
"""

from __future__ import annotations

import zlib
from typing import Iterable

ACCEPTED_ENCODINGS = "gzip, deflate"


class InflateError(ValueError):
    """A body that cannot be read; the message says why, in a few words."""


class Inflater:
    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._raw_deflate_tried = False
        self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS)

    def take(self, data: bytes, room: int) -> bytes:
        """At most ``room + 1`` decompressed bytes of ``data``; the rest is not inflated."""
        try:
            return self._zlib.decompress(data, max(room, 0) + 1)
        except zlib.error:
            if self.coding == "deflate" and not self._raw_deflate_tried:  # some servers send deflate without its header
                self._raw_deflate_tried = True
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.take(data, room)
            raise InflateError(f"its {self.coding} compression is corrupt") from None


def codings_of(header: str) -> list[str]:
    names = [name.strip().lower() for name in header.split(",")]
    return ["gzip" if name == "x-gzip" else name for name in names if name and name != "identity"]


def decoded(pieces: Iterable[bytes], content_encoding: str, max_bytes: int) -> bytes:
    """The body of ``pieces`` (raw, as sent) with its one layer of compression undone. Raises
    InflateError for a body over ``max_bytes`` once decoded, compressed more than once, or in
    a coding other than gzip and deflate."""
    codings = codings_of(content_encoding)
    if len(codings) > 1:
        raise InflateError(f"compressed more than once ({', '.join(codings)}), which is not read")
    if codings and codings[0] not in ("gzip", "deflate"):
        raise InflateError(f"compressed as {codings[0]!r}, which was not asked for")
    inflater = Inflater(codings[0]) if codings else None
    body = bytearray()
    for piece in pieces:
        body += inflater.take(piece, max_bytes - len(body)) if inflater else piece
        if len(body) > max_bytes:
            raise InflateError(
                f"over the {max_bytes:,}-byte limit{' once decompressed' if inflater else ''}; not read further"
            )
    return bytes(body)
