"""Reading through editors' identity decisions (`graph/resolved.py`): what a merge costs.

On the synthetic graph (10^5 nodes by default), with 100 merges decided, prints:
- the resolved records' build (the one pass made by the first read after a decision or a
  write): time;
- entity reads (`queries.relations`, a page of 100) on the store with no decision (reads
  go straight to it) and with the decisions, alternating, with the ratio of the medians.

    python -m bench.resolved_view [--nodes 100000] [--merges 100] [--reads 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.synthetic import generate
from graph import queries
from graph.identity import Judgement, entity_candidate
from graph.memory import MemoryStore
from graph.resolved import ResolvedStore
from graph.review import ReviewFiles
from schema.vocabulary import NodeKind


def _files(root: Path, name: str) -> ReviewFiles:
    return ReviewFiles(root / name / "data.jsonl", root / name / "private.jsonl",
                       root / name / "pending.jsonl", root / name / "candidates.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--merges", type=int, default=100)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    nodes, edges = generate(args.nodes, seed=1)
    base = MemoryStore()
    base.write(nodes, edges)
    persons = [n for n in nodes if n.kind is NodeKind.PERSON]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        plain = ResolvedStore(base, _files(Path(tmp), "none"))
        merged = ResolvedStore(base, _files(Path(tmp), "some"))
        pairs = rng.sample(persons, 2 * args.merges)
        for keep, other in zip(pairs[::2], pairs[1::2], strict=True):
            candidate = entity_candidate(keep, other, 90, "similar", "bench")
            merged.files.propose([candidate])
            merged.files.decide(merged, candidate.id, Judgement.SAME, by="bench", over_api=False)
        started = time.perf_counter()
        merged.stats()
        build = time.perf_counter() - started
        print(f"== {len(nodes):,} nodes, {len(edges):,} edges, {args.merges} merges decided ==")
        print(f"  resolved build   {build:.2f} s (once per store and decisions version)")
        ids = [rng.choice(persons).id for _ in range(args.reads)]
        times: dict[str, list[float]] = {"no decision": [], "decisions": []}
        for node_id in ids:  # alternating, so a busy neighbour slows both alike
            for label, store in (("no decision", plain), ("decisions", merged)):
                begun = time.perf_counter()
                queries.relations(store, node_id, limit=100)
                times[label].append(time.perf_counter() - begun)
        medians = {k: statistics.median(v) for k, v in times.items()}
        for label, median in medians.items():
            print(f"  read p50 {label:<12} {median * 1e6:7.0f} us")
        print(f"  decisions/no decision  {medians['decisions'] / medians['no decision']:.2f}x")


if __name__ == "__main__":
    main()
