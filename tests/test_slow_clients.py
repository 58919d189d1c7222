"""Slow clients cannot hold connections: raw sockets against a live server.

The server runs as `repgraph serve` runs it (`tests.live`), with a one-second
header timeout so that the tests stay short. Times below are liveness bounds,
several times the timeout, never measurements.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator

import pytest

from api.connections import MAX_HEAD_BYTES
from config import Settings
from graph.memory import MemoryStore
from tests.live import LiveServer, live_server

TIMEOUT_S = 1.0
#: a connection the server should have closed is given this long to be closed
CLOSED_WITHIN_S = TIMEOUT_S + 4.0
HEALTH = b"GET /api/health HTTP/1.1\r\nHost: test\r\n\r\n"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    store = MemoryStore()
    with live_server(store, Settings(header_timeout_s=TIMEOUT_S)) as found:
        yield found
    store.close()


def _connect(server: LiveServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _closed_by_server(sock: socket.socket, within_s: float, dribble: bytes = b"") -> bool:
    """Whether the server closes `sock` within `within_s`, while the client sends
    `dribble` every 0.2 s (a client that is slow, not silent)."""
    deadline = time.monotonic() + within_s
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            pass
        except ConnectionResetError:
            return True
        if dribble:
            try:
                sock.sendall(dribble)
            except (BrokenPipeError, ConnectionResetError):
                return True
    return False


def _response(sock: socket.socket) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(sock)
    response.begin()
    response.read()
    return response


def test_a_client_sending_its_head_slowly_is_disconnected(server: LiveServer) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: test\r\n")
        assert _closed_by_server(sock, CLOSED_WITHIN_S, dribble=b"X-Slow: 1\r\n")


def test_many_half_open_connections_are_closed_and_others_still_served(
        server: LiveServer) -> None:
    sockets = [_connect(server) for _ in range(200)]
    try:
        for i, sock in enumerate(sockets):
            if i % 2:  # half say nothing at all, half stop in the middle of a head
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: te")
        with _connect(server) as sock:  # meanwhile, a whole request is answered
            sock.sendall(HEALTH)
            assert _response(sock).status == 200
        deadline = time.monotonic() + CLOSED_WITHIN_S
        still_open = [s for s in sockets
                      if not _closed_by_server(s, max(0.0, deadline - time.monotonic()))]
        assert still_open == []
    finally:
        for sock in sockets:
            sock.close()


def test_keep_alive_connections_outlive_the_header_timeout_between_requests(
        server: LiveServer) -> None:
    """The idle time between requests is uvicorn's keep-alive (5 s), not the head's."""
    with _connect(server) as sock:
        for _ in range(2):
            sock.sendall(HEALTH)
            response = _response(sock)
            assert response.status == 200 and not response.will_close
            time.sleep(TIMEOUT_S * 1.5)
        sock.sendall(HEALTH)
        assert _response(sock).status == 200


def test_blank_lines_between_requests_do_not_keep_a_connection(server: LiveServer) -> None:
    with _connect(server) as sock:
        sock.sendall(HEALTH)
        assert _response(sock).status == 200
        assert _closed_by_server(sock, CLOSED_WITHIN_S, dribble=b"\r\n")


def test_an_oversized_head_is_refused(server: LiveServer) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: test\r\n")
        line = b"X-Padding: " + b"a" * 1000 + b"\r\n"
        try:
            for _ in range(MAX_HEAD_BYTES // len(line) + 2):
                sock.sendall(line)
        except (BrokenPipeError, ConnectionResetError):
            return  # refused while still sending
        sock.settimeout(CLOSED_WITHIN_S)
        assert sock.recv(100).startswith(b"HTTP/1.1 431 ")
