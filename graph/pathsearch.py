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
    """Every shortest path of at most `max_hops` edges, in the order of their node lists read
    from the target back (as Neo4j's `ORDER BY reverse(nodes)`).

    Both ends are searched a whole level at a time, the smaller frontier first, until the
    two meet: the region explored is that of one bidirectional search (two balls of half the
    distance), not a ball of the whole distance around the source. Every shortest path runs
    from the source to a meeting node through levels of the forward search and on to the
    target through levels of the backward one.
    """
    if source == target:
        yield [source]
        return
    dist_s: dict[str, int] = {source: 0}
    dist_t: dict[str, int] = {target: 0}
    front_s, front_t = [source], [target]
    meet: set[str] = set()
    while front_s and front_t and not meet and \
            dist_s[front_s[0]] + dist_t[front_t[0]] < max_hops:
        if len(front_s) <= len(front_t):
            front_s = _level(adj, front_s, dist_s, allowed)
            meet = {v for v in front_s if v in dist_t}
        else:
            front_t = _level(adj, front_t, dist_t, allowed)
            meet = {v for v in front_t if v in dist_s}
    if not meet:
        return
    # the nodes on some shortest path: from the meeting nodes back to each end
    on_s = _towards(adj, meet, dist_s, allowed)
    on_t = _towards(adj, meet, dist_t, allowed)
    length = min(dist_s[m] + dist_t[m] for m in meet)
    stack: list[list[str]] = [[target]]
    while stack:
        suffix = stack.pop()
        node = suffix[-1]
        if node == source:
            yield list(reversed(suffix))
            continue
        checkpoint()
        from_end = len(suffix)  # the next node's distance from the target
        nxt = [u for u in adj[node] if (allowed is None or allowed(node, u)) and (
            (u in on_t and dist_t[u] == from_end) or
            (u in on_s and dist_s[u] == length - from_end))]
        for u in sorted(set(nxt), reverse=True):
            stack.append([*suffix, u])


def _level(adj: Adjacency, frontier: list[str], dist: dict[str, int],
           allowed: Allowed | None) -> list[str]:
    """The next whole level of a breadth-first search."""
    level = dist[frontier[0]] + 1
    nxt: list[str] = []
    for u in frontier:
        checkpoint()
        for v in adj[u]:
            if v not in dist and (allowed is None or allowed(u, v)):
                dist[v] = level
                nxt.append(v)
    return nxt


def _towards(adj: Adjacency, meet: set[str], dist: dict[str, int],
             allowed: Allowed | None) -> set[str]:
    """The nodes of one search that lie on a shortest way from a meeting node to its end."""
    on = set(meet)
    frontier = list(meet)
    while frontier:
        nxt = []
        for v in frontier:
            checkpoint()
            for u in adj[v]:
                if u not in on and dist.get(u) == dist[v] - 1 and (
                        allowed is None or allowed(v, u)):
                    on.add(u)
                    nxt.append(u)
        frontier = nxt
    return on
