"""What the public may see of restricted persons: that they exist, not who they are.

A restricted node keeps its kind and its place in the network, but loses its
name, aliases, properties and citation notes, and gets an opaque id that is
only meaningful inside one view (ids are name slugs, so the real id would give
the name away). Because other records can name a restricted person too (a case
"against Iskander Yerimbetov"), every piece of free text shown publicly is also
scrubbed of their names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind

RESTRICTED_PERSON = "a restricted person"
RESTRICTED_GROUP = "restricted persons"
NAME_WITHHELD = "[name withheld]"

#: Edge properties that describe the measure rather than the person; everything
#: else (notes, statements, findings, places) is free text and is dropped on
#: edges that touch a restricted person.
STRUCTURED_EDGE_PROPERTIES = frozenset({
    "relation", "measures", "role", "form", "asset", "count", "decision", "outcome",
    "sentence", "term", "closed", "part", "charge", "support",
})

_PUBLIC_NAME_KINDS = (NodeKind.PERSON, NodeKind.ORGANISATION, NodeKind.AGENCY)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-–,.()]+", text) if w]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(p) for p in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


class Redactor:
    """Public rendering of names and text, built once per version of the data."""

    def __init__(self, nodes: Iterable[Node]) -> None:
        all_nodes = list(nodes)
        restricted = [n for n in all_nodes if n.restricted]
        self.restricted_ids = frozenset(n.id for n in restricted)
        public_words = {
            w.casefold() for n in all_nodes
            if not n.restricted and n.kind in _PUBLIC_NAME_KINDS for w in _words(n.name)
        }
        whole = [p for n in restricted for p in (n.name, *n.aliases)]
        # A surname alone still names someone, unless a public person shares it.
        parts = [
            w for n in restricted if not n.group for p in (n.name, *n.aliases)
            for w in _words(p) if len(w) >= 3 and w[:1].isupper() and w.casefold() not in public_words
        ]
        self._whole = _pattern(whole)
        self._parts = _pattern(parts)
        # Ids are slugs of names, so a public record's id can name a restricted person too
        # ("case-yerimbetov-kz"); such records are shown but never linked by their id.
        self._id_words = frozenset(_slug(p) for p in (*whole, *parts))

    def linkable(self, node: Node) -> bool:
        """May this entity's id appear in a public page (in a link or as a network id)?"""
        if self.hidden(node):
            return False
        slug = f"-{node.id}-"
        return not any(f"-{word}-" in slug for word in self._id_words if word)

    def hidden(self, node: Node) -> bool:
        return node.id in self.restricted_ids or node.restricted

    def name(self, node: Node) -> str:
        if self.hidden(node):
            return RESTRICTED_GROUP if node.group else RESTRICTED_PERSON
        return self.text(node.name)

    def text(self, value: str) -> str:
        """Free text with every restricted person's name replaced."""
        if self._whole is not None:
            value = self._whole.sub(RESTRICTED_PERSON, value)
        if self._parts is not None:
            value = self._parts.sub(NAME_WITHHELD, value)
        return value

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
