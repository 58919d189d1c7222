"""How two entities are connected, as an analyst can use it.

`connect` finds paths as `queries.paths` always did, and adds what makes them mean
something:

- **Generic actors** (`graph.generic`) are not intermediate hops unless
  `through_generic` is set. The answer names those it avoided: the generic actors on
  the shortest connection that passes through them, found by a second search. When
  that is the only connection, the summary says so in words.
- **Distinct paths.** Two paths that read the same (the same sentences, citations
  aside) are one: parallel records of one relationship add nothing for a reader.
- **Ranked paths** (`mode="ranked"`): the shortest connections, each scored, the
  lowest score first. A path pays one point per hop; for every entity it passes
  through, log2(1 + its number of relationships), so that a path through a hub
  weighs more than one through a specific person; and for every step that is not
  stated in a source's own voice, 1 (reported) or 2 (alleged). For each sequence of
  entities the best-scored relationship per hop is kept, so no two ranked paths
  pass through the same entities. `score_parts` gives the sum's terms in words.
- **Explanations**: every path carries its sentences (`graph.explain`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from pydantic import BaseModel, Field

from graph.errors import InvalidParameter
from graph.explain import explain
from graph.generic import generic_ids
from graph.generic import names as generic_names
from graph.results import EdgeRef, NodeRef, Path
from graph.store import GraphStore, RawPath
from schema.vocabulary import Certainty

MODES = ("shortest", "all", "ranked")
#: entity sequences ranked at most (each with every relationship combination found for it)
RANK_CANDIDATES = 200
CERTAINTY_COST = {Certainty.STATED: 0.0, Certainty.REPORTED: 1.0, Certainty.ALLEGED: 2.0}


class Connection(BaseModel):
    paths: list[Path]
    avoided: list[NodeRef] = Field(default_factory=list, description=(
        "Generic actors (a whole state, 'the authorities') that a shorter or the only "
        "connection passes through, left out of these paths; ask with "
        "`through_generic=true` to include them."))
    through_generic: bool = False
    summary: str = Field(description="The answer in words.")


def connect(store: GraphStore, source: str, target: str, *, max_hops: int, mode: str,
            types: frozenset[str] | None, avoid: Iterable[str] = (), limit: int,
            through_generic: bool = False) -> Connection:
    if mode not in MODES:
        raise InvalidParameter("mode", "mode must be 'shortest', 'all' or 'ranked'")
    avoid = frozenset(avoid)
    generic = frozenset() if through_generic else generic_ids(store) - {source, target}
    wanted = RANK_CANDIDATES if mode == "ranked" else limit * 4 if mode == "all" else 1
    raw = store.find_paths(source, target, max_hops=max_hops, all_shortest=mode != "shortest",
                           types=types, avoid=avoid | generic, limit=wanted)
    if mode == "ranked":  # scored as found; only the best are read and explained
        degrees: dict[str, int] = {}
        paths = _paths(store, best_first(store, raw, degrees)[:limit])
        for path in paths:
            score(store, path, degrees)
    else:
        paths = distinct(_paths(store, raw))[:limit]
    avoided = _avoided(store, source, target, max_hops, types, avoid, generic, paths)
    return Connection(paths=paths, avoided=avoided, through_generic=through_generic,
                      summary=_summary(store, source, target, paths, avoided, max_hops))


def _paths(store: GraphStore, raw: list[RawPath]) -> list[Path]:
    nodes = store.find_nodes({n for p in raw for n in p.nodes})
    out = []
    for p in raw:
        path = Path(length=len(p.edges), nodes=[NodeRef.of(nodes[n]) for n in p.nodes],
                    edges=[EdgeRef.of(e) for e in p.edges])
        path.explanation = explain(path)
        out.append(path)
    return out


def reading(path: Path) -> tuple[str, ...]:
    """What a reader reads: the sentences without their citations."""
    return tuple(s.rsplit(" (", 1)[0] if s.endswith(").") else s for s in path.explanation)


def distinct(paths: list[Path]) -> list[Path]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for path in paths:
        if (key := reading(path)) not in seen:
            seen.add(key)
            out.append(path)
    return out


def best_first(store: GraphStore, raw: list[RawPath], degrees: dict[str, int]) -> list[RawPath]:
    """One path per sequence of entities (its best-scored choice of relationships), the
    best first; ties in the order of their entities' ids."""
    best: dict[tuple[str, ...], tuple[float, RawPath]] = {}
    for path in raw:
        value = _value(store, path.nodes, [e.certainty for e in path.edges], degrees)
        if path.nodes not in best or value < best[path.nodes][0]:
            best[path.nodes] = (value, path)
    return [p for _, p in sorted(best.values(), key=lambda vp: (vp[0], vp[1].nodes))]


def _value(store: GraphStore, nodes: tuple[str, ...] | list[str], certainties: list[Certainty],
           degrees: dict[str, int]) -> float:
    for node in nodes[1:-1]:
        if node not in degrees:
            degrees[node] = store.degree(node)
    return (len(nodes) - 1 + sum(math.log2(1 + degrees[n]) for n in nodes[1:-1])
            + sum(CERTAINTY_COST[c] for c in certainties))


def score(store: GraphStore, path: Path, degrees: dict[str, int]) -> None:
    """Give `path` its score (`_value`) and the score's terms in words."""
    total = _value(store, [n.id for n in path.nodes], [e.certainty for e in path.edges],
                   degrees)
    parts = [f"{path.length} hop{'s' if path.length != 1 else ''}: {path.length}"]
    parts += [f"through {n.name}, with {degrees[n.id]} relationships: "
              f"{math.log2(1 + degrees[n.id]):.2f}" for n in path.nodes[1:-1]]
    parts += [f"a {e.certainty.value} step ({e.type}): {CERTAINTY_COST[e.certainty]:g}"
              for e in path.edges if CERTAINTY_COST[e.certainty]]
    path.score = round(total, 3)
    path.score_parts = parts


def _avoided(store: GraphStore, source: str, target: str, max_hops: int,
             types: frozenset[str] | None, avoid: frozenset[str], generic: frozenset[str],
             paths: list[Path]) -> list[NodeRef]:
    """The generic actors on the shortest connection through them, when it is shorter than
    the answer's or the only one."""
    if not generic:
        return []
    through = store.find_paths(source, target, max_hops=max_hops, all_shortest=False,
                               types=types, avoid=avoid, limit=1)
    if not through or (paths and len(through[0].edges) >= paths[0].length):
        return []
    ids = [n for n in through[0].nodes if n in generic]
    found = store.find_nodes(ids)
    return [NodeRef.of(found[i]) for i in ids]


def _summary(store: GraphStore, source: str, target: str, paths: list[Path],
             avoided: list[NodeRef], max_hops: int) -> str:
    ends = store.find_nodes([source, target])
    a, b = ends[source].name, ends[target].name
    actors = generic_names(store.find_nodes([n.id for n in avoided]).values())
    if not paths and avoided:
        return (f"{a} and {b} are connected only through acts of {actors}, which stand for "
                f"a whole state or collective; ask again with through_generic=true "
                f"(--through-generic) to see how.")
    if not paths:
        return f"No connection between {a} and {b} within {max_hops} hops."
    hops = paths[0].length
    found = (f"{len(paths)} connection{'s' if len(paths) != 1 else ''} between {a} and {b}; "
             f"the first takes {hops} hop{'s' if hops != 1 else ''}.")
    if avoided:
        found += (f" A shorter one runs through {actors}, left out as a generic actor; ask "
                  f"again with through_generic=true (--through-generic) to include it.")
    return found
