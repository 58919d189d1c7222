"""What an entity page shows: its facts, its relations with their citations, its timeline,
linked cases and the views that start from it. All names pass through the redactor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.views.present import CitationView, Presenter
from api.views.redact import Redactor
from api.views.style import KIND_STYLES, relation_label
from api.views.subgraphs import require_public
from graph import queries
from graph.store import GraphStore
from schema.models import Edge, Node
from schema.vocabulary import NodeKind

MAX_RELATIONS = 500


@dataclass(frozen=True)
class Party:
    """One end of a relation: a name and, for public entities, a link."""

    name: str
    href: str | None
    this: bool = False


@dataclass
class RelationRow:
    subject: Party
    label: str
    object: Party
    date: str | None
    facts: list[tuple[str, str]]
    citations: list[CitationView]


def _party(node: Node, red: Redactor, this_id: str) -> Party:
    if not red.linkable(node):
        return Party(red.name(node), None, this=node.id == this_id)
    return Party(red.name(node), f"/entities/{node.id}", this=node.id == this_id)


def _relations(store: GraphStore, presenter: Presenter, node: Node) -> tuple[list[RelationRow], int]:
    edges = store.incident_edges(node.id, limit=MAX_RELATIONS)
    others = store.find_nodes({e.source for e in edges} | {e.target for e in edges})
    red = presenter.redactor
    rows = []
    for edge in edges:
        record = presenter.edge(edge, others[edge.source], others[edge.target])
        rows.append(RelationRow(
            subject=_party(others[edge.source], red, node.id), label=relation_label(edge.type),
            object=_party(others[edge.target], red, node.id), date=_when(edge),
            facts=[f for f in record.facts if f[0] not in ("Relationship", "Date")],
            citations=record.citations))
    rows.sort(key=lambda r: (r.label, r.date or "", r.subject.name, r.object.name))
    return rows, max(0, store.degree(node.id) - len(edges))


def _when(edge: Edge) -> str | None:
    if edge.date and edge.end:
        return f"{edge.date} to {edge.end}"
    return edge.date


def entity_page_context(store: GraphStore, red: Redactor, entity_id: str) -> dict[str, Any]:
    require_public(store, red.restricted_ids, entity_id)
    node = store.get_node(entity_id)
    presenter = Presenter(store, red)
    relations, more = _relations(store, presenter, node)
    timeline = [
        {"date": t.date, "label": relation_label(t.type),
         "other": _party(store.get_node(t.other.id), red, entity_id), "direction": t.direction}
        for t in queries.timeline(store, entity_id)
    ]
    linked_cases = []
    if node.kind is NodeKind.CASE:
        linked_cases = [
            {"case": _party(store.get_node(link.case.id), red, entity_id),
             "shared": {k: [red.name(store.get_node(v.id)) for v in vs] for k, vs in link.shared.items()}}
            for link in queries.case_links(store, entity_id)
        ]
    involved = any(r.relative.id == entity_id or r.target.id == entity_id
                   for r in queries.targeted_through_relatives(store))
    return {
        "record": presenter.node(node), "node": node, "style": KIND_STYLES[node.kind],
        "relations": relations, "more_relations": more, "timeline": timeline,
        "linked_cases": linked_cases, "relatives_involved": involved,
    }
