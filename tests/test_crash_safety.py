"""Crash safety of the embedded store: SIGKILL in the middle of an import loses nothing.

A separate Python process opens a data directory that already holds the real
dataset and writes a large synthetic graph into it. The test watches the
directory and kills the writer with SIGKILL while its temporary snapshot
(`.graph-*.tmp`) is being written, at several moments of that write. Each time,
the store opened afresh must hold exactly the data it held before, readable,
and a later import must work (and clear away the dead writer's temporary file).
Within one process, threads reading while another imports see one whole version.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from graph.memory import SNAPSHOT, MemoryStore
from graph.store import GraphStore
from loaders import native
from schema.models import Node
from schema.vocabulary import NodeKind
from tests.conftest import DATASET, ROOT

SYNTHETIC_NODES = 30_000
WRITER = f"""
import sys
from bench.synthetic import generate
from graph.memory import MemoryStore
nodes, edges = generate({SYNTHETIC_NODES}, seed=7)
MemoryStore(sys.argv[1]).write(nodes, edges)
"""
NEW_PERSON = """\
source: kz-upr48-2024
nodes:
  - {id: after-the-crash, kind: person, name: After The Crash, cite: ["3.2"]}
"""


def _records(store: GraphStore) -> tuple[list[str], list[str]]:
    return (sorted(n.model_dump_json() for n in store.iter_nodes()),
            sorted(e.model_dump_json() for e in store.iter_edges()))


def _temporary_snapshots(data_dir: Path) -> list[Path]:
    return list(data_dir.glob(".graph-*.tmp"))


def _kill_mid_write(data_dir: Path, grown_to: int) -> bool:
    """Start a writer; SIGKILL it once its temporary snapshot holds `grown_to` bytes.
    True when the kill landed before the snapshot was replaced."""
    dead = set(_temporary_snapshots(data_dir))  # left by writers killed before
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        while writer.poll() is None and time.monotonic() < deadline:
            temporary = [p for p in _temporary_snapshots(data_dir) if p not in dead]
            try:
                if temporary and temporary[0].stat().st_size >= grown_to:
                    os.kill(writer.pid, signal.SIGKILL)
                    writer.wait()
                    return True
            except FileNotFoundError:  # renamed between the listing and the stat
                pass
            time.sleep(0.0005)
        return False
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.wait()


def test_a_killed_import_leaves_the_previous_data_intact(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    before_store = MemoryStore(data_dir)
    native.load([DATASET], before_store)
    before_stats, before_records = before_store.stats(), _records(before_store)
    before_snapshot = (data_dir / SNAPSHOT).read_bytes()

    landed = 0
    for grown_to in (0, 2_000_000, 6_000_000):
        if _kill_mid_write(data_dir, grown_to):
            landed += 1
            assert (data_dir / SNAPSHOT).read_bytes() == before_snapshot, grown_to
        reopened = MemoryStore(data_dir)
        assert reopened.stats() == before_stats, grown_to
        assert _records(reopened) == before_records, grown_to
    assert landed == 3, "every kill should land in the middle of the write"
    assert _temporary_snapshots(data_dir), "a killed writer leaves its temporary file"

    after = MemoryStore(data_dir)
    report = native.load([_write(tmp_path / "new.yaml", NEW_PERSON)], after)
    assert report.nodes_added == ["after-the-crash"]
    assert not _temporary_snapshots(data_dir), "the next writer clears dead temporary files"
    reopened = MemoryStore(data_dir)
    assert reopened.stats().nodes == before_stats.nodes + 1
    assert reopened.get_node("after-the-crash").name == "After The Crash"


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_threads_reading_during_imports_always_see_a_whole_version(tmp_path: Path) -> None:
    """The web server reads on a thread pool while an import writes. Readers used to see
    the store half rebuilt: known entities missing, and dicts changing under iteration."""
    store = MemoryStore(tmp_path / "store")
    native.load([DATASET], store)
    known = sorted(n.id for n in store.iter_nodes())[:20]
    stop, problems = threading.Event(), []

    def read() -> None:
        while not stop.is_set():
            try:
                assert store.find_nodes(known).keys() == set(known)
                for node_id in known[:3]:
                    store.incident_edges(node_id)
                sum(1 for _ in store.iter_edges())
                store.stats()
            except Exception as exc:  # any failure is the finding
                problems.append(repr(exc))
                return

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    try:
        for i in range(25):
            store.write([Node(id=f"concurrent-{i}", kind=NodeKind.PERSON, name=f"C {i}")], [])
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert problems == []
    assert store.stats().nodes == MemoryStore(tmp_path / "store").stats().nodes
