"""Each value knows its sources: two sources that agree give one value stated by both, two
that disagree give both values side by side, and undoing the merge gives back each source's
record as it was. On the embedded store and over Bolt."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from cli.main import main
from config import Settings
from exporters.formats import export_to
from graph import with_decisions
from graph.identity import Judgement, entity_candidate
from graph.memory import MemoryStore
from graph.public import PublicView
from graph.review import ReviewFiles
from graph.statements import disagreements, facts_of, stated_by
from graph.store import GraphStore
from loaders import csv_format
from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind, Sensitivity

FIRST, SECOND = "first-report", "second-report"


def _source(source_id: str) -> Node:
    return Node(id=source_id, kind=NodeKind.SOURCE, name=f"The {source_id} (fictional)",
                citations=[Citation(source=source_id)])


def _person(node_id: str, source: str, paragraph: str, **fields: object) -> Node:
    return Node(id=node_id, kind=NodeKind.PERSON, citations=[
        Citation(source=source, paragraph=paragraph)], **fields)  # type: ignore[arg-type]


CASE = Node(id="case-fictional", kind=NodeKind.CASE, name="Criminal case against Erlan Testov",
            citations=[Citation(source=FIRST, paragraph="2")])


def _sentenced(person: str, source: str, sentence: str, date: str) -> Edge:
    return Edge(type="SENTENCED_IN", source=person, target=CASE.id, date=date,
                properties={"sentence": sentence},
                citations=[Citation(source=source, paragraph="3")])


@pytest.fixture
def settings(command_settings: Settings) -> Settings:
    return command_settings


def _load(blank_store: GraphStore, settings: Settings, second_description: str,
          second_sentence: str) -> GraphStore:
    """Two sources' records of one man, each under its own id, and his sentence as each
    states it."""
    store = with_decisions(blank_store, settings)
    first = _person("erlan-testov", FIRST, "1", name="Erlan Testov",
                    description="A fictional blogger.", roles=["blogger"],
                    properties={"place": "Almaty"})
    second = _person("erlan-testov-2", SECOND, "4", name="Yerlan Testov",
                     description=second_description, roles=["activist"],
                     properties={"place": "Almaty"})
    store.write([_source(FIRST), _source(SECOND), CASE, first, second], [
        _sentenced("erlan-testov", FIRST, "five years", "2023-11"),
        _sentenced("erlan-testov-2", SECOND, second_sentence, "2023-11")])
    return store


def _merge(store: GraphStore, settings: Settings) -> str:
    nodes = store.find_nodes(["erlan-testov", "erlan-testov-2"])
    candidate = entity_candidate(nodes["erlan-testov"], nodes["erlan-testov-2"], 90,
                                 "transliteration", "test")
    files = ReviewFiles.of(settings)
    files.propose([candidate])
    files.decide(store, candidate.id, Judgement.SAME, by="test", over_api=False)
    return candidate.id


def _facts(node: Node | Edge) -> dict[str, list[tuple[object, list[str]]]]:
    return {f.field: [(v.value, v.stated_by) for v in f.values] for f in facts_of(node)}


def test_two_sources_that_agree_give_one_value_stated_by_both(
        settings: Settings, blank_store: GraphStore) -> None:
    store = _load(blank_store, settings, "A fictional blogger.", "five years")
    _merge(store, settings)
    person = store.get_node("erlan-testov")
    facts = _facts(person)
    assert facts["description"] == [("A fictional blogger.", [FIRST, SECOND])]
    assert facts["properties.place"] == [("Almaty", [FIRST, SECOND])]
    # two roles are two facts, each stated by one source; names are names, not disputes
    assert facts["roles"] == [("blogger", [FIRST]), ("activist", [SECOND])]
    assert disagreements(person) == {}
    (sentence,) = store.edges_between("erlan-testov", CASE.id)
    assert _facts(sentence)["properties.sentence"] == [("five years", [FIRST, SECOND])]
    assert disagreements(sentence) == {}


def test_two_sources_that_disagree_are_shown_side_by_side_and_a_merge_undone_gives_them_back(
        settings: Settings, blank_store: GraphStore) -> None:
    store = _load(blank_store, settings, "A fictional activist and lawyer.", "seven years")
    before = sorted(n.model_dump_json() for n in store.iter_nodes())
    candidate = _merge(store, settings)
    person = store.get_node("erlan-testov-2")  # the other id answers with the entity
    (description,) = [f for f in facts_of(person) if f.field == "description"]
    assert description.disagreement
    assert [(v.value, v.stated_by) for v in description.values] == [
        ("A fictional blogger.", [FIRST]), ("A fictional activist and lawyer.", [SECOND])]
    # the entity shows the value of the record the decision kept, and says why
    assert person.description == "A fictional blogger."
    assert "decision kept" in (description.values[0].shown_first or "")
    assert description.values[1].shown_first is None
    (sentence,) = store.edges_between("erlan-testov", CASE.id)
    assert [(s.value, [c.source for c in s.citations])
            for s in disagreements(sentence)["properties.sentence"]] == [
        ("five years", [FIRST]), ("seven years", [SECOND])]
    # undone: each source's record as it gave it, and no statement left
    ReviewFiles.of(settings).decide(store, candidate, Judgement.UNDONE, by="t", over_api=False)
    assert sorted(n.model_dump_json() for n in store.iter_nodes()) == before
    assert all(not n.statements for n in store.iter_nodes())


def test_the_api_and_the_report_show_who_states_what(
        settings: Settings, blank_store: GraphStore, tmp_path: Path) -> None:
    store = _load(blank_store, settings, "A fictional activist and lawyer.", "seven years")
    _merge(store, settings)
    with TestClient(create_app(settings, store=store)) as client:
        body = client.get("/api/entities/erlan-testov").json()
    facts = {f["field"]: f for f in body["facts"]}
    assert facts["description"]["disagreement"] is True
    assert [v["stated_by"] for v in facts["description"]["values"]] == [[FIRST], [SECOND]]
    assert facts["properties.place"]["values"][0]["stated_by"] == [FIRST, SECOND]
    (relation,) = [r for r in body["relations"] if r["type"] == "SENTENCED_IN"]
    assert relation["stated_by"] == [FIRST, SECOND]
    assert [[v["value"] for v in f["values"]] for f in relation["disagreements"]] == [
        ["five years", "seven years"]]


def test_a_restricted_persons_values_never_reach_the_public_through_their_sources(
        settings: Settings, blank_store: GraphStore) -> None:
    store = _load(blank_store, settings, "A fictional activist and lawyer.", "seven years")
    store.write([_person("erlan-testov-2", SECOND, "4", name="Yerlan Testov",
                         sensitivity=Sensitivity.RESTRICTED,
                         description="Brother of someone (fictional).")], [])
    _merge(store, settings)
    public = PublicView(store, "secret", store.version)
    text = " ".join(n.model_dump_json() for n in public.iter_nodes()) + " ".join(
        e.model_dump_json() for e in public.iter_edges())
    for secret in ("Testov", "Brother of someone", "erlan-testov", "Almaty"):
        assert secret not in text
    (hidden,) = [n for n in public.iter_nodes() if n.kind is NodeKind.PERSON]
    assert {s.field for s in hidden.statements} <= {"count"}


def test_repgraph_report_disagreements_lists_each_value_with_its_sources(
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    store = _load(MemoryStore(settings.data_dir), settings, "A fictional activist.", "seven years")
    capsys.readouterr()
    assert main(["report", "disagreements"]) == 0
    assert "no disagreements" in capsys.readouterr().out
    _merge(store, settings)
    assert main(["report", "disagreements"]) == 0
    out = capsys.readouterr().out
    assert "Erlan Testov [erlan-testov] description:" in out
    assert '"A fictional activist."  stated by second-report: para 4' in out
    assert "SENTENCED_IN" in out and '"seven years"  stated by second-report' in out


def test_the_entity_page_shows_what_each_source_says(
        settings: Settings, blank_store: GraphStore) -> None:
    store = _load(blank_store, settings, "A fictional activist and lawyer.", "seven years")
    with TestClient(create_app(settings, store=store)) as client:
        alone = client.get("/entities/erlan-testov").text
        _merge(store, settings)
        merged = client.get("/entities/erlan-testov").text
    assert "Every fact above is stated by 1 source: The first-report (fictional)" in alone
    assert "What each source says" in merged and "sources disagree" in merged
    assert "A fictional activist and lawyer." in merged
    assert "2 sources: The first-report (fictional), The second-report (fictional)" in merged


def test_every_value_with_its_sources_survives_an_export(
        settings: Settings, tmp_path: Path) -> None:
    """CSV carries statements as JSON and reads them back; GraphML and GEXF carry them as a
    JSON attribute; FollowTheMoney has no place for them (docs/formats.md)."""
    store = _load(MemoryStore(), settings, "A fictional activist and lawyer.", "seven years")
    _merge(store, settings)
    export_to(store, "csv", tmp_path / "csv")
    again = MemoryStore()
    csv_format.load_tables([tmp_path / "csv"], again)
    assert again.get_node("erlan-testov").statements == store.get_node("erlan-testov").statements
    (edge,) = again.edges_between("erlan-testov", CASE.id)
    assert disagreements(edge) == disagreements(store.edges_between("erlan-testov", CASE.id)[0])
    for fmt in ("graphml", "gexf"):
        (path,) = export_to(store, fmt, tmp_path / f"graph.{fmt}")
        assert "A fictional activist and lawyer." in path.read_text(encoding="utf-8")


def test_a_second_source_stating_a_relationship_keeps_both_values_and_a_correction_replaces(
        blank_store: GraphStore) -> None:
    """Without any merge: another source states a stored relationship with another date.
    Both dates stay, each with its source; the first source correcting its own date
    replaces only its own."""
    person = _person("erlan-testov", FIRST, "1", name="Erlan Testov")
    blank_store.write([_source(FIRST), _source(SECOND), CASE, person],
                      [_sentenced("erlan-testov", FIRST, "five years", "2023-11")])
    blank_store.write([], [_sentenced("erlan-testov", SECOND, "five years", "2023-12")])
    (edge,) = blank_store.edges_between("erlan-testov", CASE.id)
    assert _facts(edge)["properties.sentence"] == [("five years", [FIRST, SECOND])]
    assert [(s.value, stated_by(s)) for s in disagreements(edge)["date"]] == [
        ("2023-11", [FIRST]), ("2023-12", [SECOND])]
    blank_store.write([], [_sentenced("erlan-testov", FIRST, "five years", "2023-12")])
    (edge,) = blank_store.edges_between("erlan-testov", CASE.id)
    assert disagreements(edge) == {}
    assert [(v, sorted(who)) for v, who in _facts(edge)["date"]] == [("2023-12", [FIRST, SECOND])]


def test_a_records_source_is_named_by_its_public_id(settings: Settings) -> None:
    """A source whose id names a restricted person is known in public by a `redacted-` id;
    the records it defines name it by that id too, never by the real one."""
    store = MemoryStore()
    report = _source("report-on-dana-restrova")
    hidden = _person("dana-restrova", report.id, "1", name="Dana Restrova",
                     sensitivity=Sensitivity.RESTRICTED)
    public_person = _person("erlan-testov", report.id, "2", name="Erlan Testov")
    store.write([report, hidden, public_person], [])
    view = PublicView(store, "secret", store.version)
    (shown,) = [n for n in view.iter_nodes() if n.name == "Erlan Testov"]
    assert shown.source is not None and shown.source.startswith("redacted-")
    assert "restrova" not in " ".join(n.model_dump_json() for n in view.iter_nodes())
