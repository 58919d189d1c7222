"""Every import attempt is in the audit log, whatever became of it, and no key ever is.

Each test makes one kind of attempt over HTTP against a real app and store, then
reads the log: refused without a key or with a wrong one, too large, a bad
parameter, invalid data, rate limited, a server error, and done.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import audit
from api.app import create_app
from api.editors import key_hash
from graph.memory import MemoryStore
from graph.results import WriteReport
from loaders import native
from schema.models import Edge, Node
from tests.conftest import DATASET, EDITOR_KEY, app_settings

NEW = b"""\
source: kz-upr48-2024
nodes:
  - {id: audit-person, kind: person, name: Audit Person, cite: ["3.2"]}
"""
WRONG_KEY = "not-the-editor-key"
EDITOR = {"X-API-Key": EDITOR_KEY}


class Attempts:
    """An app over a private store; `post` makes one import attempt and returns its entry."""

    def __init__(self, tmp: Path, store: MemoryStore, **overrides: Any) -> None:
        self.store = store
        native.load([DATASET], store)
        self.settings = app_settings(tmp, max_import_bytes=2_000, **overrides)
        self.client = TestClient(create_app(self.settings, store=store),
                                 raise_server_exceptions=False)

    def post(self, params: dict[str, str], body: bytes = NEW,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        count = len(audit.read(self.settings.audit_log_path))
        answer = self.client.post("/api/import", params=params, content=body,
                                  headers=headers or {})
        entries = audit.read(self.settings.audit_log_path)
        assert len(entries) == count + 1, "one entry per attempt"
        log = self.settings.audit_log_path.read_text()
        for secret in (EDITOR_KEY, WRONG_KEY, key_hash(EDITOR_KEY), key_hash(WRONG_KEY)):
            assert secret not in log
        return answer.status_code, entries[-1]


@pytest.fixture
def attempts(tmp_path: Path) -> Iterator[Attempts]:
    made = Attempts(tmp_path, MemoryStore(tmp_path / "store"))
    with made.client:
        yield made


def test_an_attempt_without_a_key_is_recorded_as_refused(attempts: Attempts) -> None:
    status, entry = attempts.post({"format": "native"})
    assert status == 401
    assert entry | {"time": ""} == {"time": "", "who": "public", "action": "import",
                                    "status": 401, "result": "refused",
                                    "detail": entry["detail"]}
    assert not attempts.store.has_node("audit-person")


@pytest.mark.parametrize("headers", [{"X-API-Key": WRONG_KEY},
                                     {"Authorization": f"Bearer {WRONG_KEY}"}])
def test_a_wrong_key_is_recorded_by_a_fingerprint_of_its_digest(
        attempts: Attempts, headers: dict[str, str]) -> None:
    status, entry = attempts.post({"format": "native"}, headers=headers)
    assert status == 401
    assert entry["who"] == "unknown key:" + key_hash(WRONG_KEY)[:12]
    assert (entry["action"], entry["status"], entry["result"]) == ("import", 401, "refused")


def test_wrong_keys_past_the_limit_are_recorded_as_rate_limited(tmp_path: Path) -> None:
    made = Attempts(tmp_path, MemoryStore(tmp_path / "store"), signin_burst=1,
                    signin_per_minute=1)
    with made.client:
        assert made.post({"format": "native"}, headers={"X-API-Key": WRONG_KEY})[0] == 401
        status, entry = made.post({"format": "native"}, headers={"X-API-Key": WRONG_KEY})
    assert (status, entry["status"], entry["result"]) == (429, 429, "rate limited")
    assert entry["who"] == "unknown key:" + key_hash(WRONG_KEY)[:12]


def test_an_upload_over_the_cap_is_recorded_as_too_large(attempts: Attempts) -> None:
    status, entry = attempts.post({"format": "native", "filename": "big.yaml"},
                                  body=b"#" * 3_000, headers=EDITOR)
    assert status == 413
    assert entry["who"].startswith("editor:") and entry["filename"] == "big.yaml"
    assert (entry["status"], entry["result"]) == (413, "too large")


@pytest.mark.parametrize(("params", "parameters"), [
    ({"format": "xml"}, ["query.format"]),
    ({}, ["query.format"]),
    ({"format": "native", "filename": "x" * 121}, ["query.filename"]),
])
def test_a_bad_parameter_is_recorded_naming_it_but_not_its_value(
        attempts: Attempts, params: dict[str, str], parameters: list[str]) -> None:
    status, entry = attempts.post(params, headers=EDITOR)
    assert status == 422
    assert (entry["status"], entry["result"], entry["parameters"]) == (422, "bad request",
                                                                       parameters)
    assert "xml" not in str(entry) and "xxxx" not in str(entry)


def test_invalid_data_is_recorded_with_its_digest_and_the_number_of_problems(
        attempts: Attempts) -> None:
    body = NEW.replace(b"kind: person", b"kind: persn")
    status, entry = attempts.post({"format": "native", "filename": "bad.yaml"}, body,
                                  headers=EDITOR)
    assert status == 422
    assert (entry["status"], entry["result"], entry["problems"]) == (422, "invalid", 1)
    assert (entry["format"], entry["filename"], entry["bytes"]) == ("native", "bad.yaml",
                                                                    len(body))


def test_a_rate_limited_attempt_is_recorded(tmp_path: Path) -> None:
    made = Attempts(tmp_path, MemoryStore(tmp_path / "store"), rate_limit_burst=1,
                    rate_limit_per_minute=1)
    with made.client:
        assert made.post({"format": "native"}, headers=EDITOR)[0] == 200
        status, entry = made.post({"format": "native"}, headers=EDITOR)
    assert (status, entry["status"], entry["result"]) == (429, 429, "rate limited")


class BrokenStore(MemoryStore):
    """Reads work; every write fails as a full disk would."""

    def write(self, nodes: Sequence[Node], edges: Sequence[Edge], *,
              replace: bool = False) -> WriteReport:
        if getattr(self, "broken", False):
            raise OSError(28, "No space left on device")
        return super().write(nodes, edges, replace=replace)


def test_a_server_error_is_recorded_with_the_kind_of_error(tmp_path: Path) -> None:
    store = BrokenStore(tmp_path / "store")
    made = Attempts(tmp_path, store)
    store.broken = True
    with made.client:
        status, entry = made.post({"format": "native"}, headers=EDITOR)
    assert status == 500
    assert (entry["status"], entry["result"], entry["error"]) == (500, "error", "OSError")
    assert entry["sha256"] and entry["format"] == "native"


def test_a_done_import_is_recorded_with_what_it_wrote(attempts: Attempts) -> None:
    status, entry = attempts.post({"format": "native", "filename": "new.yaml"},
                                  headers=EDITOR)
    assert status == 200 and attempts.store.has_node("audit-person")
    assert (entry["status"], entry["result"], entry["filename"]) == (200, "ok", "new.yaml")
    assert entry["summary"].startswith("nodes: 1 added")
