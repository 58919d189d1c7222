"""CSV interchange: a lossless round trip, and row errors located by file, line and column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from exporters.csv_format import write_csv
from graph.errors import InvalidData
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import csv_format

NODES = """\
id,kind,name,aliases,roles,sensitivity,group,count,properties,citations
doc,source,A test document,,,,,,"{""footnotes"": {""1"": ""https://example.org/one""}}",
ann,person,Ann Example,Анна;A. Example,journalist;activist,,,,"{""died"": ""2020""}",\
"[{""source"": ""doc"", ""paragraph"": ""1.1""}]"
org,organisation,Example Movement,,,,,,,"[{""source"": ""doc"", ""paragraph"": ""1.2""}]"
"""
EDGES = """\
type,source,target,date,properties,citations
MEMBER_OF,ann,org,2019-06,"{""role"": ""founder""}",\
"[{""source"": ""doc"", ""paragraph"": ""1.2"", ""footnote"": 1}]"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def dump(store: GraphStore) -> tuple[dict[str, object], dict[str, object]]:
    return ({n.id: n.model_dump(mode="json") for n in store.iter_nodes()},
            {e.id: e.model_dump(mode="json") for e in store.iter_edges()})


def problems_of(paths: list[Path], store: MemoryStore) -> list[str]:
    with pytest.raises(InvalidData) as info:
        csv_format.load_tables(paths, store)
    return [str(p) for p in info.value.problems]


def test_a_valid_pair_of_tables_loads_with_footnote_urls_resolved(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    write(tmp_path, "nodes.csv", NODES)
    write(tmp_path, "edges.csv", EDGES)
    report = csv_format.load_tables([tmp_path], empty_store)
    assert sorted(report.nodes_added) == ["ann", "doc", "org"]
    ann = empty_store.get_node("ann")
    assert ann.aliases == ["Анна", "A. Example"] and ann.roles == ["journalist", "activist"]
    assert ann.properties == {"died": "2020"}
    (edge,) = empty_store.incident_edges("ann")
    assert edge.date == "2019-06" and edge.properties == {"role": "founder"}
    assert edge.citations[0].url == "https://example.org/one"


def test_export_then_import_into_an_empty_store_gives_the_same_graph(
        kz_store: GraphStore, tmp_path: Path) -> None:
    files = write_csv(kz_store, tmp_path / "out")
    assert sorted(p.name for p in files) == ["edges.csv", "nodes.csv"]
    fresh = MemoryStore(tmp_path / "fresh")
    csv_format.load_tables([tmp_path / "out"], fresh)
    assert dump(fresh) == dump(kz_store)


def test_semicolons_inside_list_items_survive_a_round_trip() -> None:
    items = ["a;b", "back\\slash", "plain"]
    assert csv_format.split_list(csv_format.join_list(items)) == items


@pytest.mark.parametrize(("row", "expected"), [
    ("bob,persn,Bob,,,,,,,", "nodes.csv:3: kind: Input should be 'person', 'organisation', "
     "'agency', 'case', 'law', 'event', 'list' or 'source'"),
    ("bob,person,Bob,,wizard,,,,,", "nodes.csv:3: roles: unknown roles ['wizard']"),
    ("bob,person,Bob,,,,maybe,,,", "nodes.csv:3: group: 'maybe' is not true or false"),
    ("bob,person,Bob,,,,,,{died: 1},", "nodes.csv:3: properties: not valid JSON"),
    ('bob,person,Bob,,,,,,"{""died"": ""2019-13""}",',
     "nodes.csv:3: properties: person property 'died' must be YYYY, YYYY-MM or YYYY-MM-DD"),
    ('bob,person,Bob,,,,,,,"[{""paragraph"": ""1.1""}]"',
     "nodes.csv:3: citations[0].source: Field required"),
    ('bob,person,Bob,,,,,,,"[{""source"": ""nowhere""}]"',
     "nodes.csv:3: citations: source 'nowhere' is not a known source document"),
])
def test_node_row_errors_name_file_line_and_column(tmp_path: Path, empty_store: MemoryStore,
                                                   row: str, expected: str) -> None:
    write(tmp_path, "nodes.csv", NODES.splitlines()[0] + "\n" + NODES.splitlines()[1] + "\n"
          + row + "\n")
    (problem,) = problems_of([tmp_path / "nodes.csv"], empty_store)
    assert problem.startswith(f"{tmp_path}/{expected}")


@pytest.mark.parametrize(("row", "expected"), [
    ('KNOWS,ann,org,,,"[{""source"": ""doc""}]"', "edges.csv:2: type: unknown relationship type"),
    ('MEMBER_OF,ann,ghost,,,"[{""source"": ""doc""}]"', "edges.csv:2: target: unknown entity 'ghost'"),
    ('MEMBER_OF,org,ann,,,"[{""source"": ""doc""}]"',
     "edges.csv:2: target: MEMBER_OF cannot end at a person (ann)"),
    ("MEMBER_OF,ann,org,,,[]", "edges.csv:2: citations: List should have at least 1 item"),
    ('MEMBER_OF,ann,org,2019-1,,"[{""source"": ""doc""}]"', "edges.csv:2: date: '2019-1' is not a date"),
    ('MEMBER_OF,ann,org,,"{""colour"": ""red""}","[{""source"": ""doc""}]"',
     "edges.csv:2: properties: MEMBER_OF has no property 'colour'"),
])
def test_edge_row_errors_name_file_line_and_column(tmp_path: Path, empty_store: MemoryStore,
                                                   row: str, expected: str) -> None:
    write(tmp_path, "nodes.csv", NODES)
    write(tmp_path, "edges.csv", EDGES.splitlines()[0] + "\n" + row + "\n")
    (problem,) = problems_of([tmp_path], empty_store)
    assert problem.startswith(f"{tmp_path}/{expected}")


def test_unknown_and_missing_columns_are_reported_on_the_header_line(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    bad = write(tmp_path, "nodes.csv", "id,kind,colour\nbob,person,red\n")
    assert problems_of([bad], empty_store) == [
        f"{bad}:1: colour: unknown column; expected " + ", ".join(csv_format.NODE_COLUMNS),
        f"{bad}:1: name: required column is missing"]


def test_a_quoted_multi_line_cell_keeps_later_line_numbers_right(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    text = NODES + 'cy,person,Cy,,,,,,,"[{""source"":\n""doc""}]"\ndan,persn,Dan,,,,,,,\n'
    bad = write(tmp_path, "nodes.csv", text)
    (problem,) = problems_of([bad], empty_store)
    assert problem.startswith(f"{bad}:7: kind:")


def test_one_bad_row_means_nothing_is_written(tmp_path: Path, empty_store: MemoryStore) -> None:
    write(tmp_path, "nodes.csv", NODES + "eve,person,,,,,,,,\n")
    write(tmp_path, "edges.csv", EDGES)
    problems = problems_of([tmp_path], empty_store)
    assert problems == [f"{tmp_path}/nodes.csv:5: name: Field required"]
    assert empty_store.stats().nodes == 0
    assert empty_store.snapshot_path is not None and not empty_store.snapshot_path.exists()


def test_an_empty_sensitivity_cell_keeps_a_restricted_person_restricted(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    restricted = NODES.replace("journalist;activist,,", "journalist;activist,restricted,")
    for folder, nodes in (("first", restricted), ("again", NODES)):  # ann's cell is empty again
        (tmp_path / folder).mkdir()
        write(tmp_path, f"{folder}/nodes.csv", nodes)
        write(tmp_path, f"{folder}/edges.csv", EDGES)
    csv_format.load_tables([tmp_path / "first"], empty_store)
    assert empty_store.get_node("ann").restricted
    report = csv_format.load_tables([tmp_path / "again"], empty_store)
    assert empty_store.get_node("ann").restricted and report.sensitivity_changes == []


def test_a_row_takes_its_source_from_the_source_column_or_its_citations(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    write(tmp_path, "nodes.csv", NODES.replace("citations\n", "citations,source\n", 1)
          .replace('""paragraph"": ""1.2""}]"\n', '""paragraph"": ""1.2""}]",doc2\n', 1)
          + "doc2,source,A second document,,,,,,,\n")
    write(tmp_path, "edges.csv", EDGES)
    csv_format.load_tables([tmp_path], empty_store)
    assert [empty_store.get_node(i).source for i in ("doc", "doc2", "ann", "org")] == [
        "doc", "doc2", "doc", "doc2"]


def test_a_row_defining_another_sources_id_is_refused_with_line_and_both_sources(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    write(tmp_path, "nodes.csv", NODES)
    write(tmp_path, "edges.csv", EDGES)
    csv_format.load_tables([tmp_path], empty_store)
    second = tmp_path / "second"
    second.mkdir()
    write(second, "nodes.csv", 'id,kind,name,citations\n'
          'doc2,source,A second document,\n'
          'ann,person,Ann Example,"[{""source"": ""doc2"", ""paragraph"": ""3""}]"\n')
    write(second, "edges.csv", "type,source,target,citations\n")
    (problem,) = problems_of([second], empty_store)
    assert problem.startswith(f"{second}/nodes.csv:3: id: 'ann' is already defined by source "
                              "'doc'; source 'doc2' may refer to it")
    assert not empty_store.has_node("doc2")
