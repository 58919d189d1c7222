"""The embedded store's path search (`graph.pathsearch`) against networkx, on random graphs:
the same shortest paths, in the order Neo4j returns them, within the hop limit, around the
nodes a predicate forbids."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.pathsearch import all_shortest, bidirectional_bfs


def _graphs() -> list[nx.Graph]:
    rng = random.Random(5)
    graphs = [nx.gnm_random_graph(n, m, seed=rng.randrange(10**6))
              for n, m in ((8, 10), (30, 45), (60, 90), (120, 300), (200, 220))]
    graphs += [nx.grid_2d_graph(5, 6), nx.barbell_graph(5, 3), nx.path_graph(9)]
    return [nx.relabel_nodes(g, {v: str(v) for v in g}) for g in graphs]


@pytest.mark.parametrize("graph", _graphs(), ids=lambda g: f"{len(g)}n{g.number_of_edges()}e")
def test_every_shortest_path_as_networkx_finds_them(graph: nx.Graph) -> None:
    rng = random.Random(len(graph))
    nodes = sorted(graph)
    for _ in range(40):
        a, b = rng.choice(nodes), rng.choice(nodes)
        banned = set(rng.sample(nodes, k=len(nodes) // 10)) - {a, b}
        view = graph.subgraph(set(graph) - banned)
        hops = rng.randint(1, 8)
        try:
            expected = sorted(nx.all_shortest_paths(view, a, b), key=lambda p: p[::-1])
        except nx.NetworkXNoPath:
            expected = []
        if expected and len(expected[0]) - 1 > hops:
            expected = []
        def allowed(u: str, v: str, banned: set[str] = banned) -> bool:
            return v not in banned
        found = list(all_shortest(graph._adj, a, b, hops, allowed))
        assert found == expected, (a, b, hops)
        one = bidirectional_bfs(graph._adj, a, b, hops, allowed)
        assert (one is None) == (not expected)
        if one is not None:
            assert one in expected
