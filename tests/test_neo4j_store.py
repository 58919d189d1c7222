"""The Neo4j backend on a real Bolt server: same answers as the embedded store, atomic
loads, one clear message when the server cannot be used."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import ManagedTransaction, Record
from neo4j.exceptions import ConstraintError

from cli.main import main
from config import get_settings
from graph import queries
from graph.errors import QueryTimeout, StoreUnavailable
from graph.memory import MemoryStore
from graph.neo4j import Neo4jStore
from graph.store import GraphStore
from tests.bolt import BoltServer
from tests.test_store_contract import family, person

pytestmark = pytest.mark.bolt


@pytest.fixture
def scratch(bolt: BoltServer, dataset_dir: Path) -> Iterator[Neo4jStore]:
    """An empty Neo4j store that loads in batches of 2 and commits every batch separately."""
    store = Neo4jStore.from_settings(bolt.settings_for(bolt.scratch, batch_size=2, neo4j_tx_rows=3))
    store.clear()
    yield store
    if bolt.scratch is None:
        from loaders import native

        native.load([dataset_dir], store, replace=True)


@pytest.fixture(scope="module")
def both(bolt: BoltServer, tmp_path_factory: pytest.TempPathFactory,
         dataset_dir: Path) -> tuple[MemoryStore, Neo4jStore]:
    """The dataset in each backend (the same database and content as `kz_store`)."""
    from loaders import native

    memory = MemoryStore(tmp_path_factory.mktemp("both"))
    native.load([dataset_dir], memory)
    neo = Neo4jStore.from_settings(bolt.settings)
    native.load([dataset_dir], neo, replace=True)
    return memory, neo


def test_both_backends_hold_the_same_graph(both: tuple[MemoryStore, Neo4jStore]) -> None:
    memory, bolt = both
    assert bolt.stats() == memory.stats()
    for node in memory.iter_nodes():
        assert bolt.get_node(node.id) == node
        assert bolt.incident_edges(node.id) == memory.incident_edges(node.id)
        assert bolt.degree(node.id) == memory.degree(node.id)


def _pairs(store: GraphStore, most: int = 1500) -> list[tuple[str, str]]:
    """Evenly spread pairs of ids, at most `most` of them (the dataset grows)."""
    ids = sorted(n.id for n in store.iter_nodes())
    pairs = list(itertools.combinations(ids, 2))
    return pairs[::max(37, len(pairs) // most)]


def test_both_backends_find_the_same_paths(both: tuple[MemoryStore, Neo4jStore]) -> None:
    """Through generic actors too: how each backend leaves them out is the next test's."""
    memory, bolt = both
    for source, target in _pairs(memory):
        every = queries.paths(memory, source, target, mode="all", limit=100,
                              through_generic=True)
        assert queries.paths(bolt, source, target, mode="all", limit=100,
                             through_generic=True) == every
        one = queries.paths(bolt, source, target, through_generic=True)
        assert [p.length for p in one] == [p.length for p in every[:1]]
        if len({tuple(n.id for n in p.nodes) for p in every}) == 1:
            assert one == queries.paths(memory, source, target, through_generic=True)
    for source, target in _pairs(memory, most=150):  # a ranked answer asks every hop's degree
        ranked = queries.paths(memory, source, target, mode="ranked", through_generic=True)
        assert queries.paths(bolt, source, target, mode="ranked", through_generic=True) == ranked


def test_generic_actors_are_avoided_by_default_and_included_on_request(
        both: tuple[MemoryStore, Neo4jStore], bolt: BoltServer) -> None:
    memory, neo = both
    ends = ("bota-jardemalie", "case-zhylanbayev")
    through = queries.connection(neo, *ends, through_generic=True)
    assert through == queries.connection(memory, *ends, through_generic=True)
    assert "kz-authorities" in [n.id for n in through.paths[0].nodes]
    around = queries.connection(memory, *ends)
    assert all("kz-authorities" not in [n.id for n in p.nodes] for p in around.paths)
    assert [n.id for n in around.avoided] == ["kz-authorities"]
    found = queries.connection(neo, *ends)
    if bolt.standin and found.paths != around.paths:
        pytest.skip("ArcadeDB applies shortestPath's WHERE after the search, so a shortest path "
                    "through an avoided entity leaves no answer; Neo4j applies it during the "
                    "search and finds the shortest path around it")
    assert found == around


def test_relatives_case_links_and_timelines_agree(both: tuple[MemoryStore, Neo4jStore]) -> None:
    memory, bolt = both
    assert queries.targeted_through_relatives(bolt) == queries.targeted_through_relatives(memory)
    for node in memory.iter_nodes():
        assert queries.timeline(bolt, node.id) == queries.timeline(memory, node.id)
        if node.kind == "case":
            assert queries.case_links(bolt, node.id) == queries.case_links(memory, node.id)


def _failing_after_first_batch(
        monkeypatch: pytest.MonkeyPatch,
        before_failing: Callable[[], object] = lambda: None) -> tuple[list[int], list[str]]:
    """Make the second batch of records of any write fail as a dropped connection would,
    after calling `before_failing`.

    Returns the sizes of the batches tried so far and the load ids they carried.
    """
    batches: list[int] = []
    loads: list[str] = []
    real = Neo4jStore._run_batch

    def run(self: Neo4jStore, tx: ManagedTransaction, statement: str,
            params: dict[str, Any]) -> list[Record]:
        rows = [r for r in params.get("rows", []) if "props" in r]
        if rows:
            batches.append(len(rows))
            loads.extend(r["props"]["load"] for r in rows if "load" in r["props"])
            if len(batches) > 1:
                before_failing()
                raise OSError("connection reset by peer")
        return real(self, tx, statement, params)
    monkeypatch.setattr(Neo4jStore, "_run_batch", run)
    return batches, loads


@pytest.mark.parametrize("tx_rows", [100_000, 3], ids=["one transaction", "batch by batch"])
def test_a_load_failing_after_its_first_batch_leaves_nothing_behind(
        scratch: Neo4jStore, tx_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch.tx_rows = tx_rows
    scratch.write([person("ann", "Ann"), person("bob", "Bob")], [family("ann", "bob")])
    before = (scratch.stats(), list(scratch.iter_nodes()), list(scratch.iter_edges()))
    batches, loads = _failing_after_first_batch(monkeypatch)
    newcomers = [person(f"p{i}", f"P {i}") for i in range(5)]
    with pytest.raises(OSError, match="connection reset"):
        scratch.write([person("ann", "Ann A.", roles=["lawyer"]), *newcomers],
                      [family("ann", "bob", "sister"), family("p0", "ann")])
    monkeypatch.undo()
    assert len(batches) == 2, "the failure must come after a batch was written"
    # Only a load that spans transactions needs its elements stamped to clean up after itself.
    assert bool(loads) == (tx_rows == 3)
    assert (scratch.stats(), list(scratch.iter_nodes()), list(scratch.iter_edges())) == before
    records, _, _ = scratch.driver.execute_query(
        "MATCH (n) WHERE n.load IS NOT NULL RETURN count(n) AS n", database_=scratch.database)
    assert records[0]["n"] == 0


@pytest.mark.parametrize("tx_rows", [100_000, 3], ids=["one transaction", "batch by batch"])
def test_a_failed_load_leaves_a_version_no_reader_has_seen_with_other_content(
        scratch: Neo4jStore, bolt: BoltServer, tx_rows: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    scratch.tx_rows = tx_rows
    scratch.write([person("ann", "Ann"), person("bob", "Bob")], [family("ann", "bob")])
    before = scratch.version
    reader = Neo4jStore.from_settings(bolt.settings_for(bolt.scratch, neo4j_version_ttl_s=0))
    seen: list[str] = []
    _failing_after_first_batch(monkeypatch, lambda: seen.append(reader.version))
    with pytest.raises(OSError, match="connection reset"):
        scratch.write([person("ann", "Ann A."), *(person(f"p{i}", f"P {i}") for i in range(5))],
                      [family("p0", "ann")])
    monkeypatch.undo()
    (meanwhile,) = seen
    if tx_rows == 3:  # the first batch was committed, then undone: two changes
        assert meanwhile != before
        assert scratch.version not in (before, meanwhile)
    else:  # nothing was committed
        assert meanwhile == before == scratch.version


def test_the_version_is_read_again_at_once_after_own_writes_and_within_the_ttl_after_others(
        scratch: Neo4jStore, bolt: BoltServer) -> None:
    other = Neo4jStore.from_settings(bolt.settings_for(bolt.scratch, neo4j_version_ttl_s=3600))
    seen = other.version
    assert scratch.version == seen
    scratch.write([person("ann", "Ann")], [])
    written = scratch.version
    assert written != seen
    assert other.version == seen, "within its TTL, a store keeps the version it read"
    other.version_ttl_s = 0
    assert other.version == written
    other.version_ttl_s = 3600
    other.clear()
    assert other.version not in (seen, written)


def test_the_version_lives_on_one_node_that_no_entity_read_sees(scratch: Neo4jStore) -> None:
    for _ in range(2):
        scratch.write([person("ann", "Ann"), person("bob", "Bob")], [family("ann", "bob")])
        scratch.clear()
    scratch.write([person("ann", "Ann")], [])
    records, _, _ = scratch.driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels ORDER BY size(labels(n))",
        database_=scratch.database)
    assert [sorted(r["labels"]) for r in records] == [["RepgraphMeta"], ["Entity", "Person"]]
    assert scratch.stats().nodes == 1 and [n.id for n in scratch.iter_nodes()] == ["ann"]


def test_a_new_id_stored_meanwhile_by_another_writer_is_merged_not_duplicated(
        scratch: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Neo4jStore._run_batch
    raced: list[str] = []

    def run(self: Neo4jStore, tx: ManagedTransaction, statement: str,
            params: dict[str, Any]) -> list[Record]:
        if not raced:  # after the plan of the write below, before its first batch
            raced.append("bob")
            self.write([person("bob", "Bob", aliases=["Bobby"])], [])
        return real(self, tx, statement, params)
    monkeypatch.setattr(Neo4jStore, "_run_batch", run)
    report = scratch.write([person("ann", "Ann"), person("bob", "Bob B.")], [family("ann", "bob")])
    monkeypatch.undo()
    assert (report.nodes_added, report.nodes_changed) == (["ann"], ["bob"])
    assert scratch.stats().nodes == 2 and scratch.stats().edges == 1
    assert scratch.get_node("bob").aliases == ["Bobby", "Bob"]


def test_a_node_that_changes_kind_moves_to_its_new_label(scratch: Neo4jStore,
                                                         bolt: BoltServer) -> None:
    scratch.write([person("ann", "Ann")], [])
    moved = person("ann", "Ann").model_copy(update={"kind": "organisation"})
    try:
        scratch.write([moved], [])
    except Exception as exc:
        if bolt.standin:
            pytest.skip(f"ArcadeDB cannot change a node's labels in place ({type(exc).__name__}); "
                        "Neo4j can")
        raise
    assert scratch.get_node("ann").kind == "organisation"
    assert [n.id for n in scratch.iter_nodes(kind=moved.kind)] == ["ann"]


def test_the_server_stops_a_read_that_runs_past_the_read_timeout(bolt: BoltServer) -> None:
    if bolt.standin:
        pytest.skip("ArcadeDB accepts the Bolt transaction timeout but does not enforce it; "
                    "Neo4j aborts the transaction")
    store = Neo4jStore.from_settings(bolt.settings_for(neo4j_read_timeout_s=0.05))
    with pytest.raises(QueryTimeout, match=r"stopped a read after the 0\.05 s limit"):
        store._read("UNWIND range(1, 200000000) AS x RETURN count(x) AS n")


def test_node_ids_are_unique_in_the_database(scratch: Neo4jStore) -> None:
    scratch.write([person("ann", "Ann")], [])
    with pytest.raises(ConstraintError):
        scratch.driver.execute_query("CREATE (:Entity {id: $id})", id="ann",
                                     database_=scratch.database)


@pytest.mark.parametrize("change, message", [
    ({"NEO4J_PASSWORD": "not-the-password"}, "refused the credentials"),
    ({"NEO4J_URI": "bolt://127.0.0.1:9"}, "cannot reach Neo4j at bolt://127.0.0.1:9"),
    ({"NEO4J_DATABASE": "no-such-database"}, "has no database 'no-such-database'"),
    ({"NEO4J_URI": "ftp://127.0.0.1:7687"}, "cannot use NEO4J_URI"),
])
def test_a_server_that_cannot_be_used_gives_one_clear_message(
        bolt: BoltServer, change: dict[str, str], message: str,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = bolt.settings
    env = {"REPGRAPH_BACKEND": "neo4j", "NEO4J_URI": s.neo4j_uri, "NEO4J_USER": s.neo4j_user,
           "NEO4J_PASSWORD": s.neo4j_password, "NEO4J_DATABASE": s.neo4j_database, **change}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(StoreUnavailable, match=message):
            Neo4jStore.from_settings(get_settings())
        assert main(["stats"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_touch_gives_the_content_a_new_version(
        scratch: Neo4jStore, bolt: BoltServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    scratch.write([person("ann", "Ann")], [])
    before = scratch.version
    s = bolt.settings_for(bolt.scratch)
    for key, value in {"REPGRAPH_BACKEND": "neo4j", "NEO4J_URI": s.neo4j_uri,
                       "NEO4J_USER": s.neo4j_user, "NEO4J_PASSWORD": s.neo4j_password,
                       "NEO4J_DATABASE": s.neo4j_database}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        assert main(["touch"]) == 0
    finally:
        get_settings.cache_clear()
    scratch.version_ttl_s = 0
    assert scratch.version != before
    assert capsys.readouterr().out == f"version: {scratch.version}\n"
    assert [n.id for n in scratch.iter_nodes()] == ["ann"]
