"""Two versions of the service under the same HTTP load, in alternating short rounds.

Each code tree (a checkout, or a copy with one change) is served by its own
uvicorn worker over the same data; this process drives one at a time with the mix
of `bench.http_load`, A then B, then B then A, round after round, so that a
machine whose speed drifts (other work on shared cores) weighs on both alike.
Besides requests per second it reads the server's own CPU time from /proc
(Linux): CPU per request moves far less than throughput when other processes
compete for the cores. It prints each round, then the medians and the A/B ratios
taken pair by pair.

    python -m bench.http_ab TREE_A TREE_B [--rounds 10] [--seconds 6] [--nodes 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.http_load import (
    MIX,
    drive,
    free_port,
    prepare_bundled,
    prepare_synthetic,
    request_mix,
    start_server,
)
from graph.memory import MemoryStore
from graph.public import PublicView, load_secret

_TICK = os.sysconf("SC_CLK_TCK")
Round = tuple[float, float]  # (requests per second, server CPU microseconds per request)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a running process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def one_round(server: subprocess.Popen[bytes], port: int, plan: list[tuple[str, str]],
              seconds: float, editor: bool) -> Round:
    before = cpu_seconds(server.pid)
    results, span = asyncio.run(drive(port, plan, seconds, 8, warmup=1.0, editor=editor))
    spent = (cpu_seconds(server.pid) - before) * span / (span + 1.0)  # leave out the warm-up
    count = max(1, len(results))
    return len(results) / span, spent / count * 1e6


def _summary(label: str, a: list[Round], b: list[Round]) -> str:
    rates = [x[0] / y[0] for x, y in zip(a, b, strict=True)]
    cpus = [x[1] / y[1] for x, y in zip(a, b, strict=True)]

    def side(rounds: list[Round]) -> str:
        values = [r[0] for r in rounds]
        return (f"{statistics.median(values):.0f} req/s ({min(values):.0f}-{max(values):.0f}), "
                f"{statistics.median(r[1] for r in rounds):.0f} us CPU/request")

    return (f"{label}: A {side(a)}; B {side(b)}; A/B throughput {statistics.median(rates):.2f} "
            f"({min(rates):.2f}-{max(rates):.2f}), A/B CPU per request "
            f"{statistics.median(cpus):.2f} ({min(cpus):.2f}-{max(cpus):.2f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree_a", type=Path)
    parser.add_argument("tree_b", type=Path)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=6.0, help="measured time per round")
    parser.add_argument("--nodes", type=int, default=0,
                        help="a synthetic graph of this many nodes (0: the bundled dataset)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="repgraph-ab-") as tmp:
        data = Path(tmp) / "data"
        if args.nodes:
            prepare_synthetic(data, args.nodes)
        else:
            prepare_bundled(data)
        store = MemoryStore(data)
        view = PublicView(store, load_secret(data, None), store.version)
        plans = {False: request_mix(view, 5000, MIX), True: request_mix(store, 5000, MIX)}
        del store, view
        servers = {}
        for name, tree in (("A", args.tree_a), ("B", args.tree_b)):
            port = free_port()
            servers[name] = (start_server(data, port, tree.resolve()), port)
        rounds: dict[tuple[str, bool], list[Round]] = {(n, e): [] for n in "AB"
                                                        for e in (False, True)}
        try:
            for _server, port in servers.values():  # public views and indexes built first
                for editor in (False, True):
                    asyncio.run(drive(port, plans[editor], 5, 8, warmup=25 if args.nodes else 2,
                                      editor=editor))
            for number in range(1, args.rounds + 1):
                for editor in (False, True):
                    for name in ("AB" if number % 2 else "BA"):
                        server, port = servers[name]
                        rate, cpu = one_round(server, port, plans[editor], args.seconds, editor)
                        rounds[name, editor].append((rate, cpu))
                        who = "editor" if editor else "public"
                        print(f"round {number} {name} {who}: {rate:5.0f} req/s, server "
                              f"{cpu:5.0f} us CPU/request", flush=True)
        finally:
            for server, _ in servers.values():
                server.terminate()
                server.wait(timeout=30)
        for editor in (False, True):
            print(_summary("editor" if editor else "public", rounds["A", editor],
                           rounds["B", editor]))


if __name__ == "__main__":
    main()
