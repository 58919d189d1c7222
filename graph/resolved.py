"""A store as the editors' decisions say it is: merged entities as one, decided mentions added.

nomenklatura reads a store through its resolver; here `ResolvedStore` wraps the store
every command and the service open (`graph.open_store`). Writes go to the stored records
as they are; reads see them resolved (`resolve_records`):

- each set of entities an editor judged "same" is one record under the canonical id
  (`graph.identity.Resolver`): the other records' names become aliases, lists and
  citations are unions, and the canonical record's own values win. Its sensitivity is
  the most restricted of theirs unless a decision sets it, so a merge never makes a
  restricted person public on its own;
- relationships are moved onto the canonical id; two that become one are merged, and one
  that would join an entity to itself is dropped;
- every other id of the set still answers, with the merged record (`redirects`);
- a mention an editor confirmed becomes its MENTIONS relationship.

Since the stored records never change, undoing a decision gives back exactly the graph
from before it. With no decision that changes anything (the usual case) reads go straight
to the store; otherwise the resolved records are built once per version, in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from graph.identity import Resolver
from graph.memory import MemoryStore
from graph.results import Stats, WriteReport
from graph.review import ReviewFiles
from graph.statements import combine
from graph.store import GraphStore, RawPath, merge_edge, references, union
from schema.models import Edge, Node, edge_id, merge_citations, merge_steps
from schema.vocabulary import NodeKind, Sensitivity


def merge_records(canonical_id: str, records: Sequence[Node],
                  decided: tuple[Sensitivity, frozenset[str]] | None) -> Node:
    """One record for a set of records judged the same entity, `records[0]` first.

    `decided`: the sensitivity a decision set, with the ids it covers. It holds only when
    every restricted record is among them, so a restricted record merged later into an
    entity an editor made public stays restricted until a decision says otherwise."""
    first = records[0]
    names: list[str] = []
    roles, status, citations = list(first.roles), list(first.status), list(first.citations)
    properties: dict[str, Any] = {}
    for record in records:
        names = union(names, [record.name, *record.aliases])
        roles, status = union(roles, record.roles), union(status, record.status)
        citations = merge_citations(citations, record.citations)
        for name, value in record.properties.items():  # the canonical record's first
            held = properties.get(name)
            if isinstance(held, list) and isinstance(value, list):
                properties[name] = held + [v for v in value if v not in held]
            else:
                properties.setdefault(name, value)
    restricted = any(r.restricted for r in records)
    level = Sensitivity.RESTRICTED if restricted else Sensitivity.PUBLIC
    if decided is not None and (decided[0] is Sensitivity.RESTRICTED or all(
            r.id in decided[1] for r in records if r.restricted)):
        level = decided[0]
    merged = first.model_copy(update={
        "id": canonical_id, "aliases": [n for n in names if n != first.name],
        "roles": roles, "status": status, "properties": properties, "citations": citations,
        "description": next((r.description for r in records if r.description), None),
        "pseudonym": next((r.pseudonym for r in records if r.pseudonym), None),
        "sensitivity": level, "statements": [],
        "history": merge_steps([], [s for r in records for s in r.history])})
    # every value each record gave, with its sources: where they differ, the entity shows
    # the canonical record's value, and says so
    reason = ("the value of the record an editor's decision kept for the entity (whose id it "
              "has)" if first.id == canonical_id else "the value of the first record read")
    return merged.model_copy(update={"statements": combine(records, merged, reason)})


def resolve_records(nodes: Iterable[Node], edges: Iterable[Edge], resolver: Resolver,
                    ) -> tuple[dict[str, Node], dict[str, Edge]]:
    """The records as the decisions say they are (see the module's docstring)."""
    redirects = resolver.redirects
    canonicals = set(redirects.values())
    out_nodes: dict[str, Node] = {}
    merged: dict[str, list[Node]] = {}
    for node in nodes:
        if node.id in resolver.withheld and not node.restricted:
            node = node.model_copy(update={"sensitivity": Sensitivity.RESTRICTED})
        keep = redirects.get(node.id)
        if keep is None and node.id not in canonicals:
            out_nodes[node.id] = node
        else:
            merged.setdefault(keep or node.id, []).append(node)
    for keep, records in merged.items():
        records.sort(key=lambda r: (r.id != keep, r.id))  # the canonical record first
        out_nodes[keep] = merge_records(keep, records, resolver.sensitivity(keep))
    out_edges: dict[str, Edge] = {}
    # the relationships of canonical records first, then in id order: two records of one
    # relationship meet in the same order on every backend (their statements list them so)
    for edge in sorted([*edges, *resolver.mentions], key=lambda e: (
            e.source in redirects or e.target in redirects, e.id)):
        source, target = redirects.get(edge.source, edge.source), redirects.get(
            edge.target, edge.target)
        if source == target and (edge.source != edge.target):
            continue  # two ends that are now one entity
        if source not in out_nodes or target not in out_nodes:
            continue  # a confirmed mention of a record since removed
        if (source, target) != (edge.source, edge.target) or not edge.id:
            edge = edge.model_copy(update={
                "source": source, "target": target,
                "id": edge_id(edge.type, source, target, edge.key)})
        moved = {k: redirects[v] for k, v in references(edge) if v in redirects}
        if moved:  # a record the edge names by id is now another's
            edge = edge.model_copy(update={"properties": {**edge.properties, **moved}})
        held = out_edges.get(edge.id)
        # the record met first (the kept records' own) is the one shown; the other is kept too
        joined = merge_edge(edge, held) if held is not None else edge
        if held is not None and held != edge:  # two records of one relationship: keep both
            joined = joined.model_copy(update={"statements": combine([held, edge], joined)})
        out_edges[edge.id] = joined
    return out_nodes, out_edges


class ResolvedStore(GraphStore):
    """A `GraphStore` whose reads are resolved by the decisions in `files`."""

    def __init__(self, base: GraphStore, files: ReviewFiles) -> None:
        self.base, self.files = base, files
        self.backend = base.backend
        self.checks_deadlines = base.checks_deadlines
        self._lock = threading.Lock()
        #: (base version, the resolver) -> the resolved records, when decisions change any
        self._view: tuple[Hashable, Resolver, GraphStore | None] | None = None

    def __getattr__(self, name: str) -> Any:
        """What a backend offers beyond the contract (`touch`, `snapshot_path`...)."""
        return getattr(self.base, name)

    @property
    def version(self) -> Hashable:
        return (self.base.version, self.resolver.serial)

    @property
    def resolver(self) -> Resolver:
        """The decisions as their files are now: four `stat`s per read (the three decision
        files and the queue), as the embedded store's own snapshot costs one, so that a
        decision made anywhere counts at once."""
        return self.files.resolver()

    def _current(self) -> tuple[GraphStore, Mapping[str, str]]:
        """What reads go to now, and the merged ids with the ids they answer with."""
        resolver = self.resolver
        if not resolver.has_effects:
            return self.base, {}
        base_version = self.base.version
        view = self._view
        if view is None or view[0] != base_version or view[1] is not resolver:
            with self._lock:
                view = self._view
                if view is None or view[0] != base_version or view[1] is not resolver:
                    view = self._view = (base_version, resolver, self._resolved(resolver))
        if view[2] is None:
            return self.base, {}
        return view[2], resolver.redirects

    def _resolved(self, resolver: Resolver) -> GraphStore | None:
        """The records as the decisions make them; None when no decision names a stored
        record (decisions about another dataset's records change nothing here)."""
        named = {*resolver.redirects, *resolver.redirects.values(), *resolver.withheld,
                 *(i for e in resolver.mentions for i in (e.source, e.target))}
        if not self.base.find_nodes(named):
            return None
        nodes, edges = resolve_records(self.base.iter_nodes(), self.base.iter_edges(), resolver)
        return MemoryStore.holding(nodes, edges)

    def redirects(self) -> Mapping[str, str]:
        return self._current()[1]

    @property
    def stored(self) -> GraphStore:
        return self.base

    # -- writing: the stored records as they are --------------------------------
    def write(self, nodes: Sequence[Node], edges: Sequence[Edge], *,
              replace: bool = False) -> WriteReport:
        return self.base.write(nodes, edges, replace=replace)

    def clear(self) -> None:
        self.base.clear()

    def close(self) -> None:
        self.base.close()

    # -- reading: resolved -----------------------------------------------------
    def find_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        store, redirects = self._current()
        wanted = {i: redirects.get(i, i) for i in ids}
        found = store.find_nodes(set(wanted.values()))
        return {i: found[c] for i, c in wanted.items() if c in found}

    def find_edges(self, ids: Iterable[str]) -> dict[str, Edge]:
        return self._current()[0].find_edges(ids)

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        return self._current()[0].iter_nodes(kind)

    def iter_edges(self, types: Iterable[str] | None = None) -> Iterator[Edge]:
        return self._current()[0].iter_edges(types)

    def incident_edges(self, node_id: str, types: Iterable[str] | None = None,
                       offset: int = 0, limit: int | None = None) -> list[Edge]:
        store, redirects = self._current()
        return store.incident_edges(redirects.get(node_id, node_id), types, offset, limit)

    def edges_between(self, a: str, b: str, types: Iterable[str] | None = None) -> list[Edge]:
        store, redirects = self._current()
        return store.edges_between(redirects.get(a, a), redirects.get(b, b), types)

    def degree(self, node_id: str) -> int:
        store, redirects = self._current()
        return store.degree(redirects.get(node_id, node_id))

    def find_paths(self, source: str, target: str, *, max_hops: int, all_shortest: bool,
                   types: frozenset[str] | None, avoid: frozenset[str],
                   limit: int) -> list[RawPath]:
        store, redirects = self._current()
        return store.find_paths(
            redirects.get(source, source), redirects.get(target, target), max_hops=max_hops,
            all_shortest=all_shortest, types=types,
            avoid=frozenset(redirects.get(a, a) for a in avoid), limit=limit)

    def stats(self) -> Stats:
        return self._current()[0].stats()
