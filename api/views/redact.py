"""What the public may see of restricted persons: that they exist, not who they are.

A restricted node keeps its kind and its place in the network, but loses its
name, aliases, properties and citation notes, and gets an opaque id that is
only meaningful inside one view (ids are name slugs, so the real id would give
the name away). Because other records can name a restricted person too (a case
"against Iskander Yerimbetov"), every piece of free text shown publicly is also
scrubbed of their names.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from graph.redaction import PLACEHOLDER
from graph.redaction import Redactor as CoreRedactor
from schema.models import Citation, Edge, Node

RESTRICTED_PERSON = PLACEHOLDER
RESTRICTED_GROUP = "restricted persons"

#: Edge properties that describe the measure rather than the person; everything
#: else (notes, statements, findings, places) is free text and is dropped on
#: edges that touch a restricted person.
STRUCTURED_EDGE_PROPERTIES = frozenset({
    "relation", "measures", "role", "form", "asset", "count", "decision", "outcome",
    "sentence", "term", "closed", "part", "charge", "support",
})


class Redactor:
    """Public rendering of names and text, built once per version of the data.

    Which words and ids identify a restricted person is decided in one place,
    `graph.redaction.Redactor`, for the API and the pages alike; this class adds
    what only pages need (group wording, which edge properties may be shown).
    """

    def __init__(self, nodes: Iterable[Node]) -> None:
        # the secret only names ids inside this object; pages never show its pseudonyms
        self._core = CoreRedactor(nodes, secrets.token_hex(16))
        self.restricted_ids = frozenset(self._core.restricted_ids)

    def linkable(self, node: Node) -> bool:
        """May this entity's id appear in a public page (in a link or as a network id)?
        Not for restricted persons, nor for public records whose id names one
        ("case-yerimbetov-kz")."""
        return not self.hidden(node) and node.id not in self._core.pseudonyms

    def hidden(self, node: Node) -> bool:
        return node.id in self.restricted_ids or node.restricted

    def name(self, node: Node) -> str:
        if self.hidden(node):
            return RESTRICTED_GROUP if node.group else RESTRICTED_PERSON
        return self.text(node.name)

    def text(self, value: str) -> str:
        """Free text with every restricted person's name replaced."""
        return self._core.text(value)

    def citation_note(self, citation: Citation, sensitive: bool) -> str | None:
        if sensitive or not citation.note:
            return None
        return self.text(citation.note)

    def edge_properties(self, edge: Edge) -> dict[str, object]:
        """Properties safe to show: all of them, scrubbed, unless the edge touches a restricted person."""
        sensitive = edge.source in self.restricted_ids or edge.target in self.restricted_ids
        out: dict[str, object] = {}
        for key, value in edge.properties.items():
            if sensitive and key not in STRUCTURED_EDGE_PROPERTIES:
                continue
            out[key] = self.text(value) if isinstance(value, str) else value
        return out

    def touches_restricted(self, edge: Edge) -> bool:
        return edge.source in self.restricted_ids or edge.target in self.restricted_ids
