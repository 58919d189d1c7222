from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore


def test_health_reports_backend_and_counts(kz_store: GraphStore) -> None:
    with TestClient(create_app(store=kz_store)) as client:
        body = client.get("/api/health").json()
    stats = kz_store.stats()
    assert body == {"status": "ok", "backend": kz_store.backend, "nodes": stats.nodes,
                    "edges": stats.edges}


def test_search_finds_zhylanbayev_from_cyrillic(kz_store: GraphStore) -> None:
    with TestClient(create_app(store=kz_store)) as client:
        items = client.get("/api/search", params={"q": "Жыланбаев"}).json()["items"]
        assert items[0]["id"] == "marat-zhylanbayev"
        assert client.get("/api/search", params={"q": ""}).status_code == 422
