"""Importing FollowTheMoney streams: what maps, what is skipped, and listings stay measures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from exporters.ftm import ftm_lines
from graph.errors import InvalidData
from graph.memory import MemoryStore
from graph.resolved import ResolvedStore
from graph.review import ReviewFiles
from graph.store import GraphStore
from loaders import ftm, native
from tests.conftest import app_settings

AFM = "Financial Monitoring Agency of the Republic of Kazakhstan"
# Written for this test in the shape OpenSanctions publishes; "Erlan Testov" is invented.
STREAM: list[dict[str, Any]] = [
    {"id": "NK-zh1", "schema": "Person", "datasets": ["kz_afm_sanctions"],
     "properties": {"name": ["Marat Zhylanbayev"], "alias": ["Жыланбаев Марат"],
                    "topics": ["sanction", "crime.terror"], "nationality": ["kz"],
                    "notes": ["Listed for the financing of terrorism and extremism"]}},
    {"id": "kz-afm-NK-zh1", "schema": "Sanction", "datasets": ["kz_afm_sanctions"],
     "properties": {"entity": ["NK-zh1"], "authority": [AFM], "reason": ["terrorism"],
                    "program": ["List of persons associated with the financing of terrorism"],
                    "listingDate": ["2024-04-12"], "sourceUrl": ["https://example.org/afm"]}},
    {"id": "NK-et2", "schema": "Person", "datasets": ["kz_afm_sanctions"],
     "properties": {"name": ["Erlan Testov"], "topics": ["sanction", "crime.terror"],
                    "notes": ["Terrorist financing"]}},
    {"id": "NK-org3", "schema": "Organization",
     "properties": {"name": ["Example Holding"], "country": ["kz"],
                    "topics": ["crime.terror"]}},
    {"id": "m-1", "schema": "Membership",
     "properties": {"member": ["NK-et2"], "organization": ["NK-org3"], "role": ["member"]}},
    {"id": "v-1", "schema": "Vessel", "properties": {"name": ["Example Star"]}},
    {"id": "s-v-1", "schema": "Sanction",
     "properties": {"entity": ["v-1"], "authority": ["Someone"]}},
    {"id": "ccp-1", "schema": "CourtCaseParty",
     "properties": {"party": ["NK-et2"], "case": ["cc-1"], "role": ["witness"]}},
]


def write_stream(tmp_path: Path, entities: list[dict[str, Any]]) -> Path:
    path = tmp_path / "afm.ftm.json"
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


@pytest.fixture
def dataset_store(dataset_dir: Path, empty_store: MemoryStore) -> MemoryStore:
    native.load([dataset_dir], empty_store)
    return empty_store


def test_an_afm_listing_becomes_a_measure_and_terror_topics_become_nothing(
        tmp_path: Path, dataset_store: MemoryStore) -> None:
    before = dataset_store.get_node("marat-zhylanbayev")
    review = ReviewFiles.of(app_settings(tmp_path / "var", dataset_dir=tmp_path / "data",
                                         private_dataset_dir=tmp_path / "private"))
    report = ftm.load_ftm([write_stream(tmp_path, STREAM)], dataset_store,
                          source_url="https://example.org/export", review=review)
    # the listed person is the stream's own record, joined to the stored one by a decision
    assert report.matched["NK-zh1"] == "marat-zhylanbayev" and len(report.decided) == 1
    assert dataset_store.get_node("marat-zhylanbayev") == before
    assert dataset_store.get_node("ftm-nk-zh1").source == "ftm-afm-ftm"
    after = ResolvedStore(dataset_store, review).get_node("marat-zhylanbayev")
    assert (after.name, after.roles, after.status, after.description, after.sensitivity) == (
        before.name, before.roles, before.status, before.description, before.sensitivity)
    assert "Жыланбаев Марат" in after.aliases
    listing = dataset_store.find_edges(["ftm-nk-zh1|LISTED_ON|kz-afm-list"])
    (edge,) = listing.values()
    assert any(c.source == "ftm-afm-ftm" and c.url == "https://example.org/afm"
               for c in edge.citations)
    newcomer = dataset_store.get_node("ftm-nk-et2")
    assert newcomer.roles == [] and newcomer.description is None
    assert dataset_store.has_node("ftm-nk-et2") and dataset_store.find_edges(
        ["ftm-nk-et2|LISTED_ON|kz-afm-list"])
    assert report.ignored_topics["crime.terror"] == 3
    assert report.write is not None
    added = dataset_store.find_edges(report.write.edges_added).values()
    assert {e.type for e in added} == {"LISTED_ON", "MEMBER_OF"}
    texts = [str(n.model_dump()) for n in dataset_store.iter_nodes()
             if any(c.source == "ftm-afm-ftm" for c in n.citations)]
    assert texts and not any("terror" in t.lower().replace("terrorism and extremism", "")
                             for t in texts)


def test_what_has_no_counterpart_is_counted_with_a_reason(
        tmp_path: Path, dataset_store: MemoryStore) -> None:
    report = ftm.load_ftm([write_stream(tmp_path, STREAM)], dataset_store)
    assert report.skipped == {
        "Vessel": {"no counterpart in the repgraph vocabulary": 1},
        "Sanction": {"the sanctioned entity was not imported": 1},
        "CourtCaseParty": {"party role not recognised: witness": 1},
    }
    assert report.imported == {"Person": 2, "Organization": 1, "Sanction": 1, "Membership": 1,
                               "listing from the sanction topic": 1}
    assert "skipped 1 Vessel: no counterpart" in report.summary()


def test_our_own_export_imports_back_with_persons_families_and_listings(
        kz_store: GraphStore, tmp_path: Path, empty_store: MemoryStore) -> None:
    path = tmp_path / "kz.ftm.json"
    path.write_bytes(ftm_lines(kz_store))
    ftm.load_ftm([path], empty_store)
    persons = {n.id for n in kz_store.iter_nodes() if n.kind == "person" and not n.group}
    assert persons <= {n.id for n in empty_store.iter_nodes()}
    for type_ in ("FAMILY_OF", "LISTED_ON"):
        wanted = {e.id for e in kz_store.iter_edges([type_])
                  if {e.source, e.target} <= persons | {"kz-afm-list"}}
        assert wanted and wanted <= {e.id for e in empty_store.iter_edges([type_])}


def test_a_bad_line_names_file_and_line_and_nothing_is_written(
        tmp_path: Path, empty_store: MemoryStore) -> None:
    path = write_stream(tmp_path, STREAM[:1])
    path.write_bytes(path.read_bytes() + b"{not json\n" +
                     orjson.dumps({"id": "x", "schema": "Spaceship"}) + b"\n")
    with pytest.raises(InvalidData) as info:
        ftm.load_ftm([path], empty_store)
    assert [str(p).split(": ")[0] for p in info.value.problems] == [f"{path}:2", f"{path}:3"]
    assert empty_store.stats().nodes == 0
