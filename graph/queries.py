"""The questions analysts ask, as plain functions over any `GraphStore`.

Each returns typed results (`graph.results`) carrying the citations of every
relationship it used. A missing entity raises `NodeNotFound`; a path that does
not exist is an empty list from `paths`, and `NoPath` from `shortest_path`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from config import Settings, get_settings
from graph.connections import Connection, connect
from graph.errors import InvalidParameter, LimitExceeded, NoPath, WrongKind
from graph.generic import generic_ids
from graph.results import (
    CaseLink,
    EdgeRef,
    HistoryEntry,
    Measure,
    Neighbourhood,
    NodeRef,
    Path,
    Relation,
    Relations,
    RelativeTargeting,
    SourceUse,
)
from graph.store import GraphStore
from graph.timeline import timeline as timeline  # re-exported: one place for the questions
from schema.models import Citation, Edge, Node
from schema.vocabulary import CASE_LINK_TYPES, MEASURE_TYPES, RELATIONS, NodeKind


def _check_types(types: Iterable[str] | None) -> frozenset[str] | None:
    if types is None:
        return None
    wanted = frozenset(types)
    unknown = sorted(wanted - RELATIONS.keys())
    if unknown:
        raise InvalidParameter("types", f"unknown relationship types: {', '.join(unknown)}")
    return wanted or None


def paths(store: GraphStore, source: str, target: str, *, max_hops: int | None = None,
          mode: str = "shortest", types: Iterable[str] | None = None,
          avoid: Iterable[str] = (), limit: int = 10, through_generic: bool = False,
          settings: Settings | None = None) -> list[Path]:
    """Shortest path(s) between two entities, ignoring direction; [] when there is none.
    Generic actors are not intermediate hops unless `through_generic` (`connection`)."""
    return connection(store, source, target, max_hops=max_hops, mode=mode, types=types,
                      avoid=avoid, limit=limit, through_generic=through_generic,
                      settings=settings).paths


def connection(store: GraphStore, source: str, target: str, *, max_hops: int | None = None,
               mode: str = "shortest", types: Iterable[str] | None = None,
               avoid: Iterable[str] = (), limit: int = 10, through_generic: bool = False,
               settings: Settings | None = None) -> Connection:
    """How two entities are connected: paths (`mode` shortest, all or ranked), explained,
    with the generic actors avoided and a summary in words (`graph.connections`)."""
    settings = settings or get_settings()
    hops = settings.default_max_hops if max_hops is None else max_hops
    if hops > settings.max_hops_cap:
        raise LimitExceeded("max_hops", hops, settings.max_hops_cap)
    if hops < 1:
        raise InvalidParameter("max_hops", "max_hops must be at least 1")
    store.require(source, target)
    return connect(store, source, target, max_hops=hops, mode=mode, types=_check_types(types),
                   avoid=avoid, limit=min(limit, settings.max_paths),
                   through_generic=through_generic)


def shortest_path(store: GraphStore, source: str, target: str, **options: object) -> Path:
    """The shortest path, networkx-style: raises `NoPath` when there is none."""
    found = paths(store, source, target, **options)  # type: ignore[arg-type]
    if not found:
        hops = options.get("max_hops") or get_settings().default_max_hops
        raise NoPath(source, target, int(hops))  # type: ignore[call-overload]
    return found[0]


def relations(store: GraphStore, node_id: str, *, offset: int = 0, limit: int = 100,
              types: Iterable[str] | None = None,
              settings: Settings | None = None) -> Relations:
    """The entity and one page of its relationships, each with the entity at its other end."""
    settings = settings or get_settings()
    if limit > settings.max_page:
        raise LimitExceeded("limit", limit, settings.max_page)
    wanted = _check_types(types)
    entity = store.get_node(node_id)
    page = store.incident_edges(node_id, wanted, offset=offset, limit=limit)
    total = store.degree(node_id) if wanted is None else len(store.incident_edges(node_id, wanted))
    others = store.find_nodes(e.target if e.source == node_id else e.source for e in page)
    items = [Relation.of(e, node_id, others[e.target if e.source == node_id else e.source])
             for e in page]
    return Relations(entity=entity, items=items, total=total, offset=offset,
                     truncated=offset + len(items) < total)


def neighbourhood(store: GraphStore, node_id: str, *, depth: int = 1, limit: int = 100,
                  offset: int = 0, types: Iterable[str] | None = None,
                  expand_generic: bool = False,
                  settings: Settings | None = None) -> Neighbourhood:
    """Entities within `depth` hops, breadth first, paged by `offset`/`limit` over nodes.

    A generic actor (`graph.generic`) reached on the way is shown but not expanded unless
    `expand_generic`: its relationships reach nearly everyone, and would bury the rest."""
    settings = settings or get_settings()
    if depth > settings.max_depth:
        raise LimitExceeded("depth", depth, settings.max_depth)
    if limit > settings.max_page:
        raise LimitExceeded("limit", limit, settings.max_page)
    wanted = _check_types(types)
    centre = store.get_node(node_id)
    order = [node_id]
    seen = {node_id}
    edges: dict[str, Edge] = {}
    frontier = [node_id]
    closed = frozenset() if expand_generic else generic_ids(store) - {node_id}
    for _ in range(depth):
        nxt: list[str] = []
        for u in frontier:
            if u in closed:
                continue
            for edge in store.incident_edges(u, wanted):
                edges[edge.id] = edge
                other = edge.target if edge.source == u else edge.source
                if other not in seen:
                    seen.add(other)
                    order.append(other)
                    nxt.append(other)
        frontier = nxt
    page = order[offset:offset + limit]
    keep = set(page) | {node_id}
    nodes = store.find_nodes(keep)
    kept_edges = [e for e in edges.values() if e.source in keep and e.target in keep]
    return Neighbourhood(
        centre=NodeRef.of(centre), depth=depth,
        nodes=[NodeRef.of(nodes[i]) for i in order if i in keep],
        edges=[EdgeRef.of(e) for e in sorted(kept_edges, key=lambda e: e.id)],
        total_nodes=len(order), offset=offset, truncated=offset + limit < len(order),
        total_edges=len(edges),
    )


def targeted_through_relatives(store: GraphStore, target: str | None = None,
                               relative: str | None = None) -> list[RelativeTargeting]:
    """Who was pressured through a relative: the relative, the person aimed at, what and when."""
    if target is not None:
        store.require(target)
    if relative is not None:
        store.require(relative)
    found = [
        e for e in store.iter_edges(["TARGETED_THROUGH_RELATIVE"])
        if (target is None or e.target == target) and (relative is None or e.source == relative)
    ]
    ids = {e.source for e in found} | {e.target for e in found}
    nodes = store.find_nodes(ids)
    out: list[RelativeTargeting] = []
    for edge in found:
        out.append(RelativeTargeting(
            relative=NodeRef.of(nodes[edge.source]), target=NodeRef.of(nodes[edge.target]),
            relation=_relation(store, edge), measures=list(edge.properties.get("measures", [])),
            date=edge.date, certainty=edge.certainty, claimed_by=edge.claimed_by,
            citations=edge.citations, related_measures=_measures_against(store, edge.source),
        ))
    return sorted(out, key=lambda r: (r.target.name, r.relative.name, r.date or ""))


def _relation(store: GraphStore, edge: Edge) -> str | None:
    """The family relation, from the edge itself or from a FAMILY_OF edge between the two."""
    if "relation" in edge.properties:
        return str(edge.properties["relation"])
    for fam in store.incident_edges(edge.source, ["FAMILY_OF"]):
        if fam.source == edge.source and fam.target == edge.target:
            return str(fam.properties["relation"])
    return None


def _measures_against(store: GraphStore, person: str) -> list[Measure]:
    edges = [e for e in store.incident_edges(person, MEASURE_TYPES) if e.target == person
             or e.type == "LISTED_ON"]
    actors = store.find_nodes(e.source for e in edges if e.source != person)
    out = []
    for e in edges:
        by = actors.get(e.source)
        measures = e.properties.get("measures") or [e.type.lower()]
        out.append(Measure(type=e.type, measures=list(measures),
                           by=NodeRef.of(by) if by else None, date=e.date, citations=e.citations))
    return sorted(out, key=lambda m: (m.date or "", m.type))


def case_links(store: GraphStore, case_id: str, *,
               through_generic: bool = False) -> list[CaseLink]:
    """Other cases sharing defendants, laws, agencies or organisations with this one. A
    generic actor (the authorities as a whole) links no cases unless `through_generic`."""
    case = store.get_node(case_id)
    if case.kind is not NodeKind.CASE:
        raise WrongKind("id", case_id, case.kind, NodeKind.CASE)
    skip = frozenset() if through_generic else generic_ids(store)
    shared: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for edge in store.incident_edges(case_id, CASE_LINK_TYPES):
        via = edge.target if edge.source == case_id else edge.source
        if via in skip:
            continue
        category = CASE_LINK_TYPES[edge.type]
        for other_edge in store.incident_edges(via, CASE_LINK_TYPES):
            other = other_edge.target if other_edge.source == via else other_edge.source
            if other in (case_id, via):
                continue
            shared[other][category].add(via)
    candidates = store.find_nodes(shared)
    cases = {i: n for i, n in candidates.items() if n.kind is NodeKind.CASE}
    via_nodes = store.find_nodes({v for i in cases for vs in shared[i].values() for v in vs})
    links = [
        CaseLink(case=NodeRef.of(cases[i]),
                 shared={cat: [NodeRef.of(via_nodes[v]) for v in sorted(vs)]
                         for cat, vs in sorted(shared[i].items())},
                 strength=sum(len(vs) for vs in shared[i].values()))
        for i in cases
    ]
    return sorted(links, key=lambda link: (-link.strength, link.case.id))


def history(store: GraphStore, node_id: str) -> list[HistoryEntry]:
    """The person's dated statuses and roles, newest first, each with its sources."""
    node = store.get_node(node_id)
    sources = store.find_nodes({c.source for s in node.history for c in s.citations})
    return [HistoryEntry.of(step, sources) for step in node.history]


def source_uses(store: GraphStore) -> dict[str, SourceUse]:
    """By source id, how many entities and relationships cite it: for the record itself,
    or for one of its values (`statements`) or dated statuses and roles (`history`). A
    source citing itself is not counted."""
    uses: dict[str, SourceUse] = defaultdict(SourceUse)
    for node in store.iter_nodes():
        for source in _cited(node) - {node.id}:
            uses[source].entities += 1
    for edge in store.iter_edges():
        for source in _cited(edge):
            uses[source].relationships += 1
    return dict(uses)


def _cited(record: Node | Edge) -> set[str]:
    citations: list[Citation] = [*record.citations,
                                 *(c for s in record.statements for c in s.citations)]
    if isinstance(record, Node):
        citations += [c for step in record.history for c in step.citations]
    return {c.source for c in citations}
