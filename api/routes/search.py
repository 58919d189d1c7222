"""Name search over all entities."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
from api.middleware import redactors
from api.security import AudienceDep
from graph.deadline import leave_inline
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


_build_lock = threading.Lock()


def search_index(request: Request, store: GraphStore, public: bool) -> SearchIndex:
    """The app's search index, rebuilt only when the store's content has changed.

    The public index leaves restricted persons out and holds every other name as
    the public sees it (a case named after a restricted person is indexed with
    that name redacted), so that a search cannot confirm who a restricted person is.
    A store that counts its changes (`version`) is asked only that: counting nodes
    walks the whole graph on the embedded store, which is too slow per request.
    """
    version = getattr(store, "version", None)
    if version is None:
        version = store.stats().nodes
    slot = "public_search_index" if public else "search_index"
    cached: tuple[object, SearchIndex] | None = getattr(request.app.state, slot, None)
    if cached is not None and cached[0] == version:
        return cached[1]
    # long on a large graph, and another request may hold the lock: either way, not on the
    # event loop
    leave_inline()
    # one build at a time: concurrent requests wait for it instead of each building their own
    with _build_lock:
        built: tuple[object, SearchIndex] | None = getattr(request.app.state, slot, None)
        if built is not None and built[0] == version:
            return built[1]
        nodes = list(store.iter_nodes())
        if public:
            redactor = redactors(request.app.state).get()
            nodes = [n.model_copy(update={"name": redactor.text(n.name),
                                          "aliases": [redactor.text(a) for a in n.aliases]})
                     for n in nodes if not n.restricted]
        cached = (version, SearchIndex(nodes))
        setattr(request.app.state, slot, cached)
    return cached[1]


@router.get("/search", response_model=SearchResults)
async def search(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    audience: AudienceDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="name or part of a name")],
    kind: Annotated[NodeKind | None, Query(description="only entities of this kind")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchResults:
    hits = await within_time_limit(store, settings, "search", lambda: search_index(
        request, store, audience.public).search(q, kind=kind, limit=limit))
    return SearchResults(items=[
        SearchItem(id=h.node.id, kind=h.node.kind, name=h.node.name, aliases=h.node.aliases,
                   score=h.score) for h in hits])
