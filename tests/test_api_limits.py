"""Every query the service runs answers 503 when it runs past its time limit.

No clock is mocked. A synthetic graph of 20,000 nodes makes a depth-3
neighbourhood of a hub take tens of milliseconds, and the limit is set to two
milliseconds, so the real query really runs out of time. To check that no route
escapes the limit, the real dataset is served from an embedded store that takes
a fixed time over every read, longer than the limit.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import pages
from bench.synthetic import generate
from graph.memory import Content, MemoryStore
from graph.settings import Settings
from loaders import native

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


class SlowStore(MemoryStore):
    """The embedded store, taking `delay` seconds over every read once `slow` is set.

    The delay is twenty times the limit: queries abandoned at the limit sleep on in
    their threads, and they must not keep the event loop from noticing the next deadline.
    """

    delay = 1.0
    slow = False

    def _sync(self) -> Content:
        if self.slow:
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
    "/api/export": "/api/export?format=csv",
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
}
#: GET routes that serve files or documentation, not the graph.
NOT_READS = {"/vendor/{name}"}


@pytest.fixture(scope="module")
def slow_client(dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = SlowStore(tmp_path_factory.mktemp("slow"))
    native.load([dataset_dir], store)
    settings = Settings(data_dir=store.data_dir, query_timeout_s=0.05, export_timeout_s=0.05)
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
    html = {r.path for r in pages.router.routes if isinstance(r, APIRoute) and "GET" in r.methods}
    assert (api | html) - NOT_READS == set(READS)


@pytest.mark.parametrize("route", sorted(READS))
def test_every_read_answers_503_past_the_time_limit(slow_client: TestClient, route: str) -> None:
    started = time.perf_counter()
    response = slow_client.get(READS[route], follow_redirects=False)
    assert response.status_code == 503, response.text[:300]
    assert "0.05 s limit" in response.text
    # answered at the limit, not after the slow reads (the middleware's own are cached)
    assert time.perf_counter() - started < SlowStore.delay * 2
