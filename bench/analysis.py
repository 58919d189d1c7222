"""Brokers on a large synthetic graph (`graph.analysis`): betweenness by sampling, and what
removing each broker cuts off. The goal is a whole brokers answer within 30 s on 10^5
entities, from the first request of a data version (nothing kept). `--sample` overrides the
default number of pivots; `--communities` also times Louvain, which is not part of a brokers
answer at this size (it takes minutes)."""

from __future__ import annotations

import argparse
import time

from bench.synthetic import generate
from graph import analysis
from graph.memory import MemoryStore


def run(n_nodes: int, sample: int | None, with_communities: bool) -> None:
    nodes, edges = generate(n_nodes)
    store = MemoryStore.holding({n.id: n for n in nodes}, {e.id: e for e in edges})
    started = time.perf_counter()
    graph = analysis.network(store).graph
    read_s = time.perf_counter() - started
    t = time.perf_counter()
    _, pivots = analysis.betweenness(store, sample=sample)
    betweenness_s = time.perf_counter() - t
    found = analysis.brokers(store, limit=20, sample=sample)  # the parts above are kept
    total_s = time.perf_counter() - started
    print(f"\n== brokers, {graph.number_of_nodes():,} entities, {graph.number_of_edges():,} "
          f"linked pairs ==")
    print(f"method: {found.method}, {pivots:,} pivots (seed {analysis.SEED})")
    print(f"read the network:  {read_s:.2f} s")
    print(f"betweenness:       {betweenness_s:.2f} s ({betweenness_s / pivots * 1000:.0f} ms "
          "per pivot)")
    print(f"whole answer:      {total_s:.2f} s, 20 brokers (goal: within 30 s)")
    print(f"top broker: {found.brokers[0].explanation}" if found.brokers else "no brokers")
    if with_communities:
        t = time.perf_counter()
        groups = analysis.communities(store, limit=1)
        print(f"communities:       {time.perf_counter() - t:.2f} s ({groups.total:,} found, "
              f"modularity {groups.modularity:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--sample", type=int, help="pivots (default: graph.analysis's rule)")
    parser.add_argument("--communities", action="store_true", help="also time Louvain")
    args = parser.parse_args()
    for size in map(int, args.sizes.split(",")):
        run(size, args.sample, args.communities)


if __name__ == "__main__":
    main()
