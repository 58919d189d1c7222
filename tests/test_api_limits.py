"""Every query the service runs answers 503 when it runs past its time limit.

No clock is mocked. A synthetic graph of 20,000 nodes makes a depth-3
neighbourhood of a hub take tens of milliseconds, and the limit is set to two
milliseconds, so the real query really runs out of time. To check that no route
escapes the limit, the real dataset is served from an embedded store that takes
a fixed time over every read, longer than the limit: once as it is (queries check
their deadline at each read, on the event loop) and once posing as a store that
does not (Neo4j's way: queries run in a worker thread the service stops waiting for).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import anyio.to_thread
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.editors import key_hash
from api.routes import analysis, pages, sources
from bench.synthetic import generate
from config import Settings
from graph.memory import Content, MemoryStore
from loaders import native
from tests.conftest import EDITOR_KEY

HUB_NEIGHBOURHOOD = ("/api/entities/syn-organisation-0/neighbourhood", {"depth": 3, "limit": 10})


@pytest.fixture(scope="module")
def large_store() -> Iterator[MemoryStore]:
    store = MemoryStore()
    store.write(*generate(20_000, seed=7))
    yield store
    store.close()


def _client(store: MemoryStore, timeout_s: float) -> TestClient:
    return TestClient(create_app(Settings(query_timeout_s=timeout_s), store=store))


def test_a_query_past_the_time_limit_is_503_with_advice(large_store: MemoryStore) -> None:
    url, params = HUB_NEIGHBOURHOOD
    with _client(large_store, 0.002) as client:
        response = client.get(url, params=params)
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "neighbourhood query took longer than the 0.002 s limit" in detail
    assert "narrow it" in detail


def test_the_same_query_within_a_generous_limit_answers(large_store: MemoryStore) -> None:
    url, params = HUB_NEIGHBOURHOOD
    with _client(large_store, 60) as client:
        body = client.get(url, params=params).json()
    assert body["truncated"] and body["total_nodes"] > 1_000 and len(body["nodes"]) == 10


def test_a_query_still_running_after_its_inline_time_finishes_in_a_worker_thread(
        large_store: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    url, params = HUB_NEIGHBOURHOOD
    with _client(large_store, 60) as client:
        expected = client.get(url, params=params).json()
    readers: list[str] = []
    sync = large_store._sync

    def recorded() -> Content:
        readers.append(threading.current_thread().name)
        return sync()

    settings = Settings(query_timeout_s=60, inline_query_s=0.001)
    with TestClient(create_app(settings, store=large_store)) as client:
        client.get(url, params={**params, "depth": 1})  # the public view's first read
        #                                                builds it, in a worker
        monkeypatch.setattr(large_store, "_sync", recorded)
        assert client.get(url, params=params).json() == expected
    assert "worker" not in readers[0]  # started on the event loop's thread
    assert "AnyIO worker" in readers[-1]  # and finished in a worker thread


class SlowStore(MemoryStore):
    """The embedded store, taking `delay` seconds over every read once `slow` is set.

    The delay is sixty times the limit, so that a busy machine's pauses cannot pass for
    one more read. A query that checks its deadline stops at its first read after the
    limit; one in a worker thread is answered at the limit and sleeps on, and it must
    not keep the event loop from noticing the next deadline. `reads` records which
    thread began each slow read when, for a failure to show.
    """

    delay = 3.0
    slow = False
    reads: ClassVar[list[tuple[str, float]]] = []

    def _sync(self) -> Content:
        if self.slow:
            self.reads.append((threading.current_thread().name, time.perf_counter()))
            time.sleep(self.delay)
        return super()._sync()


#: A request for every GET route that reads the graph, by route path. A new route must be
#: added here, which makes its author decide that it is time-limited (the test fails otherwise).
READS = {
    "/api/health": "/api/health",
    "/api/stats": "/api/stats",
    "/api/search": "/api/search?q=jardemalie",
    "/api/entities/{id}": "/api/entities/bota-jardemalie",
    "/api/entities/{id}/neighbourhood": "/api/entities/bota-jardemalie/neighbourhood",
    "/api/entities/{id}/timeline": "/api/entities/marat-zhylanbayev/timeline",
    "/api/paths": "/api/paths?source=bota-jardemalie&target=mukhtar-ablyazov",
    "/api/relatives": "/api/relatives",
    "/api/cases/{id}/links": "/api/cases/case-zhylanbayev/links",
    "/api/sources": "/api/sources",
    "/api/sources/{id}": "/api/sources/kz-upr48-2024",
    "/api/export": "/api/export?format=csv",
    "/api/analysis/brokers": "/api/analysis/brokers",
    "/api/analysis/communities": "/api/analysis/communities?through_generic=true",
    "/api/review": "/api/review",  # editors only: asked with the key
    "/": "/",
    "/entities/{entity_id}": "/entities/bota-jardemalie",
    "/viz/entity/{entity_id}": "/viz/entity/bota-jardemalie",
    "/embed/entity/{entity_id}": "/embed/entity/bota-jardemalie",
    "/viz/path": "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov",
    "/embed/path": "/embed/path?source=Bota%20Jardemalie&target=mukhtar-ablyazov",
    "/viz/relatives": "/viz/relatives",
    "/embed/relatives": "/embed/relatives",
    "/viz/case/{case_id}": "/viz/case/case-zhylanbayev",
    "/embed/case/{case_id}": "/embed/case/case-zhylanbayev",
    "/viz/graph": "/viz/graph",
    "/embed/graph": "/embed/graph",
    "/viz/expand/{entity_id}": "/viz/expand/bota-jardemalie",
    "/sources": "/sources",
    "/sources/{source_id}": "/sources/kz-upr48-2024",
    "/analysis": "/analysis",
}
#: GET routes that serve files, documentation or the sign-in form, not the graph.
NOT_READS = {"/vendor/{name}", "/signin"}


class SlowThreadedStore(SlowStore):
    checks_deadlines = False


@pytest.fixture(scope="module", params=[SlowStore, SlowThreadedStore])
def slow_client(request: pytest.FixtureRequest, dataset_dir: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = request.param(tmp_path_factory.mktemp("slow"))
    native.load([dataset_dir], store)
    # no identity decisions: every read goes to the slow store itself (decisions are read
    # from a graph resolved once in memory, which would never be slow)
    no_decisions = tmp_path_factory.mktemp("no-decisions")
    settings = Settings(data_dir=store.data_dir, query_timeout_s=0.05, export_timeout_s=0.05,
                        dataset_dir=no_decisions, private_dataset_dir=no_decisions,
                        editor_key_hashes=[key_hash(EDITOR_KEY)])
    with TestClient(create_app(settings, store=store)) as client:
        assert client.get("/api/health").status_code == 200  # quick while the store is
        SlowStore.slow = True
        try:
            yield client
        finally:
            SlowStore.slow = False


def test_every_route_that_reads_the_graph_is_listed_here() -> None:
    app = create_app(Settings(), store=MemoryStore())
    api = {path for path, operations in app.openapi()["paths"].items() if "get" in operations}
    html = {r.path for router in (pages.router, sources.page, analysis.page) for r in router.routes
            if isinstance(r, APIRoute) and "GET" in r.methods}
    assert (api | html) - NOT_READS == set(READS)


@pytest.mark.parametrize("route", sorted(READS))
def test_every_read_answers_503_past_the_time_limit(slow_client: TestClient, route: str) -> None:
    started = time.perf_counter()
    SlowStore.reads.clear()
    key = {"X-API-Key": EDITOR_KEY} if route == "/api/review" else {}
    response = slow_client.get(READS[route], follow_redirects=False, headers=key)
    assert response.status_code == 503, response.text[:300]
    assert "0.05 s limit" in response.text
    # answered at the limit (in a worker thread) or after the one read that passed it (on
    # the event loop), not after every slow read (the middleware's own are cached)
    store = slow_client.app.state.store  # type: ignore[attr-defined]
    took = time.perf_counter() - started
    reads = [(thread, round(at - started, 3)) for thread, at in SlowStore.reads]
    assert took < (SlowStore.delay * 2 if store.checks_deadlines else SlowStore.delay), \
        (took, reads)


#: reads that always go to a worker thread: exports, the analyses (networkx runs long between
#: checkpoints) and the editors' review queue, which reads its files there
THREADED = ("/api/export", "/api/review", "/api/analysis/brokers", "/api/analysis/communities")


def _api_reads() -> list[str]:
    """A request for every public API read but those that always go to a worker thread."""
    return [url for route, url in READS.items()
            if route.startswith("/api/") and route not in THREADED]


def _recording_hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the name of every function handed to a worker thread."""
    handed_off: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def recording(func: Callable[..., object], *args: object, **kwargs: Any) -> object:
        handed_off.append(getattr(func, "__qualname__", repr(func)))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", recording)
    return handed_off


def test_api_reads_on_the_embedded_store_never_wait_for_a_thread(
        dataset_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No hand-off to a worker thread for a plain `def` dependency (FastAPI runs those in
    its thread pool) nor for a quick query: each cost more than the lookups themselves.
    (Building the search index is long work, done in a worker once per data version.)"""
    store = MemoryStore(tmp_path)
    native.load([dataset_dir], store)
    settings = Settings(data_dir=tmp_path, inline_query_s=60)  # no query moves, however slow
    with TestClient(create_app(settings, store=store)) as client:
        assert client.get("/api/search?q=jardemalie").status_code == 200  # builds the index
        handed_off = _recording_hand_offs(monkeypatch)
        for url in _api_reads():
            assert client.get(url).status_code == 200, url
    assert handed_off == []


def test_reloading_a_replaced_snapshot_and_rebuilding_the_index_happen_in_a_worker(
        dataset_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading and validating a whole snapshot, building the public view, and indexing
    every name have no checkpoints: on a large graph each would hold up every request on
    the event loop."""
    store = MemoryStore(tmp_path)
    native.load([dataset_dir], store)
    settings = Settings(data_dir=tmp_path, inline_query_s=60)
    with TestClient(create_app(settings, store=store)) as client:
        for url in [*_api_reads(), "/"]:  # view and index built, store current
            client.get(url)
        other = MemoryStore(tmp_path)  # another process, as far as `store` can tell
        other.write([other.get_node("bota-jardemalie").model_copy(
            update={"aliases": ["B. Jardemalie"]})], [])
        handed_off = _recording_hand_offs(monkeypatch)
        body = client.get("/api/entities/bota-jardemalie").json()
        assert len(handed_off) == 1  # the read that found the new snapshot (and built the
        #                              new version's public view) moved to a worker
        hits = client.get("/api/search?q=B. Jardemalie").json()["items"]
        assert len(handed_off) == 2  # and so did the search that rebuilt the index
        assert client.get("/").status_code == 200
        assert len(handed_off) == 2  # pages read the same view: nothing more to build
    assert "B. Jardemalie" in body["aliases"] and "B. Jardemalie" in hits[0]["aliases"]
