"""Name search over all entities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from api.deps import StoreDep
from graph.search import SearchIndex
from graph.store import GraphStore
from schema.vocabulary import NodeKind

router = APIRouter(tags=["search"])


class SearchItem(BaseModel):
    id: str
    kind: NodeKind
    name: str
    aliases: list[str]
    score: float


class SearchResults(BaseModel):
    items: list[SearchItem]


def search_index(request: Request, store: GraphStore) -> SearchIndex:
    """The app's search index, rebuilt only when the store's content has changed.

    A store that counts its changes (`version`) is asked only that: counting nodes
    walks the whole graph on the embedded store, which is too slow per request.
    """
    version = getattr(store, "version", None)
    if version is None:
        version = store.stats().nodes
    cached: tuple[object, SearchIndex] | None = getattr(request.app.state, "search_index", None)
    if cached is None or cached[0] != version:
        cached = (version, SearchIndex.of(store))
        request.app.state.search_index = cached
    return cached[1]


@router.get("/search", response_model=SearchResults)
def search(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="name or part of a name")],
    kind: Annotated[NodeKind | None, Query(description="only entities of this kind")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchResults:
    hits = search_index(request, store).search(q, kind=kind, limit=limit)
    return SearchResults(items=[
        SearchItem(id=h.node.id, kind=h.node.kind, name=h.node.name, aliases=h.node.aliases,
                   score=h.score) for h in hits])
