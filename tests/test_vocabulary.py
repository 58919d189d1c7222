from __future__ import annotations

import pytest

from schema.vocabulary import (
    CASE_LINK_TYPES,
    KIND_LABELS,
    MEASURE_TYPES,
    RELATION_TYPES,
    RELATIONS,
    NodeKind,
    RelationType,
    check_vocabulary,
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
                  properties={"p": "colour"}), "unknown property type"),
    (RelationType("X", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON}),
                  required=("p",)), "not a declared property"),
    (RelationType("X", "x", frozenset({NodeKind.PERSON}), frozenset({NodeKind.PERSON}),
                  properties={"date": "date"}), "clashes with a common edge field"),
])
def test_a_broken_vocabulary_fails_fast(broken: RelationType, message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        check_vocabulary((*RELATION_TYPES, broken))


def test_duplicate_relationship_names_are_refused() -> None:
    with pytest.raises(RuntimeError, match="duplicate"):
        check_vocabulary((*RELATION_TYPES, RELATION_TYPES[0]))
