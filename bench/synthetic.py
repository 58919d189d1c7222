"""A synthetic graph shaped like the real one, for load tests at sizes the source cannot give.

Persons join organisations and stand trial in cases; cases are charged under a
few laws and opened by a few agencies; some persons are relatives of others and
some of those were pressured through them. Popularity is skewed (a handful of
laws, agencies and movements gather most links), as in the real data, so hubs
exist and some queries are genuinely expensive. Every record is a validated
`Node` or `Edge` citing one synthetic source; nothing here describes real people.
"""

from __future__ import annotations

import random

from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind, Sensitivity

SOURCE_ID = "synthetic-source"
#: Share of each kind among the generated nodes (the rest are persons).
SHARES = {NodeKind.CASE: 0.28, NodeKind.ORGANISATION: 0.06, NodeKind.AGENCY: 0.03,
          NodeKind.LAW: 0.01}
#: Syllables for made-up names, so that a name search is as selective as on real names.
SYLLABLES = ("ai", "bek", "dar", "gul", "zhan", "nur", "mar", "ser", "ka", "li", "tor", "yer",
             "bol", "san", "ras", "dy", "mu", "khan", "ta", "zi", "ol", "em", "ba", "sha")
KIND_WORDS = {NodeKind.CASE: "Case", NodeKind.ORGANISATION: "Movement",
              NodeKind.AGENCY: "Office", NodeKind.LAW: "Article"}
MEASURE_SETS = (["arrest"], ["threats", "pressure"], ["travel_ban"], ["accounts_blocked"],
                ["questioning", "intimidation"])


def _skewed(rng: random.Random, pool: list[str]) -> str:
    """Pick from `pool`, favouring its first entries strongly (a few hubs, a long tail)."""
    return pool[int(len(pool) * rng.random() ** 3)]


def _cite(rng: random.Random) -> list[Citation]:
    return [Citation(source=SOURCE_ID, paragraph=f"{rng.randint(1, 5)}.{rng.randint(1, 20)}")]


def _name(rng: random.Random, kind: NodeKind) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    if kind is NodeKind.PERSON:
        return f"{word} {surname}{rng.choice(('ov', 'ova', 'uly', 'yev', 'bayev'))}"
    return f"{KIND_WORDS[kind]} {word} {surname}"


def _nodes(n_nodes: int, rng: random.Random) -> tuple[list[Node], dict[NodeKind, list[str]]]:
    nodes = [Node(id=SOURCE_ID, kind=NodeKind.SOURCE, name="Synthetic source document")]
    ids: dict[NodeKind, list[str]] = {}
    budget = n_nodes - 1
    for kind, share in SHARES.items():
        count = max(3, int(budget * share))
        ids[kind] = [f"syn-{kind.value}-{i}" for i in range(count)]
    ids[NodeKind.PERSON] = [f"syn-person-{i}"
                            for i in range(max(3, budget - sum(map(len, ids.values()))))]
    for kind, kind_ids in ids.items():
        for node_id in kind_ids:
            nodes.append(Node(id=node_id, kind=kind, name=_name(rng, kind),
                              citations=[Citation(source=SOURCE_ID)]))
    return nodes, ids


def _edge(rng: random.Random, type_: str, source: str, target: str, **props: object) -> Edge:
    return Edge(type=type_, source=source, target=target, properties=props, citations=_cite(rng))


def generate(n_nodes: int, seed: int = 0) -> tuple[list[Node], list[Edge]]:
    """About `n_nodes` nodes and three edges per node, the same for the same seed."""
    rng = random.Random(seed)
    nodes, ids = _nodes(n_nodes, rng)
    persons, cases = ids[NodeKind.PERSON], ids[NodeKind.CASE]
    orgs, agencies, laws = ids[NodeKind.ORGANISATION], ids[NodeKind.AGENCY], ids[NodeKind.LAW]
    edges: dict[str, Edge] = {}

    def add(edge: Edge) -> None:
        edges.setdefault(edge.id, edge)

    for case in cases:
        add(_edge(rng, "CHARGED_UNDER", case, _skewed(rng, laws)))
        add(_edge(rng, "OPENED_BY", case, _skewed(rng, agencies)))
        if rng.random() < 0.3:
            add(_edge(rng, "CONCERNS", case, _skewed(rng, orgs)))
    for person in persons:
        add(_edge(rng, "MEMBER_OF", person, _skewed(rng, orgs)))
        if rng.random() < 0.7:
            add(_edge(rng, "DEFENDANT_IN", person, rng.choice(cases)))
        associate = rng.choice(persons)
        if rng.random() < 0.3 and associate != person:
            add(_edge(rng, "ASSOCIATE_OF", person, associate))
        if rng.random() < 0.15:
            relative, target = person, rng.choice(persons)
            if relative != target:
                add(_edge(rng, "FAMILY_OF", relative, target, relation="sibling"))
                add(_edge(rng, "TARGETED_THROUGH_RELATIVE", relative, target,
                          measures=rng.choice(MEASURE_SETS)))
    restricted = {e.source for e in edges.values() if e.type == "TARGETED_THROUGH_RELATIVE"}
    nodes = [n.model_copy(update={"sensitivity": Sensitivity.RESTRICTED})
             if n.id in restricted else n for n in nodes]
    return nodes, list(edges.values())
