"""The embedded store: persistence, restart, atomic writes, sharing a data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from loaders import native
from tests.test_store_contract import person


def test_the_store_survives_a_restart(tmp_path: Path, dataset_dir: Path) -> None:
    store = MemoryStore(tmp_path)
    native.load([dataset_dir], store)
    before = store.stats()
    jardemalie = store.get_node("bota-jardemalie")
    store.close()
    reopened = MemoryStore(tmp_path)
    assert reopened.stats() == before
    assert reopened.get_node("bota-jardemalie") == jardemalie
    assert reopened.incident_edges("bota-jardemalie") == store.incident_edges("bota-jardemalie")


def test_a_crash_while_persisting_keeps_the_previous_state(
        tmp_path: Path, dataset_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryStore(tmp_path)
    native.load([dataset_dir / "kz-upr48-2024" / "source.yaml"], store)
    snapshot = tmp_path / "graph.json"
    before = snapshot.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        native.load([dataset_dir], store)
    monkeypatch.undo()
    assert snapshot.read_bytes() == before
    assert store.stats().nodes == 1, "memory must not run ahead of the disk"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert MemoryStore(tmp_path).stats().nodes == 1


def test_a_second_process_sees_new_data_without_restarting(tmp_path: Path,
                                                            dataset_dir: Path) -> None:
    reader = MemoryStore(tmp_path)
    assert reader.stats().nodes == 0
    writer = MemoryStore(tmp_path)
    native.load([dataset_dir], writer)
    assert reader.stats() == writer.stats()


def test_a_second_store_on_the_same_data_sees_the_first_ones_writes_in_its_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reader, writer = MemoryStore(tmp_path), MemoryStore(tmp_path)
    before = reader.version
    writer.write([person("ann", "Ann")], [])

    def no_reload() -> None:
        raise AssertionError("asking for the version must not load the snapshot")
    monkeypatch.setattr(reader, "_sync", no_reload)
    seen = reader.version
    assert seen != before, "the reader must notice the new snapshot from its version alone"
    assert reader.version == seen
    monkeypatch.undo()
    assert [n.id for n in reader.iter_nodes()] == ["ann"]
    assert reader.version == seen, "loading the snapshot it announced is no further change"


def test_incident_edges_are_paged_in_a_stable_order(kz_store: MemoryStore) -> None:
    everything = kz_store.incident_edges("kz-authorities")
    assert len(everything) > 5
    assert [e.id for e in everything] == sorted(e.id for e in everything)
    pages = [kz_store.incident_edges("kz-authorities", offset=o, limit=3)
             for o in range(0, len(everything), 3)]
    assert [e for page in pages for e in page] == everything
