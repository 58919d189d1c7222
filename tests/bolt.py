"""A real Bolt server for the tests and the benchmark.

When `NEO4J_URI` is set, that server is used as it is (a Neo4j container, Aura,
...). Otherwise the `arcadedb-embedded` package starts ArcadeDB in this process
with its Bolt plugin, which speaks the Neo4j 5 protocol and Cypher, on free
local ports. Where the stand-in differs from Neo4j, the code follows Neo4j and
the test that shows the difference is skipped on the stand-in with the reason.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config import Settings
from tests.live import free_port

KZ_DATABASE = "kz"
SCRATCH_DATABASE = "scratch"


@dataclass(frozen=True)
class BoltServer:
    """Where to connect, and which database each kind of test may use."""

    settings: Settings
    standin: bool
    #: A second database for write tests, or None when they must share the first.
    scratch: str | None

    def settings_for(self, database: str | None = None, **changes: Any) -> Settings:
        return self.settings.model_copy(update={"neo4j_database": database or
                                                self.settings.neo4j_database, **changes})


@contextmanager
def _inside(path: Path) -> Iterator[None]:
    """Run with `path` as working directory: ArcadeDB writes its log under ./log."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def bolt_server(root: Path, heap: str = "1g") -> Iterator[BoltServer]:
    """The server named by NEO4J_URI, or an ArcadeDB stand-in under `root` for the duration.

    `heap` is the stand-in's JVM heap: small for the tests, larger for the
    benchmark, whose one-transaction loads otherwise spend their time collecting.
    """
    if os.environ.get("NEO4J_URI"):
        settings = Settings(backend="neo4j")
        yield BoltServer(settings, standin=False, scratch=os.environ.get("NEO4J_SCRATCH_DATABASE"))
        return
    password = secrets.token_hex(12)
    bolt_port, http_port = free_port(), free_port()
    with _inside(root):
        from arcadedb_embedded.jvm import start_jvm

        start_jvm(heap_size=heap)
        import arcadedb_embedded

        server = arcadedb_embedded.create_server(
            str(root / "arcadedb"), root_password=password,
            config={"server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
                    "bolt_port": bolt_port, "http_port": http_port})
        server.start()
    try:
        for name in (KZ_DATABASE, SCRATCH_DATABASE):
            server.create_database(name)
        settings = Settings(backend="neo4j", **{  # type: ignore[arg-type]
            "NEO4J_URI": f"bolt://127.0.0.1:{bolt_port}", "NEO4J_USER": "root",
            "NEO4J_PASSWORD": password, "NEO4J_DATABASE": KZ_DATABASE})
        yield BoltServer(settings, standin=True, scratch=SCRATCH_DATABASE)
    finally:
        from graph.neo4j import close_drivers

        close_drivers()
        server.stop()
        # Stop the JVM now, while its signal handlers are in place: pytest's faulthandler
        # restores the default SIGSEGV handler when it unloads, and a JVM still running
        # then (it uses SIGSEGV internally) brings the whole process down at exit.
        from arcadedb_embedded.jvm import shutdown_jvm

        shutdown_jvm()
