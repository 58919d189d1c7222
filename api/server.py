"""Run the service with uvicorn, optionally loading dataset files first."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from api.app import create_app
from api.connections import head_timeout_protocol
from config import Settings
from graph import open_store
from loaders import native


def uvicorn_config(app: ASGIApp, settings: Settings, **options: Any) -> uvicorn.Config:
    """How the service is served (`repgraph serve`, and the tests' live servers).

    uvicorn's own proxy-header handling is off: it would rewrite the client address
    from `X-Forwarded-For` sent by any local peer. `api.clients` reads forwarded
    headers instead, from `REPGRAPH_TRUSTED_PROXIES` only. Connections must send each
    request head within `REPGRAPH_HEADER_TIMEOUT_S` (`api.connections`).
    """
    options = {"host": settings.host, "port": settings.port, **options}
    return uvicorn.Config(app, http=head_timeout_protocol(settings.header_timeout_s),
                          proxy_headers=False, **options)


def serve(settings: Settings, host: str | None = None, port: int | None = None,
          preload: Sequence[Path] | None = None) -> None:
    # where it listens is also, unless REPGRAPH_PUBLIC_URL says otherwise, its public address
    settings = settings.model_copy(update={"host": host or settings.host,
                                           "port": port or settings.port})
    store = open_store(settings)
    if preload:
        report = native.load(preload, store)
        print(f"loaded {', '.join(map(str, preload))}: {report.summary()}")
    server = uvicorn.Server(uvicorn_config(create_app(settings, store), settings))
    with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C during shutdown
        server.run()
    if not server.started:
        raise SystemExit(f"the service could not start on {settings.host}:{settings.port}")
