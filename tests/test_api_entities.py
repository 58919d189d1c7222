"""`/api/entities/{id}` and its neighbourhood, on the real dataset, checked against the source."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.sourcetext import paragraph, source


def test_entity_has_its_fields_and_cited_relations(kz_client: TestClient) -> None:
    body = kz_client.get("/api/entities/bota-jardemalie").json()
    assert body["kind"] == "person" and body["name"] == "Bota Jardemalie"
    assert "lawyer" in body["roles"] and "refugee" in body["status"]
    by_type = {(r["type"], r["direction"], r["other"]["id"]): r for r in body["relations"]}
    brother = by_type[("FAMILY_OF", "in", "iskander-yerimbetov")]
    assert brother["properties"] == {"relation": "brother"}
    assert brother["other"] == {"id": "iskander-yerimbetov", "kind": "person",
                                "name": "Iskander Yerimbetov", "group": False, "restricted": False}
    # stated by the founding source and by an ODF list an editor's decisions joined to it
    assert [(c["source"], c["locator"]) for c in brother["citations"]] == [
        ("kz-upr48-2024", "para 3.7"),
        ("odf-pp-list-2018-8958", "para 1: political prisoners appealing their sentences")]
    assert "Yerimbetov" in paragraph("3.7") and "brother" in paragraph("3.7")
    assert ("REPRESENTED", "out", "mukhtar-ablyazov") in by_type
    page = body["relations_page"]
    assert page["total"] == len(body["relations"]) and not page["truncated"]


def test_footnote_citations_carry_url_and_locator(kz_client: TestClient) -> None:
    body = kz_client.get("/api/entities/marat-zhylanbayev").json()
    listed = next(r for r in body["relations"] if r["type"] == "LISTED_ON")
    (citation,) = listed["citations"]
    assert citation["locator"] == "para 2.7, fn 14"
    assert citation["url"] == "https://rus.azattyq.org/a/32899148.html"
    assert citation["url"] in source() and "Zhylanbayev" in paragraph("2.7")


def test_relations_are_paged_and_say_so(kz_client: TestClient) -> None:
    whole = kz_client.get("/api/entities/bota-jardemalie").json()["relations"]
    first = kz_client.get("/api/entities/bota-jardemalie", params={"limit": 2}).json()
    second = kz_client.get("/api/entities/bota-jardemalie",
                           params={"limit": 2, "offset": 2}).json()
    assert first["relations_page"] == {"offset": 0, "limit": 2, "returned": 2,
                                       "total": len(whole), "truncated": True}
    assert [r["id"] for r in first["relations"] + second["relations"]] == [
        r["id"] for r in whole[:4]]


def test_relations_filter_by_type(kz_client: TestClient) -> None:
    body = kz_client.get("/api/entities/bota-jardemalie",
                         params={"types": ["FAMILY_OF", "REPRESENTED"]}).json()
    assert {r["type"] for r in body["relations"]} == {"FAMILY_OF", "REPRESENTED"}
    assert body["relations_page"]["total"] == len(body["relations"])


def test_unknown_entity_is_404_naming_the_parameter_not_the_id(kz_client: TestClient) -> None:
    for url in ("/api/entities/no-such-person", "/api/entities/no-such-person/neighbourhood",
                "/api/entities/no-such-person/timeline"):
        response = kz_client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "no entity with the id given as `id`",
                                   "parameter": "id"}


def test_unknown_relationship_type_is_422_naming_types(kz_client: TestClient) -> None:
    for url in ("/api/entities/bota-jardemalie", "/api/entities/bota-jardemalie/neighbourhood"):
        response = kz_client.get(url, params={"types": "KNOWS"})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][:2] == ["query", "types"]


def test_neighbourhood_of_jardemalie_reaches_ablyazov(kz_client: TestClient) -> None:
    body = kz_client.get("/api/entities/bota-jardemalie/neighbourhood").json()
    ids = [n["id"] for n in body["nodes"]]
    assert ids[0] == "bota-jardemalie" and {"iskander-yerimbetov", "mukhtar-ablyazov"} <= set(ids)
    assert not body["truncated"] and body["total_nodes"] == len(ids)
    assert body["total_edges"] == len(body["edges"])
    assert all(e["citations"] and e["citations"][0]["locator"] for e in body["edges"])


def test_neighbourhood_pages_and_counts_the_whole(kz_client: TestClient) -> None:
    body = kz_client.get("/api/entities/bota-jardemalie/neighbourhood",
                         params={"depth": 2, "limit": 5}).json()
    assert body["truncated"] and len(body["nodes"]) == 5 and body["total_nodes"] > 5
    assert body["limit"] == 5 and body["total_edges"] > len(body["edges"])
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])


def test_neighbourhood_depth_above_the_cap_is_422_naming_depth(kz_client: TestClient) -> None:
    response = kz_client.get("/api/entities/bota-jardemalie/neighbourhood", params={"depth": 9})
    assert response.status_code == 422
    body = response.json()
    assert body["parameter"] == "depth" and body["detail"][0]["loc"] == ["query", "depth"]
    assert "above the cap of 3" in body["detail"][0]["msg"]
