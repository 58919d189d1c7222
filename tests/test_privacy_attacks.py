"""The attacks an outside tester made on the public API (issue 14), each pinned.

Each asks, with no key, once about a restricted person planted in the dataset
(tests/planted) and once about nobody, and requires the same answer: what the
service says about a restricted person must be what it says about an unknown one.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from followthemoney.util import make_entity_id

from api.app import create_app
from graph.store import GraphStore
from tests.conftest import app_settings

PSEUDONYM = "restricted-0123456789abcdef"  # Aigerim Tasbolatova's pinned pseudonym
REAL_ID = "aigerim-tasbolatova"
NAME = "Aigerim Tasbolatova"
TRACES = ("tasbolatov", "тасболатов", "nurtazin")


@pytest.fixture(scope="module")
def attacker(kz_store: GraphStore, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[TestClient]:
    """A public client over the dataset, with the rate limit out of the way."""
    settings = app_settings(tmp_path_factory.mktemp("attack"), rate_limit_burst=1_000_000)
    with TestClient(create_app(settings, store=kz_store)) as client:
        yield client


def same(a: httpx.Response, b: httpx.Response) -> None:
    assert (a.status_code, sorted(a.headers.items()), a.content) == (
        b.status_code, sorted(b.headers.items()), b.content)


def clean(response: httpx.Response) -> None:
    text = (str(response.headers) + response.text).lower()
    assert not [t for t in TRACES if t in text], response.url


def test_a_trailing_slash_is_not_redirected(attacker: TestClient) -> None:
    """A redirect would echo the id asked for (and once carried the real one)."""
    for ref in (PSEUDONYM, REAL_ID, "nobody"):
        response = attacker.get(f"/api/entities/{ref}/", follow_redirects=False)
        assert response.status_code == 404 and "location" not in response.headers
        assert response.json() == {"detail": "Not Found"}


def test_a_view_of_a_pseudonym_is_served_without_a_redirect(attacker: TestClient) -> None:
    for url in (f"/viz/path?source={PSEUDONYM}&target=daulet-planted",
                f"/embed/path?source=daulet-planted&target={PSEUDONYM}&mode=all",
                f"/viz/entity/{PSEUDONYM}"):
        response = attacker.get(url, follow_redirects=False)
        assert response.status_code == 200, url
        clean(response)


@pytest.mark.parametrize("url", [
    "/api/entities/{}", "/api/entities/{}/timeline", "/api/entities/{}/neighbourhood",
    "/api/cases/{}/links", "/api/relatives?target={}", "/api/paths?source={}&target=bota-jardemalie",
    "/entities/{}", "/viz/entity/{}", "/embed/case/{}", "/api/health?x={}",
    "/api/search?q={}&limit=0", "/api/entities/{}/neighbourhood?depth=99",
    "/api/entities/{}%252F", "/api/entities/{}%2F", "/api/entities/%2E%2E%2F{}",
    "/sources/{}", "/api/sources/{}", "/sources/{}%2F", "/api/sources/%2E%2E%2F{}",
])
@pytest.mark.parametrize(("guess", "nobody"), [
    (REAL_ID, "aigerim-tasbolova"), (NAME, "Aigerim Tasbolova"), ("case-tasbolatova", "case-tasbolova"),
    ("serik-nurtazin", "serik-nurtazia"), ("Тасболатова", "Тасболатка"),
])
def test_a_guessed_id_or_name_is_answered_like_an_unknown_one(
        attacker: TestClient, url: str, guess: str, nobody: str) -> None:
    """No special 404, no scrubbed echo: the answer cannot confirm a guess."""
    asked = attacker.get(url.format(quote(guess, safe="")), follow_redirects=False)
    same(asked, attacker.get(url.format(quote(nobody, safe="")), follow_redirects=False))
    clean(asked)


def test_not_found_has_one_shape_whatever_was_asked(attacker: TestClient) -> None:
    bodies = {attacker.get(f"/api/entities/{quote(ref, safe='')}").text
              for ref in (REAL_ID, "nobody", "x" * 100, PSEUDONYM[:-1] + "0", "case-tasbolatova")}
    assert len(bodies) == 1
    assert orjson.loads(bodies.pop()) == {"detail": "no entity with the id given as `id`",
                                          "parameter": "id"}


def test_a_validation_error_echoes_no_input(attacker: TestClient) -> None:
    for asked in (NAME, "Somebody Unknown"):
        response = attacker.get("/api/search", params={"q": asked, "limit": asked})
        assert response.status_code == 422 and asked not in response.text
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_search_with_a_pseudonym_is_a_search_for_that_text(attacker: TestClient) -> None:
    """It once ran on the real id the trust middleware swapped in."""
    response = attacker.get("/api/search", params={"q": PSEUDONYM})
    clean(response)
    assert all(i["id"] != PSEUDONYM and i["score"] < 90 for i in response.json()["items"])


def test_exported_relationship_ids_derive_from_public_ids_only(
        attacker: TestClient, kz_store: GraphStore) -> None:
    body = attacker.get("/api/export", params={"format": "ftm"}).text
    touching = [e for e in kz_store.iter_edges()
                if REAL_ID in (e.source, e.target) or "case-tasbolatova" in (e.source, e.target)]
    assert touching
    for edge in touching:
        assert make_entity_id("repgraph", edge.id) not in body
        assert edge.id not in body
    assert PSEUDONYM in body
    clean(attacker.get("/api/export", params={"format": "ftm"}))


def test_a_restricted_name_in_another_script_inflected_or_in_a_link_is_removed(
        attacker: TestClient) -> None:
    response = attacker.get("/api/entities/daulet-planted")
    clean(response)
    description = response.json()["description"]
    assert "Тасболатову" not in description and "tasbolatova-summoned" not in description
    assert "a restricted person" in description


def test_a_public_person_sharing_a_surname_keeps_his_name(attacker: TestClient) -> None:
    """The notebook printed "Barlyk a restricted person": a surname his restricted brother
    shares is not a mention of the brother."""
    body = attacker.get("/api/entities/barlyk-mendygazyev").json()
    assert body["name"] == "Barlyk Mendygazyev"
    assert "Barlyk a restricted person" not in orjson.dumps(body).decode()


def test_public_orders_follow_public_ids(attacker: TestClient) -> None:
    relations = attacker.get("/api/entities/daulet-planted").json()["relations"]
    ids = [r["id"] for r in relations]
    assert ids == sorted(ids)


def test_a_source_text_naming_a_restricted_person_is_read_without_her(
        attacker: TestClient) -> None:
    """The planted records' text names her (tests/planted/planted-test-records.txt)."""
    for url in ("/sources/planted-test-records", "/api/sources/planted-test-records",
                "/sources", "/api/sources"):
        response = attacker.get(url)
        assert response.status_code == 200, url
        clean(response)
    reader = attacker.get("/sources/planted-test-records").text
    assert 'id="p-1"' in reader and "a restricted person" in reader
