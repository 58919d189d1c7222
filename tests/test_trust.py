"""Two audiences, the editors' write API, limits and headers, on the real dataset."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import audit
from api.app import create_app
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from tests.conftest import DATASET, EDITOR_KEY, PLANTED, app_settings

#: what identifies the restricted persons planted in the dataset (tests/planted)
RESTRICTED_TRACES = ("Tasbolatova", "Тасболатов", "aigerim-tasbolatova", "case-tasbolatova",
                     "Nurtazin", "serik-nurtazin")


def test_public_answers_show_structure_but_no_restricted_person(
        public_client: TestClient, kz_client: TestClient) -> None:
    public = public_client.get("/api/entities/daulet-planted")
    assert public.status_code == 200
    assert not any(t in public.text for t in RESTRICTED_TRACES)
    family = [r for r in public.json()["relations"] if r["type"] == "FAMILY_OF"]
    assert family and family[0]["other"]["name"] == "a restricted person"
    pseudonym = family[0]["other"]["id"]
    assert pseudonym.startswith("restricted-")
    editor = kz_client.get("/api/entities/daulet-planted")
    assert "Aigerim Tasbolatova" in editor.text


def test_a_restricted_person_is_reachable_only_by_pseudonym(public_client: TestClient) -> None:
    assert public_client.get("/api/entities/aigerim-tasbolatova").status_code == 404
    family = [r for r in public_client.get("/api/entities/daulet-planted").json()["relations"]
              if r["type"] == "FAMILY_OF"]
    by_pseudonym = public_client.get(f"/api/entities/{family[0]['other']['id']}")
    assert by_pseudonym.status_code == 200
    body = by_pseudonym.json()
    assert body["name"] == "a restricted person" and body["aliases"] == []
    assert body["id"] == "restricted-0123456789abcdef", "the pinned pseudonym"
    assert not any(t in by_pseudonym.text for t in RESTRICTED_TRACES)


def test_public_paths_and_relatives_are_redacted(public_client: TestClient) -> None:
    relatives = public_client.get("/api/relatives", params={"target": "daulet-planted"})
    assert relatives.status_code == 200 and relatives.json()["items"]
    assert not any(t in relatives.text for t in RESTRICTED_TRACES)
    assert relatives.json()["items"][0]["relative"]["name"] == "a restricted person"


def test_public_search_cannot_confirm_a_restricted_name(public_client: TestClient,
                                                        kz_client: TestClient) -> None:
    assert kz_client.get("/api/search", params={"q": "Tasbolatova"}).json()["items"]
    hits = public_client.get("/api/search", params={"q": "Tasbolatova"})
    assert not any(t in hits.text for t in RESTRICTED_TRACES)
    assert all(i["score"] < 90 for i in hits.json()["items"])


def test_public_exports_name_no_restricted_person(public_client: TestClient) -> None:
    for fmt in ("ftm", "graphml", "gexf"):
        body = public_client.get("/api/export", params={"format": fmt}).text
        assert not any(t in body for t in RESTRICTED_TRACES), fmt


def test_a_wrong_key_is_refused_not_treated_as_public(public_client: TestClient) -> None:
    response = public_client.get("/api/health", headers={"X-API-Key": "guess"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    bearer = public_client.get("/api/health", headers={"Authorization": f"Bearer {EDITOR_KEY}"})
    assert bearer.status_code == 200


def test_security_headers_on_every_response(public_client: TestClient) -> None:
    for path in ("/api/health", "/api/entities/nobody", "/openapi.json"):
        headers = public_client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[TestClient, MemoryStore, Path]]:
    store = MemoryStore(tmp_path / "store")
    native.load([DATASET, PLANTED], store)
    settings = app_settings(tmp_path, max_import_bytes=20_000, rate_limit_burst=3,
                            cors_origins=["https://news.example"])
    with TestClient(create_app(settings, store=store)) as client:
        yield client, store, settings.audit_log_path


NEW_PERSON = """\
source: kz-upr48-2024
nodes:
  - {id: test-person, kind: person, name: Test Person, cite: ["3.2"]}
edges:
  - {type: MEMBER_OF, from: test-person, to: dck, cite: ["3.2"]}
"""


def test_imports_need_an_editor_key(writable: tuple[TestClient, MemoryStore, Path]) -> None:
    client, store, log = writable
    answer = client.post("/api/import", params={"format": "native"}, content=NEW_PERSON)
    assert answer.status_code == 401
    assert not store.has_node("test-person")
    (entry,) = audit.read(log)  # the attempt is audited (tests/test_import_audit.py)
    assert (entry["who"], entry["result"]) == ("public", "refused")


def test_an_editor_import_writes_and_is_audited(
        writable: tuple[TestClient, MemoryStore, Path]) -> None:
    client, store, log = writable
    answer = client.post("/api/import", params={"format": "native", "filename": "new.yaml"},
                         content=NEW_PERSON, headers={"X-API-Key": EDITOR_KEY})
    assert answer.status_code == 200, answer.text
    assert answer.json()["write"]["nodes_added"] == ["test-person"]
    assert store.has_node("test-person")
    (entry,) = audit.read(log)
    assert entry["result"] == "ok" and entry["who"].startswith("editor:")
    assert entry["filename"] == "new.yaml" and EDITOR_KEY not in json.dumps(entry)


MAKE_PUBLIC = """\
source: planted-test-records
nodes:
  - {id: aigerim-tasbolatova, kind: person, name: Aigerim Tasbolatova, sensitivity: public,
     cite: ["1"]}
"""


def test_an_editor_import_that_makes_a_person_public_is_audited_with_before_and_after(
        writable: tuple[TestClient, MemoryStore, Path]) -> None:
    client, store, log = writable
    answer = client.post("/api/import", params={"format": "native"}, content=MAKE_PUBLIC,
                         headers={"X-API-Key": EDITOR_KEY})
    assert answer.status_code == 200, answer.text
    change = {"id": "aigerim-tasbolatova", "before": "restricted", "after": "public"}
    assert answer.json()["write"]["sensitivity_changes"] == [change]
    assert not store.get_node("aigerim-tasbolatova").restricted
    (entry,) = audit.read(log)
    assert entry["who"].startswith("editor:") and entry["sensitivity_changes"] == [change]


def test_an_invalid_import_lists_every_problem_and_changes_nothing(
        writable: tuple[TestClient, MemoryStore, Path]) -> None:
    client, store, log = writable
    before = store.stats()
    bad = NEW_PERSON.replace("kind: person", "kind: persn").replace("to: dck", "to: nobody")
    answer = client.post("/api/import", params={"format": "native", "filename": "bad.yaml"},
                         content=bad, headers={"X-API-Key": EDITOR_KEY})
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert len(problems) == 3 and all(p.startswith("bad.yaml:") for p in problems)
    assert store.stats() == before
    assert audit.read(log)[-1]["result"] == "invalid"


def test_an_oversized_import_is_refused(writable: tuple[TestClient, MemoryStore, Path]) -> None:
    client, _store, _ = writable
    answer = client.post("/api/import", params={"format": "native"}, content="#" * 30_000,
                         headers={"X-API-Key": EDITOR_KEY})
    assert answer.status_code == 413


def test_expensive_requests_are_rate_limited_per_client(
        writable: tuple[TestClient, MemoryStore, Path]) -> None:
    client, _, _ = writable
    params = {"source": "bota-jardemalie", "target": "mukhtar-ablyazov"}
    codes = [client.get("/api/paths", params=params).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    limited = client.get("/api/paths", params=params)
    assert int(limited.headers["retry-after"]) >= 1
    assert client.get("/api/health").status_code == 200, "cheap reads are not limited"


def test_cors_allows_the_configured_newsroom_only(
        writable: tuple[TestClient, MemoryStore, Path]) -> None:
    client, _, _ = writable
    ok = client.get("/api/health", headers={"Origin": "https://news.example"})
    assert ok.headers["access-control-allow-origin"] == "https://news.example"
    other = client.get("/api/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def test_the_store_fixture_is_unchanged_by_public_reads(kz_store: GraphStore) -> None:
    assert kz_store.has_node("iskander-yerimbetov")
