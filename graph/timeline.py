"""An entity's timeline: every date the data records about it, oldest first.

A date can sit in several places, and a timeline that read only relationship dates would
miss most of them: a death is a property of the person, a listing may be dated only by
when it became known, a person's exile is a step of their status, and someone shot during
the January events is linked to an event that carries the date. The vocabulary says which
fields are dates (`PROPERTY_TYPES` "date") and the words for each (`DATE_WORDS`), so a
property added to it reaches the timeline without a change here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph.results import NodeRef, TimelineEntry
from graph.statements import statements_of
from graph.store import GraphStore
from schema.models import Edge, Node, date_precision
from schema.vocabulary import KIND_PROPERTIES, RELATIONS, NodeKind, date_words, relation_words

#: Kinds whose own dates a linked entity's timeline shows, when the link itself is undated:
#: the January events for someone shot in them, a case's opening for its defendant.
LINKED_DATES: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.EVENT: ("date",),
    NodeKind.CASE: ("opened",),
}


def timeline(store: GraphStore, node_id: str) -> list[TimelineEntry]:
    """Every dated fact about the entity, oldest first (a year before its months)."""
    node = store.get_node(node_id)
    # only the relationships that can hold a date, here or at their other end, are read on
    edges = [e for e in store.incident_edges(node_id) if _may_be_dated(e, node_id)]
    others = store.find_nodes(_other(e, node_id) for e in edges)
    entries = [*_own_dates(node), *_steps(node)]
    for edge in edges:
        other = others[_other(edge, node_id)]
        entries += _edge_dates(edge, node_id, other) or list(_linked_dates(edge, node_id, other))
    return sorted(entries, key=lambda t: t.order)


#: per relationship type and direction: whether its other end can be an event or a case
_LINKS_DATED = {(r.name, out): any(k in LINKED_DATES for k in (r.targets if out else r.sources))
                for r in RELATIONS.values() for out in (True, False)}


def _may_be_dated(edge: Edge, node_id: str) -> bool:
    return bool(edge.date or _LINKS_DATED[edge.type, edge.source == node_id]
                or any(RELATIONS[edge.type].properties[p].type == "date"
                       for p in edge.properties))


def _other(edge: Edge, node_id: str) -> str:
    return edge.target if edge.source == node_id else edge.source


def _entry(date: str, **fields: Any) -> TimelineEntry:
    # built from validated records: nothing to check again (a busy entity has hundreds)
    return TimelineEntry.model_construct(date=date, precision=date_precision(date), **fields)


def _own_dates(node: Node) -> Iterator[TimelineEntry]:
    """The entity's own dates, each with the sources that state it: where sources give
    different dates, each is on the timeline with its own."""
    spec = KIND_PROPERTIES[node.kind]
    end = node.properties.get("end") if node.kind is NodeKind.EVENT else None
    for statement in statements_of(node):
        prop = statement.field.removeprefix("properties.")
        if prop == statement.field or prop not in spec:
            continue
        if spec[prop].type == "date" and not (node.kind is NodeKind.EVENT and prop == "end"):
            yield _entry(statement.value, end=end, fact="property", field=prop,
                         words=date_words(node.kind.value, prop), citations=statement.citations)
        elif spec[prop].type == "subcounts":
            for part in statement.value:
                if part.get("date"):
                    yield _entry(part["date"], fact="property", field=prop, value=part,
                                 words=f"{part['count']} {part['of']}",
                                 citations=statement.citations)


def _steps(node: Node) -> Iterator[TimelineEntry]:
    """Steps the source dates. A step known only as of its source's publication says what
    held then, not when it began: it stays in the history (`queries.history`)."""
    for step in node.history:
        if step.date:
            yield _entry(step.date, fact=step.field, value=step.value,
                         words=f"{step.field}: {step.value.replace('_', ' ')}",
                         citations=step.citations)


def _edge_dates(edge: Edge, node_id: str, other: Node) -> list[TimelineEntry]:
    """The relationship's own date, and each date-typed property it carries."""
    spec = RELATIONS[edge.type].properties
    dated = [(p, v) for p, v in edge.properties.items() if spec[p].type == "date"]
    if not (edge.date or dated):
        return []
    common = _seen_from(edge, node_id, other)
    out = []
    if edge.date:
        out.append(_entry(edge.date, end=edge.end, words=relation_words(edge.type), **common))
    out += [_entry(value, field=prop, words=date_words(edge.type, prop), **common)
            for prop, value in dated]
    return out


def _linked_dates(edge: Edge, node_id: str, other: Node) -> Iterator[TimelineEntry]:
    """An undated link to an event or case: the date that event or case carries."""
    for prop in LINKED_DATES.get(other.kind, ()):
        value = other.properties.get(prop)
        if value and other.id != node_id:
            end = other.properties.get("end") if other.kind is NodeKind.EVENT else None
            yield _entry(value, end=end, fact="linked", field=prop,
                         words=date_words(other.kind.value, prop),
                         **_seen_from(edge, node_id, other))


def _seen_from(edge: Edge, node_id: str, other: Node) -> dict[str, Any]:
    """An entry's fields about the relationship it comes from, seen from the entity."""
    return {"type": edge.type, "direction": "out" if edge.source == node_id else "in",
            "other": NodeRef.of(other), "properties": edge.properties,
            "certainty": edge.certainty, "claimed_by": edge.claimed_by,
            "citations": edge.citations}
