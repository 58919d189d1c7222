"""`/api/relatives`, `/api/cases/{id}/links` and timelines on the real dataset."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.sourcetext import paragraph, source


def test_yerimbetov_was_targeted_to_reach_jardemalie(kz_client: TestClient) -> None:
    body = kz_client.get("/api/relatives", params={"target": "bota-jardemalie"}).json()
    (item,) = body["items"]
    assert item["relative"]["id"] == "iskander-yerimbetov"
    assert not item["relative"]["restricted"], "arrested, tortured, sentenced: public"
    assert item["target"]["id"] == "bota-jardemalie" and item["relation"] == "brother"
    assert {"arrest", "torture"} <= set(item["measures"])
    # the founding source's measures are shown; an ODF list joined to it by an editor's
    # decisions states the same pressure (his prosecution) and is cited beside it
    assert [(c["source"], c["locator"]) for c in item["citations"]] == [
        ("kz-upr48-2024", "para 3.7"),
        ("odf-pp-list-2018-8958", "para 1: political prisoners appealing their sentences")]
    text = paragraph("3.7")
    assert "Iskander Yerimbetov" in text and "brother" in text and "tortur" in text
    assert body["page"] == {"offset": 0, "limit": 100, "returned": 1, "total": 1,
                            "truncated": False}


def test_relatives_without_filters_lists_every_case_and_pages(kz_client: TestClient) -> None:
    every = kz_client.get("/api/relatives").json()
    relatives = {i["relative"]["id"] for i in every["items"]}
    assert {"iskander-yerimbetov", "kalyk-mendygazyev"} <= relatives
    one = kz_client.get("/api/relatives", params={"limit": 1}).json()
    assert one["items"] == every["items"][:1]
    assert one["page"]["truncated"] == (every["page"]["total"] > 1)


def test_relatives_with_an_unknown_id_is_404(kz_client: TestClient) -> None:
    response = kz_client.get("/api/relatives", params={"relative": "nobody-at-all"})
    assert response.status_code == 404 and response.json()["parameter"] in ("target", "relative")


def test_kaluova_case_shares_article_405_and_koshe_partiyasy(kz_client: TestClient) -> None:
    body = kz_client.get("/api/cases/case-kaluova-405/links").json()
    assert body["case"]["id"] == "case-kaluova-405"
    links = {link["case"]["id"]: link for link in body["links"]}
    assert body["links"][0]["case"]["id"] == "case-dzhumaniyazova-405", "strongest first"
    shared = links["case-dzhumaniyazova-405"]["shared"]
    assert [n["id"] for n in shared["laws"]] == ["kz-cc-405"]
    assert [n["id"] for n in shared["organisations"]] == ["koshe-partiyasy"]
    text = paragraph("2.7")
    assert "Kaluova" in text and "Dzhumaniyazova" in text
    assert text.count("Koshe Partiyasy") >= 2 and text.count("Article 405") >= 2


def test_case_links_refuse_a_non_case_and_an_unknown_id(kz_client: TestClient) -> None:
    # an id that names no case is a 404, as the document declares, and is not echoed
    person = kz_client.get("/api/cases/nurgul-kaluova/links")
    assert person.status_code == 404
    assert person.json() == {"detail": "no case with the id given as `id` (it names a person)",
                             "parameter": "id"}
    missing = kz_client.get("/api/cases/case-nobody/links")
    assert missing.status_code == 404 and missing.json()["parameter"] == "id"


def test_zhylanbayev_timeline_is_in_order_with_citations(kz_client: TestClient) -> None:
    body = kz_client.get("/api/entities/marat-zhylanbayev/timeline").json()
    assert body["entity"]["name"] == "Marat Zhylanbayev"
    entries = [(e["date"], e["field"], e["type"], e["other"]["id"]) for e in body["entries"]]
    # the source dates when his listing became known (April 2024), not the listing itself
    assert entries == [("2023-11-30", "date", "SENTENCED_IN", "case-zhylanbayev"),
                       ("2024-04", "known_since", "LISTED_ON", "kz-afm-list")]
    sentenced, known = body["entries"]
    assert known["words"] == "known since" and known["precision"] == "month"
    assert sentenced["properties"]["term"] == "P7Y" and sentenced["precision"] == "day"
    assert sentenced["citations"][0]["locator"] == "para 3.5"  # fn 32 is Amnesty's sentence
    assert "On 30 November 2023, Marat Zhylanbayev was sentenced to seven years" in paragraph("3.5")
    relations = kz_client.get("/api/entities/marat-zhylanbayev").json()["relations"]
    listed = next(r for r in relations if r["type"] == "LISTED_ON")
    assert listed["properties"]["known_since"] == "2024-04" and listed.get("date") is None
    assert listed["citations"][0]["url"] in source()
    assert "In April 2024 it became known" in paragraph("2.7")


def test_timeline_pages(kz_client: TestClient) -> None:
    whole = kz_client.get("/api/entities/bota-jardemalie/timeline").json()["entries"]
    body = kz_client.get("/api/entities/bota-jardemalie/timeline", params={"limit": 1}).json()
    assert [e["type"] for e in body["entries"]] == [whole[0]["type"]] == ["ASYLUM_DECISION"]
    assert body["page"]["truncated"] and body["page"]["total"] == len(whole) > 1
