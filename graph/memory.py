"""The embedded backend: networkx in memory, persisted as one JSON snapshot.

Writes validate and plan the whole change first, then write a new snapshot to a
temporary file, fsync it and rename it over the old one. A crash at any point
leaves either the old snapshot or the new one on disk, never a half-written
file. Other processes sharing the data directory see new snapshots on their
next call; writers take an exclusive lock so that two loads do not interleave.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from graph.errors import StoreUnavailable
from graph.pathsearch import Allowed, bidirectional_bfs
from graph.pathsearch import all_shortest as all_shortest_paths
from graph.results import Stats, WriteReport
from graph.store import GraphStore, RawPath, plan_write
from schema.models import Edge, Node
from schema.vocabulary import NodeKind

SNAPSHOT = "graph.json"


class Snapshot(BaseModel):
    """The file format of the embedded store: every node and edge, validated on read."""

    format: Literal[1] = 1
    nodes: list[Node]
    edges: list[Edge]


class MemoryStore(GraphStore):
    """Records in dicts by id; structure in an undirected `networkx.Graph` whose edges
    list the ids of every relationship between two nodes (either direction)."""

    backend = "memory"

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._nodes: dict[str, Node] = {}
        self._edges: dict[str, Edge] = {}
        self.undirected: nx.Graph = nx.Graph()
        self._stamp: tuple[int, int, int] | None = None
        self.version = 0
        if self.data_dir is not None:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(f"cannot use data directory {self.data_dir}: {exc}") from exc
            self._sync()

    # -- persistence ---------------------------------------------------------
    @property
    def snapshot_path(self) -> Path | None:
        return self.data_dir / SNAPSHOT if self.data_dir is not None else None

    def _sync(self) -> None:
        """Reload the snapshot if another process replaced it since we read it."""
        path = self.snapshot_path
        if path is None:
            return
        try:
            st = path.stat()
        except FileNotFoundError:
            if self._stamp is not None:
                self._rebuild({}, {})
                self._stamp = None
            return
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return
        try:
            snapshot = Snapshot.model_validate_json(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(f"cannot read snapshot {path}: {exc}") from exc
        self._rebuild({n.id: n for n in snapshot.nodes}, {e.id: e for e in snapshot.edges})
        self._stamp = stamp

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        if self.data_dir is None:
            yield
            return
        with open(self.data_dir / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _persist(self, nodes: dict[str, Node], edges: dict[str, Edge]) -> None:
        path = self.snapshot_path
        if path is None:
            return
        payload = Snapshot(nodes=list(nodes.values()), edges=list(edges.values())).model_dump_json(
            exclude_defaults=True).encode()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".graph-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        st = path.stat()
        self._stamp = (st.st_ino, st.st_mtime_ns, st.st_size)

    def _rebuild(self, nodes: dict[str, Node], edges: dict[str, Edge]) -> None:
        self._nodes, self._edges = {}, {}
        self.undirected = nx.Graph()
        self._index(nodes.values(), edges.values())

    def _index(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        for node in nodes:
            self._nodes[node.id] = node
            self.undirected.add_node(node.id)
        for edge in edges:
            if edge.id not in self._edges:
                if self.undirected.has_edge(edge.source, edge.target):
                    self.undirected[edge.source][edge.target]["ids"].append(edge.id)
                else:
                    self.undirected.add_edge(edge.source, edge.target, ids=[edge.id])
            self._edges[edge.id] = edge
        self.version += 1

    # -- writing -------------------------------------------------------------
    def write(self, nodes: Sequence[Node], edges: Sequence[Edge], *,
              replace: bool = False) -> WriteReport:
        with self._write_lock():
            self._sync()
            old_nodes, old_edges = ({}, {}) if replace else (self._nodes, self._edges)
            known = {n.id for n in nodes}
            new_nodes, new_edges, report = plan_write(nodes, edges, old_nodes, old_edges)
            if replace:
                report.nodes_changed = [i for i in report.nodes_added if i in self._nodes]
                report.nodes_added = [i for i in report.nodes_added if i not in self._nodes]
                report.edges_changed = [i for i in report.edges_added if i in self._edges]
                report.edges_added = [i for i in report.edges_added if i not in self._edges]
                report.nodes_removed = sorted(self._nodes.keys() - known)
                report.edges_removed = sorted(self._edges.keys() - {e.id for e in edges})
            elif not report.changed_anything:
                return report
            all_nodes = {**old_nodes, **{n.id: n for n in new_nodes}}
            all_edges = {**old_edges, **{e.id: e for e in new_edges}}
            self._persist(all_nodes, all_edges)
            if replace:
                self._rebuild(all_nodes, all_edges)
            else:
                self._index(new_nodes, new_edges)
            return report

    def clear(self) -> None:
        with self._write_lock():
            self._persist({}, {})
            self._rebuild({}, {})

    # -- reading -------------------------------------------------------------
    def find_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        self._sync()
        return {i: self._nodes[i] for i in ids if i in self._nodes}

    def find_edges(self, ids: Iterable[str]) -> dict[str, Edge]:
        self._sync()
        return {i: self._edges[i] for i in ids if i in self._edges}

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        self._sync()
        for node in list(self._nodes.values()):
            if kind is None or node.kind == kind:
                yield node

    def iter_edges(self, types: Iterable[str] | None = None) -> Iterator[Edge]:
        self._sync()
        wanted = frozenset(types) if types is not None else None
        for edge in list(self._edges.values()):
            if wanted is None or edge.type in wanted:
                yield edge

    def incident_edges(self, node_id: str, types: Iterable[str] | None = None,
                       offset: int = 0, limit: int | None = None) -> list[Edge]:
        self._sync()
        if node_id not in self._nodes:
            return []
        wanted = frozenset(types) if types is not None else None
        ids = sorted(itertools.chain.from_iterable(
            data["ids"] for data in self.undirected[node_id].values()))
        edges = [self._edges[i] for i in ids]
        if wanted is not None:
            edges = [e for e in edges if e.type in wanted]
        end = None if limit is None else offset + limit
        return edges[offset:end]

    def degree(self, node_id: str) -> int:
        self._sync()
        if node_id not in self._nodes:
            return 0
        return sum(len(d["ids"]) for d in self.undirected[node_id].values())

    def _allowed(self, types: frozenset[str] | None, avoid: frozenset[str]) -> Allowed | None:
        if not types and not avoid:
            return None
        und, edges = self.undirected, self._edges

        def allowed(u: str, v: str) -> bool:
            if v in avoid:
                return False
            return not types or any(edges[i].type in types for i in und[u][v]["ids"])
        return allowed

    def _step_edges(self, u: str, v: str, types: frozenset[str] | None) -> list[Edge]:
        edges = [self._edges[i] for i in sorted(self.undirected[u][v]["ids"])]
        return [e for e in edges if not types or e.type in types]

    def find_paths(self, source: str, target: str, *, max_hops: int, all_shortest: bool,
                   types: frozenset[str] | None, avoid: frozenset[str], limit: int) -> list[RawPath]:
        self._sync()
        allowed = self._allowed(types, avoid - {source, target})
        adj = self.undirected._adj  # the plain dict of dicts: no view objects per step
        if all_shortest:
            node_paths = list(itertools.islice(
                all_shortest_paths(adj, source, target, max_hops, allowed), limit))
        else:
            one = bidirectional_bfs(adj, source, target, max_hops, allowed)
            node_paths = [one] if one is not None else []
        out: list[RawPath] = []
        for nodes in node_paths:
            steps = [self._step_edges(u, v, types) for u, v in itertools.pairwise(nodes)]
            combos = itertools.product(*steps) if all_shortest else [tuple(s[0] for s in steps)]
            for combo in combos:
                out.append(RawPath(tuple(nodes), tuple(combo)))
                if len(out) >= limit:
                    return out
        return out

    def stats(self) -> Stats:
        self._sync()
        kinds = Counter(n.kind.value for n in self._nodes.values())
        types = Counter(e.type for e in self._edges.values())
        return Stats(
            nodes=len(self._nodes), edges=len(self._edges),
            nodes_by_kind=dict(sorted(kinds.items())), edges_by_type=dict(sorted(types.items())),
            groups=sum(1 for n in self._nodes.values() if n.group),
            restricted=sum(1 for n in self._nodes.values() if n.restricted),
        )

