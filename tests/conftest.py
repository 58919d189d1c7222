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

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data"
SOURCE_TEXT = ROOT.parent / "shared" / "sources" / "kz-upr48-joint-submission-2024.txt"


@pytest.fixture(scope="session")
def dataset_dir() -> Path:
    return DATASET


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[MemoryStore]:
    store = MemoryStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture(scope="session")
def kz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The bundled dataset loaded once into an embedded store. Tests must not write to it."""
    store = MemoryStore(tmp_path_factory.mktemp("kz") / "store")
    native.load([DATASET], store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def kz_client(kz_store: GraphStore) -> Iterator[TestClient]:
    """The web API over `kz_store`, started once (lifespan included) for the API tests."""
    with TestClient(create_app(store=kz_store)) as client:
        yield client
