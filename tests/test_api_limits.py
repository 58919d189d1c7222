"""Expensive queries answer 503 when they run past `query_timeout_s`.

No clock is mocked: a synthetic graph of 20,000 nodes makes a depth-3
neighbourhood of a hub take tens of milliseconds, and the limit is set to
two milliseconds, so the real query really runs out of time.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from bench.synthetic import generate
from graph.memory import MemoryStore
from graph.settings import Settings

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
