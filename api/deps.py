"""Dependencies injected into routes, as `Annotated` aliases.

They are `async def` although they never await: FastAPI runs a plain `def`
dependency in its thread pool, and that hand-off per dependency per request cost
more than the lookup itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.settings import Settings
from graph.store import GraphStore


async def _store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[GraphStore, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_settings)]
