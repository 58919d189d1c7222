"""The records an export contains: the single hook for redacting public exports.

Every exporter asks this module for nodes and edges instead of reading the store
itself, so that what a *public* export may show is decided in one place, before
any format is written. The trust boundary (`api/middleware.py`) scrubs every
public answer again as text; redacting the records first does not depend on how
a format escapes or cleans text (FtM, for one, drops control characters, which
can join a name to the word before it).
"""

from __future__ import annotations

from typing import Any

from graph.redaction import Redactor
from graph.store import GraphStore
from schema.models import Citation, Edge, Node


def graph_records(store: GraphStore, *, public: bool = False) -> tuple[list[Node], list[Edge]]:
    """All nodes and edges, sorted by id so that exports are stable and diffable.

    With `public`, restricted persons (relatives, private persons) and their
    relationships are left out, and their names and distinctive words are replaced
    in every text of the records that remain. Ids are left to the trust boundary,
    which gives the public one pseudonym per id across every answer.
    """
    nodes = sorted(store.iter_nodes(), key=lambda n: n.id)
    edges = sorted(store.iter_edges(), key=lambda e: e.id)
    if public:
        redactor = Redactor(nodes, secret="")  # names only: no pseudonym is used here
        hidden = {n.id for n in nodes if n.restricted}
        nodes = [_scrub_node(n, redactor) for n in nodes if n.id not in hidden]
        edges = [_scrub_edge(e, redactor) for e in edges
                 if e.source not in hidden and e.target not in hidden]
    return nodes, edges


def _scrub_node(node: Node, redactor: Redactor) -> Node:
    if not redactor.active:
        return node
    scrub = redactor.names
    return node.model_copy(update={
        "name": scrub(node.name), "aliases": [scrub(a) for a in node.aliases],
        "description": _optional(node.description, redactor),
        "count_qualifier": _optional(node.count_qualifier, redactor),
        "properties": _strings(node.properties, redactor),
        "citations": _citations(node.citations, redactor)})


def _scrub_edge(edge: Edge, redactor: Redactor) -> Edge:
    if not redactor.active:
        return edge
    return edge.model_copy(update={
        "claimed_by": _optional(edge.claimed_by, redactor),
        "properties": _strings(edge.properties, redactor),
        "citations": _citations(edge.citations, redactor)})


def _optional(text: str | None, redactor: Redactor) -> str | None:
    return redactor.names(text) if text is not None else None


def _citations(citations: list[Citation], redactor: Redactor) -> list[Citation]:
    return [c.model_copy(update={"note": _optional(c.note, redactor)}) for c in citations]


def _strings(value: Any, redactor: Redactor) -> Any:
    """Every string in JSON-like data scrubbed (keys included)."""
    if isinstance(value, str):
        return redactor.names(value)
    if isinstance(value, list):
        return [_strings(v, redactor) for v in value]
    if isinstance(value, dict):
        return {_strings(k, redactor): _strings(v, redactor) for k, v in value.items()}
    return value
