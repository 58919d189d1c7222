"""Neo4j backend on a real Bolt server: batched UNWIND loading against one MERGE per row,
and path-query latency.

Runs on the ArcadeDB stand-in (or on NEO4J_URI when set: the benchmark then CLEARS
the database NEO4J_DATABASE names). The graph is synthetic and shaped like the
domain: 10^4 nodes, 5x10^4 relationships. Both ways of loading run once first,
untimed, so that neither pays for the server warming up. The batched load is
timed several times, since one load takes seconds on a machine that others
share, and the median counts.

One MERGE per row is what a naive loader does: the same MERGE-by-id statements
the batched loader uses across transactions, one row per statement and per
transaction. It is timed on a sample of nodes, then, with every node stored, on
a sample of relationships, and each rate is extrapolated to the whole graph,
which the output says.

    python -m bench.neo4j_load [--nodes 10000] [--edges 50000] [--loads 3]
                               [--sample-nodes 1000] [--sample-edges 2000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import generate
from graph import cypher, queries
from graph.neo4j import Neo4jStore
from graph.neo4j_records import edge_props, node_props
from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.bolt starts the stand-in

from tests.bolt import bolt_server  # noqa: E402

#: Extra links, as the domain has them, until the graph has the wanted number of edges.
EXTRA = (("DEFENDANT_IN", NodeKind.PERSON, NodeKind.CASE),
         ("MEMBER_OF", NodeKind.PERSON, NodeKind.ORGANISATION),
         ("ASSOCIATE_OF", NodeKind.PERSON, NodeKind.PERSON),
         ("INVESTIGATED_BY", NodeKind.CASE, NodeKind.AGENCY),
         ("SUPPORTED", NodeKind.ORGANISATION, NodeKind.PERSON))


def synthetic_graph(n_nodes: int, n_edges: int, seed: int = 7) -> tuple[list[Node], list[Edge]]:
    nodes, edges = generate(n_nodes, seed)
    rng = random.Random(seed)
    by_kind: dict[NodeKind, list[str]] = {}
    for node in nodes:
        by_kind.setdefault(node.kind, []).append(node.id)
    found = {e.id: e for e in edges}
    cite = [Citation(source="synthetic-source", paragraph="1.1")]
    while len(found) < n_edges:
        type_, src, dst = rng.choice(EXTRA)
        source, target = rng.choice(by_kind[src]), rng.choice(by_kind[dst])
        if source != target:
            edge = Edge(type=type_, source=source, target=target, citations=cite)
            found.setdefault(edge.id, edge)
    return nodes, list(found.values())


def one_merge_per_row(store: Neo4jStore, nodes: list[Node], edges: list[Edge]) -> float:
    """Seconds to write these records the naive way: the statements of a batched load that
    spans transactions, with one row per statement and per transaction."""
    started = time.perf_counter()
    for node in nodes:
        row = {"id": node.id, "props": node_props(node, None)}
        store.driver.execute_query(cypher.merge_nodes(node.kind), rows=[row],
                                   database_=store.database)
    for edge in edges:
        row = {"id": edge.id, "source": edge.source, "target": edge.target,
               "props": edge_props(edge, None)}
        store.driver.execute_query(cypher.merge_edges(edge.type), rows=[row],
                                   database_=store.database)
    return time.perf_counter() - started


def warm_up(store: Neo4jStore, nodes: list[Node], edges: list[Edge]) -> None:
    """Both ways of loading once, untimed; the store is left empty.

    A JVM server compiles its hot paths during the first large load (on the
    stand-in the first load of this graph takes about three times as long as
    the next), and the rows written one by one are timed after a large load
    anyway: warming up first measures both ways on the same, steady server.
    """
    store.clear()
    store.write(nodes, edges)
    store.clear()
    one_merge_per_row(store, nodes[:200], [])
    store.write(nodes, [])
    one_merge_per_row(store, [], edges[:200])
    store.clear()


def rows_per_second(store: Neo4jStore, nodes: list[Node], edges: list[Edge],
                    args: argparse.Namespace) -> tuple[float, float]:
    """One MERGE per row on a sample of nodes, then on a sample of relationships: rows/s."""
    rng = random.Random(5)
    sample_nodes = rng.sample(nodes, min(len(nodes), args.sample_nodes))
    node_rate = len(sample_nodes) / one_merge_per_row(store, sample_nodes, [])
    taken = {n.id for n in sample_nodes}
    store.write([n for n in nodes if n.id not in taken], [])
    sample_edges = rng.sample(edges, min(len(edges), args.sample_edges))
    edge_rate = len(sample_edges) / one_merge_per_row(store, [], sample_edges)
    say(f"one MERGE per row, one transaction each: {len(sample_nodes)} nodes at "
        f"{node_rate:,.0f} rows/s, then {len(sample_edges)} relationships at "
        f"{edge_rate:,.0f} rows/s")
    return node_rate, edge_rate


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def path_latencies(store: Neo4jStore, nodes: list[Node], count: int, mode: str) -> list[float]:
    rng = random.Random(3)
    persons = [n.id for n in nodes if n.kind is NodeKind.PERSON]
    out = []
    for _ in range(count):
        source, target = rng.sample(persons, 2)
        started = time.perf_counter()
        queries.paths(store, source, target, max_hops=6, mode=mode, limit=10)
        out.append((time.perf_counter() - started) * 1000)
    return out


#: Result lines, printed once the server has stopped so that its log does not interleave.
REPORT: list[str] = []


def say(line: str) -> None:
    REPORT.append(line)


def run(args: argparse.Namespace, store: Neo4jStore) -> None:
    nodes, edges = synthetic_graph(args.nodes, args.edges)
    say(f"synthetic graph: {len(nodes)} nodes, {len(edges)} relationships; "
        f"server: {store.driver.get_server_info().agent}, heap {args.heap} if the stand-in")
    warm_up(store, nodes, edges)
    times = []
    for _ in range(args.loads):
        started = time.perf_counter()
        store.write(nodes, edges)
        times.append(time.perf_counter() - started)
        store.clear()
    batched = statistics.median(times)
    say(f"batched UNWIND (batch {store.batch_size}, one transaction), {args.loads} loads: "
        f"{', '.join(f'{t:.2f}' for t in times)} s; median {batched:.2f} s, "
        f"{len(nodes) / batched:,.0f} nodes/s overall, {len(edges) / batched:,.0f} relationships/s")
    node_rate, edge_rate = rows_per_second(store, nodes, edges, args)
    projected = len(nodes) / node_rate + len(edges) / edge_rate
    say(f"one MERGE per row, extrapolated to the whole graph: {projected:.1f} s")
    say(f"batched is {projected / batched:.0f}x faster (goal: >= 20x); "
        f"{len(edges) / batched:,.0f} relationships/s (goal: >= 10,000)")
    store.clear()
    store.write(nodes, edges)
    for mode in ("shortest", "all"):
        lat = path_latencies(store, nodes, args.queries, mode)
        say(f"path query ({mode}, max 6 hops, {args.queries} random person pairs): "
            f"p50 {statistics.median(lat):.1f} ms, p99 {percentile(lat, 0.99):.1f} ms")
    store.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--sample-nodes", type=int, default=1000,
                        help="nodes written with one MERGE per row")
    parser.add_argument("--sample-edges", type=int, default=2000,
                        help="relationships written with one MERGE per row")
    parser.add_argument("--loads", type=int, default=3,
                        help="batched loads of the whole graph; the median counts")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--heap", default="4g", help="JVM heap of the ArcadeDB stand-in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="repgraph-bench-") as root, \
            bolt_server(Path(root), heap=args.heap) as server:
        store = Neo4jStore.from_settings(server.settings_for(server.scratch))
        run(args, store)
    print("\n".join(["", "##### Neo4j backend on a Bolt server", *REPORT]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
