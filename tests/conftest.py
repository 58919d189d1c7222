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
from api.security import key_hash
from graph.memory import MemoryStore
from graph.settings import Settings
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


EDITOR_KEY = "test-editor-key-not-secret"


def app_settings(tmp: Path, **overrides: object) -> Settings:
    """Settings for an app under test: data beside the test, one known editor key."""
    return Settings(data_dir=tmp, editor_key_hashes=[key_hash(EDITOR_KEY)],
                    **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def kz_client(kz_store: GraphStore,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The web API over `kz_store` as an editor sees it (everything), started once."""
    app = create_app(app_settings(tmp_path_factory.mktemp("app")), store=kz_store)
    with TestClient(app, headers={"X-API-Key": EDITOR_KEY}) as client:
        yield client


@pytest.fixture(scope="session")
def public_client(kz_store: GraphStore,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The web API over `kz_store` as the anonymous public sees it."""
    app = create_app(app_settings(tmp_path_factory.mktemp("app")), store=kz_store)
    with TestClient(app) as client:
        yield client
