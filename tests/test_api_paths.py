"""`/api/paths` on the real dataset: routes, filters, empty answers and refused parameters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.sourcetext import paragraph

YERIMBETOV_TO_ABLYAZOV = {"source": "iskander-yerimbetov", "target": "mukhtar-ablyazov"}


def test_yerimbetov_reaches_ablyazov_through_his_sister(kz_client: TestClient) -> None:
    body = kz_client.get("/api/paths", params=YERIMBETOV_TO_ABLYAZOV).json()
    (path,) = body["paths"]
    assert path["length"] == 2
    assert [n["id"] for n in path["nodes"]] == ["iskander-yerimbetov", "bota-jardemalie",
                                                "mukhtar-ablyazov"]
    assert [(e["type"], e["source"], e["target"]) for e in path["edges"]] == [
        ("FAMILY_OF", "iskander-yerimbetov", "bota-jardemalie"),
        ("REPRESENTED", "bota-jardemalie", "mukhtar-ablyazov")]
    assert {c["locator"] for e in path["edges"] for c in e["citations"]
            if c["source"] == "kz-upr48-2024"} == {"para 3.7"}
    text = paragraph("3.7")
    assert all(name in text for name in ("Yerimbetov", "Jardemalie", "Ablyazov"))
    assert body["max_hops"] == 6 and not body["truncated"]


def test_all_mode_lists_both_shared_routes_between_the_405_cases(kz_client: TestClient) -> None:
    body = kz_client.get("/api/paths", params={
        "source": "case-kaluova-405", "target": "case-dzhumaniyazova-405", "mode": "all"}).json()
    assert {p["nodes"][1]["id"] for p in body["paths"]} == {"kz-cc-405", "koshe-partiyasy"}
    assert {p["length"] for p in body["paths"]} == {2}


def test_avoid_and_types_change_the_route(kz_client: TestClient) -> None:
    params = {"source": "case-kaluova-405", "target": "case-dzhumaniyazova-405", "mode": "all"}
    around = kz_client.get("/api/paths", params={**params, "avoid": "kz-cc-405"}).json()
    assert [[n["id"] for n in p["nodes"]] for p in around["paths"]] == [
        ["case-kaluova-405", "koshe-partiyasy", "case-dzhumaniyazova-405"]]
    family = kz_client.get("/api/paths", params={**YERIMBETOV_TO_ABLYAZOV,
                                                 "types": "FAMILY_OF"}).json()
    assert (family["paths"], family["max_hops"], family["truncated"]) == ([], 6, False)
    assert family["summary"] == ("No connection between Iskander Yerimbetov and Mukhtar "
                                 "Ablyazov within 6 hops.")


def test_no_path_within_the_hop_limit_is_200_and_empty(kz_client: TestClient) -> None:
    response = kz_client.get("/api/paths", params={**YERIMBETOV_TO_ABLYAZOV, "max_hops": 1})
    assert response.status_code == 200 and response.json()["paths"] == []


def test_unknown_endpoint_is_404_naming_it(kz_client: TestClient) -> None:
    response = kz_client.get("/api/paths", params={"source": "iskander-yerimbetov",
                                                   "target": "no-such-person"})
    assert response.status_code == 404 and response.json()["parameter"] in ("source", "target")


def test_hops_above_the_cap_are_422_naming_max_hops(kz_client: TestClient) -> None:
    response = kz_client.get("/api/paths", params={**YERIMBETOV_TO_ABLYAZOV, "max_hops": 9})
    assert response.status_code == 422
    body = response.json()
    assert body["parameter"] == "max_hops" and body["cap"] == 8
    assert body["detail"][0]["loc"] == ["query", "max_hops"]


def test_bad_parameters_are_422_naming_them(kz_client: TestClient) -> None:
    cases = {"types": "KNOWS", "mode": "longest", "max_hops": 0, "limit": 0}
    for name, value in cases.items():
        response = kz_client.get("/api/paths", params={**YERIMBETOV_TO_ABLYAZOV, name: value})
        assert response.status_code == 422, name
        assert response.json()["detail"][0]["loc"][:2] == ["query", name]
    missing = kz_client.get("/api/paths", params={"source": "iskander-yerimbetov"})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["query", "target"]
