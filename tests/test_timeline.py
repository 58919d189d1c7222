"""Timelines hold every dated fact the data records, wherever the record keeps the date.

One test per kind of dated fact, each on both backends, on records planted here; and, on
the bundled dataset, that no date a record holds is missing from its timeline.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph import queries
from graph.results import TimelineEntry
from graph.store import GraphStore
from schema.models import Citation, Edge, Node
from schema.vocabulary import KIND_PROPERTIES, RELATIONS, NodeKind

CITE = [Citation(source="doc", paragraph="3.7")]


def node(node_id: str, kind: str, name: str, **extra: Any) -> Node:
    return Node.model_validate({"id": node_id, "kind": kind, "name": name, "citations": CITE,
                                **extra})


def edge(type_: str, source: str, target: str, **extra: Any) -> Edge:
    return Edge.model_validate({"type": type_, "source": source, "target": target,
                                "citations": CITE, **extra})


@pytest.fixture
def store(blank_store: GraphStore) -> GraphStore:
    blank_store.write([
        Node(id="doc", kind=NodeKind.SOURCE, name="Report", properties={"date": "2024-07-16"}),
        node("aidos", "person", "Aidos", properties={"born": "1972", "died": "2024-07-02"}),
        node("bota", "person", "Bota", history=[
            {"field": "status", "value": "released", "date": "2019-05",
             "citations": CITE},
            {"field": "status", "value": "refugee", "as_of": "2024-07-16", "citations": CITE}]),
        node("kz", "agency", "Kazakhstani authorities"),
        node("be", "agency", "Belgium"),
        node("afm", "list", "Financial monitoring list"),
        node("attack", "event", "Assassination attack", properties={"date": "2024-06-18"}),
        node("january", "event", "January events",
             properties={"date": "2022-01-02", "end": "2022-01-11"}),
        node("case-b", "case", "Case against Bota", properties={"opened": "2017-10"}),
        node("torture-cases", "case", "Torture complaints of 2022", group=True, count=874,
             properties={"subcounts": [{"count": 10, "of": "went to trial", "date": "2022"}]}),
        node("law", "law", "Article 12-2", properties={"enacted": "2020"}),
    ], [
        edge("DETAINED", "kz", "bota", date="2017-12"),
        edge("LEFT_COUNTRY", "aidos", "kz", date="2014", properties={
            "country": "Kazakhstan", "destination": "Ukraine", "forced": True}),
        edge("ASYLUM_DECISION", "be", "bota", date="2013", properties={"decision": "granted"}),
        edge("LISTED_ON", "aidos", "afm", properties={"known_since": "2024-04"}),
        edge("TARGET_OF", "aidos", "attack", properties={"harm": "shot in the head"}),
        edge("TARGET_OF", "bota", "january", properties={"harm": "shot in the leg"}),
        edge("DEFENDANT_IN", "bota", "case-b"),
        edge("REQUESTED", "kz", "be", date="2018", properties={
            "request": "mutual legal assistance", "concerning": "bota", "answer": "accepted",
            "answered": "2019"}),
        edge("SENTENCED_IN", "bota", "case-b", date="2019-06", certainty="alleged",
             claimed_by="the prosecution", properties={"sentence": "in absentia"}),
    ])
    return blank_store


def dates(store: GraphStore, node_id: str) -> list[tuple[str, str, str, str | None]]:
    return [(t.date, t.fact, t.field, t.other.id if t.other else None)
            for t in queries.timeline(store, node_id)]


def test_a_death_and_a_birth_are_on_the_persons_timeline(store: GraphStore) -> None:
    entries = {t.field: t for t in queries.timeline(store, "aidos") if t.fact == "property"}
    assert entries["died"].date == "2024-07-02" and entries["died"].words == "died"
    assert entries["born"].date == "1972" and entries["born"].precision == "year"
    assert entries["died"].citations == CITE


def test_an_arrest_is_on_the_timelines_of_both_parties(store: GraphStore) -> None:
    assert ("2017-12", "relationship", "date", "kz") in dates(store, "bota")
    assert ("2017-12", "relationship", "date", "bota") in dates(store, "kz")


def test_a_dated_release_is_on_the_timeline_and_a_status_as_of_the_source_is_not(
        store: GraphStore) -> None:
    steps = [t for t in queries.timeline(store, "bota") if t.fact == "status"]
    assert [(t.date, t.value) for t in steps] == [("2019-05", "released")]
    assert [h.value for h in queries.history(store, "bota")] == ["refugee", "released"]


def test_a_departure_into_exile_is_dated_with_where_to(store: GraphStore) -> None:
    left = next(t for t in queries.timeline(store, "aidos") if t.type == "LEFT_COUNTRY")
    assert (left.date, left.precision, left.other and left.other.id) == ("2014", "year", "kz")
    assert left.properties["destination"] == "Ukraine" and left.properties["forced"] is True


def test_an_asylum_decision_is_dated(store: GraphStore) -> None:
    assert ("2013", "relationship", "date", "be") in dates(store, "bota")


def test_a_listing_known_only_since_a_date_says_so(store: GraphStore) -> None:
    listed = next(t for t in queries.timeline(store, "aidos") if t.type == "LISTED_ON")
    assert (listed.date, listed.field, listed.words) == ("2024-04", "known_since", "known since")


def test_the_event_a_victim_was_targeted_in_dates_the_undated_link(store: GraphStore) -> None:
    attack = next(t for t in queries.timeline(store, "aidos") if t.type == "TARGET_OF")
    assert (attack.date, attack.fact, attack.field) == ("2024-06-18", "linked", "date")
    january = next(t for t in queries.timeline(store, "bota") if t.type == "TARGET_OF")
    assert (january.date, january.end) == ("2022-01-02", "2022-01-11")
    assert january.properties["harm"] == "shot in the leg"


def test_an_events_own_timeline_shows_when_it_took_place(store: GraphStore) -> None:
    own = [t for t in queries.timeline(store, "january") if t.fact == "property"]
    assert [(t.date, t.end, t.words) for t in own] == [("2022-01-02", "2022-01-11", "took place")]


def test_a_case_opening_is_on_the_case_and_on_its_defendants_timeline(store: GraphStore) -> None:
    assert ("2017-10", "property", "opened", None) in dates(store, "case-b")
    assert ("2017-10", "linked", "opened", "case-b") in dates(store, "bota")


def test_a_request_and_its_answer_are_both_dated(store: GraphStore) -> None:
    found = [(t.date, t.field) for t in queries.timeline(store, "be") if t.type == "REQUESTED"]
    assert found == [("2018", "date"), ("2019", "answered")]


def test_a_dated_subcount_and_a_laws_enactment_are_on_their_timelines(store: GraphStore) -> None:
    part = next(t for t in queries.timeline(store, "torture-cases") if t.field == "subcounts")
    assert (part.date, part.words) == ("2022", "10 went to trial")
    assert ("2020", "property", "enacted", None) in dates(store, "law")


def test_an_alleged_fact_keeps_who_claims_it(store: GraphStore) -> None:
    sentenced = next(t for t in queries.timeline(store, "bota") if t.type == "SENTENCED_IN")
    assert (sentenced.certainty.value, sentenced.claimed_by) == ("alleged", "the prosecution")


def test_entries_come_oldest_first_a_year_before_its_months(store: GraphStore) -> None:
    found = [t.date for t in queries.timeline(store, "bota")]
    assert found == sorted(found) and found[0] == "2013"


# -- the bundled dataset -------------------------------------------------------------------

def _shown(entries: list[TimelineEntry], field: str, date: str) -> bool:
    return any(t.field == field and t.date == date for t in entries)


def test_every_date_a_record_holds_is_on_its_timeline(kz_store: GraphStore) -> None:
    missing = []
    for n in kz_store.iter_nodes():
        entries = queries.timeline(kz_store, n.id)
        spec = KIND_PROPERTIES[n.kind]
        wanted = [(p, v) for p, v in n.properties.items() if spec[p].type == "date"
                  and not (n.kind is NodeKind.EVENT and p == "end")]
        wanted += [("date", s.date) for s in n.history if s.date]
        missing += [f"{n.id}.{p} {v}" for p, v in wanted if not _shown(entries, p, v)]
        end = n.properties.get("end") if n.kind is NodeKind.EVENT else None
        if end and not any(t.end == end for t in entries):
            missing.append(f"{n.id}.end")
    assert missing == []


def test_every_date_a_relationship_holds_is_on_both_its_ends_timelines(
        kz_store: GraphStore) -> None:
    missing = []
    timelines: dict[str, list[TimelineEntry]] = {}
    for e in kz_store.iter_edges():
        spec = RELATIONS[e.type].properties
        wanted = [("date", e.date)] if e.date else []
        wanted += [(p, v) for p, v in e.properties.items() if spec[p].type == "date"]
        for end in {e.source, e.target}:
            entries = timelines.setdefault(end, queries.timeline(kz_store, end))
            missing += [f"{e.id} {p} on {end}" for p, v in wanted
                        if not any(t.field == p and t.date == v and t.type == e.type
                                   for t in entries)]
    assert missing == []
