"""A seeded synthetic graph of a given size, for benchmarks and scale tests.

Persons associate with each other, are defendants in cases, and cases are tried
by agencies; every edge cites the one synthetic source, as real data must.
"""

from __future__ import annotations

import random

from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind

SOURCE_ID = "synthetic-source"


def synthetic_graph(nodes: int = 1000, edges: int = 3000, seed: int = 11) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    cite = [Citation(source=SOURCE_ID, paragraph="1.1", url="https://example.org/synthetic")]
    out_nodes = [Node(id=SOURCE_ID, kind=NodeKind.SOURCE, name="Synthetic source", citations=cite)]
    n_case = max(1, (nodes - 1) // 5)
    n_agency = max(1, (nodes - 1) // 10)
    n_person = nodes - 1 - n_case - n_agency
    persons = [f"person-{i}" for i in range(n_person)]
    cases = [f"case-{i}" for i in range(n_case)]
    agencies = [f"agency-{i}" for i in range(n_agency)]
    for ids, kind in ((persons, NodeKind.PERSON), (cases, NodeKind.CASE), (agencies, NodeKind.AGENCY)):
        out_nodes += [Node(id=i, kind=kind, name=i.replace("-", " ").title(), citations=cite) for i in ids]
    seen: set[tuple[str, str, str]] = set()
    out_edges: list[Edge] = []
    while len(out_edges) < edges:
        roll = rng.random()
        if roll < 0.5:
            a, b, t = rng.choice(persons), rng.choice(persons), "ASSOCIATE_OF"
        elif roll < 0.85:
            a, b, t = rng.choice(persons), rng.choice(cases), "DEFENDANT_IN"
        else:
            a, b, t = rng.choice(cases), rng.choice(agencies), "TRIED_BY"
        if a == b or (a, t, b) in seen or (b, t, a) in seen:
            continue
        seen.add((a, t, b))
        out_edges.append(Edge(type=t, source=a, target=b, citations=cite))
    return out_nodes, out_edges
