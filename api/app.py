"""Application factory: one store per process, created at start-up and injected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api.editors import EditorKeys
from api.errors import BAD_KEY, RATE_LIMITED, TIMED_OUT, install_error_handlers
from api.headers import frame_ancestors
from api.middleware import TrustMiddleware
from api.openapi import install_openapi
from api.ratelimit import TokenBuckets, rate_limit
from api.routes import (
    analysis,
    cases,
    entities,
    export,
    health,
    imports,
    neighbourhood,
    oembed,
    pages,
    paths,
    relatives,
    review,
    search,
    signin,
    sources,
    timeline,
)
from api.sessions import Sessions
from api.views.reader import Readings
from api.views.render import STATIC_DIR, check_vendor_files
from config import Settings, get_settings
from graph import open_store, with_decisions
from graph.privatefiles import stored_secret
from graph.store import GraphStore
from sources.library import SourceLibrary


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = with_decisions(store, settings) if store is not None else open_store(settings)
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    # FastAPIOffline serves Swagger UI from files in the package, not a CDN. No ReDoc: its
    # bundle fetches its logo from a CDN.
    app = FastAPIOffline(
        redoc_url=None,
        # no trailing-slash redirects: a redirect would echo the id that was asked for
        redirect_slashes=False,
        title="repgraph",
        summary="A cited knowledge graph of repression networks",
        description="Persons, organisations, cases, agencies, laws and events, every "
                    "relationship with its source citation.",
        version="0.1.0",
        lifespan=lifespan,
    )
    frame_ancestors(settings.embed_frame_ancestors)  # a bad setting stops start-up, not a request
    app.state.settings = settings
    app.state.readings = Readings(SourceLibrary(settings.sources_path))
    app.state.rate_limits = TokenBuckets(settings.rate_limit_per_minute,
                                         settings.rate_limit_burst)
    app.state.signin_limits = TokenBuckets(settings.signin_per_minute, settings.signin_burst)
    app.state.editors = EditorKeys(settings.editor_keys_path, settings.editor_key_hashes)
    app.state.sessions = Sessions(
        settings.session_secret or stored_secret(settings.data_dir / ".session-secret"),
        settings.session_ttl_s, settings.signed_out_path)
    install_error_handlers(app)
    install_openapi(app, settings)
    for cheap in (health, search, entities, timeline, relatives, sources):
        app.include_router(cheap.router, prefix="/api",
                           responses={**BAD_KEY, **RATE_LIMITED, **TIMED_OUT})
    for expensive in (neighbourhood, paths, cases, analysis, export, imports):
        app.include_router(expensive.router, prefix="/api", dependencies=[Depends(rate_limit)],
                           responses={**BAD_KEY, **RATE_LIMITED, **TIMED_OUT})
    for review_router in (review.reading, review.deciding):
        app.include_router(review_router, prefix="/api", dependencies=[Depends(rate_limit)],
                           responses={**BAD_KEY, **RATE_LIMITED, **TIMED_OUT})
    check_vendor_files()
    app.include_router(pages.router)
    app.include_router(oembed.router)
    app.include_router(sources.page)
    app.include_router(analysis.page)
    app.include_router(review.page)
    app.include_router(signin.router, responses={**BAD_KEY, **RATE_LIMITED})
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # outermost last: CORS answers preflights, then the trust boundary (which also sets
    # every response's security headers)
    app.add_middleware(TrustMiddleware, settings=settings, editors=app.state.editors,
                       sessions=app.state.sessions, key_attempts=app.state.signin_limits)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"],
                           allow_headers=["X-API-Key", "Authorization", "Content-Type"])
    return app
