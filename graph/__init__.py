"""Graph stores (embedded networkx, Neo4j) and the queries written once over them."""

from __future__ import annotations

from config import Settings, get_settings
from graph.store import GraphStore


def open_store(settings: Settings | None = None) -> GraphStore:
    """The store the settings select: embedded by default, Neo4j when asked."""
    settings = settings or get_settings()
    if settings.backend == "neo4j":
        from graph.neo4j import Neo4jStore

        store: GraphStore = Neo4jStore.from_settings(settings)
        return store
    from graph.memory import MemoryStore

    return MemoryStore(settings.data_dir)


__all__ = ["GraphStore", "open_store"]
