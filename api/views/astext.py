"""A network view as text: its entities and its relationships as two tables.

The diagram is a canvas that assistive technology cannot read, and that nobody sees with
scripts off, so every view and embed also carries its content as text, rendered on the
server. The rows come from the same `ViewGraph` the diagram draws (capped the same way) and
from the same `Presenter` records as its side panel: nothing is queried twice, and the
tables can never show more than the diagram does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.views.present import CitationView, certainty_words
from api.views.style import kind_label
from graph.explain import phrase
from schema.models import Edge, Node


@dataclass(frozen=True)
class EntityRow:
    id: str
    name: str
    kind: str  # in words: "Person"
    restricted: bool


@dataclass(frozen=True)
class RelationRow:
    source: str  # the entities' names
    words: str  # "is the brother of", in the vocabulary's words
    target: str
    when: str
    certainty: str  # "stated by the source", "alleged, according to the prosecution"
    citations: list[CitationView]


@dataclass
class TextView:
    entities: list[EntityRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)

    def add_entity(self, node: Node) -> None:
        self.entities.append(EntityRow(node.id, node.name, kind_label(node.kind), node.restricted))

    def add_relation(self, edge: Edge, source: Node, target: Node,
                     citations: list[CitationView]) -> None:
        when = f"{edge.date} to {edge.end}" if edge.date and edge.end else edge.date or ""
        self.relations.append(RelationRow(
            source.name, phrase(edge.type, edge.properties), target.name, when,
            certainty_words(edge.certainty, edge.claimed_by), citations))

    def sorted(self) -> TextView:
        """Entities by name and relationships by who they start from: a reader looks names
        up, and a table in drawing order has none."""
        return TextView(
            sorted(self.entities, key=lambda r: (r.name.casefold(), r.id)),
            sorted(self.relations, key=lambda r: (r.source.casefold(), r.words,
                                                  r.target.casefold(), r.when)))
