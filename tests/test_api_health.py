from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore


def test_health_reports_backend_and_counts(kz_store: GraphStore) -> None:
    with TestClient(create_app(store=kz_store)) as client:
        body = client.get("/api/health").json()
    stats = kz_store.stats()
    assert body == {"status": "ok", "backend": "memory", "nodes": stats.nodes,
                    "edges": stats.edges}
