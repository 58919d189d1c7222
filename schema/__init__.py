"""The data model: vocabulary (node kinds, relationship types) and typed records."""

from schema.models import Citation, Edge, Node, date_precision, edge_id, merge_citations
from schema.vocabulary import (
    KIND_LABELS,
    RELATIONS,
    Certainty,
    NodeKind,
    RelationType,
    Sensitivity,
)

__all__ = [
    "KIND_LABELS",
    "RELATIONS",
    "Certainty",
    "Citation",
    "Edge",
    "Node",
    "NodeKind",
    "RelationType",
    "Sensitivity",
    "date_precision",
    "edge_id",
    "merge_citations",
]
