"""How each node kind and relationship looks, in one table keyed by the vocabulary.

Colours are the Okabe-Ito palette (distinguishable with the common colour
vision deficiencies) and every kind also has its own shape, so colour is never
the only cue. The legend is drawn from the same table as the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema.vocabulary import MEASURE_TYPES, Certainty, NodeKind, relation_words


@dataclass(frozen=True)
class KindStyle:
    label: str  # plural, for the legend
    colour: str
    shape: str  # a vis-network shape with the label drawn below it


KIND_STYLES: dict[NodeKind, KindStyle] = {
    NodeKind.PERSON: KindStyle("People", "#0072B2", "dot"),
    NodeKind.ORGANISATION: KindStyle("Organisations", "#E69F00", "square"),
    NodeKind.AGENCY: KindStyle("State bodies and agencies", "#D55E00", "triangle"),
    NodeKind.CASE: KindStyle("Cases", "#CC79A7", "diamond"),
    NodeKind.LAW: KindStyle("Laws", "#009E73", "triangleDown"),
    NodeKind.EVENT: KindStyle("Events", "#56B4E9", "star"),
    NodeKind.LIST: KindStyle("Lists", "#8C6D00", "hexagon"),
    NodeKind.SOURCE: KindStyle("Sources", "#5F6368", "square"),
}

#: Restricted persons keep the person shape but are drawn hollow and grey.
RESTRICTED_COLOUR = "#9AA0A6"
MEASURE_COLOUR = "#B3261E"
RELATION_COLOUR = "#80868B"

if set(KIND_STYLES) != set(NodeKind):  # fail fast when the vocabulary gains a kind
    raise RuntimeError("api.views.style: every NodeKind needs a style")


def edge_colour(type_: str) -> str:
    """Measures taken against someone stand out from ordinary relationships."""
    return MEASURE_COLOUR if is_measure(type_) else RELATION_COLOUR


def is_measure(type_: str) -> bool:
    return type_ in MEASURE_TYPES or type_ == "TARGETED_THROUGH_RELATIVE"


def edge_dashed(certainty: Certainty) -> bool:
    """Alleged or reported facts are dashed, stated ones solid."""
    return certainty is not Certainty.STATED


def relation_label(type_: str) -> str:
    """`TARGETED_THROUGH_RELATIVE` -> `targeted through relative`, for edge labels."""
    return relation_words(type_)


def kind_label(kind: NodeKind) -> str:
    return kind.value.capitalize()
