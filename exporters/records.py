"""The records an export contains, read once for every format.

An export writes whatever store it is handed: the store itself for editors, its
public view (`graph.public`) for everyone else, so that no format decides what the
public may see.
"""

from __future__ import annotations

from graph.store import GraphStore
from schema.models import Edge, Node


def graph_records(store: GraphStore) -> tuple[list[Node], list[Edge]]:
    """All nodes and edges, sorted by id so that exports are stable and diffable."""
    nodes = sorted(store.iter_nodes(), key=lambda n: n.id)
    edges = sorted(store.iter_edges(), key=lambda e: e.id)
    return nodes, edges
