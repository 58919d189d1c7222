"""GraphML and GEXF exports through networkx, for Gephi, yEd and Cytoscape.

Both formats hold only flat values, so lists become `; `-joined text and
properties, citations and a person's dated history become JSON text. Attribute names avoid the ones GEXF
reserves: `start`/`end` (a dynamic graph's time interval) and an edge's `type`
(directed or not), so the relationship type is `relationship` (and the label).
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from exporters.records import checked, graph_records, in_memory
from graph.deadline import checkpoint
from graph.store import GraphStore
from schema.models import Citation, Edge, Node, Statement


def _text(values: list[str]) -> str:
    return "; ".join(values)


def _citations(citations: list[Citation]) -> str:
    return json.dumps([c.model_dump(exclude_none=True) for c in citations], ensure_ascii=False)


def _statements(statements: list[Statement]) -> str:
    return json.dumps([s.model_dump(mode="json", exclude_none=True) for s in statements],
                      ensure_ascii=False)


def _drop_empty(attrs: dict[str, Any]) -> dict[str, Any]:
    """The writers reject None and Gephi shows empty columns: leave unset values out."""
    return {k: v for k, v in attrs.items() if v not in (None, "", "{}", "[]")}


def node_attributes(node: Node) -> dict[str, Any]:
    return _drop_empty({
        "label": node.name, "kind": node.kind.value, "aliases": _text(node.aliases),
        "description": node.description, "roles": _text(node.roles),
        "status": _text(node.status), "sensitivity": node.sensitivity.value,
        "group": node.group, "count": node.count, "count_qualifier": node.count_qualifier,
        "properties": json.dumps(node.properties, ensure_ascii=False, sort_keys=True),
        "citations": _citations(node.citations), "statements": _statements(node.statements),
        "history": json.dumps([s.model_dump(mode="json", exclude_none=True) for s in node.history],
                              ensure_ascii=False),
        "source": node.source,
    })


def edge_attributes(edge: Edge) -> dict[str, Any]:
    return _drop_empty({
        "id": edge.id, "label": edge.type, "relationship": edge.type, "directed": edge.directed,
        "date": edge.date, "until": edge.end, "certainty": edge.certainty.value,
        "claimed_by": edge.claimed_by,
        "properties": json.dumps(edge.properties, ensure_ascii=False, sort_keys=True),
        "citations": _citations(edge.citations), "statements": _statements(edge.statements),
    })


def to_networkx(store: GraphStore) -> nx.MultiDiGraph:
    """The graph as a networkx multigraph with flat attributes, one edge per relationship."""
    nodes, edges = graph_records(store)
    graph = nx.MultiDiGraph(name="repgraph")
    for node in checked(nodes):
        graph.add_node(node.id, **node_attributes(node))
    for edge in checked(edges):
        graph.add_edge(edge.source, edge.target, key=edge.id, **edge_attributes(edge))
    return graph


def _checked(writer: Any) -> Any:
    """networkx's `writer`, checking the time limit at every node and edge it adds (its
    `add_attributes` step): building the XML tree is most of an export's time."""
    add_attributes = writer.add_attributes

    def checked_add_attributes(*args: Any) -> Any:
        checkpoint()
        return add_attributes(*args)

    writer.add_attributes = checked_add_attributes
    return writer


def write_graphml(store: GraphStore, out: BinaryIO) -> None:
    """As `nx.write_graphml` without lxml (always, so that the output does not depend on
    whether lxml is installed)."""
    writer = _checked(GraphMLWriter(encoding="utf-8"))
    writer.add_graph_element(to_networkx(store))
    writer.dump(out)


def write_gexf(store: GraphStore, out: BinaryIO) -> None:
    """As `nx.write_gexf`."""
    writer = _checked(GEXFWriter(encoding="utf-8"))
    writer.add_graph(to_networkx(store))
    writer.write(out)


def graphml(store: GraphStore) -> bytes:
    return in_memory(write_graphml, store)


def gexf(store: GraphStore) -> bytes:
    return in_memory(write_gexf, store)
