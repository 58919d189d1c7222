"""Who bridges the network, and which groups it falls into: brokers and communities.

Both analyses read the network of relationships between entities as an undirected
graph: source documents and the relationships about documents (`MENTIONS`,
`AUTHORED`) are left out, and so are entities with no relationship left (they bridge
nothing and would only add one-entity communities). Generic actors (`graph.generic`)
are left out too unless asked for: "the Kazakhstani authorities" acted against nearly
everyone, so they would top every list of brokers and glue every community together.

- Brokers: betweenness centrality, normalized: the share of shortest connections
  between two other entities that pass through an entity. The numbers are
  `nx.betweenness_centrality`'s, computed with sparse matrices (`graph.centrality`;
  networkx in pure Python took a second per pivot on 10^5 entities, this 0.05 s).
  Exact up to `EXACT_UP_TO` entities. Above, it is estimated from shortest paths out of
  a random sample of pivot entities (fixed seed, drawn as networkx draws them, so the
  same graph gives the same answer): at most `DEFAULT_SAMPLE` pivots, and fewer on very
  large graphs, so that pivots x (entities + relationships) stays within
  `VISIT_BUDGET`. Each answer says whether it is exact or sampled, and with how many
  pivots. Each broker's explanation says what removing it would cut off (computed, with
  the rest of the graph as it is) and, up to `LINK_COMMUNITIES_UP_TO` entities, which
  communities it links.
- Communities: Louvain (`nx.community.louvain_communities`, fixed seed), largest first.

The graph reaches networkx and scipy through the store's own reads (`iter_nodes`, `iter_edges`),
so the analyses run on every backend. On Neo4j that is one full, paged read of the
graph per store version and options, and the computation runs here, not in the
server: no server-side library is needed. (Where the Neo4j Graph Data Science library
is installed, it could compute both in the server; it is not assumed.) Answers are
kept per store object and version (`version` is read before the content), so a write
makes the next request compute afresh. The public reads its own view of the store, in
which restricted persons have pseudonymous records: what is computed from it names
nobody the public may not read.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar
from weakref import WeakKeyDictionary

import networkx as nx
import scipy.sparse as sp
from pydantic import BaseModel, Field

from graph import centrality
from graph.generic import generic_ids
from graph.results import NodeRef
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import NodeKind, relation_words

T = TypeVar("T")

#: relationships about documents, not between the people and bodies of the network
DOCUMENT_RELATIONS = frozenset({"MENTIONS", "AUTHORED"})
#: up to this many entities, betweenness is exact (every entity a pivot)
EXACT_UP_TO = 5_000
#: above `EXACT_UP_TO`, at most this many pivots
DEFAULT_SAMPLE = 500
#: and at most this many pivots x (entities + relationships): about 20 s on 10^5 entities
VISIT_BUDGET = 100_000_000
#: never fewer pivots than this on a sampled run
MIN_PIVOTS = 20
#: up to this many entities, brokers name the communities they link (Louvain takes minutes
#: on 10^5 entities; the communities answer runs it on any size, under the time limit)
LINK_COMMUNITIES_UP_TO = 10_000
#: the seed of pivot sampling and of Louvain: the same graph gives the same answer
SEED = 21
#: members named in an explanation
NAMED = 3


@dataclass(frozen=True)
class Network:
    """The relationships between entities as one undirected graph; each pair of entities
    joined once, with the types of every relationship between them (`types`)."""

    graph: nx.Graph
    nodes: dict[str, Node]


def network(store: GraphStore, *, through_generic: bool = False,
            types: Iterable[str] | None = None) -> Network:
    """The network the analyses read (kept per store version)."""
    wanted = frozenset(types) - DOCUMENT_RELATIONS if types else None
    return _kept(store, ("network", through_generic, wanted),
                 lambda: _read_network(store, through_generic, wanted))


def _read_network(store: GraphStore, through_generic: bool,
                  types: frozenset[str] | None) -> Network:
    left_out = frozenset() if through_generic else generic_ids(store)
    nodes = {n.id: n for n in store.iter_nodes()
             if n.kind is not NodeKind.SOURCE and n.id not in left_out}
    graph = nx.Graph()
    for edge in store.iter_edges(types):
        a, b = edge.source, edge.target
        if edge.type in DOCUMENT_RELATIONS or (types is not None and edge.type not in types) \
                or a == b or a not in nodes or b not in nodes:
            continue
        if graph.has_edge(a, b):
            graph[a][b]["types"].append(edge.type)
        else:
            graph.add_edge(a, b, types=[edge.type])
    return Network(graph, {i: nodes[i] for i in graph})


# -- answers -------------------------------------------------------------------


class Member(BaseModel):
    entity: NodeRef
    degree: int = Field(description="Entities it is directly linked to in the analysed network.")


class Community(BaseModel):
    number: int = Field(description="Its place in the list, largest first (1 is the largest).")
    size: int = Field(description="How many entities it holds.")
    explanation: str = Field(description="What holds it together, in words, from its members "
                                         "with most links and its commonest relationships.")
    most_connected: list[Member] = Field(description=(
        "Its members with most links inside it, most first (at most 5)."))
    relationship_types: dict[str, int] = Field(description=(
        "The relationships inside it, by type, commonest first."))
    members: list[NodeRef] = Field(description="Every member, by name.")


class Communities(BaseModel):
    communities: list[Community] = Field(description="Largest first.")
    total: int = Field(description="How many communities there are (`communities` may hold "
                                   "fewer: `limit`).")
    entities: int = Field(description="Entities in the analysed network.")
    relationships: int = Field(description="Pairs of entities linked in the analysed network.")
    modularity: float = Field(description=(
        "How clearly the network divides (-0.5..1; above about 0.3 is a clear division)."))
    seed: int = Field(description="The seed Louvain ran with: the same data give the same answer.")
    through_generic: bool = Field(description="Whether generic actors were included.")


class Broker(BaseModel):
    entity: NodeRef
    score: float = Field(description=(
        "Normalized betweenness centrality: the share (0..1) of shortest connections "
        "between two other entities that pass through this one (estimated when sampled)."))
    degree: int = Field(description="Entities it is directly linked to in the analysed network.")
    communities: list[int] = Field(description=(
        "The communities (`number` in `/api/analysis/communities`) of the entity and of "
        "those it is linked to; empty above "
        f"{LINK_COMMUNITIES_UP_TO:,} entities, where they are not computed for brokers."))
    explanation: str = Field(description=(
        "The score, what removing the entity would cut off, and the communities it links, "
        "in words."))


class Brokers(BaseModel):
    brokers: list[Broker] = Field(description="Highest score first.")
    method: Literal["exact", "sampled"] = Field(description=(
        "`exact`: every entity was a pivot; `sampled`: estimated from `pivots` entities "
        "drawn with a fixed seed."))
    pivots: int = Field(description="How many entities shortest paths were counted from.")
    entities: int = Field(description="Entities in the analysed network.")
    relationships: int = Field(description="Pairs of entities linked in the analysed network.")
    through_generic: bool = Field(description="Whether generic actors were included.")


# -- communities ---------------------------------------------------------------


@dataclass(frozen=True)
class _Partition:
    groups: list[list[str]]  # largest first, members by degree inside, most first
    number: dict[str, int]  # entity id -> its community's number (1-based)
    modularity: float


def _partition(store: GraphStore, net: Network, key: Hashable) -> _Partition:
    def louvain() -> _Partition:
        graph = net.graph
        found = nx.community.louvain_communities(graph, seed=SEED) if graph else []
        ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
        number = {i: k for k, group in enumerate(ordered, 1) for i in group}
        inside = {i: sum(1 for j in graph[i] if number[j] == number[i]) for i in graph}
        groups = [sorted(g, key=lambda i: (-inside[i], net.nodes[i].name, i)) for g in ordered]
        score = nx.community.modularity(graph, found) if graph.number_of_edges() else 0.0
        return _Partition(groups, number, score)
    return _kept(store, ("partition", key), louvain)


def communities(store: GraphStore, *, through_generic: bool = False,
                types: Iterable[str] | None = None, limit: int | None = None) -> Communities:
    """The network's communities by Louvain, largest first, each explained."""
    wanted = frozenset(types) if types else None
    net = network(store, through_generic=through_generic, types=wanted)
    part = _partition(store, net, (through_generic, wanted))
    shown = part.groups if limit is None else part.groups[:limit]
    return Communities(
        communities=[_community(net, part, k, group) for k, group in enumerate(shown, 1)],
        total=len(part.groups), entities=net.graph.number_of_nodes(),
        relationships=net.graph.number_of_edges(), modularity=round(part.modularity, 4),
        seed=SEED, through_generic=through_generic)


def _community(net: Network, part: _Partition, number: int, group: list[str]) -> Community:
    graph = net.graph
    types: Counter[str] = Counter()
    for i in group:
        for j, data in graph[i].items():
            if part.number[j] == number and i < j:
                types.update(data["types"])
    top = [Member(entity=NodeRef.of(net.nodes[i]),
                  degree=sum(1 for j in graph[i] if part.number[j] == number))
           for i in group[:5]]
    return Community(
        number=number, size=len(group), most_connected=top,
        relationship_types=dict(types.most_common()),
        explanation=_community_words(len(group), [m.entity.name for m in top[:NAMED]], types),
        members=sorted((NodeRef.of(net.nodes[i]) for i in group), key=lambda r: (r.name, r.id)))


def _community_words(size: int, names: list[str], types: Counter[str]) -> str:
    entities = f"{size} {'entity' if size == 1 else 'entities'}"
    if not types:
        return entities
    total = sum(types.values())
    commonest = [f"{relation_words(t)} ({n})" for t, n in types.most_common(2)]
    return (f"{entities}, most linked through {_listed(names)}; of the {total} relationships "
            f"inside, the commonest are {_listed(commonest)}")


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# -- brokers -------------------------------------------------------------------


def pivots_for(entities: int, relationships: int, sample: int | None = None) -> int:
    """How many pivots betweenness counts from (`entities` means exact)."""
    if sample is not None:
        return max(1, min(sample, entities))
    if entities <= EXACT_UP_TO:
        return entities
    affordable = max(MIN_PIVOTS, VISIT_BUDGET // (entities + relationships))
    return min(entities, DEFAULT_SAMPLE, affordable)


def betweenness(store: GraphStore, *, through_generic: bool = False,
                types: Iterable[str] | None = None,
                sample: int | None = None) -> tuple[dict[str, float], int]:
    """Every entity's betweenness, and the number of pivots it was counted from."""
    wanted = frozenset(types) if types else None
    net = network(store, through_generic=through_generic, types=wanted)
    graph = net.graph
    k = pivots_for(graph.number_of_nodes(), graph.number_of_edges(), sample)

    def compute() -> tuple[dict[str, float], int]:
        exact = k >= graph.number_of_nodes()
        order, matrix = _adjacency(store, net, (through_generic, wanted))
        return centrality.betweenness_of(order, matrix, k=None if exact else k, seed=SEED), k
    return _kept(store, ("betweenness", through_generic, wanted, k), compute)


def _adjacency(store: GraphStore, net: Network,
               key: Hashable) -> tuple[list[str], sp.csr_array]:
    return _kept(store, ("adjacency", key), lambda: centrality.adjacency(net.graph))


def brokers(store: GraphStore, *, through_generic: bool = False,
            types: Iterable[str] | None = None, kinds: Iterable[NodeKind] | None = None,
            limit: int = 20, sample: int | None = None) -> Brokers:
    """Who bridges otherwise separate parts of the network, highest betweenness first;
    `kinds` limits the list (not the network) to entities of these kinds. An entity on no
    shortest connection (as far as the pivots show) bridges nothing and is not listed."""
    wanted = frozenset(types) if types else None
    net = network(store, through_generic=through_generic, types=wanted)
    scores, pivots = betweenness(store, through_generic=through_generic, types=wanted,
                                 sample=sample)
    listed = frozenset(kinds) if kinds else None
    ranked = sorted((i for i, score in scores.items() if score > 0 and (
        listed is None or net.nodes[i].kind in listed)),
                    key=lambda i: (-scores[i], net.nodes[i].name, i))[:limit]
    sampled = pivots < net.graph.number_of_nodes()
    part = (_partition(store, net, (through_generic, wanted))
            if net.graph.number_of_nodes() <= LINK_COMMUNITIES_UP_TO else None)
    order, matrix = _adjacency(store, net, (through_generic, wanted))
    return Brokers(
        brokers=[_broker(net, part, i, scores[i], sampled, centrality.cut_off(order, matrix, i))
                 for i in ranked],
        method="sampled" if sampled else "exact", pivots=pivots,
        entities=net.graph.number_of_nodes(), relationships=net.graph.number_of_edges(),
        through_generic=through_generic)


def _broker(net: Network, part: _Partition | None, entity: str, score: float, sampled: bool,
            cut: list[int]) -> Broker:
    node = net.nodes[entity]
    words = [f"{node.name} lies on {'an estimated ' if sampled else ''}{_percent(score)} of the "
             "shortest connections between other entities"]
    if cut:
        alone = sum(cut)
        words.append(f"removing it would cut {alone} {'entity' if alone == 1 else 'entities'} "
                     f"off from the rest{'' if len(cut) == 1 else f', in {len(cut)} groups'}")
    else:
        words.append("other paths would remain without it")
    linked: list[int] = []
    if part is not None:
        linked = sorted({part.number[entity], *(part.number[j] for j in net.graph[entity])})
        around = [f"{net.nodes[part.groups[k - 1][0]].name} (#{k})" for k in linked]
        if len(linked) > 1:
            named = around[:NAMED] + ([f"{len(linked) - NAMED} more"]
                                      if len(linked) > NAMED else [])
            words.append(f"it links {len(linked)} communities: those around {_listed(named)}")
        else:
            words.append(f"all its links stay within the community around {around[0]}")
    return Broker(entity=NodeRef.of(node), score=round(score, 6),
                  degree=net.graph.degree(entity), communities=linked,
                  explanation="; ".join(words))


def _percent(score: float) -> str:
    if score == 0:
        return "none"
    if score < 0.001:
        return "under 0.1%"
    return f"{score * 100:.1f}%" if score < 0.1 else f"{score * 100:.0f}%"


# -- one answer per store version ----------------------------------------------

_kept_lock = threading.Lock()
_kept_answers: WeakKeyDictionary[GraphStore, tuple[Hashable, dict[Hashable, object]]] = (
    WeakKeyDictionary())


def _kept(store: GraphStore, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, kept for the store's current version under `key`. Two threads asking at
    once may both build; the answers are the same, and one is kept."""
    version = store.version  # read before the content it describes (`GraphStore.version`)
    with _kept_lock:
        kept = _kept_answers.get(store)
        if kept is not None and kept[0] == version and key in kept[1]:
            return kept[1][key]  # type: ignore[return-value]
    value = build()
    with _kept_lock:
        kept = _kept_answers.get(store)
        if kept is None or kept[0] != version:
            kept = (version, {})
            _kept_answers[store] = kept
        kept[1][key] = value
    return value
