"""The native loader: every error located and reported together, nothing written on failure."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from graph.errors import InvalidData
from graph.memory import MemoryStore
from loaders import native

SOURCE = """\
source: doc
nodes:
  - id: doc
    kind: source
    name: A test document
    footnotes: {"1": "https://example.org/one"}
    cite: ["1"]
  - id: ann
    kind: person
    name: Ann Example
    cite: ["1.1"]
  - id: org
    kind: organisation
    name: Example Movement
    cite: ["1.1"]
edges:
  - {type: MEMBER_OF, from: ann, to: org, cite: ["1.1 fn1"]}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(paths: list[Path], store: MemoryStore) -> list[str]:
    with pytest.raises(InvalidData) as info:
        native.load(paths, store)
    return [str(p) for p in info.value.problems]


def test_the_bundled_dataset_is_valid(dataset_dir: Path, empty_store: MemoryStore) -> None:
    nodes, edges = native.read_dataset([dataset_dir], empty_store)
    assert len(nodes) > 40 and len(edges) > 60


def test_a_valid_file_loads_with_footnote_urls_resolved(tmp_path: Path,
                                                        empty_store: MemoryStore) -> None:
    report = native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    assert sorted(report.nodes_added) == ["ann", "doc", "org"]
    (edge,) = empty_store.incident_edges("ann")
    (cite,) = edge.citations
    assert (cite.source, cite.paragraph, cite.footnote, cite.url) == (
        "doc", "1.1", 1, "https://example.org/one")
    assert cite.locator == "para 1.1, fn 1"


@pytest.mark.parametrize(("record", "expected"), [
    ("  - {id: bob, kind: persn, name: Bob, cite: ['1.1']}",
     "bad.yaml:3: nodes[0].kind: Input should be 'person', 'organisation', 'agency', 'case', "
     "'law', 'event', 'list' or 'source'"),
    ("  - {id: Bob Smith, kind: person, name: Bob, cite: ['1.1']}",
     "bad.yaml:3: nodes[0].id: 'Bob Smith' is not a valid id: use lower-case letters, digits and "
     "single hyphens"),
    ("  - {id: bob, kind: person, name: Bob, roles: [wizard], cite: ['1.1']}",
     "bad.yaml:3: nodes[0]: unknown roles ['wizard']; allowed:"),
    ("  - {id: bob, kind: person, name: Bob, died: 2019-13, cite: ['1.1']}",
     "bad.yaml:3: nodes[0]: person property 'died' must be YYYY, YYYY-MM or YYYY-MM-DD, "
     "got '2019-13'"),
    ("  - {id: bob, kind: person, name: Bob, cite: ['para two']}",
     "bad.yaml:3: nodes[0].cite[0]: 'para two' is not a citation: write '2.7', '2.7 fn9' or "
     "'front'"),
    ("  - {id: bob, kind: person, name: Bob, cite: ['1.1 fn7']}",
     "bad.yaml:3: cite: footnote 7 is not listed in source 'doc'"),
])
def test_node_errors_name_file_line_and_field(tmp_path: Path, empty_store: MemoryStore,
                                              record: str, expected: str) -> None:
    native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    bad = write(tmp_path, "bad.yaml", f"source: doc\nnodes:\n{record}\n")
    problems = problems_of([bad], empty_store)
    assert len(problems) == 1
    assert problems[0].startswith(str(tmp_path / expected.split(":", 1)[0]) + ":" +
                                  expected.split(":", 1)[1])


@pytest.mark.parametrize(("record", "expected"), [
    ("  - {type: KNOWS, from: ann, to: org, cite: ['1.1']}",
     "edges[0]: unknown relationship type 'KNOWS'"),
    ("  - {type: MEMBER_OF, from: ann, to: nobody, cite: ['1.1']}",
     "to: unknown entity 'nobody'"),
    ("  - {type: MEMBER_OF, from: org, to: ann, cite: ['1.1']}",
     "to: MEMBER_OF cannot end at a person (ann); allowed: organisation"),
    ("  - {type: MEMBER_OF, from: ann, to: org}",
     "edges[0].cite: List should have at least 1 item after validation, not 0"),
    ("  - {type: FAMILY_OF, from: ann, to: ann, cite: ['1.1']}",
     "edges[0]: FAMILY_OF requires relation"),
    ("  - {type: MEMBER_OF, from: ann, to: org, colour: red, cite: ['1.1']}",
     "edges[0]: MEMBER_OF has no property 'colour'; allowed: role"),
    ("  - {type: MEMBER_OF, from: ann, to: org, date: 2020, end: 2019, cite: ['1.1']}",
     "edges[0]: end 2019 is before date 2020"),
    ("  - {type: MEMBER_OF, from: ann, to: org, certainty: alleged, cite: ['1.1']}",
     "edges[0]: a alleged fact needs claimed_by: who claims it"),
])
def test_edge_errors_name_file_line_and_field(tmp_path: Path, empty_store: MemoryStore,
                                              record: str, expected: str) -> None:
    native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    bad = write(tmp_path, "bad.yaml", f"source: doc\nedges:\n{record}\n")
    problems = problems_of([bad], empty_store)
    assert problems == [f"{tmp_path / 'bad.yaml'}:3: {expected}"]


def test_yaml_syntax_error_names_the_line(tmp_path: Path, empty_store: MemoryStore) -> None:
    bad = write(tmp_path, "bad.yaml", "source: doc\nnodes:\n  - {id: x, kind: person\n")
    (problem,) = problems_of([bad], empty_store)
    assert problem.startswith(f"{bad}:4: YAML syntax:")


def test_paragraph_numbers_are_not_read_as_numbers(tmp_path: Path,
                                                   empty_store: MemoryStore) -> None:
    text = SOURCE.replace("cite: [\"1.1\"]\n  - id: org", "cite: [2.10]\n  - id: org")
    native.load([write(tmp_path, "a.yaml", text)], empty_store)
    assert empty_store.get_node("ann").citations[0].paragraph == "2.10"


def test_duplicate_ids_across_files_are_reported_with_both_places(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    a = write(tmp_path, "a.yaml", SOURCE)
    b = write(tmp_path, "b.yaml", "source: doc\nnodes:\n  - {id: ann, kind: person, name: A}\n")
    (problem,) = problems_of([a, b], empty_store)
    assert problem == f"{b}:3: id: duplicate id 'ann' (first at {a}:8)"


def test_all_errors_of_a_load_are_reported_together_and_nothing_is_written(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    good = write(tmp_path, "a.yaml", SOURCE)
    bad = write(tmp_path, "b.yaml", """\
        source: doc
        nodes:
          - {id: bob, kind: persn, name: Bob}
          - {id: cy, kind: person, name: ""}
        edges:
          - {type: MEMBER_OF, from: bob, to: org, cite: ['1.1']}
          - {type: NOPE, from: ann, to: org, cite: ['1.1']}
        """)
    problems = problems_of([good, bad], empty_store)
    assert [p.split(": ")[0] for p in problems] == [f"{bad}:3", f"{bad}:4", f"{bad}:7", f"{bad}:6"]
    assert empty_store.stats().nodes == 0
    assert empty_store.snapshot_path is not None and not empty_store.snapshot_path.exists()


def test_a_failed_load_leaves_previous_data_untouched(tmp_path: Path,
                                                      empty_store: MemoryStore) -> None:
    native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    assert empty_store.snapshot_path is not None
    before = empty_store.snapshot_path.read_bytes()
    bad = write(tmp_path, "b.yaml", """\
        source: doc
        nodes:
          - {id: dan, kind: person, name: Dan, cite: ['1.1']}
          - {id: ann, kind: person, name: Ann Renamed, cite: ['1.1']}
        edges:
          - {type: MEMBER_OF, from: dan, to: ghost, cite: ['1.1']}
        """)
    problems_of([bad], empty_store)
    assert empty_store.snapshot_path.read_bytes() == before
    assert not empty_store.has_node("dan")
    assert empty_store.get_node("ann").name == "Ann Example"


def test_reloading_the_same_files_changes_nothing(dataset_dir: Path,
                                                  empty_store: MemoryStore) -> None:
    first = native.load([dataset_dir], empty_store)
    assert first.nodes_added and first.edges_added
    assert empty_store.snapshot_path is not None
    before = empty_store.snapshot_path.read_bytes()
    again = native.load([dataset_dir], empty_store)
    assert not again.changed_anything
    assert again.unchanged == len(first.nodes_added) + len(first.edges_added)
    assert empty_store.snapshot_path.read_bytes() == before


SECOND = """\
    source: doc2
    nodes:
      - {id: doc2, kind: source, name: Second report, cite: ['1']}
    edges:
      - {type: MEMBER_OF, from: ann, to: org, role: founder, cite: ['4']}
    """


def test_a_second_source_refers_to_the_first_sources_entities_without_redefining_them(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    """Ids are local to their source: another source names them as an edge's ends."""
    native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    report = native.load([write(tmp_path, "b.yaml", SECOND)], empty_store)
    assert report.nodes_added == ["doc2"] and report.nodes_changed == []
    assert report.edges_changed == ["ann|MEMBER_OF|org"]
    ann = empty_store.get_node("ann")
    assert ann.source == "doc" and [c.source for c in ann.citations] == ["doc"]
    assert empty_store.get_node("doc2").source == "doc2"
    (edge,) = empty_store.incident_edges("ann")
    assert edge.properties == {"role": "founder"}
    assert {c.source for c in edge.citations} == {"doc", "doc2"}


def test_a_second_source_defining_an_id_is_refused_with_file_line_and_both_sources(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    before = empty_store.snapshot_path.read_bytes()
    second = write(tmp_path, "b.yaml", SECOND.replace(
        "    edges:", "      - {id: ann, kind: person, name: Ann Example, cite: ['3']}\n    edges:"))
    with pytest.raises(InvalidData) as info:
        native.load([second], empty_store)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(second), 4, "id")
    assert "source 'doc'" in problem.message and "source 'doc2'" in problem.message
    assert empty_store.snapshot_path.read_bytes() == before
    assert not empty_store.has_node("doc2")


def test_two_sources_defining_an_id_in_one_load_are_refused_naming_both(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    first = write(tmp_path, "a.yaml", SOURCE)
    second = write(tmp_path, "b.yaml", SECOND.replace(
        "    edges:", "      - {id: ann, kind: person, name: Ann Example, cite: ['3']}\n    edges:"))
    messages = problems_of([first, second], empty_store)
    assert messages[0] == (f"{second}:4: id: duplicate id 'ann' (first at {first}:8): defined "
                           "by source 'doc' there and by source 'doc2' here; ids are local to "
                           "their source")
    assert empty_store.stats().nodes == 0


def test_a_correction_by_the_same_source_merges_by_id(tmp_path: Path,
                                                      empty_store: MemoryStore) -> None:
    native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    report = native.load([write(tmp_path, "c.yaml", """\
        source: doc
        nodes:
          - {id: ann, kind: person, name: Ann Example, aliases: [Анна], roles: [journalist],
             cite: ['3']}
        """)], empty_store)
    assert report.nodes_changed == ["ann"]
    ann = empty_store.get_node("ann")
    assert ann.aliases == ["Анна"] and ann.roles == ["journalist"] and ann.source == "doc"
    assert [(c.source, c.paragraph) for c in ann.citations] == [("doc", "1.1"), ("doc", "3")]


def test_replace_makes_the_store_hold_exactly_the_files(tmp_path: Path,
                                                        empty_store: MemoryStore) -> None:
    native.load([write(tmp_path, "a.yaml", SOURCE)], empty_store)
    smaller = write(tmp_path, "s.yaml", SOURCE.split("edges:")[0].replace(
        "  - id: org\n    kind: organisation\n    name: Example Movement\n    cite: [\"1.1\"]\n", ""))
    report = native.load([smaller], empty_store, replace=True)
    assert report.nodes_removed == ["org"] and report.edges_removed == ["ann|MEMBER_OF|org"]
    assert not empty_store.has_node("org") and empty_store.stats().edges == 0


def test_missing_path_is_reported(tmp_path: Path, empty_store: MemoryStore) -> None:
    problems = problems_of([tmp_path / "nope.yaml"], empty_store)
    assert problems[0] == f"{tmp_path / 'nope.yaml'}: no such file or directory"


RESTRICTED_ANN = SOURCE.replace("    name: Ann Example\n",
                                "    name: Ann Example\n    sensitivity: restricted\n")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_reloading_a_file_that_leaves_out_sensitivity_keeps_a_restricted_person_restricted(
        tmp_path: Path, empty_store: MemoryStore, suffix: str) -> None:
    native.load([write(tmp_path, "a.yaml", RESTRICTED_ANN)], empty_store)
    again = tmp_path / f"again{suffix}"
    again.write_text(SOURCE if suffix == ".yaml" else json.dumps(yaml.safe_load(SOURCE)))
    report = native.load([again], empty_store)
    assert empty_store.get_node("ann").restricted and report.sensitivity_changes == []


def test_a_file_that_says_sensitivity_public_makes_a_person_public_and_the_load_says_so(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    native.load([write(tmp_path, "a.yaml", RESTRICTED_ANN)], empty_store)
    public = RESTRICTED_ANN.replace("sensitivity: restricted", "sensitivity: public")
    report = native.load([write(tmp_path, "b.yaml", public)], empty_store)
    assert not empty_store.get_node("ann").restricted
    assert [(c.id, c.before, c.after) for c in report.sensitivity_changes] == [
        ("ann", "restricted", "public")]
