"""Bounded breadth-first path search over an undirected adjacency, as plain functions.

The embedded store keeps an undirected `networkx.Graph` beside its multigraph;
these functions walk that graph with a hop limit, an optional predicate on
neighbours (relationship-type filter, entities to avoid) and no copies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from graph.deadline import checkpoint

Adjacency = Mapping[str, Mapping[str, object]]
Allowed = Callable[[str, str], bool]


def _expand(adj: Adjacency, frontier: list[str], seen: dict[str, str | None],
            other: dict[str, str | None], allowed: Allowed | None,
            ) -> tuple[list[str], str | None]:
    """One level further from `frontier`; stops at the first node the other side has seen."""
    nxt: list[str] = []
    for u in frontier:
        checkpoint()
        for v in adj[u]:
            if v in seen or (allowed is not None and not allowed(u, v)):
                continue
            seen[v] = u
            if v in other:
                return nxt, v
            nxt.append(v)
    return nxt, None


def bidirectional_bfs(adj: Adjacency, source: str, target: str, max_hops: int,
                      allowed: Allowed | None = None) -> list[str] | None:
    """One shortest path from source to target of at most `max_hops` edges, or None."""
    if source == target:
        return [source]
    fwd: dict[str, str | None] = {source: None}
    bwd: dict[str, str | None] = {target: None}
    ffront, bfront = [source], [target]
    hops = 0
    while ffront and bfront and hops < max_hops:
        hops += 1
        if len(ffront) <= len(bfront):
            ffront, meet = _expand(adj, ffront, fwd, bwd, allowed)
        else:
            bfront, meet = _expand(adj, bfront, bwd, fwd, allowed)
        if meet is not None:
            return _join(fwd, bwd, meet)
    return None


def _join(fwd: dict[str, str | None], bwd: dict[str, str | None], meet: str) -> list[str]:
    left: list[str] = []
    node: str | None = meet
    while node is not None:
        left.append(node)
        node = fwd[node]
    left.reverse()
    node = bwd[meet]
    while node is not None:
        left.append(node)
        node = bwd[node]
    return left


def all_shortest(adj: Adjacency, source: str, target: str, max_hops: int,
                 allowed: Allowed | None = None) -> Iterator[list[str]]:
    """Every shortest path of at most `max_hops` edges, in a stable order."""
    if source == target:
        yield [source]
        return
    dist = {source: 0}
    preds: dict[str, list[str]] = {source: []}
    frontier = [source]
    level = 0
    while frontier and level < max_hops and target not in dist:
        level += 1
        nxt: list[str] = []
        for u in frontier:
            checkpoint()
            for v in adj[u]:
                if allowed is not None and not allowed(u, v):
                    continue
                if v not in dist:
                    dist[v] = level
                    preds[v] = [u]
                    nxt.append(v)
                elif dist[v] == level:
                    preds[v].append(u)
        frontier = nxt
    if target not in dist:
        return
    stack: list[tuple[str, list[str]]] = [(target, [target])]
    while stack:
        node, suffix = stack.pop()
        if node == source:
            yield list(reversed(suffix))
            continue
        for p in sorted(preds[node], reverse=True):
            stack.append((p, [*suffix, p]))
