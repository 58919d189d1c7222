"""Name search on large synthetic graphs: the whole-graph scan against the word index.

For each size the same queries (the HTTP bench's word beginnings, whole names, and
names with one letter typed wrong) are asked of a `SearchIndex` that scans every
name and of one that uses its word index. It prints the index build time, p50 and
p99 per query for each path, and how often both put the same entity first.

    python -m bench.search [--sizes 10000 100000] [--queries 40]
"""

from __future__ import annotations

import argparse
import random
import time

from bench.synthetic import generate
from graph.search import SearchIndex
from schema.models import Node

Timings = dict[str, list[float]]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def misspell(rng: random.Random, word: str) -> str:
    """`word` with two neighbouring letters swapped, one dropped, or one replaced."""
    i = rng.randrange(1, len(word) - 1)
    return rng.choice((word[:i] + word[i + 1] + word[i] + word[i + 2:], word[:i] + word[i + 1:],
                       word[:i] + rng.choice("aeiou") + word[i + 1:]))


def sample_queries(nodes: list[Node], count: int, seed: int = 1) -> list[tuple[str, str]]:
    """(kind of query, query): beginnings of words as in bench.http_load, names, typos."""
    rng = random.Random(seed)
    names = [n.name for n in nodes]
    words = [w for name in names for w in name.split() if len(w) > 3]
    makers = {
        "beginning": lambda: rng.choice(words)[:rng.randint(4, 9)],
        "name": lambda: rng.choice(names),
        "misspelt": lambda: " ".join(misspell(rng, w) if len(w) > 4 else w
                                     for w in rng.choice(names).split()),
    }
    return [(kind, make()) for _ in range(count) for kind, make in makers.items()]


def timed(index: SearchIndex, query: str) -> tuple[float, str | None]:
    start = time.perf_counter()
    hits = index.search(query)
    return time.perf_counter() - start, hits[0].node.id if hits else None


def run(n_nodes: int, count: int) -> None:
    nodes, _ = generate(n_nodes, seed=1)
    cpu = time.process_time()  # CPU time: other processes on a shared machine don't count
    scan = SearchIndex(nodes, scan_below=len(nodes) * 2)
    scan_build = time.process_time() - cpu
    cpu = time.process_time()
    indexed = SearchIndex(nodes, scan_below=0)
    indexed_build = time.process_time() - cpu
    queries = sample_queries(nodes, count)
    times: dict[str, Timings] = {"scan": {}, "word index": {}}
    same_top = 0
    for kind, query in queries:  # interleaved so that both see the same machine state
        scan_s, scan_top = timed(scan, query)
        index_s, index_top = timed(indexed, query)
        times["scan"].setdefault(kind, []).append(scan_s)
        times["word index"].setdefault(kind, []).append(index_s)
        same_top += scan_top == index_top
    print(f"\n== {len(nodes):,} nodes: index build {scan_build:.2f} s CPU without the word "
          f"index, {indexed_build:.2f} s with it ==")
    for path, by_kind in times.items():
        every = [t for samples in by_kind.values() for t in samples]
        print(f"  {path:<11} all {len(every):>4} queries  p50 {percentile(every, .5) * 1e3:8.2f} ms"
              f"  p99 {percentile(every, .99) * 1e3:8.2f} ms")
        for kind, samples in by_kind.items():
            print(f"    {kind:<10} {len(samples):>4} queries  p50 {percentile(samples, .5) * 1e3:8.2f} ms"
                  f"  p99 {percentile(samples, .99) * 1e3:8.2f} ms")
    scan_p50 = percentile([t for s in times["scan"].values() for t in s], .5)
    index_p50 = percentile([t for s in times["word index"].values() for t in s], .5)
    print(f"  p50 speed-up {scan_p50 / index_p50:,.0f}x; same entity first in "
          f"{same_top}/{len(queries)} queries")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=40,
                        help="queries of each kind per size (the scan takes ~0.5 s each at 10^5)")
    args = parser.parse_args(argv)
    for size in args.sizes:
        run(size, args.queries)


if __name__ == "__main__":
    main()
