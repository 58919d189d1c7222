"""The Neo4j backend, on the official driver: the same contract as the embedded store.

One driver per process and server (drivers pool their connections and are
meant to be shared). Reads go through `execute_query` with READ routing, so a
cluster can spread them over its secondaries. Writes run in managed
transactions that the driver may retry: each one either merges by id and
overwrites, or creates only what it has itself just seen to be absent.

A write is planned and carried out inside one transaction when it fits in
`neo4j_tx_rows` records: if anything fails, the server rolls all of it back.
Such a write creates the ids its plan did not find, and reaches endpoints by the
element ids that the same transaction read or wrote (see `_apply`).
Larger loads commit batch by batch, MERGE everything by id, and stamp every
element they write with the load's id: a failure deletes what that load created
and restores what it changed.

Every transaction that changes the content also sets a new random `version` on
one meta node (`cypher.META`), as its last statement; see `Neo4jStore.version`.
"""

from __future__ import annotations

import atexit
import itertools
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, RoutingControl
from neo4j import exceptions as nx

from config import Settings
from graph import cypher
from graph.errors import QueryTimeout, StoreUnavailable
from graph.neo4j_records import edge_from, edge_props, edge_rows, node_from, node_props
from graph.results import Stats, WriteReport
from graph.store import GraphStore, RawPath, plan_write, report_replace
from schema.models import Edge, Node
from schema.vocabulary import NodeKind, Sensitivity

T = TypeVar("T")

_drivers: dict[tuple[str, str, str], neo4j.Driver] = {}


def shared_driver(uri: str, user: str, password: str) -> neo4j.Driver:
    """The process's driver for this server and user, created on first use."""
    key = (uri, user, password)
    if key not in _drivers:
        try:
            _drivers[key] = GraphDatabase.driver(uri, auth=(user, password))
        except (nx.ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"cannot use NEO4J_URI {uri!r}: {exc}") from exc
    return _drivers[key]


@atexit.register
def close_drivers() -> None:
    while _drivers:
        _drivers.popitem()[1].close()


@dataclass
class WritePlan:
    """What a write will do, worked out against the store before anything changes."""

    report: WriteReport
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    relabel: list[tuple[str, NodeKind, NodeKind]] = field(default_factory=list)
    drop_nodes: list[str] = field(default_factory=list)
    drop_edges: list[str] = field(default_factory=list)
    before_nodes: dict[str, Node] = field(default_factory=dict)
    before_edges: dict[str, Edge] = field(default_factory=dict)
    #: Element ids of the nodes stored when the plan was read; valid in that transaction only.
    elements: dict[str, str] = field(default_factory=dict)


Step = tuple[str, dict[str, Any]]
#: The key of the meta node that holds the content's version
CONTENT = "content"


class Neo4jStore(GraphStore):
    backend = "neo4j"

    def __init__(self, driver: neo4j.Driver, *, database: str, uri: str, batch_size: int = 1000,
                 tx_rows: int = 100_000, read_timeout_s: float | None = None,
                 version_ttl_s: float = 1.0) -> None:
        self.driver, self.database, self.uri = driver, database, uri
        self.batch_size, self.tx_rows = batch_size, tx_rows
        self.read_timeout_s, self.version_ttl_s = read_timeout_s, version_ttl_s
        #: (when it was read, the version), and a count of this store's writes, under a lock
        self._known_version: tuple[float, str] | None = None
        self._writes = 0
        self._version_lock = threading.Lock()
        with self._guard():
            # Fails fast on a wrong address or password, where a managed transaction
            # would keep retrying for half a minute.
            self.driver.verify_connectivity()
            for statement in cypher.SCHEMA:
                self.driver.execute_query(statement, database_=database)

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        driver = shared_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)
        return cls(driver, database=settings.neo4j_database, uri=settings.neo4j_uri,
                   batch_size=settings.batch_size, tx_rows=settings.neo4j_tx_rows,
                   read_timeout_s=settings.neo4j_read_timeout_s,
                   version_ttl_s=settings.neo4j_version_ttl_s)

    # -- talking to the server -----------------------------------------------
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn the driver's connection failures into one clear `StoreUnavailable`."""
        where = f"Neo4j at {self.uri}"
        try:
            yield
        except nx.AuthError as exc:
            raise StoreUnavailable(f"{where} refused the credentials: check NEO4J_USER and "
                                   f"NEO4J_PASSWORD ({exc.message})") from exc
        except (nx.ServiceUnavailable, nx.SessionExpired) as exc:
            raise StoreUnavailable(f"cannot reach {where}: {exc}") from exc
        except (nx.ClientError, nx.TransientError) as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreUnavailable(f"{where} has no database {self.database!r}: create it or "
                                       "set NEO4J_DATABASE") from exc
            if "TransactionTimedOut" in (exc.code or ""):
                raise QueryTimeout(f"{where} stopped a read after the {self.read_timeout_s:g} s "
                                   "limit (REPGRAPH_NEO4J_READ_TIMEOUT_S); narrow the query") from exc
            raise

    def _read(self, statement: str, **params: Any) -> list[neo4j.Record]:
        with self._guard():
            records, _, _ = self.driver.execute_query(
                neo4j.Query(statement, timeout=self.read_timeout_s), params,
                routing_=RoutingControl.READ, database_=self.database)
        return records

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self._guard(), self.driver.session(database=self.database) as session:
                return session.execute_write(work)
        finally:  # committed, failed or unknown: the version this store knew may be old
            with self._version_lock:
                self._known_version = None
                self._writes += 1

    @staticmethod
    def _bump(tx: ManagedTransaction) -> None:
        """Give the content a new version; the last statement of a transaction that changed it
        (so that the meta node's lock is held for as short a time as possible)."""
        tx.run(cypher.BUMP_VERSION, key=CONTENT, version=uuid.uuid4().hex).consume()

    def _run_batch(self, tx: ManagedTransaction, statement: str,
                   params: dict[str, Any]) -> list[neo4j.Record]:
        """Run one batch of a write; the single place a test injects a failure."""
        return list(tx.run(statement, params))

    # -- versions ------------------------------------------------------------
    @property
    def version(self) -> str:
        """The version repgraph last wrote on the meta node, re-read at most every
        `version_ttl_s` seconds (one lookup by a unique key) and at once after a write of
        this store. Empty before repgraph's first write. Changes made around repgraph
        (Cypher by hand, other tools) do not change it: see docs/neo4j.md.
        """
        now = time.monotonic()
        with self._version_lock:
            known, writes = self._known_version, self._writes
        if known is not None and now - known[0] < self.version_ttl_s:
            return known[1]
        records = self._read(cypher.VERSION, key=CONTENT)
        value = str(records[0]["version"]) if records else ""
        with self._version_lock:
            if writes == self._writes:  # else a write ended meanwhile: this may predate it
                self._known_version = (now, value)
        return value

    def touch(self) -> str:
        """Give the content a new version, after changes made around repgraph (Cypher by
        hand), so that every process's caches are rebuilt; the new version."""
        self._write(self._bump)
        return self.version

    # -- writing -------------------------------------------------------------
    def write(self, nodes: Sequence[Node], edges: Sequence[Edge], *,
              replace: bool = False) -> WriteReport:
        if len(nodes) + len(edges) <= self.tx_rows:
            def work(tx: ManagedTransaction) -> WriteReport:
                plan = self._plan(tx, nodes, edges, replace)
                self._apply(tx, plan)
                if replace or plan.report.changed_anything:
                    self._bump(tx)
                return plan.report
            try:
                return self._write(work)
            except nx.ConstraintError:
                # Another writer stored an id that this plan found absent, between the plan
                # and its CREATE. Nothing of this write remains; planned again, it merges.
                return self._write(work)
        load = uuid.uuid4().hex
        plan = self._write(lambda tx: self._plan(tx, nodes, edges, replace))
        try:
            for step in self._steps(plan, load, drops=False):
                self._write(self._batch_work([step]))
            self._write(self._batch_work(list(self._drop_steps(plan))))
        except BaseException:
            self._undo(plan, load)
            raise
        return plan.report

    def _batch_work(self, steps: list[Step]) -> Callable[[ManagedTransaction], None]:
        def work(tx: ManagedTransaction) -> None:
            for statement, params in steps:
                self._run_batch(tx, statement, params)
            if steps:
                self._bump(tx)
        return work

    def _plan(self, tx: ManagedTransaction, nodes: Sequence[Node], edges: Sequence[Edge],
              replace: bool) -> WritePlan:
        stored = list(tx.run(cypher.NODE_KINDS))
        kinds = {r["id"]: NodeKind(r["kind"]) for r in stored}
        wanted = {n.id for n in nodes} | {e.source for e in edges} | {e.target for e in edges}
        before_nodes = self._nodes_in(tx, wanted & kinds.keys())
        # A relationship can only be stored if both its ends are: a fresh load looks up none.
        before_edges = self._edges_in(tx, [e.id for e in edges
                                           if e.source in kinds and e.target in kinds])
        old_nodes, old_edges = ({}, {}) if replace else (before_nodes, before_edges)
        new_nodes, new_edges, report = plan_write(nodes, edges, old_nodes, old_edges,
                                                  stored_nodes=before_nodes)
        plan = WritePlan(report, new_nodes, new_edges, before_nodes=before_nodes,
                         before_edges=before_edges,
                         elements={r["id"]: r["element"] for r in stored})
        if replace:
            edge_ids = {r["id"] for r in tx.run(cypher.ALL_EDGE_IDS)}
            report_replace(report, nodes, edges, kinds.keys(), edge_ids)
            plan.drop_nodes, plan.drop_edges = report.nodes_removed, report.edges_removed
        plan.relabel = [(n.id, kinds[n.id], n.kind) for n in new_nodes
                        if n.id in kinds and kinds[n.id] is not n.kind]
        return plan

    def _batches(self, rows: list[T]) -> Iterator[list[T]]:
        for start in range(0, len(rows), self.batch_size):
            yield rows[start:start + self.batch_size]

    def _drop_steps(self, plan: WritePlan) -> Iterator[Step]:
        for ids in self._batches(plan.drop_edges):
            yield cypher.DELETE_EDGES, {"rows": edge_rows(ids)}
        for ids in self._batches(plan.drop_nodes):
            yield cypher.DELETE_NODES, {"ids": ids}

    def _apply(self, tx: ManagedTransaction, plan: WritePlan) -> None:
        """Carry out a plan inside the transaction that read it.

        The server rolls all of it back on any failure, so nothing needs a load
        stamp. The plan is as fresh as the writes, also when the driver retries the
        transaction (it runs `work` again, plan included), so an id the plan did
        not find is created rather than merged, and every relationship finds its
        ends by the element ids this transaction read or just wrote.
        """
        for statement, params in self._drop_steps(plan):
            self._run_batch(tx, statement, params)
        elements = dict(plan.elements)
        for statement, params in self._node_steps(plan, None, stored=plan.elements.keys()):
            for record in self._run_batch(tx, statement, params):
                elements[record["id"]] = record["element"]
        for statement, params in self._edge_steps(plan, None, elements):
            self._run_batch(tx, statement, params)

    def _steps(self, plan: WritePlan, load: str | None, drops: bool = True) -> Iterator[Step]:
        """The batches of a write that spans transactions: by id, stamped with the load."""
        if drops:
            yield from self._drop_steps(plan)
        yield from self._node_steps(plan, load)
        yield from self._edge_steps(plan, load)

    def _node_steps(self, plan: WritePlan, load: str | None,
                    stored: Collection[str] | None = None) -> Iterator[Step]:
        """Relabels, then the nodes by kind; given the ids `stored`, the others are created.

        A record that comes twice in one write is written once, as its last
        occurrence, as the embedded store does.
        """
        moves: dict[tuple[NodeKind, NodeKind], list[str]] = defaultdict(list)
        for node_id, old, new in plan.relabel:
            moves[old, new].append(node_id)
        for (old, new), ids in moves.items():
            yield cypher.relabel_nodes(old, new), {"ids": ids}
        by_statement: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node in {n.id: n for n in plan.nodes}.values():
            fresh = stored is not None and node.id not in stored
            statement = cypher.create_nodes(node.kind) if fresh else cypher.merge_nodes(node.kind)
            by_statement[statement].append({"id": node.id, "props": node_props(node, load)})
        for statement, node_rows in by_statement.items():
            for rows in self._batches(node_rows):
                yield statement, {"rows": rows}

    def _edge_steps(self, plan: WritePlan, load: str | None,
                    elements: Mapping[str, str] | None = None) -> Iterator[Step]:
        """The relationships by type, with their ends by id or, given `elements`, by element.

        Given `elements` (a write inside the transaction that planned it), a
        relationship with an end this transaction has just created is created:
        no other writer can see that end, so none can have stored the relationship.
        The others are merged, which on Neo4j locks both ends against a
        concurrent writer adding the same relationship.
        """
        def end(node_id: str) -> str:
            return node_id if elements is None else elements[node_id]
        by_statement: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for edge in {e.id: e for e in plan.edges}.values():
            if elements is None:
                statement = cypher.merge_edges(edge.type)
            elif edge.source in plan.elements and edge.target in plan.elements:
                statement = cypher.merge_edges_between(edge.type)
            else:
                statement = cypher.create_edges_between(edge.type)
            by_statement[statement].append({"id": edge.id, "source": end(edge.source),
                                            "target": end(edge.target),
                                            "props": edge_props(edge, load)})
        for statement, edge_rows_ in by_statement.items():
            for rows in self._batches(edge_rows_):
                yield statement, {"rows": rows}

    def _undo(self, plan: WritePlan, load: str) -> None:
        """After a failed batched load: delete what it created, put back what it changed."""
        restore = WritePlan(WriteReport(), list(plan.before_nodes.values()),
                            list(plan.before_edges.values()),
                            relabel=[(i, new, old) for i, old, new in plan.relabel])

        def work(tx: ManagedTransaction) -> None:
            for ids in self._batches(plan.report.edges_added):
                tx.run(cypher.DELETE_LOADED_EDGES, rows=edge_rows(ids), load=load).consume()
            for ids in self._batches(plan.report.nodes_added):
                tx.run(cypher.DELETE_LOADED_NODES, ids=ids, load=load).consume()
            for statement, params in self._steps(restore, None):
                tx.run(statement, params).consume()
            self._bump(tx)
        self._write(work)

    def clear(self) -> None:
        def some(tx: ManagedTransaction) -> int:
            deleted = int(tx.run(cypher.DELETE_SOME_NODES, batch=self.batch_size)
                          .single(strict=True)[0])
            self._bump(tx)  # in the last, empty batch too: a clear always changes the version
            return deleted
        while self._write(some):
            pass

    # -- reading -------------------------------------------------------------
    @staticmethod
    def _nodes_in(tx: ManagedTransaction, ids: Iterable[str]) -> dict[str, Node]:
        found = (node_from(r["node"]) for r in tx.run(cypher.NODES_BY_ID, ids=list(ids)))
        return {n.id: n for n in found}

    @staticmethod
    def _edges_in(tx: ManagedTransaction, ids: Iterable[str]) -> dict[str, Edge]:
        found = (edge_from(r) for r in tx.run(cypher.EDGES_BY_ID, rows=edge_rows(ids)))
        return {e.id: e for e in found}

    def find_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        found = (node_from(r["node"]) for r in self._read(cypher.NODES_BY_ID, ids=list(set(ids))))
        return {n.id: n for n in found}

    def find_edges(self, ids: Iterable[str]) -> dict[str, Edge]:
        records = self._read(cypher.EDGES_BY_ID, rows=edge_rows(set(ids)))
        return {e.id: e for e in map(edge_from, records)}

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        statement = cypher.ALL_NODES if kind is None else cypher.nodes_of_kind(kind)
        for record in self._read(statement):
            yield node_from(record["node"])

    def iter_edges(self, types: Iterable[str] | None = None) -> Iterator[Edge]:
        wanted = sorted(types) if types is not None else None
        for record in self._read(cypher.ALL_EDGES, types=wanted):
            yield edge_from(record)

    def incident_edges(self, node_id: str, types: Iterable[str] | None = None,
                       offset: int = 0, limit: int | None = None) -> list[Edge]:
        wanted = sorted(types) if types is not None else None
        if limit is None:
            records = self._read(cypher.INCIDENT_EDGES, id=node_id, types=wanted)
            records = records[offset:]
        else:
            records = self._read(cypher.INCIDENT_EDGES_PAGE, id=node_id, types=wanted,
                                 offset=offset, limit=limit)
        return [edge_from(r) for r in records]

    def degree(self, node_id: str) -> int:
        return int(self._read(cypher.DEGREE, id=node_id)[0]["degree"])

    def find_paths(self, source: str, target: str, *, max_hops: int, all_shortest: bool,
                   types: frozenset[str] | None, avoid: frozenset[str], limit: int) -> list[RawPath]:
        if source == target:
            return [RawPath((source,), ())]
        params = {"source": source, "target": target, "avoid": sorted(avoid - {source, target})}
        if all_shortest:
            rows = self._read(cypher.all_shortest_paths(max_hops, types), limit=limit, **params)
            edges = self.find_edges(e for r in rows for e in r["edges"])
            return [RawPath(tuple(r["nodes"]), tuple(edges[e] for e in r["edges"])) for r in rows]
        rows = self._read(cypher.shortest_path(max_hops, types), **params)
        if not rows:
            return []
        nodes: list[str] = rows[0]["nodes"]
        steps = [{"i": i, "a": a, "b": b} for i, (a, b) in enumerate(itertools.pairwise(nodes))]
        first: dict[int, Edge] = {}
        for record in self._read(cypher.STEP_EDGES, steps=steps,
                                 types=sorted(types) if types else None):
            first.setdefault(record["step"], edge_from(record))
        return [RawPath(tuple(nodes), tuple(first[i] for i in range(len(steps))))]

    def stats(self) -> Stats:
        kinds: Counter[str] = Counter()
        groups = restricted = 0
        for r in self._read(cypher.NODE_COUNTS, restricted=Sensitivity.RESTRICTED.value):
            kinds[r["kind"]] += r["nodes"]
            groups += r["groups"]
            restricted += r["restricted"]
        types = {r["type"]: r["edges"] for r in self._read(cypher.EDGE_COUNTS)}
        return Stats(nodes=sum(kinds.values()), edges=sum(types.values()),
                     nodes_by_kind=dict(sorted(kinds.items())),
                     edges_by_type=dict(sorted(types.items())), groups=groups,
                     restricted=restricted)
