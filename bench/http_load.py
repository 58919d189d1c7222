"""HTTP load on the web API: uvicorn with one worker, this process as the client.

For each dataset (the bundled one, then a synthetic graph of 10^5 nodes) the
graph is written to a temporary data directory, uvicorn serves it in a
subprocess on 127.0.0.1, and this process keeps a few keep-alive connections
busy with a mix of search, entity, neighbourhood and path requests for a fixed
time. It prints requests per second, p50 and p99, overall and per kind.

The client speaks minimal HTTP/1.1 over asyncio streams instead of using a full
client library, so that the figures measure the server more than the client.
Goal on the bundled dataset: >= 1,000 requests/s and p99 < 50 ms.

    python -m bench.http_load [--seconds 8] [--connections 8] [--nodes 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from api.editors import key_hash
from graph.memory import MemoryStore
from graph.public import PublicView, load_secret
from graph.store import GraphStore
from schema.vocabulary import NodeKind

ROOT = Path(__file__).resolve().parent.parent
#: Share of each kind of request in the mix.
MIX = {"search": 3, "entity": 3, "neighbourhood": 2, "path": 2}
#: The same without search, to show what the graph queries alone sustain on a large graph.
GRAPH_ONLY = {kind: weight for kind, weight in MIX.items() if kind != "search"}
_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)

Request = tuple[str, str]  # (kind, path with query string)


#: the key the benchmark's editor requests carry (the server is told only its digest)
EDITOR_KEY = "bench-editor-key"


def request_mix(store: GraphStore, count: int, mix: dict[str, int], seed: int = 1) -> list[Request]:
    """A shuffled, reproducible list of requests over the entities the store holds, by the
    ids its audience knows (give the public view for public requests)."""
    rng = random.Random(seed)
    nodes = list(store.iter_nodes())
    people = [n.id for n in nodes if n.kind is NodeKind.PERSON] or [n.id for n in nodes]
    words = [w for n in nodes for w in n.name.split() if len(w) > 3]
    makers = {
        "search": lambda: "/api/search?" + urlencode({"q": rng.choice(words)[:rng.randint(4, 9)]}),
        "entity": lambda: f"/api/entities/{rng.choice(nodes).id}",
        "neighbourhood": lambda: f"/api/entities/{rng.choice(nodes).id}/neighbourhood?"
                                 + urlencode({"depth": rng.choice((1, 1, 1, 2)), "limit": 50}),
        "path": lambda: "/api/paths?" + urlencode({"source": rng.choice(people),
                                                   "target": rng.choice(people)}),
    }
    kinds = [k for k, weight in mix.items() for _ in range(weight)]
    return [(kind, makers[kind]()) for kind in (rng.choice(kinds) for _ in range(count))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(data_dir: Path, port: int, tree: Path = ROOT) -> subprocess.Popen[bytes]:
    """uvicorn, one worker, running the code in `tree` (this one by default) over the
    snapshot in `data_dir`; returns once it answers."""
    env = {**os.environ, "PYTHONPATH": str(tree), "REPGRAPH_BACKEND": "memory",
           "REPGRAPH_DATA_DIR": str(data_dir),
           "REPGRAPH_EDITOR_KEY_HASHES": f'["{key_hash(EDITOR_KEY)}"]',
           # this measures the service, not the per-client rate limiter (one client here)
           "REPGRAPH_RATE_LIMIT_BURST": "100000000", "REPGRAPH_RATE_LIMIT_PER_MINUTE": "100000000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host",
         "127.0.0.1", "--port", str(port), "--workers", "1", "--log-level", "warning",
         "--no-access-log"], cwd=tree, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("uvicorn did not answer within 120 s")


async def _connection(port: int, requests: Iterator[Request], start: float, stop: float,
                      results: list[tuple[str, int, float]], extra: str) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while (now := time.perf_counter()) < stop:
            kind, path = next(requests)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n{extra}\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = _LENGTH.search(head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            if now >= start:  # requests sent during the warm-up are not counted
                results.append((kind, int(head[9:12]), time.perf_counter() - now))
    finally:
        writer.close()


async def drive(port: int, requests: list[Request], seconds: float, connections: int,
                warmup: float = 1.0, editor: bool = False) -> tuple[list[tuple[str, int, float]],
                                                                     float]:
    """Keep `connections` busy for `warmup` + `seconds`; return results and the measured span.
    With `editor`, every request carries the editor key."""
    extra = f"X-API-Key: {EDITOR_KEY}\r\n" if editor else ""
    cycle = itertools.cycle(requests)
    results: list[tuple[str, int, float]] = []
    start = time.perf_counter() + warmup
    stop = start + seconds
    await asyncio.gather(*(_connection(port, cycle, start, stop, results, extra)
                           for _ in range(connections)))
    return results, time.perf_counter() - start


def _quantiles(latencies: list[float]) -> tuple[float, float]:
    if len(latencies) < 2:
        return (latencies[0] * 1000, latencies[0] * 1000) if latencies else (0.0, 0.0)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def report(label: str, results: list[tuple[str, int, float]], span: float) -> float:
    """Print the figures of one run; returns its rate in requests per second."""
    p50, p99 = _quantiles([r[2] for r in results])
    rate = len(results) / span
    verdict = "meets" if rate >= 1000 and p99 < 50 else "misses"
    print(f"{label}: {len(results)} requests in {span:.1f} s = {rate:,.0f} req/s, "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms ({verdict} the 1,000 req/s, p99 < 50 ms goal)")
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _, latency in results:
        by_kind[kind].append(latency)
    for kind, latencies in sorted(by_kind.items()):
        k50, k99 = _quantiles(latencies)
        print(f"  {kind:<14} {len(latencies):>7} requests  p50 {k50:6.1f} ms  p99 {k99:6.1f} ms")
    statuses = Counter(status for _, status, _ in results)
    print("  statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    return rate


def run_dataset(label: str, data_dir: Path, seconds: float, connections: int,
                mixes: dict[str, dict[str, int]], rounds: int = 1) -> None:
    """Serve `data_dir` once and run each named mix against it, as the public and as an
    editor, alternating for `rounds` rounds, and print the public/editor ratio."""
    store = MemoryStore(data_dir)
    view = PublicView(store, load_secret(data_dir, None), store.version)
    plans = {name: {False: request_mix(view, 5000, mix), True: request_mix(store, 5000, mix)}
             for name, mix in mixes.items()}
    del store, view
    port = free_port()
    server = start_server(data_dir, port)
    try:
        for name, by_audience in plans.items():
            rates: dict[bool, list[float]] = {False: [], True: []}
            for _ in range(rounds):
                for editor in (False, True):
                    results, span = asyncio.run(drive(port, by_audience[editor], seconds,
                                                      connections, editor=editor))
                    who = "editor" if editor else "public"
                    rates[editor].append(report(f"{label}, {name}, {who}", results, span))
            public, editor_rate = statistics.median(rates[False]), statistics.median(rates[True])
            print(f"  {label}, {name}: public {public:,.0f} req/s, editor {editor_rate:,.0f} "
                  f"req/s, public/editor throughput ratio {public / editor_rate:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def prepare_bundled(data_dir: Path) -> None:
    from loaders import native

    native.load([ROOT / "data"], MemoryStore(data_dir))


def prepare_synthetic(data_dir: Path, n_nodes: int) -> None:
    from bench.synthetic import generate

    MemoryStore(data_dir).write(*generate(n_nodes, seed=1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per dataset")
    parser.add_argument("--connections", type=int, default=8, help="concurrent keep-alive "
                        "connections")
    parser.add_argument("--nodes", type=int, default=100_000, help="synthetic graph size "
                        "(0 to skip)")
    args = parser.parse_args(argv)
    print(f"HTTP load: uvicorn, 1 worker; client: {args.connections} connections, "
          f"{args.seconds:g} s per dataset, mix {MIX}")
    with tempfile.TemporaryDirectory(prefix="repgraph-bench-") as tmp:
        bundled = Path(tmp) / "bundled"
        prepare_bundled(bundled)
        run_dataset("bundled dataset", bundled, args.seconds, args.connections, {"mix": MIX},
                    rounds=2)
        if args.nodes:
            synthetic = Path(tmp) / "synthetic"
            started = time.perf_counter()
            prepare_synthetic(synthetic, args.nodes)
            print(f"(synthetic graph of {args.nodes:,} nodes built in "
                  f"{time.perf_counter() - started:.0f} s)")
            run_dataset(f"synthetic {args.nodes:,} nodes", synthetic, args.seconds,
                        args.connections, {"mix": MIX, "without search": GRAPH_ONLY})


if __name__ == "__main__":
    main()
