"""Brokers on a large synthetic graph: betweenness by sampling, and the communities that
explain it (`graph.analysis`). The goal is a whole brokers answer within 30 s on 10^5
entities; `--sample` overrides the default number of pivots."""

from __future__ import annotations

import argparse
import time

from bench.synthetic import generate
from graph import analysis
from graph.memory import MemoryStore


def run(n_nodes: int, sample: int | None) -> None:
    nodes, edges = generate(n_nodes)
    store = MemoryStore.holding({n.id: n for n in nodes}, {e.id: e for e in edges})
    started = time.perf_counter()
    net = analysis.network(store)
    read_s = time.perf_counter() - started
    graph = net.graph
    t = time.perf_counter()
    _, pivots = analysis.betweenness(store, sample=sample)
    betweenness_s = time.perf_counter() - t
    t = time.perf_counter()
    groups = analysis.communities(store, limit=1)
    louvain_s = time.perf_counter() - t
    found = analysis.brokers(store, limit=20, sample=sample)  # the parts above are kept
    total_s = time.perf_counter() - started
    print(f"\n== brokers, {graph.number_of_nodes():,} entities, {graph.number_of_edges():,} "
          f"linked pairs ==")
    print(f"method: {found.method}, {pivots:,} pivots (seed {analysis.SEED})")
    print(f"read the network: {read_s:.2f} s")
    print(f"betweenness:      {betweenness_s:.2f} s ({betweenness_s / pivots * 1000:.0f} ms "
          "per pivot)")
    print(f"communities:      {louvain_s:.2f} s ({groups.total:,} found)")
    print(f"whole answer:     {total_s:.2f} s (goal: within 30 s)")
    print(f"top broker: {found.brokers[0].explanation}" if found.brokers else "no brokers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--sample", type=int, help="pivots (default: graph.analysis's rule)")
    args = parser.parse_args()
    for size in map(int, args.sizes.split(",")):
        run(size, args.sample)


if __name__ == "__main__":
    main()
