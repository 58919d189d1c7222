"""How `Node` and `Edge` records map to Neo4j properties and back, exactly.

Scalars and lists of strings stay plain properties, so that Cypher can filter on
them (`n.kind`, `n.sensitivity`, `r.date`). Nested data, the citations, a person's
history and the kind- or type-specific properties, is kept as one JSON string each: Neo4j has no
nested maps, and a record must read back equal to what was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from schema.models import STORED, Edge, Node

NODE_SCALARS = ("id", "kind", "name", "aliases", "description", "roles", "status", "sensitivity",
                "pseudonym", "group", "count", "count_qualifier", "source")
EDGE_SCALARS = ("id", "key", "date", "end", "certainty", "claimed_by")
NESTED = ("properties", "citations", "statements")
#: nested data only nodes have: a person's dated statuses and roles
NODE_NESTED = (*NESTED, "history")


def _props(data: dict[str, Any], scalars: tuple[str, ...], load: str | None,
           nested: tuple[str, ...] = NESTED) -> dict[str, Any]:
    props = {k: data[k] for k in scalars if data.get(k) is not None}
    for k in nested:
        props[k] = orjson.dumps(data[k]).decode()
    if load is not None:
        props["load"] = load
    return props


def node_props(node: Node, load: str | None) -> dict[str, Any]:
    """Properties of a node, stamped with the load that writes it."""
    return _props(node.model_dump(mode="json"), NODE_SCALARS, load, NODE_NESTED)


def edge_props(edge: Edge, load: str | None) -> dict[str, Any]:
    """Properties of a relationship; its type and endpoints live in the graph itself."""
    return _props(edge.model_dump(mode="json"), EDGE_SCALARS, load)


def _fields(props: Mapping[str, Any], scalars: tuple[str, ...],
            nested: tuple[str, ...] = NESTED) -> dict[str, Any]:
    data = {k: props[k] for k in scalars if props.get(k) is not None}
    for k in nested:
        if k in props:
            data[k] = orjson.loads(props[k])
    return data


def node_from(props: Mapping[str, Any]) -> Node:
    return Node.model_validate(_fields(props, NODE_SCALARS, NODE_NESTED), context=STORED)


def edge_from(record: Mapping[str, Any]) -> Edge:
    """An edge from a row with `edge` (its properties), `type`, `source` and `target`."""
    data = _fields(record["edge"], EDGE_SCALARS)
    return Edge.model_validate({**data, "type": record["type"], "source": record["source"],
                                "target": record["target"]}, context=STORED)


def edge_rows(ids: Iterable[str]) -> list[dict[str, str]]:
    """Edge ids with the source node each starts from, so that lookups use the id index.

    An edge id begins with its source's id (`schema.models.edge_id`), and node ids
    cannot contain `|`.
    """
    return [{"id": i, "source": i.split("|", 1)[0]} for i in ids]
