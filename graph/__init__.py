"""Graph stores (embedded networkx, Neo4j) and the queries written once over them."""

from __future__ import annotations

from config import Settings, get_settings
from graph.store import GraphStore


def open_store(settings: Settings | None = None) -> GraphStore:
    """The store the settings select (embedded by default, Neo4j when asked), read as the
    editors' identity decisions resolve it (`graph.resolved`)."""
    settings = settings or get_settings()
    return with_decisions(open_backend(settings), settings)


def open_backend(settings: Settings) -> GraphStore:
    """The store's records as they are stored, with no decision applied."""
    if settings.backend == "neo4j":
        from graph.neo4j import Neo4jStore

        store: GraphStore = Neo4jStore.from_settings(settings)
        return store
    from graph.memory import MemoryStore

    return MemoryStore(settings.data_dir)


def with_decisions(store: GraphStore, settings: Settings) -> GraphStore:
    """`store` read through the decisions the settings' files hold (itself if it already is)."""
    from graph.resolved import ResolvedStore
    from graph.review import ReviewFiles

    if isinstance(store, ResolvedStore):
        return store
    return ResolvedStore(store, ReviewFiles.of(settings))


__all__ = ["GraphStore", "open_store"]
