from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.search import WEAK_BELOW
from graph.store import GraphStore
from tests.conftest import answer


def test_health_reports_backend_and_counts(kz_store: GraphStore) -> None:
    with TestClient(create_app(store=kz_store)) as client:
        body = client.get("/api/health").json()
        # the counts of the graph as the identity decisions make it (one entity per person)
        stats = client.app.state.store.stats()  # type: ignore[attr-defined]
    assert stats.nodes < kz_store.stats().nodes
    assert body == {"status": "ok", "backend": kz_store.backend, "nodes": stats.nodes,
                    "edges": stats.edges}


def test_search_finds_zhylanbayev_from_cyrillic(kz_store: GraphStore) -> None:
    with TestClient(create_app(store=kz_store)) as client:
        items = client.get("/api/search", params={"q": "Жыланбаев"}).json()["items"]
        assert items[0]["id"] == "marat-zhylanbayev"
        assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_search_hits_say_how_they_matched_and_weak_ones_come_apart(public_client: TestClient) -> None:
    body = public_client.get("/api/search", params={"q": "marat-zhylanbayev"}).json()
    assert body["items"][0] == {**body["items"][0], "id": "marat-zhylanbayev", "match": "id",
                                "score": 100.0}
    exact = public_client.get("/api/search", params={"q": "MARAT ZHYLANBAEV"}).json()["items"][0]
    assert (exact["id"], exact["match"]) == ("marat-zhylanbayev", "alias")
    marta = public_client.get("/api/search", params={"q": "Marta"}).json()
    assert marta["items"] == []  # two public Marats are as near: Zhylanbayev and Temirbekov
    assert "marat-zhylanbayev" in [h["id"] for h in marta["similar"][:2]]
    assert all(h["match"] == "similar" and h["score"] < WEAK_BELOW for h in marta["similar"])
    strong = public_client.get("/api/search", params={"q": "Koshe Partiyasi", "limit": 3}).json()
    assert strong["items"][0]["id"] == "koshe-partiyasy"
    assert all(h["score"] >= WEAK_BELOW for h in strong["items"] if h["match"] == "similar")


def test_a_restricted_name_searched_by_the_public_is_answered_as_if_she_were_not_there(
        public_client: TestClient, kz_client: TestClient, without_her: TestClient) -> None:
    restricted = kz_client.get("/api/search", params={"q": "Aigerim Tasbolatova"}).json()
    assert restricted["items"][0]["match"] == "name"  # editors find her
    for name in ("Aigerim Tasbolatova", "Тасболатова", "aigerim-tasbolatova", "Tasbolatov"):
        assert answer(public_client.get("/api/search", params={"q": name})) == answer(
            without_her.get("/api/search", params={"q": name})), name


def test_no_route_of_the_api_takes_a_name_for_an_id(public_client: TestClient) -> None:
    """Names are for /api/search; elsewhere even an exact name is an unknown id, and the
    404 suggests nothing."""
    for url in ("/api/entities/Bota Jardemalie", "/api/entities/bota jardemalie/timeline",
                "/api/paths?source=Bota Jardemalie&target=mukhtar-ablyazov",
                "/api/relatives?target=Bota Jardemalie"):
        response = public_client.get(url)
        assert response.status_code == 404, url
        assert set(response.json()) == {"detail", "parameter"}, url
        assert "Jardemalie" not in response.text and "bota-jardemalie" not in response.text, url
