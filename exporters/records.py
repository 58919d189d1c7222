"""The records an export contains: the single hook for redacting public exports.

Every exporter asks this module for nodes and edges instead of reading the store
itself, so that what a *public* export may show is decided in one place. Issue 8
replaces the body of `graph_records` with proper redaction; until then a public
export conservatively leaves out restricted nodes and every relationship touching
them, so a public export can never carry more than the redacted one will.
"""

from __future__ import annotations

from graph.store import GraphStore
from schema.models import Edge, Node


def graph_records(store: GraphStore, *, public: bool = False) -> tuple[list[Node], list[Edge]]:
    """All nodes and edges, sorted by id so that exports are stable and diffable.

    With `public`, restricted persons (relatives, private persons) and their
    relationships are left out. This is the redaction hook for issue 8.
    """
    nodes = sorted(store.iter_nodes(), key=lambda n: n.id)
    edges = sorted(store.iter_edges(), key=lambda e: e.id)
    if public:
        hidden = {n.id for n in nodes if n.restricted}
        nodes = [n for n in nodes if n.id not in hidden]
        edges = [e for e in edges if e.source not in hidden and e.target not in hidden]
    return nodes, edges
