"""Run the service with uvicorn, optionally loading dataset files first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import uvicorn

from api.app import create_app
from config import Settings
from graph import open_store
from loaders import native


def serve(settings: Settings, host: str | None = None, port: int | None = None,
          preload: Sequence[Path] | None = None) -> None:
    store = open_store(settings)
    if preload:
        report = native.load(preload, store)
        print(f"loaded {', '.join(map(str, preload))}: {report.summary()}")
    app = create_app(settings, store)
    uvicorn.run(app, host=host or settings.host, port=port or settings.port)
