"""Name search over all entities."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Annotated
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
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


#: one index per store object (the editors' store, and each version's public view), and
#: one lock per store, so that a build abandoned past its deadline holds up no other store
_indexes: WeakKeyDictionary[GraphStore, tuple[Hashable, SearchIndex]] = WeakKeyDictionary()
_locks: WeakKeyDictionary[GraphStore, threading.Lock] = WeakKeyDictionary()
_locks_lock = threading.Lock()


def search_index(store: GraphStore) -> SearchIndex:
    """The store's search index, rebuilt only when the store's content has changed.

    Built from `searchable_nodes()` as the store gives them: on the public view that is
    every record as the public sees it (names of restricted persons removed) and no
    pseudonym, so a search cannot tell a restricted name from an unknown one.
    """
    version = store.version
    cached = _indexes.get(store)
    if cached is not None and cached[0] == version:
        return cached[1]
    # long on a large graph, and another request may hold the lock: either way, not on the
    # event loop
    leave_inline()
    # one build at a time: concurrent requests wait for it instead of each building their own
    with _locks_lock:
        lock = _locks.setdefault(store, threading.Lock())
    with lock:
        cached = _indexes.get(store)
        if cached is None or cached[0] != version:
            cached = _indexes[store] = (version, SearchIndex(list(store.searchable_nodes())))
    return cached[1]


@router.get("/search", response_model=SearchResults)
async def search(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="name or part of a name")],
    kind: Annotated[NodeKind | None, Query(description="only entities of this kind")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchResults:
    hits = await within_time_limit(store, settings, "search", lambda: search_index(store).search(
        q, kind=kind, limit=limit))
    return SearchResults(items=[
        SearchItem(id=h.node.id, kind=h.node.kind, name=h.node.name, aliases=h.node.aliases,
                   score=h.score) for h in hits])
