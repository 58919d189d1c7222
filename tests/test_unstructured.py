"""The lint for dates and numbers that only free text holds (`graph.unstructured`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from config import Settings
from graph.memory import MemoryStore
from graph.unstructured import dates_in, numbers_in, read_exceptions, unstructured
from schema.models import Citation, Edge, Node

CITE = [Citation(source="doc", paragraph="2.7")]


def test_dates_are_read_at_the_precision_the_text_gives() -> None:
    text = "left on 2 July 2024, known since April 2024, tried in 2019-2020 (see 2024-07-16)"
    assert list(dates_in(text)) == [("2 July 2024", "2024-07-02"), ("April 2024", "2024-04"),
                                    ("2019", "2019"), ("2020", "2020"),
                                    ("2024-07-16", "2024-07-16")]


def test_counts_are_read_and_references_are_not() -> None:
    text = ("Twenty-four kidnappings; only ten of 874 cases went to trial; 1,151 people; "
            "under Articles 174, 405 and 182 (para 3.7, fn 14) in 2019")
    assert list(numbers_in(text)) == [("874", "874"), ("1,151", "1151"),
                                      ("Twenty-four", "24"), ("ten", "10")]


def _store(**person: object) -> MemoryStore:
    store = MemoryStore()
    store.write([
        Node(id="doc", kind="source", name="Report"),
        Node(id="kz", kind="agency", name="Authorities", citations=CITE),
        Node.model_validate({"id": "kozlov", "kind": "person", "name": "Vladimir Kozlov",
                             "citations": CITE, **person}),
    ], [Edge(type="DETAINED", source="kz", target="kozlov",
          date="2012-01", properties={"note": "held for 20 days in January 2012"},
          citations=CITE)])
    return store


def test_a_date_only_a_description_holds_is_found() -> None:
    found = unstructured(_store(description="Forced to leave Kazakhstan in 2019."))
    assert [(f.record, f.field, f.kind, f.text) for f in found] == [
        ("kozlov", "description", "date", "2019"),
        ("kz|DETAINED|kozlov", "note", "number", "20")]


def test_a_date_a_structured_field_holds_is_not_found() -> None:
    store = _store(description="Forced to leave Kazakhstan in 2019; held in January 2012.")
    store.write([], [Edge(type="LEFT_COUNTRY", source="kozlov", target="kz", date="2019",
                          properties={"country": "Kazakhstan", "forced": True},
                          citations=CITE)])
    assert [f.text for f in unstructured(store) if f.record == "kozlov"] == []


def test_an_exception_must_say_why(tmp_path: Path) -> None:
    path = tmp_path / "unstructured-exceptions.csv"
    path.write_text("record,field,text,why\nkozlov,description,2019,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unstructured-exceptions.csv:2: column 'why'"):
        read_exceptions([path])


def test_the_report_exits_1_while_a_finding_is_unexplained(
        command_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    folder = command_settings.dataset_dir / "src"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "records.yaml").write_text(
        "source: doc\nnodes:\n  - {id: doc, kind: source, name: Report}\n"
        "  - {id: kozlov, kind: person, name: Vladimir Kozlov, cite: ['2.7'],\n"
        "     description: Forced to leave Kazakhstan in 2019.}\n", encoding="utf-8")
    assert main(["load", "--replace", str(command_settings.dataset_dir)]) == 0
    capsys.readouterr()
    assert main(["report", "unstructured"]) == 1
    assert "kozlov description: date '2019'" in capsys.readouterr().out
    (folder / "unstructured-exceptions.csv").write_text(
        "record,field,text,why\nkozlov,description,2019,the source gives no more than this\n",
        encoding="utf-8")
    assert main(["report", "unstructured", "--all"]) == 0
    assert "(explained: the source gives no more than this)" in capsys.readouterr().out


def test_a_sample_draws_the_same_relationships_for_the_same_seed(
        command_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    folder = command_settings.dataset_dir / "src"
    folder.mkdir(parents=True, exist_ok=True)
    people = "\n".join(f"  - {{id: p{i}, kind: person, name: Person {i}, cite: ['1']}}"
                       for i in range(6))
    edges = "\n".join(f"  - {{type: ASSOCIATE_OF, from: p{i}, to: p{i + 1}, cite: ['1']}}"
                      for i in range(5))
    (folder / "records.yaml").write_text(
        f"source: doc\nnodes:\n  - {{id: doc, kind: source, name: Report}}\n{people}\n"
        f"edges:\n{edges}\n", encoding="utf-8")
    assert main(["load", "--replace", str(command_settings.dataset_dir)]) == 0
    capsys.readouterr()
    runs = []
    for _ in range(2):
        assert main(["report", "sample", "--size", "3", "--seed", "7"]) == 0
        runs.append(capsys.readouterr().out)
    assert runs[0] == runs[1] and "3 of 5 relationships (seed 7)" in runs[0]
    assert main(["report", "sample", "--not-source", "doc"]) == 0
    assert "0 of 0 relationships" in capsys.readouterr().out
