"""The `GraphStore` contract, on every backend: writes, merges, replace, refusals, reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InvalidData
from graph.results import SensitivityChange
from graph.store import GraphStore
from loaders import native
from schema.models import Citation, Edge, Node
from schema.vocabulary import Sensitivity

CITE = [Citation(source="kz-upr48-2024", paragraph="3.7")]


def person(node_id: str, name: str, **fields: object) -> Node:
    return Node.model_validate({"id": node_id, "kind": "person", "name": name,
                                "citations": CITE, **fields})


def family(source: str, target: str, relation: str = "brother") -> Edge:
    return Edge(type="FAMILY_OF", source=source, target=target,
                properties={"relation": relation}, citations=CITE)


def test_the_dataset_reads_back_exactly_as_it_was_written(blank_store: GraphStore,
                                                          dataset_dir: Path) -> None:
    nodes, edges = native.read_dataset([dataset_dir], blank_store)
    blank_store.write(nodes, edges)
    assert blank_store.find_nodes(n.id for n in nodes) == {n.id: n for n in nodes}
    assert blank_store.find_edges(e.id for e in edges) == {e.id: e for e in edges}
    assert sorted(blank_store.iter_nodes(), key=lambda n: n.id) == sorted(nodes, key=lambda n: n.id)
    assert sorted(blank_store.iter_edges(), key=lambda e: e.id) == sorted(edges, key=lambda e: e.id)


def test_loading_twice_changes_nothing(blank_store: GraphStore, dataset_dir: Path) -> None:
    first = native.load([dataset_dir], blank_store)
    before = blank_store.stats()
    second = native.load([dataset_dir], blank_store)
    assert not second.changed_anything
    assert second.unchanged == len(first.nodes_added) + len(first.edges_added)
    assert blank_store.stats() == before


def test_a_second_source_adds_to_what_the_first_said(blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann", roles=["activist"])], [])
    report = blank_store.write([person("ann", "Ann B.", roles=["journalist"], aliases=["Anna"])], [])
    assert report.nodes_changed == ["ann"]
    ann = blank_store.get_node("ann")
    assert (ann.name, ann.roles, ann.aliases) == ("Ann B.", ["activist", "journalist"], ["Anna", "Ann"])


def test_replace_leaves_exactly_the_new_records(blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann"), person("bob", "Bob"), person("cat", "Cat")],
                      [family("ann", "bob"), family("bob", "cat")])
    report = blank_store.write([person("ann", "Ann", roles=["lawyer"]), person("bob", "Bob"),
                                person("dan", "Dan")],
                               [family("ann", "bob", "sister"), family("dan", "ann")],
                               replace=True)
    assert (report.nodes_added, report.nodes_changed) == (["dan"], ["ann", "bob"])
    assert (report.nodes_removed, report.edges_removed) == (["cat"], ["bob|FAMILY_OF|cat"])
    assert (report.edges_added, report.edges_changed) == (["dan|FAMILY_OF|ann"],
                                                          ["ann|FAMILY_OF|bob"])
    assert {n.id for n in blank_store.iter_nodes()} == {"ann", "bob", "dan"}
    edge = blank_store.find_edges(["ann|FAMILY_OF|bob"])["ann|FAMILY_OF|bob"]
    assert edge.properties == {"relation": "sister"} and blank_store.stats().edges == 2
    assert blank_store.get_node("ann").roles == ["lawyer"]


def test_a_write_links_new_records_to_stored_ones(blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann"), person("cat", "Cat")], [family("cat", "ann")])
    report = blank_store.write([person("ann", "Ann", roles=["lawyer"]), person("bob", "Bob")],
                               [family("ann", "bob"), family("bob", "cat"), family("cat", "ann")])
    assert (report.nodes_added, report.nodes_changed) == (["bob"], ["ann"])
    assert report.edges_added == ["ann|FAMILY_OF|bob", "bob|FAMILY_OF|cat"]
    assert sorted((e.source, e.target) for e in blank_store.iter_edges()) == [
        ("ann", "bob"), ("bob", "cat"), ("cat", "ann")]
    assert blank_store.degree("ann") == blank_store.degree("bob") == 2


def test_a_record_given_twice_in_one_write_is_stored_once_as_given_last(
        blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann"), person("bob", "Bob"), person("bob", "Bob B.")],
                      [family("ann", "bob"), family("ann", "bob", "sister")])
    assert blank_store.stats().nodes == 2 and blank_store.stats().edges == 1
    assert blank_store.get_node("bob").name == "Bob B."
    (edge,) = blank_store.iter_edges()
    assert edge.properties == {"relation": "sister"}


def test_an_edge_to_nowhere_is_refused_and_changes_nothing(blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann")], [])
    with pytest.raises(InvalidData, match="endpoint 'ghost' does not exist"):
        blank_store.write([person("bob", "Bob")], [family("bob", "ghost")])
    assert [n.id for n in blank_store.iter_nodes()] == ["ann"]
    assert blank_store.stats().edges == 0


OTHER = [Citation(source="other-report", paragraph="1")]


def test_a_record_another_source_defines_is_refused_naming_both_and_changes_nothing(
        blank_store: GraphStore) -> None:
    """Ids are local to their source: no writer, on any backend, can redefine another's."""
    blank_store.write([person("ann", "Ann")], [])
    version = blank_store.version
    with pytest.raises(InvalidData) as info:
        blank_store.write([person("bob", "Bob"), person("ann", "Ann", citations=OTHER)],
                          [family("bob", "ann")])
    (problem,) = info.value.problems
    assert problem.field == "node ann"
    assert "source 'kz-upr48-2024'" in problem.message and "source 'other-report'" in \
        problem.message
    assert [n.id for n in blank_store.iter_nodes()] == ["ann"]
    assert blank_store.get_node("ann").source == "kz-upr48-2024"
    assert blank_store.stats().edges == 0 and blank_store.version == version


def test_two_sources_defining_one_id_in_one_write_are_refused(blank_store: GraphStore) -> None:
    with pytest.raises(InvalidData, match="already defined by source 'kz-upr48-2024'"):
        blank_store.write([person("ann", "Ann"), person("ann", "Ann", source="other-report")], [])
    assert blank_store.stats().nodes == 0


def test_another_source_refers_to_a_stored_entity_by_an_edge(blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann")], [])
    report = blank_store.write(
        [person("bob", "Bob", citations=OTHER)],
        [Edge(type="FAMILY_OF", source="bob", target="ann", properties={"relation": "brother"},
              citations=OTHER)])
    assert report.nodes_added == ["bob"] and report.nodes_changed == []
    assert blank_store.get_node("ann").source == "kz-upr48-2024"
    assert blank_store.get_node("bob").source == "other-report"
    assert blank_store.degree("ann") == 1


def test_a_record_whose_citations_name_several_sources_is_checked_against_nothing(
        blank_store: GraphStore) -> None:
    """As an older snapshot's merged record: its definer is unknown, so the first that
    writes it again with a source defines it from then on."""
    blank_store.write([person("ann", "Ann", citations=CITE + OTHER)], [])
    assert blank_store.get_node("ann").source is None
    blank_store.write([person("ann", "Ann", citations=OTHER)], [])
    assert blank_store.get_node("ann").source == "other-report"


def test_incident_edges_and_degree_agree(blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann"), person("bob", "Bob"), person("cat", "Cat")],
                      [family("ann", "bob"), family("bob", "ann", "sister"), family("cat", "bob")])
    ids = [e.id for e in blank_store.incident_edges("bob")]
    assert ids == sorted(ids) and len(ids) == blank_store.degree("bob") == 3
    assert [e.id for e in blank_store.incident_edges("bob", offset=1, limit=1)] == ids[1:2]
    assert blank_store.incident_edges("bob", ["ASSOCIATE_OF"]) == []
    assert blank_store.incident_edges("nobody") == [] and blank_store.degree("nobody") == 0


def test_clear_empties_the_store(blank_store: GraphStore, dataset_dir: Path) -> None:
    native.load([dataset_dir], blank_store)
    blank_store.clear()
    assert blank_store.stats().nodes == 0 and blank_store.stats().edges == 0


def test_a_record_that_does_not_state_its_sensitivity_keeps_the_stored_one(
        blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann", sensitivity="restricted")], [])
    report = blank_store.write([person("ann", "Ann", roles=["lawyer"]), person("bob", "Bob")], [])
    assert report.nodes_changed == ["ann"] and report.sensitivity_changes == []
    assert blank_store.get_node("ann").restricted and not blank_store.get_node("bob").restricted


def test_only_an_explicit_public_makes_a_restricted_node_public_and_the_write_says_so(
        blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann", sensitivity="restricted")], [])
    report = blank_store.write([person("ann", "Ann", sensitivity="public")], [])
    assert report.sensitivity_changes == [
        SensitivityChange(id="ann", before=Sensitivity.RESTRICTED, after=Sensitivity.PUBLIC)]
    assert report.nodes_changed == ["ann"] and "1 made public" in report.summary()
    assert not blank_store.get_node("ann").restricted


def test_replace_keeps_a_restricted_node_restricted_unless_told_otherwise(
        blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann", sensitivity="restricted"),
                       person("bob", "Bob", sensitivity="restricted")], [])
    report = blank_store.write([person("ann", "Ann"), person("bob", "Bob", sensitivity="public")],
                               [], replace=True)
    assert blank_store.get_node("ann").restricted and not blank_store.get_node("bob").restricted
    assert [c.id for c in report.sensitivity_changes] == ["bob"]


def test_a_record_given_twice_keeps_the_sensitivity_the_first_one_stated(
        blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann", sensitivity="restricted"), person("ann", "Ann B.")], [])
    assert blank_store.get_node("ann").restricted


# -- the content's version --------------------------------------------------------
def test_the_version_changes_with_a_write_that_changes_something_and_only_then(
        blank_store: GraphStore) -> None:
    empty = blank_store.version
    assert blank_store.version == empty
    blank_store.write([person("ann", "Ann"), person("bob", "Bob")], [family("ann", "bob")])
    written = blank_store.version
    assert written != empty
    assert blank_store.version == written
    report = blank_store.write([person("ann", "Ann"), person("bob", "Bob")], [family("ann", "bob")])
    assert not report.changed_anything
    assert blank_store.version == written, "the same records again change nothing"
    blank_store.write([person("bob", "Bob", roles=["lawyer"])], [])
    assert blank_store.version not in (empty, written)


def test_clear_and_replace_change_the_version(blank_store: GraphStore) -> None:
    blank_store.write([person("ann", "Ann"), person("bob", "Bob")], [family("ann", "bob")])
    loaded = blank_store.version
    blank_store.clear()
    cleared = blank_store.version
    assert cleared != loaded
    blank_store.write([person("ann", "Ann"), person("bob", "Bob")], [family("ann", "bob")])
    reloaded = blank_store.version
    assert reloaded not in (loaded, cleared), \
        "the same records loaded anew must not bring back the version from before the clear"
    blank_store.write([person("ann", "Ann")], [], replace=True)
    assert blank_store.version not in (loaded, cleared, reloaded)


def test_edges_between_two_nodes_either_way_round(kz_store: GraphStore) -> None:
    found = kz_store.edges_between("bota-jardemalie", "iskander-yerimbetov")
    assert {e.type for e in found} >= {"FAMILY_OF", "TARGETED_THROUGH_RELATIVE"}
    assert found == kz_store.edges_between("iskander-yerimbetov", "bota-jardemalie")
    assert [e.type for e in kz_store.edges_between(
        "bota-jardemalie", "iskander-yerimbetov", ["FAMILY_OF"])] == ["FAMILY_OF"]
    assert kz_store.edges_between("bota-jardemalie", "no-such-entity") == []
