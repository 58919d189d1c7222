"""The public view: what it costs to build, to hold, and to read through.

On the synthetic graph (10^5 nodes by default, its relatives restricted), prints:
- the build (the one pass over every node made by the first read of a new version):
  time, and memory allocated and still held (tracemalloc);
- rewriting every record once (a whole-graph export reads them all), and the memory the
  cached public records then hold;
- the same entity reads (`queries.relations`, a page of 100) on the store and on the
  view, alternating, with the public/editor ratio of the medians.

    python -m bench.public_view [--nodes 100000] [--reads 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc

from bench.synthetic import generate
from graph import queries
from graph.memory import MemoryStore
from graph.public import PublicView
from graph.store import GraphStore


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _reads(store: GraphStore, ids: list[str]) -> list[float]:
    times = []
    for node_id in ids:
        started = time.perf_counter()
        queries.relations(store, node_id, limit=100)
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args(argv)
    store = MemoryStore()
    store.write(*generate(args.nodes, seed=1))
    stats = store.stats()
    print(f"public view of a synthetic graph: {stats.nodes:,} nodes, {stats.edges:,} edges, "
          f"{stats.restricted:,} restricted")

    # times without tracemalloc (which slows allocation), then memory on a second view
    started = time.perf_counter()
    view = PublicView(store, "bench", store.version)
    view.has_node("syn-organisation-0")  # the first read builds it
    built = time.perf_counter() - started
    started = time.perf_counter()
    nodes = sum(1 for _ in view.iter_nodes())
    edges = sum(1 for _ in view.iter_edges())
    rewritten = time.perf_counter() - started
    tracemalloc.start()
    measured = PublicView(store, "bench", store.version)
    measured.has_node("syn-organisation-0")
    after_build, build_peak = tracemalloc.get_traced_memory()
    for _ in measured.iter_nodes():
        pass
    for _ in measured.iter_edges():
        pass
    after_all, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  build (first read of a version): {built * 1000:,.0f} ms; "
          f"holds {_mib(after_build)} (peak {_mib(build_peak)})")
    print(f"  every record rewritten once ({nodes:,} nodes, {edges:,} edges): "
          f"{rewritten:,.2f} s; the view then holds {_mib(after_all)} "
          "(records naming nobody restricted are shared with the store, not copied)")

    rng = random.Random(3)
    real = [n.id for n in store.iter_nodes() if not n.restricted]
    ids = [rng.choice(real) for _ in range(args.reads)]
    public_ids = [view.public_id(i) for i in ids]
    _reads(view, public_ids[:200])  # warm: each record is rewritten once per version
    editor: list[float] = []
    public: list[float] = []
    for half in range(4):  # alternating, so that load on the machine falls on both
        part = slice(half * len(ids) // 4, (half + 1) * len(ids) // 4)
        editor += _reads(store, ids[part])
        public += _reads(view, public_ids[part])
    e50, p50 = statistics.median(editor), statistics.median(public)
    print(f"  entity reads, median: editor (store) {e50 * 1e6:,.0f} us, public (view) "
          f"{p50 * 1e6:,.0f} us; public/editor {p50 / e50:.2f}x")


if __name__ == "__main__":
    main()
