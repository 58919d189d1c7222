"""A live server over real HTTP, configured as `repgraph serve` configures it.

The app runs under uvicorn in a background thread on a free local port, over a
real store, with the service's own uvicorn settings (`api.server.uvicorn_config`:
its connection protocol, no proxy-header rewriting), so that tests see what
clients of `repgraph serve` see.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

from api.app import create_app
from api.server import uvicorn_config
from config import Settings
from graph.store import GraphStore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    base: str
    store: GraphStore
    port: int = 0


@contextmanager
def serving(app: ASGIApp, settings: Settings, port: int | None = None) -> Iterator[int]:
    """Serve `app` as `repgraph serve` would, on `port` or a free local port (yielded)."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn_config(app, settings, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def live_server(store: GraphStore, settings: Settings | None = None,
                port: int | None = None) -> Iterator[LiveServer]:
    """The service over `store` (on `port`, where the settings' public address needs it)."""
    settings = settings or Settings()
    with serving(create_app(settings, store), settings, port) as port:
        yield LiveServer(f"http://127.0.0.1:{port}", store, port)
