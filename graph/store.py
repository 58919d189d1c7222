"""The `GraphStore` contract that every backend fulfils, and the merge rules they share.

A backend implements a handful of primitives (atomic upsert, lookups, incident
edges, bounded path search, counts). Everything else, the queries analysts ask,
is written once in `graph.queries` on top of these primitives.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from graph.errors import InvalidData, NodeNotFound, Problem
from graph.results import SensitivityChange, Stats, WriteReport
from schema.models import Edge, Node, merge_citations, merge_steps
from schema.vocabulary import PSEUDONYM, RELATIONS, NodeKind, Sensitivity


@dataclass(frozen=True)
class RawPath:
    """A path as node ids and the edges between consecutive nodes."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]


def union(a: list[str], b: Iterable[str]) -> list[str]:
    """`a`, then what `b` adds to it, in order: how list fields of two records combine."""
    return a + [x for x in b if x not in a]


def states_sensitivity(node: Node) -> bool:
    """Whether the record says its sensitivity itself, rather than taking the default."""
    return "sensitivity" in node.model_fields_set


def kept_sensitivity(old: Node | None, new: Node) -> Sensitivity:
    """The sensitivity of `new` merged into `old`: its own only if the record states it.

    Sensitivity is sticky: a record that leaves it out never makes a restricted
    node public; only `sensitivity: public`, written out, does.
    """
    return new.sensitivity if old is None or states_sensitivity(new) else old.sensitivity


def merge_node(old: Node | None, new: Node) -> Node:
    """Combine a stored node with an incoming one of the same id.

    Names and scalar fields take the incoming value, except sensitivity, which
    changes only when the incoming record states it (`kept_sensitivity`); lists
    (aliases, roles, status, citations, history) are unions, so loading a second source
    adds to what the first one said instead of erasing it, and reloading changes
    nothing.
    """
    if old is None:
        return new
    aliases = [a for a in union(old.aliases, new.aliases) if a != new.name]
    if old.name != new.name and old.name not in aliases:
        aliases.append(old.name)
    return new.model_copy(update={
        "aliases": aliases,
        "roles": union(old.roles, new.roles),
        "status": union(old.status, new.status),
        "properties": {**old.properties, **new.properties},
        "description": new.description or old.description,
        "pseudonym": new.pseudonym or old.pseudonym,
        "citations": merge_citations(old.citations, new.citations),
        "history": merge_steps(old.history, new.history),
        "sensitivity": kept_sensitivity(old, new),
        "source": new.source or old.source,
    })


def redefinition(old: Node | None, new: Node) -> str | None:
    """Why `new` may not be written over `old`, or None: ids are local to their source, so
    a record may only be written over one its own source defines (a correction). A record
    whose source is unknown (an older snapshot whose citations name several sources, or a
    writer that names none) is checked against nothing."""
    if old is None or old.source is None or new.source is None or old.source == new.source:
        return None
    return (f"{new.id!r} is already defined by source {old.source!r}; source {new.source!r} "
            "may refer to it (an edge's end, a mention) but not define it: give its own "
            "record its own id, and let an identity decision join the two")


def merge_edge(old: Edge | None, new: Edge) -> Edge:
    """Combine a stored relationship with an incoming one of the same id.

    From the same sources, the incoming record corrects the stored one (its values win).
    From another source, both are kept: the relationship is stated by both, and where they
    give different values (two dates), each value keeps its sources (`graph.statements`)."""
    if old is None:
        return new
    merged = _merged_edge(old, new)
    if {c.source for c in new.citations} <= {c.source for c in old.citations} and \
            not old.statements:
        return merged
    from graph.statements import restated  # statements build on the store's records

    return merged.model_copy(update={"statements": restated(old, new)})


def _merged_edge(old: Edge, new: Edge) -> Edge:
    return new.model_copy(update={
        "properties": {**old.properties, **new.properties},
        "date": new.date or old.date,
        "end": new.end or old.end,
        "claimed_by": new.claimed_by or old.claimed_by,
        "citations": merge_citations(old.citations, new.citations),
    })


def redefinitions(nodes: Sequence[Node], existing_nodes: Mapping[str, Node]) -> list[Problem]:
    """Every record of a write that would redefine one another source defines, stored or
    earlier in the same write."""
    problems: list[Problem] = []
    first: dict[str, Node] = {}
    for node in nodes:
        earlier = first.setdefault(node.id, node)
        why = redefinition(existing_nodes.get(node.id), node) or redefinition(earlier, node)
        if why:
            problems.append(Problem("<store>", None, f"node {node.id}", why))
    return problems


def plan_write(
    nodes: Sequence[Node], edges: Sequence[Edge],
    existing_nodes: dict[str, Node], existing_edges: dict[str, Edge],
    stored_nodes: Mapping[str, Node] | None = None,
) -> tuple[list[Node], list[Edge], WriteReport]:
    """Work out the merged records to write and what changes, before touching a store.

    `stored_nodes` are the nodes stored before the write when `existing_nodes`
    leaves them out (a replace plans against nothing): a record that does not
    state its sensitivity keeps theirs all the same, and also the one an earlier
    record of the same id in this batch gave. Every stored node whose sensitivity
    changes is in the report's `sensitivity_changes`.

    Raises `InvalidData` when an edge ends at an entity that is neither in the
    batch nor already stored, so that no backend can write a dangling edge, when a
    node would take an id the public view reserves for pseudonyms, and when a node
    would redefine one another source defines (`redefinition`).
    """
    known = {n.id for n in nodes}
    dangling = [
        Problem("<store>", None, f"edge {e.id}", f"endpoint {end!r} does not exist")
        for e in edges for end in (e.source, e.target)
        if end not in known and end not in existing_nodes
    ] + [
        Problem("<store>", None, f"edge {e.id}", f"{prop} names {ref!r}, which does not exist")
        for e in edges for prop, ref in references(e)
        if ref not in known and ref not in existing_nodes
    ] + [Problem("<store>", None, f"node {i}", "this id has the shape of a public pseudonym "
                 "(restricted- or redacted- and 16 hex digits); choose another")
         for i in known if PSEUDONYM.match(i)]
    if dangling:
        raise InvalidData(dangling)
    refused = redefinitions(nodes, existing_nodes)
    if refused:
        raise InvalidData(refused)
    stored = existing_nodes if stored_nodes is None else stored_nodes
    report = WriteReport()
    out_nodes: list[Node] = []
    out_edges: list[Edge] = []
    planned: dict[str, Node] = {}
    for node in nodes:
        old = existing_nodes.get(node.id)
        merged = merge_node(old, node)
        # a replace merges with nothing, and an id may come twice: sensitivity sticks all the same
        earlier = planned[node.id] if node.id in planned else stored.get(node.id)
        sensitivity = kept_sensitivity(earlier, node)
        if merged.sensitivity is not sensitivity:
            merged = merged.model_copy(update={"sensitivity": sensitivity})
        planned[node.id] = merged
        if old is None:
            report.nodes_added.append(node.id)
        elif merged != old:
            report.nodes_changed.append(node.id)
        else:
            report.unchanged += 1
            continue
        out_nodes.append(merged)
    for edge in edges:
        old_e = existing_edges.get(edge.id)
        merged_e = merge_edge(old_e, edge)
        if old_e is None:
            report.edges_added.append(edge.id)
        elif merged_e != old_e:
            report.edges_changed.append(edge.id)
        else:
            report.unchanged += 1
            continue
        out_edges.append(merged_e)
    report.sensitivity_changes = [
        SensitivityChange(id=i, before=stored[i].sensitivity, after=n.sensitivity)
        for i, n in planned.items() if i in stored and stored[i].sensitivity is not n.sensitivity]
    return out_nodes, out_edges, report


def references(edge: Edge) -> list[tuple[str, str]]:
    """The records an edge's properties name by id (`ref` properties), as (property, id)."""
    spec = RELATIONS[edge.type].properties
    return [(k, v) for k, v in edge.properties.items() if spec[k].type == "ref"]


def report_replace(report: WriteReport, nodes: Sequence[Node], edges: Sequence[Edge],
                   stored_nodes: Collection[str], stored_edges: Collection[str]) -> WriteReport:
    """The report of a write with `replace`, from its plan against nothing (where every
    record came out added) and the ids stored before: a record already stored is changed,
    and every stored one the write leaves out is removed. The same for every backend."""
    report.nodes_changed = [i for i in report.nodes_added if i in stored_nodes]
    report.nodes_added = [i for i in report.nodes_added if i not in stored_nodes]
    report.edges_changed = [i for i in report.edges_added if i in stored_edges]
    report.edges_added = [i for i in report.edges_added if i not in stored_edges]
    report.nodes_removed = sorted(set(stored_nodes) - {n.id for n in nodes})
    report.edges_removed = sorted(set(stored_edges) - {e.id for e in edges})
    return report


class GraphStore(ABC):
    """What every backend provides. Writes are all-or-nothing."""

    backend: str = "abstract"
    #: True when reads run in this process and call `graph.deadline.checkpoint()` often
    #: enough that a query can be stopped at its deadline without a worker thread
    checks_deadlines: bool = False

    # -- writing -------------------------------------------------------------
    @abstractmethod
    def write(self, nodes: Sequence[Node], edges: Sequence[Edge], *,
              replace: bool = False) -> WriteReport:
        """Upsert validated records atomically: either all of them are stored, or none.

        With `replace`, the store afterwards holds exactly these records, still atomically.
        """

    # -- reading -------------------------------------------------------------
    @property
    @abstractmethod
    def version(self) -> Hashable:
        """Names the content the next read will see: changes whenever the content does.

        Cheap enough to ask on every request (it never walks nor loads the graph), so that
        caches built from the content (the public view, the search index) can be keyed by
        it. A write that changes nothing (the same records again) keeps it; `clear` and a
        write with `replace` always change it. A value is never used again for other
        content, not even after `clear` and the same records loaded anew, so that a cache
        cannot mistake old content for new. Read it before the content it describes: a
        write in between then only costs a rebuild, never a stale cache. A write by another
        process may show a short, configured time late, and on Neo4j one made around
        repgraph (Cypher by hand) does not show at all (`REPGRAPH_NEO4J_VERSION_TTL_S`,
        docs/neo4j.md).
        """

    @abstractmethod
    def find_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        """The nodes among `ids` that exist, by id."""

    @abstractmethod
    def find_edges(self, ids: Iterable[str]) -> dict[str, Edge]:
        """The edges among `ids` that exist, by id."""

    @abstractmethod
    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]: ...

    def searchable_nodes(self) -> Iterator[Node]:
        """The nodes a name search may find (the public view leaves out pseudonyms)."""
        return self.iter_nodes()

    @property
    def stored(self) -> GraphStore:
        """The records as they were written, with no identity decision applied: what a
        write is checked against (who defines an id, which ends exist)."""
        return self

    def redirects(self) -> Mapping[str, str]:
        """Ids that answer with another entity's record (merged into it by an editor's
        decision), each with that entity's id. Only a resolved store has any."""
        return {}

    def redact_text(self, text: str) -> str:
        """Words from outside the records (a source document's text) as this store's readers
        may read them: as written; the public view removes restricted persons' names."""
        return text

    def redact_url(self, url: str) -> str | None:
        """A link from outside the records as this store's readers may follow it: as it is;
        the public view withholds (None) one whose address names a restricted person."""
        return url

    @abstractmethod
    def iter_edges(self, types: Iterable[str] | None = None) -> Iterator[Edge]: ...

    @abstractmethod
    def incident_edges(
        self, node_id: str, types: Iterable[str] | None = None,
        offset: int = 0, limit: int | None = None,
    ) -> list[Edge]:
        """Edges touching a node in either direction, ordered by edge id, paged."""

    @abstractmethod
    def degree(self, node_id: str) -> int: ...

    def edges_between(self, a: str, b: str, types: Iterable[str] | None = None) -> list[Edge]:
        """Every relationship joining two nodes, either way round (of `types` only)."""
        return [e for e in self.incident_edges(a, types) if {e.source, e.target} == {a, b}]

    @abstractmethod
    def find_paths(
        self, source: str, target: str, *, max_hops: int, all_shortest: bool,
        types: frozenset[str] | None, avoid: frozenset[str], limit: int,
    ) -> list[RawPath]:
        """Shortest paths ignoring direction, at most `max_hops` long, through allowed types only."""

    @abstractmethod
    def stats(self) -> Stats: ...

    @abstractmethod
    def clear(self) -> None:
        """Remove everything (used by tests and by `repgraph load --replace`)."""

    def close(self) -> None:  # noqa: B027 - optional hook, most backends need it
        """Release connections or files."""

    # -- derived -------------------------------------------------------------
    def get_node(self, node_id: str) -> Node:
        found = self.find_nodes([node_id]).get(node_id)
        if found is None:
            raise NodeNotFound(node_id)
        return found

    def has_node(self, node_id: str) -> bool:
        return node_id in self.find_nodes([node_id])

    def require(self, *node_ids: str) -> None:
        found = self.find_nodes(node_ids)
        for node_id in node_ids:
            if node_id not in found:
                raise NodeNotFound(node_id)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
