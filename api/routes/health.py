"""Liveness and graph size."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
from graph.results import Stats

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    backend: str
    nodes: int
    edges: int


@router.get("/health", response_model=Health)
async def health(store: StoreDep, settings: SettingsDep) -> Health:
    stats = await within_time_limit(store, settings, "health", store.stats)
    return Health(status="ok", backend=store.backend, nodes=stats.nodes, edges=stats.edges)


@router.get("/stats", response_model=Stats)
async def stats(store: StoreDep, settings: SettingsDep) -> Stats:
    return await within_time_limit(store, settings, "stats", store.stats)
