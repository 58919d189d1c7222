"""What an entity page shows: its facts, its relations with their citations, its timeline,
linked cases and the views that start from it, from whichever store the page reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.views.present import CitationView, Presenter, certainty_words, property_words, value_words
from api.views.style import KIND_STYLES
from graph import queries
from graph.explain import phrase, words
from graph.statements import disagreements, facts_of, stated_by
from graph.store import GraphStore
from schema.models import Edge, Node
from schema.vocabulary import Certainty, NodeKind

MAX_RELATIONS = 500


@dataclass(frozen=True)
class Party:
    """One end of a relation: a name and a link to its page."""

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
    #: the sources stating it, and where they give different values, each value with them
    stated_by: list[str]
    disputes: list[tuple[str, list[tuple[str, str]]]]


@dataclass(frozen=True)
class FactRow:
    """One value of one field, with the sources that state it."""

    field: str
    value: str
    stated_by: list[str]
    shown_first: str | None
    disputed: bool


def _label(owner: str, field: str) -> str:
    """A statement's field in words: "properties.org_type" reads "Type of organisation"."""
    return property_words(owner, field.removeprefix("properties."))


def _owner(record: Node | Edge) -> str:
    """What the vocabulary keys a record's property words by: its kind or its type."""
    return record.kind.value if isinstance(record, Node) else record.type


def fact_rows(store: GraphStore, record: Node | Edge) -> list[FactRow]:
    """Every value of the record with the titles of the sources that state it."""
    facts = facts_of(record)
    found = store.find_nodes({s for f in facts for v in f.values for s in v.stated_by})
    return [FactRow(_label(_owner(record), f.field), value_words(v.value),
                    [found[s].name if s in found else s for s in v.stated_by], v.shown_first,
                    f.disagreement) for f in facts for v in f.values]


def _party(node: Node, this_id: str) -> Party:
    return Party(node.name, f"/entities/{node.id}", this=node.id == this_id)


def _relations(store: GraphStore, presenter: Presenter, node: Node) -> tuple[list[RelationRow], int]:
    edges = store.incident_edges(node.id, limit=MAX_RELATIONS)
    others = store.find_nodes({e.source for e in edges} | {e.target for e in edges})
    rows = []
    for edge in edges:
        record = presenter.edge(edge, others[edge.source], others[edge.target])
        rows.append(RelationRow(
            subject=_party(others[edge.source], node.id),
            label=phrase(edge.type, edge.properties),
            object=_party(others[edge.target], node.id), date=_when(edge),
            facts=[f for f in record.facts if f[0] not in ("Relationship", "Date")],
            citations=record.citations,
            stated_by=list(dict.fromkeys(c.source for c in edge.citations)),
            disputes=[(_label(edge.type, field),
                        [(value_words(s.value), ", ".join(stated_by(s))) for s in found])
                      for field, found in disagreements(edge).items()]))
    rows.sort(key=lambda r: (r.label, r.date or "", r.subject.name, r.object.name))
    return rows, max(0, store.degree(node.id) - len(edges))


def _source_names(store: GraphStore, node: Node) -> list[str]:
    """The titles of the sources the record cites, each once, in order of citation."""
    ids = list(dict.fromkeys(c.source for c in node.citations))
    found = store.find_nodes(ids)
    return [found[i].name if i in found else i for i in ids]


def _when(edge: Edge) -> str | None:
    if edge.date and edge.end:
        return f"{edge.date} to {edge.end}"
    return edge.date


@dataclass
class HistoryRow:
    """One step of a person's status or roles: when, what, and the sources that say so."""

    when: str
    label: str
    value: str
    citations: list[CitationView]


def _history(presenter: Presenter, node: Node) -> list[HistoryRow]:
    """The person's history, newest first as stored, in a reader's words."""
    presenter.load_sources(c for step in node.history for c in step.citations)
    return [HistoryRow(
        when=step.date or (f"as of {step.as_of}" if step.as_of else "undated"),
        label="Status" if step.field == "status" else "Role", value=words(step.value),
        citations=[presenter.citation(c) for c in step.citations]) for step in node.history]


def entity_page_context(store: GraphStore, entity_id: str) -> dict[str, Any]:
    node = store.get_node(entity_id)
    presenter = Presenter(store)
    relations, more = _relations(store, presenter, node)
    entries = queries.timeline(store, entity_id)
    presenter.load_sources(c for t in entries for c in t.citations)
    timeline = [
        {"date": f"{t.date} to {t.end}" if t.end else t.date, "label": t.words,
         "other": _party(store.get_node(t.other.id), entity_id) if t.other else None,
         "direction": t.direction,
         "claim": None if t.certainty is Certainty.STATED else
         certainty_words(t.certainty, t.claimed_by),
         "citations": [presenter.citation(c) for c in t.citations]}
        for t in entries
    ]
    linked_cases = []
    if node.kind is NodeKind.CASE:
        linked_cases = [
            {"case": _party(store.get_node(link.case.id), entity_id),
             "shared": {k: [v.name for v in vs] for k, vs in link.shared.items()}}
            for link in queries.case_links(store, entity_id)
        ]
    involved = any(r.relative.id == entity_id or r.target.id == entity_id
                   for r in queries.targeted_through_relatives(store))
    return {
        "record": presenter.node(node), "node": node, "style": KIND_STYLES[node.kind],
        "fact_rows": fact_rows(store, node) if node.statements else [],
        "sources": _source_names(store, node),
        "relations": relations, "more_relations": more, "timeline": timeline,
        "history": _history(presenter, node),
        "linked_cases": linked_cases, "relatives_involved": involved,
    }
