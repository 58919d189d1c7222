"""Shared fixtures: the real dataset in a real embedded store, and empty stores.

Store fixtures are parametrised by backend through `BACKENDS`, so the same
contract tests run on every backend that can be started here.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from api.app import create_app
from api.editors import key_hash
from config import Settings, get_settings
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from tests.bolt import BoltServer, bolt_server

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data"
#: fictional restricted records added to the dataset, so privacy tests never run empty
PLANTED = ROOT / "tests" / "planted"
#: this checkout's private data tier (never committed): only tests/test_dataset.py reads it,
#: and only where it exists
PRIVATE = ROOT / "private"
SOURCE_TEXT = ROOT.parent / "shared" / "sources" / "kz-upr48-joint-submission-2024.txt"
#: where the founding source's text is read from (tests/sourcetext.py looks there too)
SOURCE_TEXT_FOLDER = Path(os.environ.get("REPGRAPH_SOURCES") or SOURCE_TEXT.parent)
#: the planted records' text (tests/planted/planted.yaml gives its file name)
PLANTED_TEXT = PLANTED / "planted-test-records.txt"
#: Every backend the contract tests run on; `-m "not bolt"` leaves out the server.
BACKENDS = ["memory", pytest.param("bolt", marks=pytest.mark.bolt)]


@pytest.fixture(scope="session")
def dataset_dir() -> Path:
    return DATASET


@pytest.fixture(scope="session", autouse=True)
def _no_private_tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands under test load the dataset without this checkout's private tier, so that
    no test depends on records that are not committed."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REPGRAPH_PRIVATE_DATASET_DIR", str(tmp_path_factory.mktemp("tier") / "none"))
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def sources_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One sources directory for every app under test: the founding source's text (from
    $REPGRAPH_SOURCES, else ../shared/sources) and the planted records' text, which names
    restricted persons, so that the reader's privacy is tested on a text that names one."""
    folder = tmp_path_factory.mktemp("sources")
    for text in (SOURCE_TEXT_FOLDER / SOURCE_TEXT.name, PLANTED_TEXT):
        if text.is_file():
            shutil.copy(text, folder / text.name)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REPGRAPH_SOURCES", str(folder))
        get_settings.cache_clear()
        yield folder
    get_settings.cache_clear()


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
    """The bundled dataset and the planted records, loaded once into each backend. Tests
    must not write to it."""
    store = _open(request.param, request, tmp_path_factory.mktemp("kz") / "store")
    native.load([DATASET, PLANTED], store, replace=True)
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
        native.load([DATASET, PLANTED], store, replace=True)
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


@pytest.fixture(scope="session")
def without_her(kz_store: GraphStore,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The public service over `kz_store` had the planted restricted person (Aigerim
    Tasbolatova) never been in it: her record, the case named after her and the text that
    names her gone. What the public gets for her name must equal what this gives: names
    like hers resemble public ones either way."""
    gone = {"aigerim-tasbolatova", "case-tasbolatova"}
    nodes = [n.model_copy(update={"description": None}) if n.id == "daulet-planted" else n
             for n in kz_store.iter_nodes() if n.id not in gone]
    edges = [e for e in kz_store.iter_edges() if not gone & {e.source, e.target}]
    store = MemoryStore()
    store.write(nodes, edges)
    settings = app_settings(tmp_path_factory.mktemp("without"), rate_limit_burst=100_000)
    with TestClient(create_app(settings, store=store)) as client:
        yield client


def answer(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    """An HTTP answer as a whole, to compare two: status, headers but Date, and body."""
    return (response.status_code,
            sorted((k, v) for k, v in response.headers.items() if k != "date"), response.content)


@pytest.fixture
def command_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The settings every command reads from the environment, with a dataset folder, a
    private tier and a data directory of the test's own (identity decisions are written
    there, never into this checkout's data/), and no editor keys."""
    for name, value in (("DATA_DIR", tmp_path / "var"), ("DATASET_DIR", tmp_path / "data"),
                        ("PRIVATE_DATASET_DIR", tmp_path / "private"),
                        ("EDITOR_KEY_HASHES", "")):
        monkeypatch.setenv(f"REPGRAPH_{name}", str(value))
    (tmp_path / "data").mkdir()
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (`tests.browser`), one per test module, for page tests."""
    from tests.browser import chromium  # Playwright only where a browser test asks for it

    with chromium() as (_, found):
        yield found
