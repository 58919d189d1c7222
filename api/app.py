"""Application factory: one store per process, created at start-up and injected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.routes import health, pages, search
from api.security import install_security_headers
from api.views.render import STATIC_DIR, check_vendor_files
from graph import open_store
from graph.settings import Settings, get_settings
from graph.store import GraphStore


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = store if store is not None else open_store(settings)
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(
        title="repgraph",
        summary="A cited knowledge graph of repression networks",
        description="Persons, organisations, cases, agencies, laws and events, every "
                    "relationship with its source citation.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(health.router, prefix="/api")
    app.include_router(search.router, prefix="/api")
    check_vendor_files()
    install_security_headers(app, settings)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
