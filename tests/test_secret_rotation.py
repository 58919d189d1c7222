"""Rotating the pseudonym secret, over HTTP: what changes for the public and what does not.

A running service and `repgraph rotate-secret` share a data directory, as they do in
production; the service picks up the new secret at its next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import audit
from api.app import create_app
from api.deps import public_views
from cli.main import main
from config import get_settings
from graph.memory import MemoryStore
from graph.public import PublicView, PublicViews
from graph.redaction import SECRET_FILE, RedactionKeys
from loaders import native
from schema.models import Node
from schema.vocabulary import NodeKind, Sensitivity
from tests.conftest import DATASET, PLANTED, answer, app_settings

PINNED_ON_RECORD = "restricted-0123456789abcdef"  # the planted relative's pinned pseudonym
NEVER = "restricted-ffffffffffffffff"
#: answers whose URLs hold only public ids of records that name nobody restricted
UNAFFECTED = ["/api/entities/marat-zhylanbayev", "/entities/marat-zhylanbayev",
              "/embed/entity/marat-zhylanbayev?depth=2", "/embed/case/case-kaluova-405",
              "/embed/path?source=mukhtar-ablyazov&target=case-kaluova-405&mode=all",
              "/api/entities/bota-jardemalie/neighbourhood?depth=1"]
#: an embed that shows restricted records: its URL keeps working, its content changes
SHOWS_RESTRICTED = "/embed/entity/daulet-planted?depth=2"


@dataclass
class Service:
    client: TestClient
    store: MemoryStore
    data_dir: Path

    def public_ids(self) -> dict[str, str]:
        return public_views(self.client.app.state).get().hidden_ids()  # type: ignore[attr-defined]


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    data_dir = tmp_path / "store"
    store = MemoryStore(data_dir)
    native.load([DATASET, PLANTED], store)
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(data_dir))
    monkeypatch.delenv("REPGRAPH_REDACTION_SECRET", raising=False)
    get_settings.cache_clear()
    app = create_app(app_settings(data_dir, rate_limit_burst=1_000_000), store=store)
    with TestClient(app) as client:
        yield Service(client, store, data_dir)
    get_settings.cache_clear()
    store.close()


def like_unknown(client: TestClient, template: str, old: str) -> bool:
    """Whether `old` is answered as an id that never existed is: status, headers, body."""
    return answer(client.get(template.format(old))) == answer(client.get(template.format(NEVER)))


def test_a_rotation_changes_only_the_ids_derived_from_the_secret(
        service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    client = service.client
    before = service.public_ids()
    unaffected = {url: client.get(url) for url in UNAFFECTED}
    for url, response in unaffected.items():
        assert response.status_code == 200, url
        assert "restricted-" not in response.text and "redacted-" not in response.text, url
    shown = client.get(SHOWS_RESTRICTED)

    assert main(["rotate-secret"]) == 0
    assert "have changed" in capsys.readouterr().out

    after = service.public_ids()
    assert before.keys() == after.keys()
    assert after["aigerim-tasbolatova"] == before["aigerim-tasbolatova"] == PINNED_ON_RECORD
    changed = [i for i in before if i != "aigerim-tasbolatova"]
    assert changed and all(before[i] != after[i] for i in changed)
    for real in changed:  # the old pseudonyms and redacted- ids: unknown now
        assert like_unknown(client, "/api/entities/{}", before[real]), real
        assert like_unknown(client, "/embed/entity/{}", before[real]), real
    assert client.get(f"/api/entities/{PINNED_ON_RECORD}").status_code == 200
    for url, response in unaffected.items():
        assert answer(client.get(url)) == answer(response), url
    again = client.get(SHOWS_RESTRICTED)
    assert again.status_code == 200 and again.content != shown.content


def test_keep_published_keeps_every_public_id_and_export_byte_for_byte(
        service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    client = service.client
    before = service.public_ids()
    exported = client.get("/api/export", params={"format": "ftm"})
    old_secret = (service.data_dir / SECRET_FILE).read_text()

    assert main(["rotate-secret", "--keep-published"]) == 0
    assert "keep working" in capsys.readouterr().out
    assert (service.data_dir / SECRET_FILE).read_text() != old_secret

    assert service.public_ids() == before
    assert answer(client.get("/api/export", params={"format": "ftm"})) == answer(exported)
    # a person restricted after the rotation gets a pseudonym under the new secret
    service.store.write([Node(id="new-relative", kind=NodeKind.PERSON, name="New Relative",
                              sensitivity=Sensitivity.RESTRICTED)], [])
    new = service.public_ids()["new-relative"]
    assert new != PublicView(service.store, old_secret, 0).public_id("new-relative")


def test_a_rotation_is_audited_without_the_secret(service: Service) -> None:
    assert main(["rotate-secret"]) == 0
    (entry,) = audit.read(get_settings().audit_log_path)
    assert entry["action"] == "rotate-secret" and entry["result"] == "ok"
    assert entry["keep_published"] is False and entry["who"].startswith("cli:")
    secret = (service.data_dir / SECRET_FILE).read_text()
    assert secret not in get_settings().audit_log_path.read_text()


def test_a_secret_set_in_the_environment_is_for_the_environment_to_rotate(
        service: Service, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The pins are written all the same, so that a new value set there keeps them."""
    monkeypatch.setenv("REPGRAPH_REDACTION_SECRET", "the old value")
    get_settings.cache_clear()
    store = service.store
    before = view_with(store, "the old value").hidden_ids()
    assert main(["rotate-secret", "--keep-published"]) == 2
    err = capsys.readouterr().err
    assert "REPGRAPH_REDACTION_SECRET sets the secret" in err and "pinned" in err
    monkeypatch.setenv("REPGRAPH_REDACTION_SECRET", "a new value")
    get_settings.cache_clear()
    assert view_with(store, "a new value").hidden_ids() == before


def view_with(store: MemoryStore, secret: str) -> PublicView:
    """The view a service would build with this secret and the data directory's pins."""
    return PublicViews(store, RedactionKeys(store.data_dir, secret)).get()
