"""The review API: editors list candidates and decide them, every decision in the audit
log; the public sees none of it, and a merge shows in public only through public ids."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import audit
from api.app import create_app
from config import Settings
from graph.identity import entity_candidate
from graph.memory import MemoryStore
from graph.review import ReviewFiles
from loaders import native
from schema.models import Citation, Node
from schema.vocabulary import NodeKind
from tests.conftest import DATASET, EDITOR_KEY, PLANTED, app_settings

SOURCE = Node(id="second-report", kind=NodeKind.SOURCE, name="A second report (fictional)",
              citations=[Citation(source="second-report", paragraph="1")])
TWIN = Node(id="marat-jylanbaev", kind=NodeKind.PERSON, name="Marat Jylanbaev",
            citations=[Citation(source="second-report", paragraph="4")])
#: a second record of the planted restricted person, under another id
HIDDEN_TWIN = Node(id="aigerim-t", kind=NodeKind.PERSON, name="A. Tasbolatova",
                   citations=[Citation(source="second-report", paragraph="6")])


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Settings, TestClient, TestClient, list[str]]]:
    (tmp_path / "data").mkdir()
    settings = app_settings(tmp_path / "var", dataset_dir=tmp_path / "data",
                            private_dataset_dir=tmp_path / "private")
    store = MemoryStore(tmp_path / "store")
    native.load([DATASET, PLANTED], store, replace=True)
    store.write([SOURCE, TWIN, HIDDEN_TWIN], [])
    nodes = store.find_nodes(["marat-zhylanbayev", "aigerim-tasbolatova"])
    candidates = [entity_candidate(nodes["marat-zhylanbayev"], TWIN, 90, "transliteration", "t"),
                  entity_candidate(nodes["aigerim-tasbolatova"], HIDDEN_TWIN, 70, "prefix", "t")]
    ReviewFiles.of(settings).propose(candidates)
    app = create_app(settings, store=store)
    with TestClient(app) as public, TestClient(app, headers={"X-API-Key": EDITOR_KEY}) as editor:
        yield settings, public, editor, [c.id for c in candidates]


def test_the_public_sees_no_candidate_and_cannot_decide(setup: tuple) -> None:  # type: ignore[type-arg]
    _, public, _, (first, _) = setup
    listed = public.get("/api/review")
    decided = public.post(f"/api/review/{first}", json={"judgement": "same"})
    imported = public.post("/api/import?format=native", content=b"nodes: []")
    assert listed.status_code == decided.status_code == imported.status_code == 401
    assert listed.json() == decided.json() == imported.json()
    assert "marat" not in listed.text.lower()


def test_an_editor_decides_over_the_api_and_the_graph_follows(setup: tuple) -> None:  # type: ignore[type-arg]
    settings, public, editor, (first, second) = setup
    queue = editor.get("/api/review").json()["items"]
    assert [c["id"] for c in queue] == [first, second]
    # the evidence: which names, which sources, which paragraphs
    assert queue[0]["incoming"]["name"] == "Marat Jylanbaev"
    assert [(c["source"], c["paragraph"]) for c in queue[0]["incoming"]["citations"]] == [
        ("second-report", "4")]
    assert "kz-upr48-2024" in {c["source"] for c in queue[0]["stored"]["citations"]}
    answer = editor.post(f"/api/review/{first}", json={"judgement": "same", "note": "same man"})
    who = answer.json()["by"]
    assert answer.status_code == 200 and who.startswith("editor:")
    # the other id answers with the merged entity, for the public as for editors
    merged = public.get("/api/entities/marat-jylanbaev").json()
    assert merged["id"] == "marat-zhylanbayev"
    assert "Marat Jylanbaev" in merged["aliases"]
    assert [c["id"] for c in editor.get("/api/review").json()["items"]] == [second]
    entries = [e for e in audit.read(settings.audit_log_path) if e["action"] == "review-decide"]
    assert [(e["who"], e["candidate"], e["judgement"], e["result"]) for e in entries] == [
        (who, first, "same", "ok")]
    undone = editor.post(f"/api/review/{first}", json={"judgement": "undone"})
    assert undone.status_code == 200
    assert public.get("/api/entities/marat-jylanbaev").json()["id"] == "marat-jylanbaev"


def test_a_merged_restricted_id_is_as_unknown_in_public_as_any(setup: tuple) -> None:  # type: ignore[type-arg]
    _, public, editor, (_, second) = setup
    assert editor.post(f"/api/review/{second}", json={"judgement": "same"}).status_code == 200
    assert editor.get("/api/entities/aigerim-t").json()["id"] == "aigerim-tasbolatova"
    hidden = public.get("/api/entities/aigerim-t")
    unknown = public.get("/api/entities/nobody-at-all")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()
    assert "Tasbolatova" not in public.get("/api/search", params={"q": "Tasbolatova"}).text


def test_an_unknown_candidate_is_a_404_that_echoes_nothing(setup: tuple) -> None:  # type: ignore[type-arg]
    _, _, editor, _ = setup
    missing = editor.post("/api/review/cand-0000000000000000", json={"judgement": "same"})
    assert missing.status_code == 404 and "0000" not in missing.text
    bad = editor.post("/api/review/cand-0000000000000000", json={"judgement": "maybe"})
    assert bad.status_code == 422


def test_the_review_page_is_for_editors_and_unknown_to_the_public(setup: tuple) -> None:  # type: ignore[type-arg]
    _, public, editor, (first, _) = setup
    page = editor.get("/review")
    assert page.status_code == 200 and first in page.text and "Marat Jylanbaev" in page.text
    hidden, unknown = public.get("/review"), public.get("/no-such-page")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.content == unknown.content
    assert sorted(k for k in hidden.headers if k != "date") == sorted(
        k for k in unknown.headers if k != "date")
    assert 'href="/review"' not in public.get("/").text


def test_the_review_page_decides_with_the_key_in_the_form(setup: tuple) -> None:  # type: ignore[type-arg]
    settings, public, editor, (first, second) = setup
    form = {"key": EDITOR_KEY, "judgement": "same", "note": "same man"}
    done = public.post(f"/review/{first}", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/review"
    assert public.get("/api/entities/marat-jylanbaev").json()["id"] == "marat-zhylanbayev"
    # without the key, or with a wrong one, nothing is decided and nothing told of the queue
    for bad in ({"judgement": "same"}, {"key": "wrong", "judgement": "same"}):
        known = public.post(f"/review/{second}", data=bad)
        unknown = public.post("/review/cand-0000000000000000", data=bad)
        assert known.status_code == unknown.status_code == 401
        assert known.content == unknown.content
    assert [c["id"] for c in editor.get("/api/review").json()["items"]] == [second]
    results = [(e["who"], e["result"]) for e in audit.read(settings.audit_log_path)
               if e["action"] == "review-decide"]
    assert results[0][1] == "ok" and results[0][0].startswith("editor:")
    assert [r for _, r in results[1:]] == ["refused"] * 4


def test_an_import_that_may_be_a_restricted_person_is_withheld_until_decided(
        setup: tuple) -> None:  # type: ignore[type-arg]
    """"A. Tasbolatova" may be the restricted Aigerim Tasbolatova: until an editor says
    "different", the public knows the record no better than an id never stored."""
    _, public, editor, (_, second) = setup
    hidden, unknown = public.get("/api/entities/aigerim-t"), public.get("/api/entities/nobody")
    assert hidden.status_code == unknown.status_code == 404 and hidden.content == unknown.content
    assert editor.post(f"/api/review/{second}", json={"judgement": "unsure"}).status_code == 200
    assert public.get("/api/entities/aigerim-t").status_code == 404
    assert editor.post(f"/api/review/{second}", json={"judgement": "different"}).status_code == 200
    assert public.get("/api/entities/aigerim-t").json()["name"] == "A. Tasbolatova"


def test_a_broken_decision_file_is_a_503_that_names_no_path(setup: tuple) -> None:  # type: ignore[type-arg]
    settings, public, editor, _ = setup
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "decisions.jsonl").write_text('{"candidate": "cand-x", "bogus": 1}\n')
    for client in (public, editor):
        answer = client.get("/api/entities/marat-zhylanbayev")
        assert answer.status_code == 503
        assert "decisions" in answer.json()["detail"] and str(settings.data_dir) not in answer.text
    (settings.data_dir / "decisions.jsonl").write_text("")
    assert public.get("/api/entities/marat-zhylanbayev").status_code == 200


def test_an_unknown_candidate_is_audited_as_not_found(setup: tuple) -> None:  # type: ignore[type-arg]
    settings, _, editor, _ = setup
    editor.post("/api/review/cand-0000000000000000", json={"judgement": "same"})
    (entry,) = [e for e in audit.read(settings.audit_log_path) if e["action"] == "review-decide"]
    assert (entry["status"], entry["result"]) == (404, "not found")
