"""The part of the graph each view shows, taken from the analysts' queries.

Each builder returns a `ViewGraph`: full nodes and edges (the side panel needs
their citations) in order of importance, so that capping a large request keeps
what matters most and can say how much was left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graph import queries
from graph.connections import Connection
from graph.results import RelativeTargeting
from graph.store import GraphStore
from schema.models import Edge, Node
from schema.vocabulary import CASE_LINK_TYPES, MEASURE_TYPES, NodeKind


@dataclass
class ViewGraph:
    nodes: list[Node]
    edges: list[Edge]
    omitted_nodes: int = 0
    omitted_edges: int = 0
    notes: list[str] = field(default_factory=list)

    def capped(self, max_nodes: int, max_edges: int) -> ViewGraph:
        """Keep the first `max_nodes` nodes and the first `max_edges` edges between them."""
        nodes = self.nodes[:max_nodes]
        kept = {n.id for n in nodes}
        edges = [e for e in self.edges if e.source in kept and e.target in kept]
        return ViewGraph(
            nodes=nodes, edges=edges[:max_edges],
            omitted_nodes=self.omitted_nodes + len(self.nodes) - len(nodes),
            omitted_edges=self.omitted_edges + len(self.edges) - min(len(edges), max_edges),
            notes=self.notes,
        )


class _Collector:
    """Nodes and edges in first-seen order, without duplicates."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.node_ids: dict[str, None] = {}
        self.edges: dict[str, Edge] = {}

    def add_nodes(self, ids: Iterable[str]) -> None:
        for node_id in ids:
            self.node_ids.setdefault(node_id, None)

    def add_edges(self, edges: Iterable[Edge]) -> None:
        for edge in edges:
            self.add_nodes((edge.source, edge.target))
            self.edges.setdefault(edge.id, edge)

    def graph(self) -> ViewGraph:
        found = self.store.find_nodes(self.node_ids)
        return ViewGraph(nodes=[found[i] for i in self.node_ids if i in found],
                         edges=list(self.edges.values()))


def _between(store: GraphStore, a: str, b: str, types: Iterable[str] | None = None) -> list[Edge]:
    return [e for e in store.incident_edges(a, types) if b in (e.source, e.target)]


def entity_view(store: GraphStore, node_id: str, *, depth: int, types: list[str] | None,
                limit: int, expand_generic: bool = False) -> ViewGraph:
    """An entity and what lies within `depth` hops, breadth first (generic actors shown, and
    expanded only when asked)."""
    found = queries.neighbourhood(store, node_id, depth=depth, types=types, limit=limit,
                                  expand_generic=expand_generic)
    nodes = store.find_nodes(n.id for n in found.nodes)
    edges = store.find_edges(e.id for e in found.edges)
    return ViewGraph(nodes=[nodes[n.id] for n in found.nodes],
                     edges=[edges[e.id] for e in found.edges if e.id in edges],
                     omitted_nodes=found.total_nodes - len(found.nodes))


def path_view(store: GraphStore, source: str, target: str, *, mode: str,
              avoid: Iterable[str] = (), through_generic: bool = False,
              max_hops: int | None = None) -> tuple[ViewGraph, Connection]:
    """Every node and edge on the paths found (`queries.connection`), and the answer."""
    found = queries.connection(store, source, target, mode=mode, max_hops=max_hops,
                               avoid=avoid, through_generic=through_generic)
    out = _Collector(store)
    out.add_nodes((source, target))
    for path in found.paths:
        out.add_nodes(n.id for n in path.nodes)
        out.add_edges(store.find_edges(e.id for e in path.edges).values())
    graph = out.graph()
    if not found.paths:
        graph.notes.append(found.summary)
    return graph, found


def relatives_view(store: GraphStore, found: list[RelativeTargeting]) -> ViewGraph:
    """People pressured through their relatives, the relatives, and who acted against them,
    for the targetings `found` (`queries.targeted_through_relatives`)."""
    out = _Collector(store)
    relatives: dict[str, None] = {}
    for item in found:
        relatives.setdefault(item.relative.id, None)
        out.add_edges(_between(store, item.relative.id, item.target.id))
    for relative in relatives:
        out.add_edges(e for e in store.incident_edges(relative, MEASURE_TYPES)
                      if e.target == relative or e.type == "LISTED_ON")
    return out.graph()


def case_view(store: GraphStore, case_id: str) -> ViewGraph:
    """A case, everyone and everything attached to it, and the cases linked through them."""
    case = store.get_node(case_id)
    if case.kind is not NodeKind.CASE:
        raise ValueError(f"{case_id!r} is a {case.kind}, not a case")
    out = _Collector(store)
    out.add_nodes([case_id])
    out.add_edges(store.incident_edges(case_id))
    for link in queries.case_links(store, case_id):
        for shared in link.shared.values():
            for via in shared:
                out.add_edges(_between(store, via.id, link.case.id, CASE_LINK_TYPES))
    return out.graph()


def whole_view(store: GraphStore, kinds: frozenset[NodeKind] | None) -> ViewGraph:
    """Everything of the chosen kinds; the best-connected entities first, for capping."""
    nodes = [n for n in store.iter_nodes() if kinds is None or n.kind in kinds]
    keep = {n.id for n in nodes}
    edges = [e for e in store.iter_edges() if e.source in keep and e.target in keep]
    degree: dict[str, int] = dict.fromkeys(keep, 0)
    for e in edges:
        degree[e.source] += 1
        degree[e.target] += 1
    nodes.sort(key=lambda n: (-degree[n.id], n.id))
    rank = {n.id: i for i, n in enumerate(nodes)}
    edges.sort(key=lambda e: (max(rank[e.source], rank[e.target]), e.id))
    return ViewGraph(nodes=nodes, edges=edges)
