"""Synthetic graphs shaped like the domain, for benchmarks.

Many persons, fewer organisations and cases, a handful of agencies and courts
that act as hubs (every case is opened, investigated and tried by one of
them), a few laws, family ties and pressure through relatives. Roughly five
edges per node, every edge cited, ids stable for a given seed.
"""

from __future__ import annotations

import random

from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind

SOURCE_ID = "synthetic-source"
#: share of nodes per kind (the rest are persons)
SHARES = {NodeKind.ORGANISATION: 0.04, NodeKind.CASE: 0.15, NodeKind.AGENCY: 0.005,
          NodeKind.LAW: 0.002, NodeKind.EVENT: 0.02}


def _pick(rng: random.Random, ids: list[str], skew: float = 1.2) -> str:
    """Zipf-like choice: low indices are hubs."""
    return ids[min(int(rng.paretovariate(skew)) - 1, len(ids) - 1)]


def generate(n_nodes: int, seed: int = 7) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    cite = [Citation(source=SOURCE_ID, paragraph="1.1")]
    nodes = [Node(id=SOURCE_ID, kind=NodeKind.SOURCE, name="Synthetic source", citations=cite)]
    by_kind: dict[NodeKind, list[str]] = {}
    counts = {k: max(2, int(n_nodes * s)) for k, s in SHARES.items()}
    counts[NodeKind.PERSON] = n_nodes - 1 - sum(counts.values())
    for kind, count in counts.items():
        ids = [f"{kind.value}-{i}" for i in range(count)]
        by_kind[kind] = ids
        nodes.extend(Node(id=i, kind=kind, name=f"{kind.value.title()} {i.split('-')[1]}",
                          citations=cite) for i in ids)
    persons, orgs, cases = by_kind[NodeKind.PERSON], by_kind[NodeKind.ORGANISATION], by_kind[
        NodeKind.CASE]
    agencies, laws, events = by_kind[NodeKind.AGENCY], by_kind[NodeKind.LAW], by_kind[
        NodeKind.EVENT]
    edges: dict[str, Edge] = {}

    def add(type_: str, source: str, target: str, **props: object) -> None:
        edge = Edge(type=type_, source=source, target=target, properties=props, citations=cite)
        edges.setdefault(edge.id, edge)

    for case in cases:
        add("CHARGED_UNDER", case, _pick(rng, laws))
        add("INVESTIGATED_BY", case, _pick(rng, agencies))
        add("TRIED_BY", case, _pick(rng, agencies))
    for person in persons:
        add("MEMBER_OF", person, _pick(rng, orgs))
        if rng.random() < 0.5:
            add("DEFENDANT_IN", person, rng.choice(cases))
        if rng.random() < 0.3:
            add("PARTICIPATED_IN", person, _pick(rng, events))
        if rng.random() < 0.4:
            add("DETAINED", _pick(rng, agencies), person)
        if rng.random() < 0.3:
            relative = rng.choice(persons)
            if relative != person:
                add("FAMILY_OF", relative, person, relation="brother")
                if rng.random() < 0.3:
                    add("TARGETED_THROUGH_RELATIVE", relative, person, measures=["arrest"])
    target = 5 * n_nodes
    while len(edges) < target:
        a, b = rng.choice(persons), rng.choice(persons)
        if a != b:
            add("ASSOCIATE_OF", a, b)
    return nodes, list(edges.values())
