"""Liveness and graph size."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import StoreDep
from graph.results import Stats

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    backend: str
    nodes: int
    edges: int


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    stats = store.stats()
    return Health(status="ok", backend=store.backend, nodes=stats.nodes, edges=stats.edges)


@router.get("/stats", response_model=Stats)
def stats(store: StoreDep) -> Stats:
    return store.stats()
