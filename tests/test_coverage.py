"""`repgraph stats --by-source`: what each source adds and confirms, each entity once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from config import Settings

SOURCES = {
    "list-2017": ("2017-06", ["Ann Example", "Bob Other"], ["case-ann"]),
    "list-2018": ("2018-04", ["Ann Example", "Bob Other", "Cem New"], []),
    "report-2020": ("2020-11", ["Anna Exampleova"], ["case-ann"]),
}


def _write(folder: Path) -> None:
    for source, (date, people, cases) in SOURCES.items():
        lines = [f"source: {source}", "nodes:",
                 f"  - {{id: {source}, kind: source, name: {source}, date: '{date}'}}"]
        for name in people:
            slug = name.lower().replace(" ", "-")
            lines.append(f"  - {{id: {source}-{slug}, kind: person, name: {name}, cite: ['1']}}")
        lines += [f"  - {{id: {source}-{c}, kind: case, name: Case of Ann, cite: ['1']}}"
                  for c in cases]
        (folder / source).mkdir(parents=True)
        (folder / source / "records.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _decide(stored: str, incoming: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["review", "pair", stored, incoming]) == 0
    candidate = capsys.readouterr().out.split()[0]
    assert main(["review", "decide", candidate, "same", "--note", "same case, same dates"]) == 0


def test_a_person_relisted_in_an_update_is_added_once_and_confirmed_after(
        command_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    _write(command_settings.dataset_dir)
    assert main(["load", "--replace", str(command_settings.dataset_dir)]) == 0
    capsys.readouterr()
    assert main(["--json", "stats", "--by-source"]) == 0
    before = json.loads(capsys.readouterr().out)
    # no decision yet: every source's records are entities of their own
    assert before["people"] == 6
    _decide("list-2017-ann-example", "list-2018-ann-example", capsys)
    _decide("list-2017-bob-other", "list-2018-bob-other", capsys)
    _decide("list-2017-ann-example", "report-2020-anna-exampleova", capsys)
    _decide("list-2017-case-ann", "report-2020-case-ann", capsys)
    capsys.readouterr()
    assert main(["--json", "stats", "--by-source"]) == 0
    after = json.loads(capsys.readouterr().out)
    rows = {r["source"]["id"]: r for r in after["sources"]}
    assert [r["source"]["id"] for r in after["sources"]] == list(SOURCES)  # oldest first
    assert (rows["list-2017"]["people_added"], rows["list-2017"]["people_confirmed"]) == (2, 0)
    assert (rows["list-2018"]["people_added"], rows["list-2018"]["people_confirmed"]) == (1, 2)
    assert (rows["report-2020"]["people_added"], rows["report-2020"]["people_confirmed"]) == (0, 1)
    assert (rows["report-2020"]["cases_added"], rows["report-2020"]["cases_confirmed"]) == (0, 1)
    assert rows["list-2018"]["nodes"] == 3 and after["people"] == 3 and after["cases"] == 1
    assert main(["stats", "--by-source", "--beyond", "report-2020"]) == 0
    assert ("distinct people: 3; distinct cases: 1; people no record of report-2020 states: 2"
            in capsys.readouterr().out)


def test_the_dataset_holds_many_sources_and_about_a_hundred_people_beyond_the_founding_one(
        dataset_dir: Path, tmp_path: Path) -> None:
    """The record across sources (issue 20): the public dataset alone, with its decisions."""
    from graph import with_decisions
    from graph.coverage import coverage
    from graph.memory import MemoryStore
    from loaders import native

    base = MemoryStore()
    native.load([dataset_dir], base)
    store = with_decisions(base, Settings(dataset_dir=dataset_dir,
                                          private_dataset_dir=tmp_path / "none"))
    found = coverage(store)
    founding = next(r for r in found.sources if r.source.id == "kz-upr48-2024")
    assert len(found.sources) - 1 >= 5
    beyond = found.people - founding.people_added - founding.people_confirmed
    assert beyond >= 90, beyond
    # people the list updates name again count once: confirmed, not added again
    assert sum(r.people_added for r in found.sources) == found.people
    assert sum(r.people_confirmed for r in found.sources) >= 50
