"""The embedded backend: networkx in memory, persisted as one JSON snapshot.

Writes validate and plan the whole change first, then write a new snapshot to a
temporary file, fsync it and rename it over the old one. A crash at any point
leaves either the old snapshot or the new one on disk, never a half-written
file. Other processes sharing the data directory see new snapshots on their
next call; writers take an exclusive lock so that two loads do not interleave.
In memory, each version of the content is immutable and replaced whole, so
threads reading while another writes see the old version or the new one.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from graph.deadline import checkpoint, leave_inline
from graph.errors import StoreUnavailable
from graph.pathsearch import Allowed, bidirectional_bfs
from graph.pathsearch import all_shortest as all_shortest_paths
from graph.privatefiles import FILE_MODE, private_dir, write_private
from graph.results import Stats, WriteReport
from graph.store import GraphStore, RawPath, plan_write, report_replace
from graph.versions import Stamp, Versions, file_stamp
from schema.models import STORED, Edge, Node
from schema.vocabulary import NodeKind

SNAPSHOT = "graph.json"


class Snapshot(BaseModel):
    """The file format of the embedded store: every node and edge, validated on read."""

    format: Literal[1] = 1
    nodes: list[Node]
    edges: list[Edge]


@dataclass(frozen=True)
class Content:
    """One version of the store's content. Never changed once published: a write builds
    the next version beside it and swaps it in with one assignment, so that a reader on
    another thread (the web server's thread pool) sees one whole version or the next,
    never a half-applied write."""

    nodes: dict[str, Node]
    edges: dict[str, Edge]
    #: structure: an undirected graph whose edges list the ids of every relationship
    #: between two nodes (either direction)
    undirected: nx.Graph

    @classmethod
    def of(cls, nodes: dict[str, Node], edges: dict[str, Edge]) -> Content:
        undirected = nx.Graph()
        undirected.add_nodes_from(nodes)
        for edge in edges.values():
            if undirected.has_edge(edge.source, edge.target):
                undirected[edge.source][edge.target]["ids"].append(edge.id)
            else:
                undirected.add_edge(edge.source, edge.target, ids=[edge.id])
        return cls(nodes, edges, undirected)

    @cached_property
    def stats(self) -> Stats:
        """Counts of this version, made once: health checks and every page's footer ask
        for them, and on a large graph a count over every record takes a while."""
        nodes, edges = self.nodes.values(), self.edges.values()
        kinds = Counter(n.kind.value for n in nodes)
        types = Counter(e.type for e in edges)
        return Stats(
            nodes=len(nodes), edges=len(edges),
            nodes_by_kind=dict(sorted(kinds.items())), edges_by_type=dict(sorted(types.items())),
            groups=sum(1 for n in nodes if n.group),
            restricted=sum(1 for n in nodes if n.restricted),
        )


EMPTY = Content({}, {}, nx.Graph())


class MemoryStore(GraphStore):
    """Records in dicts by id and structure in networkx, as one immutable `Content`."""

    backend = "memory"
    checks_deadlines = True  # every read passes through `_sync`, a checkpoint

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else None
        #: the snapshot's path as a string: `os.stat` on it is asked on every read
        self._snapshot_file = os.fspath(self.data_dir / SNAPSHOT) if self.data_dir else None
        self._content = EMPTY
        self._stamp: Stamp | None = None
        #: serialises, within this process, reloading and publishing a new version
        self._publishing = threading.RLock()
        self._versions = Versions()
        if self.data_dir is not None:
            try:
                private_dir(self.data_dir)  # the snapshot names restricted persons
            except OSError as exc:
                raise StoreUnavailable(f"cannot use data directory {self.data_dir}: {exc}") from exc
            self._sync()

    @classmethod
    def holding(cls, nodes: dict[str, Node], edges: dict[str, Edge]) -> MemoryStore:
        """An in-memory store of records already checked and merged (a derived view's)."""
        store = cls()
        store._publish(Content.of(nodes, edges), None)
        return store

    @property
    def version(self) -> int:
        """The number of the content the next read will see, unique in this process: one
        `stat` of the snapshot, never a reload (a snapshot another process replaced gets
        its number now and keeps it once a read has loaded it; see `graph.versions`)."""
        return self._versions.of(self._stat())

    @property
    def undirected(self) -> nx.Graph:
        """The structure of the current version (for algorithms that want networkx)."""
        return self._sync().undirected

    # -- persistence ---------------------------------------------------------
    @property
    def snapshot_path(self) -> Path | None:
        return self.data_dir / SNAPSHOT if self.data_dir is not None else None

    def _stat(self) -> Stamp | None:
        """The snapshot's stamp; None without a data directory or a snapshot."""
        return None if self._snapshot_file is None else file_stamp(self._snapshot_file)

    def _sync(self) -> Content:
        """The current content, reloaded first if another process replaced the snapshot."""
        checkpoint()
        path = self.snapshot_path
        if path is None or self._stat() == self._stamp:
            return self._content
        leave_inline()  # reading the snapshot, or waiting for a writer, is not for the event loop
        with self._publishing:  # one reload, not one per waiting thread
            stamp = self._stat()
            if stamp == self._stamp:
                return self._content
            if stamp is None:
                self._publish(EMPTY, None)
                return self._content
            try:
                snapshot = Snapshot.model_validate_json(path.read_bytes(), context=STORED)
            except (OSError, ValueError) as exc:
                raise StoreUnavailable(f"cannot read snapshot {path}: {exc}") from exc
            self._publish(Content.of({n.id: n for n in snapshot.nodes},
                                     {e.id: e for e in snapshot.edges}), stamp)
            return self._content

    def _publish(self, content: Content, stamp: Stamp | None) -> None:
        self._content, self._stamp = content, stamp
        self._versions.publish(stamp)

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Between processes, the lock file; within this one, the publishing lock."""
        with self._publishing:
            if self.data_dir is None:
                yield
                return
            fd = os.open(self.data_dir / ".lock", os.O_WRONLY | os.O_CREAT, FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _persist(self, nodes: dict[str, Node], edges: dict[str, Edge]) -> Stamp | None:
        path = self.snapshot_path
        if path is None:
            return None
        payload = Snapshot(nodes=list(nodes.values()), edges=list(edges.values())).model_dump_json(
            exclude_defaults=True).encode()
        # a writer killed mid-write leaves its temporary file; we hold the write lock, so
        # every one still there is dead and would otherwise fill the disk over time
        for stale in path.parent.glob(".graph-*.tmp"):
            stale.unlink(missing_ok=True)
        write_private(path, payload, prefix=".graph-")  # mode 0600: it names restricted persons
        return self._stat()

    # -- writing -------------------------------------------------------------
    def write(self, nodes: Sequence[Node], edges: Sequence[Edge], *,
              replace: bool = False) -> WriteReport:
        with self._write_lock():
            current = self._sync()
            old_nodes, old_edges = ({}, {}) if replace else (current.nodes, current.edges)
            new_nodes, new_edges, report = plan_write(nodes, edges, old_nodes, old_edges,
                                                      stored_nodes=current.nodes)
            if replace:
                report_replace(report, nodes, edges, current.nodes.keys(), current.edges.keys())
            elif not report.changed_anything:
                return report
            all_nodes = {**old_nodes, **{n.id: n for n in new_nodes}}
            all_edges = {**old_edges, **{e.id: e for e in new_edges}}
            content = Content.of(all_nodes, all_edges)  # before the file: a failure here
            self._publish(content, self._persist(all_nodes, all_edges))  # changes nothing
            return report

    def clear(self) -> None:
        with self._write_lock():
            self._publish(EMPTY, self._persist({}, {}))

    # -- reading -------------------------------------------------------------
    def find_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        nodes = self._sync().nodes
        return {i: nodes[i] for i in ids if i in nodes}

    def find_edges(self, ids: Iterable[str]) -> dict[str, Edge]:
        edges = self._sync().edges
        return {i: edges[i] for i in ids if i in edges}

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        for node in self._sync().nodes.values():
            if kind is None or node.kind == kind:
                yield node

    def iter_edges(self, types: Iterable[str] | None = None) -> Iterator[Edge]:
        wanted = frozenset(types) if types is not None else None
        for edge in self._sync().edges.values():
            if wanted is None or edge.type in wanted:
                yield edge

    def incident_edges(self, node_id: str, types: Iterable[str] | None = None,
                       offset: int = 0, limit: int | None = None) -> list[Edge]:
        content = self._sync()
        if node_id not in content.nodes:
            return []
        wanted = frozenset(types) if types is not None else None
        ids = sorted(itertools.chain.from_iterable(
            data["ids"] for data in content.undirected[node_id].values()))
        edges = [content.edges[i] for i in ids]
        if wanted is not None:
            edges = [e for e in edges if e.type in wanted]
        end = None if limit is None else offset + limit
        return edges[offset:end]

    def edges_between(self, a: str, b: str, types: Iterable[str] | None = None) -> list[Edge]:
        content = self._sync()
        if not content.undirected.has_edge(a, b):
            return []
        wanted = frozenset(types) if types is not None else None
        return [content.edges[i] for i in sorted(content.undirected[a][b]["ids"])
                if wanted is None or content.edges[i].type in wanted]

    def degree(self, node_id: str) -> int:
        content = self._sync()
        if node_id not in content.nodes:
            return 0
        return sum(len(d["ids"]) for d in content.undirected[node_id].values())

    @staticmethod
    def _allowed(content: Content, types: frozenset[str] | None,
                 avoid: frozenset[str]) -> Allowed | None:
        if not types and not avoid:
            return None
        und, edges = content.undirected, content.edges

        def allowed(u: str, v: str) -> bool:
            if v in avoid:
                return False
            return not types or any(edges[i].type in types for i in und[u][v]["ids"])
        return allowed

    @staticmethod
    def _step_edges(content: Content, u: str, v: str, types: frozenset[str] | None) -> list[Edge]:
        edges = [content.edges[i] for i in sorted(content.undirected[u][v]["ids"])]
        return [e for e in edges if not types or e.type in types]

    def find_paths(self, source: str, target: str, *, max_hops: int, all_shortest: bool,
                   types: frozenset[str] | None, avoid: frozenset[str], limit: int) -> list[RawPath]:
        content = self._sync()
        allowed = self._allowed(content, types, avoid - {source, target})
        adj = content.undirected._adj  # the plain dict of dicts: no view objects per step
        if all_shortest:
            node_paths = list(itertools.islice(
                all_shortest_paths(adj, source, target, max_hops, allowed), limit))
        else:
            one = bidirectional_bfs(adj, source, target, max_hops, allowed)
            node_paths = [one] if one is not None else []
        out: list[RawPath] = []
        for nodes in node_paths:
            steps = [self._step_edges(content, u, v, types) for u, v in itertools.pairwise(nodes)]
            combos = itertools.product(*steps) if all_shortest else [tuple(s[0] for s in steps)]
            for combo in combos:
                out.append(RawPath(tuple(nodes), tuple(combo)))
                if len(out) >= limit:
                    return out
        return out

    def stats(self) -> Stats:
        return self._sync().stats.model_copy(deep=True)
