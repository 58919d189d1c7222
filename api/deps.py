"""Dependencies injected into routes, as `Annotated` aliases.

They are `async def` although they never await: FastAPI runs a plain `def`
dependency in its thread pool, and that hand-off per dependency per request cost
more than the lookup itself.

`StoreDep` is where the audience is decided once: editors read the store, the
public reads its public view (`graph.public`). Routes, templates and exporters
never ask who is asking.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from api.security import PUBLIC, Audience
from api.views.reader import Readings
from config import Settings
from graph.public import PublicViews
from graph.redaction import RedactionKeys
from graph.store import GraphStore


def public_views(state: Any) -> PublicViews:
    """The app's public views, made on first use (after the store exists)."""
    views: PublicViews | None = getattr(state, "public_views", None)
    if views is None or views.store is not state.store:
        settings: Settings = state.settings
        views = PublicViews(state.store, RedactionKeys.of(settings))
        state.public_views = views
    return views


async def _store(request: Request) -> GraphStore:
    audience: Audience = getattr(request.state, "audience", PUBLIC)
    if audience.editor:
        store: GraphStore = request.app.state.store
        return store
    return public_views(request.app.state).get()


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _readings(request: Request) -> Readings:
    readings: Readings = request.app.state.readings
    return readings


StoreDep = Annotated[GraphStore, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_settings)]
#: the source texts, as each store's readers read them (`api.views.reader`)
ReadingsDep = Annotated[Readings, Depends(_readings)]
