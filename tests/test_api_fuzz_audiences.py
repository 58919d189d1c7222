"""The OpenAPI fuzz as each audience: an editor, the public, and a caller with a wrong key.

`test_api_schema.py` fuzzes every operation as the public over the shared
dataset store. Here the same schemathesis run is repeated with an editor key
over a private copy of the dataset (an editor may write), and the write API is
attacked directly: without a valid key no import is ever accepted and the
stored snapshot stays byte for byte the same; with a key, random bodies in every
format are answered 200, 413 or 422, never with a server error.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from api import audit
from api.app import create_app
from config import Settings
from graph.memory import MemoryStore
from loaders import native
from tests.conftest import DATASET, EDITOR_KEY, app_settings

EXAMPLES_PER_OPERATION = 12
FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))

VALID_NATIVE = b"""\
source: kz-upr48-2024
nodes:
  - {id: fuzz-person, kind: person, name: Fuzz Person, cite: ["3.2"]}
edges:
  - {type: MEMBER_OF, from: fuzz-person, to: dck, cite: ["3.2"]}
"""
VALID_FTM = (b'{"id": "fz1", "schema": "Person", "properties": {"name": ["Fuzz Ftm"]}}\n')


def _csv_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("nodes.csv", "id,kind,name,citations\nfuzz-csv,person,Fuzz Csv,"
                         '"[{""source"": ""kz-upr48-2024""}]"\n')
        archive.writestr("edges.csv", "type,source,target,citations\n")
    return out.getvalue()


VALID = {"native": VALID_NATIVE, "csv": _csv_zip(), "ftm": VALID_FTM}


class Writable:
    """An app over a private copy of the dataset, and ways to see whether it changed."""

    def __init__(self, tmp: Path, **overrides: object) -> None:
        self.store = MemoryStore(tmp / "store")
        native.load([DATASET], self.store)
        # neither limit is under test here (a wrong key past the sign-in limit is a 429)
        self.settings: Settings = app_settings(tmp, rate_limit_burst=100_000,
                                               signin_burst=100_000, max_import_bytes=200_000,
                                               **overrides)
        self.app: FastAPI = create_app(self.settings, store=self.store)
        self.app.state.store = self.store  # schemathesis' ASGI transport skips the lifespan
        self.baseline = self.store.stats()

    def snapshot(self) -> bytes:
        assert self.store.snapshot_path is not None
        return self.store.snapshot_path.read_bytes()


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[Writable]:
    """Set up once per test; hypothesis' examples within the test share it."""
    yield Writable(tmp_path)


def _fuzz(app: FastAPI, headers: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert any(op.path == "/api/import" and op.method.upper() == "POST" for op in operations)
    for operation, mode in itertools.product(operations, schemathesis.GenerationMode):
        if mode is schemathesis.GenerationMode.NEGATIVE and not operation.query:
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(FUZZ, max_examples=EXAMPLES_PER_OPERATION)
        def keeps_its_promises(case: schemathesis.Case) -> None:
            # an import body the schema allows (any bytes) may still be invalid data: 422
            excluded = [positive_data_acceptance] if case.path == "/api/import" else []
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        keeps_its_promises()


def test_every_operation_keeps_its_promises_for_an_editor(writable: Writable) -> None:
    _fuzz(writable.app, {"X-API-Key": EDITOR_KEY})


@pytest.mark.parametrize("headers", [{"X-API-Key": "not-the-key"},
                                     {"Authorization": "Bearer not-the-key"}])
def test_a_wrong_key_is_refused_by_every_operation(writable: Writable,
                                                   headers: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", writable.app)
    before = writable.snapshot()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(FUZZ, max_examples=3)
        def refused(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code == 401, (case.path, response.text)
            case.validate_response(response)

        refused()
    assert writable.snapshot() == before


NO_KEY = st.sampled_from([{}, {"X-API-Key": ""}, {"Authorization": "Bearer"},
                          {"Authorization": f"Basic {EDITOR_KEY}"},
                          {"X-API-Key": EDITOR_KEY + " "}, {"X-API-Key": EDITOR_KEY.upper()},
                          {"Authorization": f"Bearer {EDITOR_KEY[:-1]}"}])
FORMATS = st.sampled_from(["native", "csv", "ftm"])
BODIES = st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode),
                   FORMATS.map(VALID.__getitem__))


@given(headers=NO_KEY, fmt=FORMATS, body=BODIES,
       filename=st.one_of(st.none(), st.text(max_size=40)))
@settings(FUZZ, max_examples=60)
def test_no_write_is_accepted_without_a_valid_key(
        writable: Writable, headers: dict[str, str], fmt: str, body: bytes,
        filename: str | None) -> None:
    app = writable
    before = app.snapshot()
    params = {"format": fmt, **({"filename": filename} if filename is not None else {})}
    with TestClient(app.app) as client:
        response = client.post("/api/import", params=params, content=body, headers=headers)
    assert response.status_code == 401, response.text
    assert app.snapshot() == before and app.store.stats() == app.baseline
    last = audit.read(app.settings.audit_log_path)[-1]  # every attempt is audited, refused
    assert (last["action"], last["status"], last["result"]) == ("import", 401, "refused")
    assert EDITOR_KEY not in app.settings.audit_log_path.read_text()


def _mutations(valid: bytes) -> st.SearchStrategy[bytes]:
    """A valid file with a slice replaced by random bytes: most stay near-valid."""
    return st.tuples(st.integers(0, len(valid)), st.integers(0, 40), st.binary(max_size=40)).map(
        lambda cut: valid[:cut[0]] + cut[2] + valid[cut[0] + cut[1]:])


@given(fmt=FORMATS, data=st.data())
@settings(FUZZ, max_examples=60)
def test_an_editor_import_of_any_body_is_never_a_server_error(
        writable: Writable, fmt: str, data: st.DataObject) -> None:
    app = writable
    body = data.draw(st.one_of(BODIES, _mutations(VALID[fmt])))
    with TestClient(app.app) as client:
        response = client.post("/api/import", params={"format": fmt}, content=body,
                               headers={"X-API-Key": EDITOR_KEY})
    assert response.status_code in {200, 413, 422}, response.text
    answer = response.json()
    if response.status_code == 422:
        assert answer["problems"] and all(isinstance(p, str) for p in answer["problems"])
    elif response.status_code == 200:
        assert answer["format"] == fmt and "write" in answer
    assert audit.read(app.settings.audit_log_path)[-1]["result"] in {"ok", "invalid"}


# -- what the fuzz found, pinned ---------------------------------------------------------------

def _zip_with(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("body", [
    # a central directory that points before the start of the file (was a 500)
    b"PK\x01\x02" + b"\x00" * 25 + b"\x01" + b"\x00" * 16 + b"\x01" * 5 + b".csvPK\x05\x06"
    + b"\x00" * 8 + b"7" + b"\x00" * 6 + b"\x01\x00\x00",
    _zip_with("nodes.csv", b"id,kind,name\n" + b" " * 3_000_000),  # unpacks 15x its cap
    _zip_with("nodes.csv", b"x")[:-10],  # truncated
], ids=["bad-offset", "zip-bomb", "truncated"])
def test_an_unreadable_csv_zip_is_invalid_data(writable: Writable, body: bytes) -> None:
    with TestClient(writable.app) as client:
        response = client.post("/api/import", params={"format": "csv"}, content=body,
                               headers={"X-API-Key": EDITOR_KEY})
    assert response.status_code == 422, response.text
    assert response.json()["problems"][0].startswith("upload.zip")
    assert writable.store.stats() == writable.baseline


@pytest.mark.parametrize("fmt", ["native", "ftm", "csv"])
@pytest.mark.parametrize("filename", ["/", ":", "..", "x" * 120, ".hidden"])
def test_any_filename_is_usable(writable: Writable, fmt: str, filename: str) -> None:
    """A name with nothing left once made safe ("/") was written as the folder itself, and
    one without letters (":") gave the FtM source an invalid id: both were 500s."""
    with TestClient(writable.app) as client:
        response = client.post("/api/import", params={"format": fmt, "filename": filename},
                               content=VALID[fmt], headers={"X-API-Key": EDITOR_KEY})
    assert response.status_code == 200, response.text
