from __future__ import annotations

from typing import Any

import pytest

from schema.models import Citation, Edge, Node
from schema.vocabulary import (
    CASE_LINK_TYPES,
    CITATION_FIELD_PRIVACY,
    EDGE_FIELD_PRIVACY,
    KIND_LABELS,
    KIND_PROPERTIES,
    MEASURE_TYPES,
    NODE_FIELD_PRIVACY,
    RELATION_TYPES,
    RELATIONS,
    NodeKind,
    Privacy,
    Prop,
    RelationType,
    check_vocabulary,
    plain,
)


def test_shipped_vocabulary_passes_its_own_checks() -> None:
    check_vocabulary()


def test_every_kind_has_a_distinct_neo4j_label() -> None:
    assert set(KIND_LABELS) == set(NodeKind)
    assert len(set(KIND_LABELS.values())) == len(NodeKind)


def test_vocabulary_can_state_what_the_domain_needs() -> None:
    needed = {"MEMBER_OF", "LEADS", "FOUNDED", "FAMILY_OF", "TARGETED_THROUGH_RELATIVE",
              "DEFENDANT_IN", "CHARGED_UNDER", "OPENED_BY", "INVESTIGATED_BY", "PROSECUTED_BY",
              "TRIED_BY", "SENTENCED_IN", "LISTED_ON", "BLOCKED_ACCOUNTS", "DESIGNATED_EXTREMIST",
              "PARTICIPATED_IN", "DETAINED", "TORTURED", "REPRESENTED", "ASYLUM_DECISION",
              "FINDING", "SUPERVISED"}
    assert needed <= RELATIONS.keys()
    assert RELATIONS["FAMILY_OF"].required == ("relation",)
    assert "part" in RELATIONS["CHARGED_UNDER"].properties
    assert {"sentence", "term"} <= RELATIONS["SENTENCED_IN"].properties.keys()
    assert RELATIONS.keys() >= MEASURE_TYPES and CASE_LINK_TYPES.keys() <= RELATIONS.keys()


def test_listing_is_described_as_a_measure_not_a_finding() -> None:
    assert "not a finding" in RELATIONS["LISTED_ON"].description


@pytest.mark.parametrize(("broken", "message"), [
    (RelationType("lower_case", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON})),
     "UPPER_SNAKE_CASE"),
    (RelationType("X", "x", frozenset(), frozenset({NodeKind.PERSON})), "needs source and target"),
    (RelationType("X", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON}),
                  properties={"p": Prop("colour", Privacy.TEXT)}), "unknown property type"),
    (RelationType("X", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON}),
                  properties={"p": "str"}), "privacy flag"),  # type: ignore[dict-item]
    (RelationType("X", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON}),
                  properties={"p": Prop("str", "secret")}), "no privacy flag"),  # type: ignore[arg-type]
    (RelationType("X", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON}),
                  required=("p",)), "not a declared property"),
    (RelationType("X", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON}),
                  properties={"date": plain("date")}), "clashes with a common edge field"),
])
def test_a_broken_vocabulary_fails_fast(broken: RelationType, message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        check_vocabulary((*RELATION_TYPES, broken))


def test_duplicate_relationship_names_are_refused() -> None:
    with pytest.raises(RuntimeError, match="duplicate"):
        check_vocabulary((*RELATION_TYPES, RELATION_TYPES[0]))


def test_every_field_of_every_record_declares_its_privacy() -> None:
    assert set(Node.model_fields) == set(NODE_FIELD_PRIVACY)
    assert set(Edge.model_fields) == set(EDGE_FIELD_PRIVACY)
    assert set(Citation.model_fields) == set(CITATION_FIELD_PRIVACY)
    for kind, props in KIND_PROPERTIES.items():
        for name, spec in props.items():
            assert isinstance(spec.privacy, Privacy), (kind, name)


def test_what_identifies_a_person_is_declared_identifying() -> None:
    assert {p for p, s in KIND_PROPERTIES[NodeKind.PERSON].items()
            if s.privacy is Privacy.IDENTIFYING} == {"nationality", "place", "occupation", "born", "died"}
    assert NODE_FIELD_PRIVACY["name"] is NODE_FIELD_PRIVACY["aliases"] is Privacy.IDENTIFYING
    assert RELATIONS["DETAINED"].properties["place"].privacy is Privacy.IDENTIFYING
    assert RELATIONS["TARGETED_THROUGH_RELATIVE"].properties["measures"].privacy is Privacy.PLAIN


@pytest.mark.parametrize("broken", [
    {NodeKind.PERSON: {"place": "str"}},
    {NodeKind.PERSON: {"place": Prop("str", "secret")}},
    {NodeKind.PERSON: {"place": plain("str")}},  # a free string can hold a name
])
def test_a_kind_property_without_a_fitting_privacy_flag_is_refused(broken: dict[NodeKind, Any]) -> None:
    with pytest.raises(RuntimeError, match=r"privacy flag|cannot be plain"):
        check_vocabulary(kind_properties={**KIND_PROPERTIES, **broken})


@pytest.mark.parametrize(("subcounts", "problem"), [
    ([{"count": 10}], "subcounts"),
    ([{"count": -1, "of": "went to trial"}], "subcounts"),
    ([{"count": 10, "of": "went to trial", "when": "2022"}], "subcounts"),
    ([{"count": 10, "of": "went to trial", "date": "2022-13"}], "subcounts"),
    ([{"count": 900, "of": "went to trial"}], "exceeds the group's count"),
])
def test_a_malformed_subcount_is_refused_naming_the_property(
        subcounts: list[dict[str, object]], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Node.model_validate({"id": "torture-cases", "kind": "case", "name": "Torture cases",
                             "group": True, "count": 874,
                             "properties": {"subcounts": subcounts}})


def test_a_group_records_how_many_of_its_members_share_a_fact() -> None:
    node = Node.model_validate({"id": "torture-cases", "kind": "case", "name": "Torture cases",
                                "group": True, "count": 874,
                                "properties": {"subcounts": [{"count": 10, "of": "went to trial",
                                                              "date": "2022"}]}})
    assert node.properties["subcounts"][0]["count"] == 10


def test_an_edge_naming_a_record_that_does_not_exist_is_refused() -> None:
    from graph.errors import InvalidData
    from graph.memory import MemoryStore
    cite = [Citation(source="doc")]
    store = MemoryStore()
    store.write([Node(id="doc", kind=NodeKind.SOURCE, name="Doc"),
                 Node(id="police", kind=NodeKind.AGENCY, name="Police", citations=cite),
                 Node(id="ana", kind=NodeKind.PERSON, name="Ana", citations=cite)], [])
    with pytest.raises(InvalidData, match="triggered_by names 'no-such-protest'"):
        store.write([], [Edge(type="DETAINED", source="police", target="ana",
                              properties={"triggered_by": "no-such-protest"}, citations=cite)])
    assert store.stats().edges == 0
