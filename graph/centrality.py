"""Betweenness centrality with sparse matrices: `nx.betweenness_centrality`'s numbers, faster.

networkx counts shortest paths one pivot at a time in pure Python: about a second per
pivot on 10^5 entities, so a sample of 500 pivots took minutes. This is the same
algorithm (Brandes: count shortest paths breadth first from each pivot, then add up
each entity's dependency on the way back) run for a block of pivots at once, one
sparse matrix product per level of the search. Pivots are drawn as networkx draws
them (`random.Random(seed).sample(list(graph), k)`) and scores are rescaled as it
rescales them (normalized, endpoints left out), so for the same graph, `k` and seed
the scores are networkx's; tests/test_analysis.py compares the two.

Also here: what removing one entity would cut off, from the same matrix.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graph.deadline import checkpoint

#: pivots counted at once: cells of the (entities x pivots) blocks kept in memory
BLOCK_CELLS = 4_000_000


def adjacency(graph: nx.Graph) -> tuple[list[str], sp.csr_array]:
    """The graph's entities in order, and its 0/1 adjacency matrix in that order."""
    order = list(graph)
    index = {node: i for i, node in enumerate(order)}
    rows = [index[a] for a, b in graph.edges()]
    cols = [index[b] for a, b in graph.edges()]
    n = len(order)
    ones = np.ones(2 * len(rows))
    matrix = sp.csr_array((ones, (rows + cols, cols + rows)), shape=(n, n))
    return order, matrix


def betweenness(graph: nx.Graph, k: int | None = None, seed: int = 0) -> dict[str, float]:
    """Normalized betweenness of every entity: exact, or from `k` pivots drawn with `seed`."""
    return betweenness_of(*adjacency(graph), k=k, seed=seed)


def betweenness_of(order: list[str], matrix: sp.csr_array, *, k: int | None = None,
                   seed: int = 0) -> dict[str, float]:
    """`betweenness` of the graph `adjacency` gives."""
    n = len(order)
    if n < 3:
        return dict.fromkeys(order, 0.0)
    pivots = (list(range(n)) if k is None or k >= n else
              _indices(order, random.Random(seed).sample(order, k)))
    raw = np.zeros(n)
    block = max(1, BLOCK_CELLS // n)
    for start in range(0, len(pivots), block):
        raw += _dependencies(matrix, np.asarray(pivots[start:start + block]))
    count = len(pivots)
    if count == n:
        scale = np.full(n, 1 / ((n - 1) * (n - 2)))
    else:  # as networkx rescales a sample: a pivot is never its own path's inner entity
        scale = np.full(n, 1 / (count * (n - 2)))
        scale[pivots] = 1 / ((count - 1) * (n - 2)) if count > 1 else np.nan
    return dict(zip(order, (raw * scale).tolist(), strict=True))


def _indices(order: list[str], chosen: list[str]) -> list[int]:
    index = {node: i for i, node in enumerate(order)}
    return [index[c] for c in chosen]


def _dependencies(matrix: sp.csr_array, sources: np.ndarray) -> np.ndarray:
    """Brandes for a block of pivots: each entity's dependency, summed over the pivots."""
    n, width = matrix.shape[0], len(sources)
    columns = np.arange(width)
    sigma = np.zeros((n, width))
    depth = np.full((n, width), -1, dtype=np.int32)
    sigma[sources, columns] = 1.0
    depth[sources, columns] = 0
    frontier = sigma.copy()
    level = 0
    while True:  # forward: shortest-path counts, level by level
        checkpoint()
        reached = matrix @ frontier
        new = (depth < 0) & (reached > 0)
        if not new.any():
            break
        level += 1
        depth[new] = level
        frontier = np.where(new, reached, 0.0)
        sigma += frontier
    delta = np.zeros((n, width))
    for d in range(level, 0, -1):  # backward: dependencies, deepest first
        checkpoint()
        at = depth == d
        share = np.zeros((n, width))
        share[at] = (1.0 + delta[at]) / sigma[at]
        pulled = matrix @ share
        before = depth == d - 1
        delta[before] += sigma[before] * pulled[before]
    delta[sources, columns] = 0.0  # a pivot's own dependency is not its betweenness
    result: np.ndarray = delta.sum(axis=1)
    return result


def cut_off(order: list[str], matrix: sp.csr_array, entity: str) -> list[int]:
    """The sizes of the groups that removing `entity` would cut off from the largest part
    of what it joined, largest first (empty: other paths remain)."""
    i = order.index(entity)
    neighbours = matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]
    if len(neighbours) < 2:
        return []
    keep = np.ones(matrix.shape[0], dtype=bool)
    keep[i] = False
    rest = matrix[keep][:, keep]
    _, labels = connected_components(rest, directed=False)
    shifted = np.where(neighbours > i, neighbours - 1, neighbours)
    pieces = np.unique(labels[shifted])
    if len(pieces) < 2:
        return []
    sizes = sorted((int(np.count_nonzero(labels == p)) for p in pieces), reverse=True)
    return sizes[1:]
