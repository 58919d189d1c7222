"""The graph as a FollowTheMoney entity stream, for Aleph, OpenSanctions tooling and `ftm`.

Entities keep repgraph's ids; relationship entities get a hash of the edge id.
Every entity carries its provenance: the citations' URLs as `sourceUrl`, the
source document as `publisher` and `proof`, the paragraphs in `notes` or
`summary`. Kinds without an FtM counterpart are folded into the entities that
use them (a law becomes the `category` of the cases charged under it, a list the
`program` of a Sanction) and relationships FtM has no schema for become
`UnknownLink`s whose `role` names the repgraph relationship.

A listing is exported as a Sanction in FtM's `sanction.counter` sense: a measure
a state took against the person. No risk topic (crime, terror, wanted) is ever
set on anyone.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import BinaryIO

import orjson
from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id

from exporters.records import checked, graph_records, in_memory
from graph.store import GraphStore
from schema.ftm import (
    EDGE_SCHEMA,
    GROUP_SCHEMA,
    KIND_SCHEMA,
    MEASURE_EVENTS,
    ROLE_TOPICS,
    EdgeSchema,
    properties_of,
)
from schema.models import Citation, Edge, Node
from schema.vocabulary import RELATIONS, NodeKind

#: the topic of a state measure against a party, as opposed to a finding about it
MEASURE_TOPIC = "sanction.counter"
MEASURE_SUMMARY = "A measure taken against the listed party, not a finding about it."


def _readable(rel_type: str) -> str:
    return rel_type.lower().replace("_", " ")


class FtmExport:
    """Builds the entity stream from repgraph records, one relationship at a time."""

    def __init__(self, nodes: list[Node], edges: list[Edge]) -> None:
        self.nodes = {n.id: n for n in nodes}
        self.edges = edges
        self.entities: dict[str, EntityProxy] = {}
        self.maintainers: dict[str, list[str]] = {}
        for edge in edges:
            if edge.type == "MAINTAINS" and edge.source in self.nodes:
                self.maintainers.setdefault(edge.target, []).append(self.nodes[edge.source].name)

    # -- provenance ----------------------------------------------------------
    def _cite(self, proxy: EntityProxy, citations: list[Citation], text_prop: str) -> None:
        for cite in citations:
            source = self.nodes.get(cite.source)
            if cite.url:
                proxy.add("sourceUrl", cite.url)
            if source is None:
                continue
            if source.properties.get("url"):
                proxy.add("sourceUrl", source.properties["url"])
            proxy.add("publisher", source.properties.get("publisher") or source.name)
            if cite.source in self.entities and cite.source != proxy.id:
                proxy.add("proof", cite.source)
            proxy.add(text_prop, f"{source.name}, {cite.locator}")

    # -- nodes ---------------------------------------------------------------
    def add_node(self, node: Node) -> None:
        schema = KIND_SCHEMA.get(node.kind)
        if schema is None:
            return  # laws and lists are folded into cases and sanctions
        if node.group:
            schema = GROUP_SCHEMA if node.kind is NodeKind.PERSON else schema
        proxy = model.make_entity(schema)
        proxy.id = node.id
        proxy.add("name", node.name)
        proxy.add("alias", node.aliases)
        proxy.add("description", node.description)
        proxy.add("topics", [ROLE_TOPICS[r] for r in node.roles if r in ROLE_TOPICS])
        if node.kind is NodeKind.SOURCE:
            path = node.properties.get("path")
            proxy.add("fileName", PurePath(path).name if path else node.id)
            proxy.add("title", node.properties.get("title") or node.name)
        if schema == KIND_SCHEMA[node.kind]:  # a group of persons has none of a person's
            for row in properties_of(node.kind, "export"):
                proxy.add(row.ftm, node.properties.get(row.prop), fuzzy=row.value == "country")
        if schema == "Person":
            proxy.add("status", node.status)
        self.entities[node.id] = proxy

    # -- relationships -------------------------------------------------------
    def _interval(self, schema: str, edge: Edge, *parts: str) -> EntityProxy:
        proxy = model.make_entity(schema)
        proxy.id = make_entity_id("repgraph", edge.id, *parts)
        proxy.add("recordId", edge.id)
        proxy.add("startDate", edge.date)
        proxy.add("endDate", edge.end)
        if edge.claimed_by:
            proxy.add("description", f"{edge.certainty.value} by {edge.claimed_by}")
        self._cite(proxy, edge.citations, "summary")
        assert proxy.id is not None
        self.entities[proxy.id] = proxy
        return proxy

    def _fits(self, schema: str, prop: str, entity_id: str) -> bool:
        entity = self.entities.get(entity_id)
        target = model[schema].properties[prop].range
        return entity is not None and target is not None and entity.schema.is_a(target)

    def _link(self, edge: Edge, row: EdgeSchema) -> EntityProxy | None:
        """An edge entity, or an UnknownLink when FtM's ranges do not admit the endpoints."""
        schema, role = row.schema, row.role
        ends = {row.source: edge.source, row.target: edge.target}
        if not all(self._fits(schema, p, i) for p, i in ends.items()):
            if not (edge.source in self.entities and edge.target in self.entities):
                return None
            schema, ends, role = "UnknownLink", {"subject": edge.source, "object": edge.target}, \
                _readable(edge.type)
        proxy = self._interval(schema, edge)
        for prop, entity_id in ends.items():
            proxy.add(prop, entity_id)
        props = edge.properties
        proxy.add("role", props.get("role") or role, quiet=True)
        if schema == row.schema:
            for prop, ftm_prop in row.properties:
                proxy.add(ftm_prop, props.get(prop))
        if schema != "Family":
            keys = ("relation", "sentence", "term", "outcome", "decision", "support")
            proxy.add("status", [props[k] for k in keys if k in props], quiet=True)
        proxy.add("description", [props[k] for k in ("finding", "statement", "note", "purpose")
                                  if k in props])
        if props.get("measures"):
            proxy.add("summary", ", ".join(props["measures"]))
        return proxy

    def _sanction(self, edge: Edge, party: str, program: str, authorities: list[str]) -> None:
        if party not in self.entities:
            return
        proxy = self._interval("Sanction", edge)
        proxy.add("entity", party)
        proxy.add("program", program)
        proxy.add("authority", authorities)
        proxy.add("listingDate", edge.date)
        proxy.add("reason", edge.properties.get("note"))
        proxy.add("summary", MEASURE_SUMMARY)
        self.entities[party].add("topics", MEASURE_TOPIC)

    def _measure_event(self, edge: Edge) -> None:
        if edge.source not in self.entities or edge.target not in self.entities:
            return
        what = edge.properties.get("form") or MEASURE_EVENTS[edge.type]
        if edge.properties.get("measures"):
            what = ", ".join(m.replace("_", " ") for m in edge.properties["measures"])
        proxy = self._interval("Event", edge)
        proxy.add("name", f"{what} against {self.nodes[edge.target].name}")
        proxy.add("organizer", edge.source)
        proxy.add("involved", edge.target)
        proxy.add("location", edge.properties.get("place"))
        proxy.add("summary", RELATIONS[edge.type].description)
        proxy.add("description", edge.properties.get("note"))

    def _fold(self, edge: Edge) -> bool:
        """Relationships that become a property of an entity. True when handled."""
        src, tgt = self.nodes[edge.source], self.nodes[edge.target]
        case = self.entities.get(edge.source)
        if edge.type == "CHARGED_UNDER" and case is not None:
            case.add("category", tgt.name)
        elif edge.type == "TRIED_BY" and case is not None:
            case.add("court", tgt.name)
            return False  # also a CourtCaseParty
        elif edge.type == "AUTHORED" and edge.target in self.entities:
            self.entities[edge.target].add("author", src.name)
        elif edge.type == "PARTICIPATED_IN" and self._fits("Event", "involved", edge.source) \
                and edge.target in self.entities:
            self.entities[edge.target].add("involved", edge.source)
        elif edge.type == "PART_OF" and self._fits("LegalEntity", "parent", edge.target) \
                and self._fits("LegalEntity", "parent", edge.source):
            self.entities[edge.source].add("parent", edge.target)
        elif edge.type != "MAINTAINS":
            return False
        return True

    def add_edge(self, edge: Edge) -> None:
        if edge.source not in self.nodes or edge.target not in self.nodes or self._fold(edge):
            return
        if edge.type == "LISTED_ON":
            self._sanction(edge, edge.source, self.nodes[edge.target].name,
                           self.maintainers.get(edge.target, []))
        elif edge.type == "DESIGNATED_EXTREMIST":
            self._sanction(edge, edge.target, "designated extremist or banned",
                           [self.nodes[edge.source].name])
        elif edge.type in MEASURE_EVENTS:
            self._measure_event(edge)
        elif edge.type == "SUSPECTED_OF" and self.nodes[edge.target].kind is NodeKind.CASE:
            self._link(edge, EdgeSchema(edge.type, "CourtCaseParty", "party", "case", "suspect"))
        elif edge.type in EDGE_SCHEMA:
            self._link(edge, EDGE_SCHEMA[edge.type])
        else:
            self._link(edge, EdgeSchema(edge.type, "UnknownLink", "subject", "object",
                                        _readable(edge.type)))

    def build(self) -> list[EntityProxy]:
        sources = [n for n in self.nodes.values() if n.kind is NodeKind.SOURCE]
        others = [n for n in self.nodes.values() if n.kind is not NodeKind.SOURCE]
        for node in checked((*sources, *others)):  # documents first, for `proof`
            self.add_node(node)
        for node in self.nodes.values():
            if node.id in self.entities:
                self._cite(self.entities[node.id], node.citations,
                           "notes" if self.entities[node.id].schema.is_a("Thing") else "summary")
        for edge in checked(self.edges):
            self.add_edge(edge)
        return [self.entities[k] for k in sorted(self.entities)]


def ftm_entities(store: GraphStore) -> list[EntityProxy]:
    nodes, edges = graph_records(store)
    return FtmExport(nodes, edges).build()


def write_ftm(store: GraphStore, out: BinaryIO) -> None:
    """The entity stream as JSON lines, the format `ftm` and Aleph read."""
    for entity in ftm_entities(store):
        out.write(orjson.dumps(entity.to_dict(), option=orjson.OPT_SORT_KEYS) + b"\n")


def ftm_lines(store: GraphStore) -> bytes:
    return in_memory(write_ftm, store)

