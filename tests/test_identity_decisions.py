"""Decisions are data: an editor's "same" merges two records into one entity on every read,
"undone" gives back the graph from before, and nothing is merged without a decision.

The store is the real embedded one with the bundled dataset and the planted records; the
decisions go through the CLI (`repgraph review`), which writes them into the dataset's
files as an editor's would be.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from config import Settings
from graph import open_store, with_decisions
from graph.errors import StoreUnavailable
from graph.identity import Judgement, entity_candidate, mention_candidate
from graph.public import PublicView
from graph.resolved import ResolvedStore
from graph.review import ReviewFiles
from graph.store import GraphStore
from loaders import native
from loaders.formats import FORMATS, ImportOptions
from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind, Sensitivity
from tests.conftest import DATASET, PLANTED

SOURCE = Node(id="second-report", kind=NodeKind.SOURCE, name="A second report (fictional)",
              citations=[Citation(source="second-report", paragraph="1")])
#: the same person as the dataset's Marat Zhylanbayev, as another source spells him
TWIN = Node(id="marat-jylanbaev", kind=NodeKind.PERSON, name="Marat Jylanbaev",
            roles=["activist"], citations=[Citation(source="second-report", paragraph="4")])
TWIN_EDGE = Edge(type="PARTICIPATED_IN", source="marat-jylanbaev",
                 target="protest-eu-delegation-astana",
                 citations=[Citation(source="second-report", paragraph="5")])


@pytest.fixture
def settings(command_settings: Settings) -> Settings:
    return command_settings


def _load(settings: Settings) -> GraphStore:
    store = open_store(settings)
    native.load([DATASET, PLANTED], store, replace=True)
    store.write([SOURCE, TWIN], [TWIN_EDGE])
    return store


def _graph(store: GraphStore) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    return ([n.model_dump(mode="json") for n in sorted(store.iter_nodes(), key=lambda n: n.id)],
            [e.model_dump(mode="json") for e in sorted(store.iter_edges(), key=lambda e: e.id)])


def _propose(settings: Settings, store: GraphStore, stored: str, incoming: str) -> str:
    nodes = store.find_nodes([stored, incoming])
    candidate = entity_candidate(nodes[stored], nodes[incoming], 88.0, "transliteration",
                                 "test")
    assert ReviewFiles.of(settings).propose([candidate]) == 1
    return candidate.id


def test_nothing_is_merged_without_a_decision(settings: Settings) -> None:
    store = _load(settings)
    _propose(settings, store, "marat-zhylanbayev", "marat-jylanbaev")
    assert store.get_node("marat-jylanbaev").name == "Marat Jylanbaev"
    assert store.get_node("marat-zhylanbayev").name == "Marat Zhylanbayev"
    assert not store.redirects()


def test_merge_reload_undo_reload_gives_the_graph_from_before(
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    store = _load(settings)
    before = _graph(store)
    candidate = _propose(settings, store, "marat-zhylanbayev", "marat-jylanbaev")
    assert main(["review", "decide", candidate, "same", "--note", "same birth date"]) == 0
    # the decision is a line in the dataset's decision file, where git keeps its history
    written = (settings.dataset_dir / "decisions.jsonl").read_text().splitlines()
    assert [json.loads(line)["judgement"] for line in written] == ["same"]

    merged = store.get_node("marat-zhylanbayev")
    assert "Marat Jylanbaev" in merged.aliases and "second-report" in {
        c.source for c in merged.citations}
    # the other id keeps answering, with the merged entity
    assert store.get_node("marat-jylanbaev") == merged
    assert not store.has_node("marat-jylanbaev") or store.find_nodes(
        ["marat-jylanbaev"])["marat-jylanbaev"].id == "marat-zhylanbayev"
    assert "marat-jylanbaev" not in {n.id for n in store.iter_nodes()}
    moved = store.edges_between("marat-zhylanbayev", "protest-eu-delegation-astana")
    assert {c.source for e in moved for c in e.citations} >= {"second-report"}
    assert [e for e in store.iter_edges() if "marat-jylanbaev" in (e.source, e.target)] == []
    merged_graph = _graph(store)

    reloaded = _load(settings)  # a reload applies the decision again
    assert _graph(reloaded) == merged_graph

    assert main(["review", "undo", candidate]) == 0
    assert _graph(store) == before
    assert _graph(_load(settings)) == before
    # undone, the candidate waits again
    capsys.readouterr()
    assert main(["review"]) == 0
    assert candidate in capsys.readouterr().out


def test_different_is_never_proposed_again(settings: Settings) -> None:
    store = _load(settings)
    candidate = _propose(settings, store, "marat-zhylanbayev", "marat-jylanbaev")
    files = ReviewFiles.of(settings)
    files.decide(store, candidate, Judgement.DIFFERENT, by="test", over_api=False)
    nodes = store.find_nodes(["marat-zhylanbayev", "marat-jylanbaev"])
    again = entity_candidate(nodes["marat-zhylanbayev"], nodes["marat-jylanbaev"], 90, "x", "t")
    files.propose([again])
    assert files.open_candidates(store) == []
    assert store.get_node("marat-jylanbaev").name == "Marat Jylanbaev"


def test_a_merge_never_makes_a_restricted_person_public_on_its_own(settings: Settings) -> None:
    store = _load(settings)
    twin = TWIN.model_copy(update={"id": "aigerim-t", "name": "Aigerim Tasbolatova-Sarsenbayeva"})
    store.write([twin], [])
    candidate = _propose(settings, store, "aigerim-tasbolatova", "aigerim-t")
    files = ReviewFiles.of(settings)
    decision = files.decide(store, candidate, Judgement.SAME, by="test", over_api=False)
    # it names a restricted person: kept in the private tier, never in the committed file
    assert decision.private
    assert not (settings.dataset_dir / "decisions.jsonl").exists()
    assert (settings.private_dataset_dir / "decisions.jsonl").stat().st_mode & 0o077 == 0
    merged = store.get_node("aigerim-t")
    assert merged.id == "aigerim-tasbolatova" and merged.restricted
    # in public, the merged id is as unknown as any other real id of a restricted person,
    # and its public id is a pseudonym that answers with the one restricted record
    public = PublicView(store, "secret", store.version)
    assert public.find_nodes(["aigerim-t", "aigerim-tasbolatova"]) == {}
    alias = public.redirects()
    assert all(k.startswith("restricted-") for k in alias)
    (pseudonym,) = alias
    assert public.get_node(pseudonym).name == "a restricted person"
    names = {n.name for n in public.iter_nodes()} | {a for n in public.iter_nodes()
                                                     for a in n.aliases}
    assert not any("Tasbolatova" in n for n in names)
    # an editor may say otherwise, with a decision
    files.decide(store, candidate, Judgement.SAME, by="test", over_api=False,
                 sensitivity=Sensitivity.PUBLIC)
    assert not store.get_node("aigerim-t").restricted


def test_a_confirmed_mention_adds_the_relationship_and_undoing_removes_it(
        settings: Settings) -> None:
    store = _load(settings)
    before = _graph(store)
    person = store.get_node("marat-zhylanbayev")
    candidate = mention_candidate(person, "second-report", "Zhylanbayeva", ["7", "9"], 80,
                                  "ending", "test")
    files = ReviewFiles.of(settings)
    files.propose([candidate])
    assert [c.id for c in files.open_candidates(store)] == [candidate.id]
    files.decide(store, candidate.id, Judgement.SAME, by="test", over_api=True)
    (edge,) = store.edges_between("second-report", "marat-zhylanbayev", ["MENTIONS"])
    assert [c.paragraph for c in edge.citations] == ["7", "9"]
    assert files.open_candidates(store) == []
    # made over the API: beside the store until exported into the dataset
    assert files.pending.exists() and not files.committed.exists()
    assert files.export() == (1, 0)
    assert files.pending.read_text() == "" and files.committed.exists()
    files.decide(store, candidate.id, Judgement.UNDONE, by="test", over_api=False)
    assert _graph(store) == before



def test_decisions_apply_alike_on_every_backend(settings: Settings,
                                                blank_store: GraphStore) -> None:
    """The resolver reads through the store contract, so Neo4j gives what the embedded
    store gives: a merge on read, and the stored records untouched for an undo."""
    store = with_decisions(blank_store, settings)
    native.load([DATASET], store, replace=True)
    store.write([SOURCE, TWIN], [TWIN_EDGE])
    before = _graph(store)
    candidate = _propose(settings, store, "marat-zhylanbayev", "marat-jylanbaev")
    files = ReviewFiles.of(settings)
    files.decide(store, candidate, Judgement.SAME, by="test", over_api=False)
    assert store.get_node("marat-jylanbaev").id == "marat-zhylanbayev"
    path = store.find_paths("marat-jylanbaev", "alga-kazakhstan", max_hops=2,
                            all_shortest=False, types=None, avoid=frozenset(), limit=1)
    assert path and path[0].nodes[0] == "marat-zhylanbayev"
    assert blank_store.get_node("marat-jylanbaev").name == "Marat Jylanbaev"  # as stored
    files.decide(store, candidate, Judgement.UNDONE, by="test", over_api=False)
    assert _graph(store) == before


def test_a_broken_decision_line_stops_reads_naming_the_file_and_line(
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    store = _load(settings)
    (settings.dataset_dir / "decisions.jsonl").write_text('{"candidate": "cand-1"}\n')
    with pytest.raises(StoreUnavailable, match=r"decisions.jsonl:1"):
        store.get_node("marat-zhylanbayev")
    assert main(["query", "timeline", "marat-zhylanbayev"]) == 2
    assert "decisions.jsonl:1" in capsys.readouterr().err


def test_an_earlier_public_decision_does_not_make_a_later_restricted_member_public(
        settings: Settings) -> None:
    """`--sensitivity public` on two public records covers those records: a restricted one
    merged into the same entity later, by a decision that sets no sensitivity, keeps the
    entity restricted (its name, citation notes and real id stay out of public)."""
    store = _load(settings)
    relative = TWIN.model_copy(update={
        "id": "zhylanbayev-relative", "name": "Marat Zhylanbayeva",
        "sensitivity": Sensitivity.RESTRICTED,
        "citations": [Citation(source="second-report", paragraph="6", note="secret")]})
    store.write([relative], [])
    files = ReviewFiles.of(settings)
    twin = _propose(settings, store, "marat-zhylanbayev", "marat-jylanbaev")
    files.decide(store, twin, Judgement.SAME, by="test", over_api=False,
                 sensitivity=Sensitivity.PUBLIC)
    assert not store.get_node("marat-zhylanbayev").restricted
    later = _propose(settings, store, "marat-zhylanbayev", "zhylanbayev-relative")
    files.decide(store, later, Judgement.SAME, by="test", over_api=False)
    assert store.get_node("zhylanbayev-relative").restricted
    public = PublicView(store, "secret", store.version)
    assert public.find_nodes(["zhylanbayev-relative", "marat-zhylanbayev"]) == {}
    # and a decision that says so covers the restricted record too
    files.decide(store, later, Judgement.SAME, by="test", over_api=False,
                 sensitivity=Sensitivity.PUBLIC)
    assert not store.get_node("zhylanbayev-relative").restricted


def test_a_decision_on_a_restricted_record_made_public_by_a_merge_stays_private(
        settings: Settings) -> None:
    """Whether a decision is kept in the private tier depends on the records as stored, not
    as a merge shows them: undoing the merge that made a restricted person public must not
    write their real id into the committed file."""
    store = _load(settings)
    twin = TWIN.model_copy(update={"id": "aigerim-t", "name": "Aigerim Tasbolatova-Sarsenbayeva"})
    store.write([twin], [])
    candidate = _propose(settings, store, "aigerim-tasbolatova", "aigerim-t")
    files = ReviewFiles.of(settings)
    files.decide(store, candidate, Judgement.SAME, by="test", over_api=False,
                 sensitivity=Sensitivity.PUBLIC)
    for judgement in (Judgement.DIFFERENT, Judgement.UNDONE):
        assert files.decide(store, candidate, judgement, by="test", over_api=False).private
    assert not files.committed.exists()
    files.decide(store, candidate, Judgement.SAME, by="test", over_api=True,
                 sensitivity=Sensitivity.PUBLIC)
    assert files.decide(store, candidate, Judgement.UNDONE, by="test", over_api=True).private
    files.export()
    assert not files.committed.exists()


def test_an_ftm_exact_name_is_its_own_record_joined_by_a_decision_that_undo_takes_back(
        settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = _load(settings)
    before = _graph(store)
    stream = tmp_path / "people.ftm.json"
    stream.write_text(json.dumps({"id": "NK-1", "schema": "Person", "properties": {
        "name": ["Marat Zhylanbayev"], "alias": ["Zhylanbayev M."]}}) + "\n", encoding="utf-8")
    done = FORMATS["ftm"].load([stream], store, ImportOptions(review=ReviewFiles.of(settings)))
    (candidate,) = done.details["decided"]
    assert isinstance(store, ResolvedStore)
    own = store.base.get_node("ftm-nk-1")  # its own record, under its own source
    assert (own.name, own.source) == ("Marat Zhylanbayev", "ftm-people-ftm")
    assert "Zhylanbayev M." not in store.base.get_node("marat-zhylanbayev").aliases
    merged = store.get_node("ftm-nk-1")  # read through the decision: one entity
    assert merged.id == "marat-zhylanbayev" and "Zhylanbayev M." in merged.aliases
    pending = (settings.data_dir / "decisions.jsonl").read_text().splitlines()
    assert [(d["by"], d["judgement"]) for d in map(json.loads, pending)] == [
        ("import:ftm", "same")]

    capsys.readouterr()
    assert main(["review", "show", candidate]) == 0
    assert "decided: same by import:ftm" in capsys.readouterr().out
    assert main(["review", "undo", candidate]) == 0  # in the same second, and still later
    assert store.get_node("ftm-nk-1").id == "ftm-nk-1"
    assert "Zhylanbayev M." not in store.get_node("marat-zhylanbayev").aliases
    assert [n for n in _graph(store)[0] if n["id"] != "ftm-nk-1"
            and n["id"] != "ftm-people-ftm"] == before[0]
    capsys.readouterr()
    assert main(["review"]) == 0
    assert candidate in capsys.readouterr().out
    # importing the stream again keeps the editor's undo: no new automatic decision
    again = FORMATS["ftm"].load([stream], store, ImportOptions(review=ReviewFiles.of(settings)))
    assert again.details["decided"] == [] and again.details["matched"] == {}
    assert store.get_node("ftm-nk-1").id == "ftm-nk-1"


def test_a_record_named_by_id_in_a_property_follows_a_merge(settings: Settings) -> None:
    store = _load(settings)
    twin_event = Node(id="eu-protest-second", kind=NodeKind.EVENT, name="Protest at the EU office",
                      citations=[Citation(source="second-report", paragraph="6")])
    store.write([twin_event], [Edge(
        type="DETAINED", source="kz-authorities", target="marat-jylanbaev", key="second",
        properties={"triggered_by": "eu-protest-second"},
        citations=[Citation(source="second-report", paragraph="6")])])
    nodes = store.find_nodes(["protest-eu-delegation-astana", "eu-protest-second"])
    candidate = entity_candidate(nodes["protest-eu-delegation-astana"],
                                 nodes["eu-protest-second"], 90.0, "similar", "test")
    ReviewFiles.of(settings).propose([candidate])
    assert main(["review", "decide", candidate.id, "same"]) == 0
    detained = [e for e in store.incident_edges("marat-jylanbaev", ["DETAINED"])
                if e.key == "second"]
    assert [e.properties["triggered_by"] for e in detained] == ["protest-eu-delegation-astana"]


def test_a_scan_proposes_records_two_sources_define_and_a_named_pair_joins_any_two(
        settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    store = _load(settings)
    capsys.readouterr()
    assert main(["review", "scan"]) == 0
    assert "candidate(s) across sources" in capsys.readouterr().out
    waiting = ReviewFiles.of(settings).open_candidates(store)
    twin = [c for c in waiting if {c.stored.id, c.incoming.id} == {"marat-zhylanbayev",
                                                                    "marat-jylanbaev"}]
    # the older source's record is the one kept
    assert [(c.stored.id, c.incoming.id) for c in twin] == [("marat-zhylanbayev",
                                                             "marat-jylanbaev")]
    assert not store.redirects()  # proposed, not joined
    # a pair the names would never propose: an editor names it, with the evidence
    assert main(["review", "pair", "bota-jardemalie", "marat-jylanbaev"]) == 0
    candidate = capsys.readouterr().out.split()[0]
    assert "named by an editor" in ReviewFiles.of(settings).candidates()[candidate].how
    assert main(["review", "pair", "bota-jardemalie", "no-such-id"]) == 2


def test_a_source_whose_record_was_joined_to_another_loads_again(
        settings: Settings, tmp_path: Path) -> None:
    store = _load(settings)
    candidate = _propose(settings, store, "marat-zhylanbayev", "marat-jylanbaev")
    assert main(["review", "decide", candidate, "same"]) == 0
    again = tmp_path / "second.yaml"
    again.write_text("source: second-report\nnodes:\n"
                     "  - {id: marat-jylanbaev, kind: person, name: Marat Jylanbaev, "
                     "roles: [activist, journalist], cite: ['4']}\n", encoding="utf-8")
    native.load([again], store)
    assert "journalist" in store.get_node("marat-zhylanbayev").roles


def test_decisions_about_records_a_store_does_not_hold_leave_its_reads_alone(
        settings: Settings) -> None:
    store = _load(settings)
    candidate = _propose(settings, store, "marat-zhylanbayev", "marat-jylanbaev")
    assert main(["review", "decide", candidate, "same"]) == 0
    assert store.redirects()  # the dataset's store is read through the decision
    other = open_store(settings.model_copy(update={"data_dir": settings.data_dir / "other"}))
    other.write([Node(id="doc-x", kind=NodeKind.SOURCE, name="X"),
                 Node(id="ann", kind=NodeKind.PERSON, name="Ann",
                      citations=[Citation(source="doc-x")])], [])
    assert other.redirects() == {} and other.get_node("ann").name == "Ann"
