"""Following the evidence: what the source reader and the full timeline cost.

Prints, alternating the two sides of each comparison so that a busy machine slows both:
- the source reader (`/sources/{id}` on the founding source, the bundled dataset with its
  planted restricted records) for a public visitor and for an editor: the first read of a
  data version (which cuts, redacts and renders the text) and warm reads, with the ratio;
- `queries.timeline` on the synthetic graph (10^5 nodes by default), which reads an entity's
  own dates, its dated steps, its relationships' dates and the dates of the events and cases
  they link to, against reading the same entities' relationships alone (what the timeline
  read before it held every dated fact), as p50/p99 and their ratio.

    python -m bench.evidence [--nodes 100000] [--reads 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

from fastapi.testclient import TestClient

from api.app import create_app
from api.editors import key_hash
from bench.synthetic import generate
from config import Settings
from graph import queries
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from schema.models import Citation, Node
from schema.vocabulary import NodeKind

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "/sources/kz-upr48-2024"
KEY = "bench-editor-key"


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def reader(rounds: int) -> None:
    with TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), editor_key_hashes=[key_hash(KEY)],
                            rate_limit_per_minute=10**6, rate_limit_burst=10**6)
        store = MemoryStore()
        native.load([ROOT / "data", ROOT / "tests" / "planted"], store, replace=True)
        with TestClient(create_app(store=store, settings=settings)) as client:
            _read_source(client, store, rounds)


def _read_source(client: TestClient, store: GraphStore, rounds: int) -> None:
    audiences: dict[str, dict[str, str]] = {"public": {}, "editor": {"X-API-Key": KEY}}
    cold: dict[str, list[float]] = {"public": [], "editor": []}
    warm: dict[str, list[float]] = {"public": [], "editor": []}

    def get(headers: dict[str, str]) -> float:
        started = time.perf_counter()
        assert client.get(SOURCE, headers=headers).status_code == 200
        return time.perf_counter() - started

    for version in range(rounds):
        # a new data version: the reader cuts, redacts and renders the text again
        store.write([Node(id=f"bench-{version}", kind=NodeKind.ORGANISATION,
                          name=f"Bench {version}",
                          citations=[Citation(source="kz-upr48-2024", paragraph="1.1")])], [])
        for who, headers in audiences.items():
            cold[who].append(get(headers))
            warm[who] += [get(headers) for _ in range(10)]
    size = len(client.get(SOURCE).content)
    print(f"source reader, {SOURCE} ({size:,} bytes), {rounds} data versions:")
    for who in audiences:
        print(f"  {who:<7} first read of a version p50 {_ms(cold[who], 0.5):6.1f} ms; "
              f"warm p50 {_ms(warm[who], 0.5):5.1f} ms, p99 {_ms(warm[who], 0.99):5.1f} ms")
    first = statistics.median(cold["public"]) / statistics.median(cold["editor"])
    again = statistics.median(warm["public"]) / statistics.median(warm["editor"])
    print(f"  public/editor: first read {first:.2f}x, warm {again:.2f}x")


def timelines(store: GraphStore, ids: list[str]) -> None:
    full: list[float] = []
    edges_only: list[float] = []

    def dated_relationships(node_id: str) -> None:
        store.find_nodes(e.target if e.source == node_id else e.source
                         for e in store.incident_edges(node_id) if e.date)

    for node_id in ids:  # alternating, so that both sides share the machine's state
        full.append(_timed(partial(queries.timeline, store, node_id)))
        edges_only.append(_timed(partial(dated_relationships, node_id)))
    print(f"timeline of {len(ids):,} entities: every dated fact p50 {_ms(full, 0.5):.2f} ms, "
          f"p99 {_ms(full, 0.99):.2f} ms; dated relationships only p50 "
          f"{_ms(edges_only, 0.5):.2f} ms, p99 {_ms(edges_only, 0.99):.2f} ms; "
          f"ratio p50 {_ms(full, 0.5) / _ms(edges_only, 0.5):.2f}x, "
          f"p99 {_ms(full, 0.99) / _ms(edges_only, 0.99):.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=5)
    args = parser.parse_args(argv)
    reader(args.versions)
    store = MemoryStore()
    store.write(*generate(args.nodes, seed=1))
    rng = random.Random(5)
    ids = [n.id for n in store.iter_nodes()]
    busiest = sorted(ids, key=store.degree, reverse=True)[:20]
    print(f"synthetic graph: {store.stats().nodes:,} nodes, {store.stats().edges:,} edges")
    timelines(store, [rng.choice(ids) for _ in range(args.reads)])
    timelines(store, busiest * 5)


if __name__ == "__main__":
    main()
