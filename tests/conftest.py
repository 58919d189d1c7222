"""Shared fixtures: the real dataset in a real embedded store, and empty stores.

Store fixtures are parametrised by backend through `BACKENDS`, so the same
contract tests run on every backend that can be started here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from tests.bolt import BoltServer, bolt_server

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data"
SOURCE_TEXT = ROOT.parent / "shared" / "sources" / "kz-upr48-joint-submission-2024.txt"
#: Every backend the contract tests run on; `-m "not bolt"` leaves out the server.
BACKENDS = ["memory", pytest.param("bolt", marks=pytest.mark.bolt)]


@pytest.fixture(scope="session")
def dataset_dir() -> Path:
    return DATASET


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[MemoryStore]:
    store = MemoryStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture(scope="session")
def bolt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    """A real Bolt server for the session: NEO4J_URI if set, else the ArcadeDB stand-in."""
    with bolt_server(tmp_path_factory.mktemp("bolt")) as server:
        yield server


def _open(backend: str, request: pytest.FixtureRequest, path: Path,
          database: str | None = None) -> GraphStore:
    if backend == "memory":
        return MemoryStore(path)
    from graph.neo4j import Neo4jStore

    server: BoltServer = request.getfixturevalue("bolt")
    return Neo4jStore.from_settings(server.settings_for(database))


@pytest.fixture(scope="session", params=BACKENDS)
def kz_store(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The bundled dataset loaded once into each backend. Tests must not write to it."""
    store = _open(request.param, request, tmp_path_factory.mktemp("kz") / "store")
    native.load([DATASET], store, replace=True)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def blank_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each backend, for tests that write.

    On a server with one database only, the write tests share it with `kz_store`,
    so the dataset is put back afterwards.
    """
    server: BoltServer | None = request.getfixturevalue("bolt") if request.param == "bolt" else None
    store = _open(request.param, request, tmp_path / "store",
                  server.scratch if server is not None else None)
    store.clear()
    yield store
    if server is not None and server.scratch is None:
        native.load([DATASET], store, replace=True)
    store.close()


@pytest.fixture(scope="session")
def kz_client(kz_store: GraphStore) -> Iterator[TestClient]:
    """The web API over `kz_store`, started once (lifespan included) for the API tests."""
    with TestClient(create_app(store=kz_store)) as client:
        yield client
