"""Files repgraph writes that hold restricted names are for the service's user only: files
0600, the directories it creates 0700, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import audit
from graph.memory import SNAPSHOT, MemoryStore
from graph.privatefiles import create_private
from graph.public import load_secret
from graph.redaction import PINS_FILE, SECRET_FILE, RedactionKeys
from loaders import native
from tests.conftest import PLANTED


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The loosest umask, so that only the modes repgraph asks for can pass."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_the_snapshot_and_its_directory(tmp_path: Path, dataset_dir: Path) -> None:
    data_dir = tmp_path / "new" / "store"
    store = MemoryStore(data_dir)
    native.load([dataset_dir, PLANTED], store)
    assert mode(data_dir) == 0o700
    assert mode(data_dir / SNAPSHOT) == 0o600
    assert mode(data_dir / ".lock") == 0o600
    assert {p.name for p in data_dir.iterdir()} == {SNAPSHOT, ".lock"}, "no temporary file left"


def test_the_secret_and_its_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    secret = load_secret(data_dir, None)
    assert mode(data_dir) == 0o700 and mode(data_dir / SECRET_FILE) == 0o600
    assert (data_dir / SECRET_FILE).read_text() == secret


def test_the_pins_and_a_rotated_secret(tmp_path: Path) -> None:
    keys = RedactionKeys(tmp_path / "store")
    keys.current()
    keys.rotate({"someone": "restricted-00000000000000aa"})
    assert mode(tmp_path / "store" / SECRET_FILE) == 0o600
    assert mode(tmp_path / "store" / PINS_FILE) == 0o600
    assert keys.current().pins == {"someone": "restricted-00000000000000aa"}


def test_the_audit_log_and_its_directory(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "audit.log"
    audit.record(log, who="test", action="load")
    assert mode(log.parent) == 0o700 and mode(log) == 0o600


def test_an_existing_directory_keeps_the_mode_it_was_given(tmp_path: Path) -> None:
    """An administrator may have set one up on purpose (docs/ethics.md says to check it)."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o750)
    load_secret(shared, None)
    assert mode(shared) == 0o750 and mode(shared / SECRET_FILE) == 0o600


def test_a_file_made_first_elsewhere_is_kept_whole(tmp_path: Path) -> None:
    path = tmp_path / "d" / "secret"
    assert create_private(path, b"first") is True
    assert create_private(path, b"second") is False
    assert path.read_bytes() == b"first" and mode(path) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret"], "no temporary file left"
