"""The OpenAPI document says what the served application does, for both audiences.

schemathesis runs against a live server, as `repgraph serve` serves it, twice: as the
public and as an editor (who may write, so over a store of their own). Every check, and
the examples, coverage and fuzzing phases; the rate limits are raised so that every
operation is reached. Routes added later are in the document, so these runs cover them.
A fixed seed keeps CI's verdict reproducible; `REPGRAPH_FUZZ_SEED` and
`REPGRAPH_FUZZ_EXAMPLES` explore further by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api import audit
from api.app import create_app
from graph.memory import MemoryStore
from loaders import native
from tests.conftest import DATASET, EDITOR_KEY, PLANTED, app_settings
from tests.live import live_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = os.environ.get("REPGRAPH_FUZZ_SEED", "20261130")
EXAMPLES = os.environ.get("REPGRAPH_FUZZ_EXAMPLES", "30")
ST = Path(sys.executable).with_name("st")


@pytest.mark.parametrize("audience", ["public", "editor"])
def test_the_served_application_keeps_every_promise_of_its_document(
        tmp_path: Path, audience: str) -> None:
    store = MemoryStore(tmp_path / "store")
    native.load([DATASET, PLANTED], store)
    settings = app_settings(tmp_path / "app", rate_limit_burst=1_000_000,
                            rate_limit_per_minute=1_000_000, signin_burst=1_000_000)
    headers = ["-H", f"X-API-Key: {EDITOR_KEY}"] if audience == "editor" else []
    with live_server(store, settings) as server:
        document = httpx.get(f"{server.base}/openapi.json").json()
        run = subprocess.run(
            [str(ST), "--no-color", "--config-file", str(CONFIG), "run",
             f"{server.base}/openapi.json", "--checks", "all",
             "--phases", "examples,coverage,fuzzing", "--max-examples", EXAMPLES,
             "--seed", SEED, "--request-timeout", "30", *headers],
            capture_output=True, text=True, timeout=900, check=False)
    store.close()
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    operations = sum(len(ops) for ops in document["paths"].values())
    assert f"Tested: {operations}" in run.stdout, run.stdout[-3000:]  # every one reached


def test_every_operation_declares_the_answers_it_can_give(tmp_path: Path) -> None:
    document = create_app(app_settings(tmp_path), store=MemoryStore()).openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            where = f"{method.upper()} {path}"
            # a wrong key (401, or 429 past the sign-in limit) can meet any operation, and
            # the time limit or an unavailable store (503) any that reads the graph
            assert {"401", "429"} <= declared and declared & {"200", "303"}, where
            if path.startswith("/api/"):
                assert "503" in declared, where
            if "{id}" in path or any(p["name"] in ("source", "target", "relative")
                                     for p in operation.get("parameters", [])):
                assert "404" in declared, where
            if operation.get("parameters"):
                assert "422" in declared, where
    upload = document["paths"]["/api/import"]["post"]
    assert "413" in upload["responses"]
    body = upload["requestBody"]
    assert body["required"] is True
    assert {"application/yaml", "application/json", "application/zip", "application/x-ndjson",
            "application/octet-stream"} == set(body["content"])
    assert "nodes.csv" in body["content"]["application/zip"]["schema"]["description"]


def test_an_import_without_a_body_is_refused_and_audited(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "store")
    settings = app_settings(tmp_path / "app")
    with TestClient(create_app(settings, store=store)) as client:
        for fmt in ("native", "csv", "ftm"):
            answer = client.post("/api/import", params={"format": fmt},
                                 headers={"X-API-Key": EDITOR_KEY})
            assert answer.status_code == 422, answer.text
            assert "the request body is empty" in answer.text
        empty_json = client.post("/api/import", params={"format": "native"}, content=b"{}",
                                 headers={"X-API-Key": EDITOR_KEY,
                                          "Content-Type": "application/json"})
        assert empty_json.status_code == 422
    assert [e["result"] for e in audit.read(settings.audit_log_path)] == ["invalid"] * 4
    assert store.stats().nodes == 0


def test_a_405_names_every_method_the_path_answers(tmp_path: Path) -> None:
    with TestClient(create_app(app_settings(tmp_path), store=MemoryStore())) as client:
        answer = client.request("OPTIONS", "/signin")
        assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"
        assert client.put("/api/import").headers["allow"] == "POST"
