"""Connections for fetching: only to addresses the policy allows, and never past the fetch's deadline.

``GuardedBackend`` is an httpcore network backend. It resolves the host name once, checks every
address against the ``AddressPolicy`` (``index.addresses``) and connects to a checked address,
so the address checked is the address used, for the first request and for every redirect. A
refused address raises the same ``ConnectError`` as a host that cannot be reached: the caller
cannot tell them apart, so fetching cannot be used to map the machine's own network.

Its streams bound every connect, read and write by the deadline of the fetch under way on
this thread (``deadline``): a server that sends a byte a second, or holds the headers back,
is cut off at the deadline, not after a read timeout per byte. Within ``stopped_by(event)``
they also give up within ``STOP_CHECK_S`` of the event being set (a client that left, Ctrl-C).
"""

from __future__ import annotations

import math
import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

import httpcore
import httpx

from index.addresses import AddressPolicy

Resolver = Callable[..., list]  # socket.getaddrinfo's shape
STOP_CHECK_S = 0.5
_local = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Connections made and read on this thread within the block end at most ``seconds`` from now."""
    outer = getattr(_local, "ends", math.inf)
    _local.ends = min(outer, time.monotonic() + seconds)
    try:
        yield
    finally:
        _local.ends = outer


@contextmanager
def stopped_by(event: threading.Event) -> Iterator[None]:
    """Fetches on this thread within the block give up soon after ``event`` is set."""
    outer = getattr(_local, "stop", None)
    _local.stop = event
    try:
        yield
    finally:
        _local.stop = outer


def time_left() -> float:
    return getattr(_local, "ends", math.inf) - time.monotonic()


def stopped() -> bool:
    stop = getattr(_local, "stop", None)
    return stop is not None and stop.is_set()


def _bounded(timeout: float | None, failure: type[Exception]) -> float:
    left = time_left()
    if left <= 0 or stopped():
        raise failure("the fetch ran out of time" if left <= 0 else "the fetch was stopped")
    return left if timeout is None else min(timeout, left)


class _BoundedStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        limit = _bounded(timeout, httpcore.ReadTimeout)
        if getattr(_local, "stop", None) is None:
            return self._stream.read(max_bytes, limit)
        ends = time.monotonic() + limit
        while True:  # in short waits, to see the stop event (a timed-out wait has read nothing)
            try:
                return self._stream.read(max_bytes, min(STOP_CHECK_S, ends - time.monotonic()))
            except httpcore.ReadTimeout:
                if time.monotonic() >= ends:
                    raise
                _bounded(None, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None, timeout: float | None = None):
        return _BoundedStream(
            self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, policy: AddressPolicy, resolve: Resolver = socket.getaddrinfo) -> None:
        self.policy = policy
        self.resolve = resolve
        self._plain = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        try:
            found = self.resolve(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise httpcore.ConnectError("cannot connect") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        if not addresses or not all(self.policy.permits(host, address) for address in addresses):
            raise httpcore.ConnectError("cannot connect")  # worded as an unreachable host, on purpose
        failure: Exception = httpcore.ConnectError("cannot connect")
        for address in addresses:
            try:
                stream = self._plain.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _BoundedStream(stream)
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        raise httpcore.ConnectError("cannot connect")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, over a connection pool whose network backend is ``GuardedBackend``.
    (httpx has no public parameter for the backend yet; its pool is the documented httpcore one.)"""

    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=backend
        )
