"""Soak: 50 concurrent clients for 30 seconds of mixed reads, with editors importing now and then.

uvicorn serves the bundled dataset from a temporary data directory (one worker,
127.0.0.1, an editor key configured, a rate limit too high to be reached). Public
clients read: search, entities, neighbourhoods, paths, relatives, timelines,
case links and pages. One client in ten is an editor who now and then imports a
small valid native file (new cited persons with unique ids, expecting 200) or an
invalid one (expecting 422, nothing written). Every read is first asked once on
the idle server; under load it must get the same status again. Any other
status, a connection error or a timeout is an error, and the run must end with
none. It prints throughput, p50 and p99, overall and per kind of request.

    python -m bench.soak [--seconds 30] [--clients 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from api.editors import key_hash
from bench.http_load import ROOT, free_port, prepare_bundled
from graph.memory import MemoryStore
from graph.public import PublicView, load_secret
from schema.vocabulary import NodeKind

EDITOR_KEY = "soak-editor-key"
#: Weights of each kind of read in the mix.
READS = {"search": 4, "entity": 4, "neighbourhood": 2, "path": 2, "relatives": 1,
         "timeline": 2, "case links": 1, "page": 2, "view": 1}
IMPORT_EVERY_S = 1.0  # per editor, on average
INVALID_SHARE = 0.3


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    imported: int = 0


def read_plan(data_dir: Path, count: int, seed: int = 5) -> list[tuple[str, str]]:
    """Reads over every entity, by the ids the public knows."""
    store = MemoryStore(data_dir)
    public = list(PublicView(store, load_secret(data_dir, None), store.version).iter_nodes())
    people = [n.id for n in public if n.kind is NodeKind.PERSON]
    cases = [n.id for n in public if n.kind is NodeKind.CASE]
    words = [w for n in public for w in n.name.split() if len(w) > 3]
    rng = random.Random(seed)
    makers = {
        "search": lambda: "/api/search?" + urlencode({"q": rng.choice(words)[:rng.randint(4, 9)]}),
        "entity": lambda: f"/api/entities/{rng.choice(public).id}",
        "neighbourhood": lambda: f"/api/entities/{rng.choice(public).id}/neighbourhood?depth="
                                 f"{rng.choice((1, 1, 2))}",
        "path": lambda: "/api/paths?" + urlencode({"source": rng.choice(people),
                                                   "target": rng.choice(people)}),
        "relatives": lambda: "/api/relatives",
        "timeline": lambda: f"/api/entities/{rng.choice(public).id}/timeline",
        "case links": lambda: f"/api/cases/{rng.choice(cases)}/links",
        "page": lambda: rng.choice(("/", f"/entities/{rng.choice(public).id}")),
        "view": lambda: rng.choice((f"/viz/entity/{rng.choice(public).id}",
                                    f"/embed/case/{rng.choice(cases)}", "/embed/relatives")),
    }
    kinds = [kind for kind, weight in READS.items() for _ in range(weight)]
    return [(kind, makers[kind]()) for kind in (rng.choice(kinds) for _ in range(count))]


def import_file(n: int, valid: bool) -> bytes:
    kind = "person" if valid else "persn"
    return (f"source: kz-upr48-2024\nnodes:\n"
            f"  - {{id: soak-person-{n}, kind: {kind}, name: Soak Person {n}, cite: ['3.2']}}\n"
            f"  - {{id: soak-group-{n}, kind: organisation, name: Soak Group {n}, cite: ['3.2']}}\n"
            f"edges:\n  - {{type: MEMBER_OF, from: soak-person-{n}, to: soak-group-{n}, "
            f"cite: ['3.2']}}\n").encode()


async def _timed(client: httpx.AsyncClient, tally: Tally, kind: str, expected: set[int],
                 method: str, url: str, **kwargs: object) -> None:
    began = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        cause = exc.__cause__ or exc.__context__  # the socket error under httpx's, if any
        tally.errors.append(f"{kind} {url}: {type(exc).__name__}: {exc}"
                            + (f" (from {cause!r})" if cause is not None else "")
                            + f" after {time.perf_counter() - began:.2f} s")
        return
    tally.latencies[kind].append(time.perf_counter() - began)
    tally.statuses[(kind, response.status_code)] += 1
    if response.status_code not in expected:
        tally.errors.append(f"{kind} {url}: {response.status_code} {response.text[:200]}")


async def reader(client: httpx.AsyncClient, plan: list[tuple[str, str, int]], stop: float,
                 tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < stop:
        kind, url, expected = rng.choice(plan)
        await _timed(client, tally, kind, {expected}, "GET", url)


async def editor(client: httpx.AsyncClient, plan: list[tuple[str, str, int]], stop: float,
                 tally: Tally, seed: int, numbers: list[int]) -> None:
    """Mostly reads, like an editor checking the data; an import about once a second."""
    rng = random.Random(seed)
    next_import = time.perf_counter() + rng.expovariate(1 / IMPORT_EVERY_S)
    while time.perf_counter() < stop:
        if time.perf_counter() < next_import:
            kind, url, expected = rng.choice(plan)
            await _timed(client, tally, kind, {expected}, "GET", url)
            continue
        next_import += rng.expovariate(1 / IMPORT_EVERY_S)
        numbers[0] += 1
        valid = rng.random() >= INVALID_SHARE
        await _timed(client, tally, "import" if valid else "invalid import",
                     {200} if valid else {422}, "POST", "/api/import",
                     params={"format": "native", "filename": f"soak-{numbers[0]}.yaml"},
                     content=import_file(numbers[0], valid),
                     headers={"X-API-Key": EDITOR_KEY})
        tally.imported += valid


async def probe(base: str, reads: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """Each distinct read once on the idle server: its status is what load must not change."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        status = {url: (await client.get(url)).status_code for url in {u for _, u in reads}}
    plan = [(kind, url, status[url]) for kind, url in reads]
    bad = [p for p in plan if p[2] not in {200, 404}]
    if bad:
        raise RuntimeError(f"reads that fail even without load: {bad[:5]}")
    return plan


async def soak(base: str, plan: list[tuple[str, str, int]], seconds: float,
               clients: int) -> tuple[Tally, float]:
    tally, numbers = Tally(), [0]
    # The client lets an idle connection go after 2 s, before uvicorn closes it at 5 s: the
    # other way round, a request sent on a connection the server is closing at that moment
    # is reset (httpx's ReadError), the keep-alive race every HTTP/1.1 client must avoid.
    # One such reset in about 50,000 requests (9 runs) was seen before this.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients,
                          keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        stop = started + seconds
        editors = max(1, clients // 10)
        await asyncio.gather(
            *(editor(client, plan, stop, tally, i, numbers) for i in range(editors)),
            *(reader(client, plan, stop, tally, 1000 + i) for i in range(clients - editors)))
        return tally, time.perf_counter() - started


def _ms(latencies: list[float]) -> tuple[float, float]:
    if len(latencies) < 2:
        return (latencies[0] * 1000,) * 2 if latencies else (0.0, 0.0)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def report(tally: Tally, span: float, clients: int, store: MemoryStore, before: int) -> int:
    every = [x for values in tally.latencies.values() for x in values]
    p50, p99 = _ms(every)
    print(f"soak: {clients} clients, {span:.1f} s: {len(every)} requests = "
          f"{len(every) / span:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    for kind, values in sorted(tally.latencies.items()):
        k50, k99 = _ms(values)
        statuses = ", ".join(f"{s}: {n}" for (k, s), n in sorted(tally.statuses.items())
                             if k == kind)
        print(f"  {kind:<15} {len(values):>6} requests  p50 {k50:7.1f} ms  p99 {k99:7.1f} ms"
              f"  ({statuses})")
    grown = store.stats().nodes - before
    if grown != 2 * tally.imported:
        tally.errors.append(f"{tally.imported} valid imports should add {2 * tally.imported} "
                            f"nodes; the store grew by {grown}")
    print(f"  imports: {tally.imported} accepted, store grew by {grown} nodes; "
          f"errors: {len(tally.errors)}")
    for error in tally.errors[:20]:
        print("  ERROR " + error)
    return 1 if tally.errors else 0


@contextmanager
def serve(data_dir: Path, port: int, settings: dict[str, str]) -> Iterator[None]:
    """uvicorn with one worker on 127.0.0.1, stopped (and waited for) on the way out."""
    env = {**os.environ, "REPGRAPH_BACKEND": "memory", "REPGRAPH_DATA_DIR": str(data_dir),
           **settings}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host",
         "127.0.0.1", "--port", str(port), "--workers", "1", "--log-level", "warning",
         "--no-access-log"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="repgraph-soak-") as tmp:
        data_dir = Path(tmp) / "data"
        prepare_bundled(data_dir)
        before = MemoryStore(data_dir).stats().nodes
        port = free_port()
        with serve(data_dir, port, {"REPGRAPH_EDITOR_KEY_HASHES": key_hash(EDITOR_KEY),
                                    "REPGRAPH_RATE_LIMIT_PER_MINUTE": "10000000",
                                    "REPGRAPH_RATE_LIMIT_BURST": "10000000"}):
            base = f"http://127.0.0.1:{port}"
            plan = asyncio.run(probe(base, read_plan(data_dir, 600)))
            tally, span = asyncio.run(soak(base, plan, args.seconds, args.clients))
        return report(tally, span, args.clients, MemoryStore(data_dir), before)


if __name__ == "__main__":
    raise SystemExit(main())
