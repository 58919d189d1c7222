"""Application factory: one store per process, created at start-up and injected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.openapi import install_openapi
from api.routes import (
    cases,
    entities,
    export,
    health,
    neighbourhood,
    paths,
    relatives,
    search,
    timeline,
)
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
    install_openapi(app, settings)
    app.include_router(health.router, prefix="/api")
    app.include_router(search.router, prefix="/api")
    for resource in (entities, neighbourhood, timeline, paths, relatives, cases, export):
        app.include_router(resource.router, prefix="/api")
    return app
