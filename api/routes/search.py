"""Name search over all entities.

Each hit says how it matched (`match`) and how well (`score`); weak similarities
(a similar name below `graph.search.WEAK_BELOW`) come apart under `similar`, so a
client never takes one as the answer. Search is where candidates for a name come
from: no other route resolves names, and a not-found answer never suggests any.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Annotated
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
from graph.deadline import leave_inline
from graph.search import WEAK_BELOW, Hit, Match, SearchIndex
from graph.store import GraphStore
from schema.vocabulary import NodeKind

router = APIRouter(tags=["search"])


class SearchItem(BaseModel):
    id: str
    kind: NodeKind
    name: str
    aliases: list[str]
    match: Match = Field(description="how the query matched: the `id`, the `name` or an `alias` "
                         "(after folding case, diacritics and script), a `prefix` (the query "
                         "begins the name, or is whole words of it), or a `similar` name")
    score: float = Field(ge=0, le=100, description="100 for an id, name or alias; lower for "
                         "a looser match")

    @classmethod
    def of(cls, hit: Hit) -> SearchItem:
        node = hit.node
        return cls(id=node.id, kind=node.kind, name=node.name, aliases=node.aliases,
                   match=hit.match, score=hit.score)


class SearchResults(BaseModel):
    items: list[SearchItem] = Field(description="matches, best first: ids, names, aliases, "
                                    f"prefixes and similar names scoring at least {WEAK_BELOW:g}")
    similar: list[SearchItem] = Field(default_factory=list, description="weak matches, best "
                                      f"first: similar names scoring below {WEAK_BELOW:g}; "
                                      "suggestions, never answers")


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
    limit: Annotated[int, Query(ge=1, le=100, description="hits in all, `items` and `similar` "
                                "together")] = 10,
) -> SearchResults:
    hits = await within_time_limit(store, settings, "search", lambda: search_index(store).search(
        q, kind=kind, limit=limit))
    return SearchResults(items=[SearchItem.of(h) for h in hits if not h.weak],
                         similar=[SearchItem.of(h) for h in hits if h.weak])
