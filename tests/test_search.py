from __future__ import annotations

import pytest

from config import Settings
from graph import with_decisions
from graph.errors import Ambiguous, Unresolved
from graph.search import CANDIDATES, WEAK_BELOW, Match, SearchIndex, fold
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import NodeKind
from tests.conftest import DATASET


@pytest.fixture(scope="module")
def index(kz_store: GraphStore) -> SearchIndex:
    """The index as the service builds it: over the graph the identity decisions make, in
    which each person is one record (several sources spell some names alike)."""
    return SearchIndex.of(with_decisions(kz_store, Settings(dataset_dir=DATASET)))


def test_fold_transliterates_and_strips_diacritics() -> None:
    assert fold("Жыланбаев") == "zhylanbaev"
    assert fold("Fionnuala Ní Aoláin") == "fionnuala ni aolain"


#: Real names as people type them (case, Cyrillic, misspelt, partial), with the entity meant.
NAME_QUERIES = [
    ("marat zhylanbayev", "marat-zhylanbayev"),
    ("ZHYLANBAYEV", "marat-zhylanbayev"),
    ("Жыланбаев", "marat-zhylanbayev"),
    ("Марат Жыланбаев", "marat-zhylanbayev"),
    ("Barylk Mendygazyev", "barlyk-mendygazyev"),
    ("Barylk", "barlyk-mendygazyev"),
    ("jardemali", "bota-jardemalie"),
    ("Koshe Partiyasi", "koshe-partiyasy"),
]


@pytest.mark.parametrize(("query", "expected"), NAME_QUERIES)
def test_search_forgives_case_script_and_misspelling(index: SearchIndex, query: str,
                                                     expected: str) -> None:
    assert index.search(query)[0].node.id == expected


def test_search_filters_by_kind(index: SearchIndex) -> None:
    hits = index.search("Zhylanbayev", kind=NodeKind.CASE)
    assert hits and all(h.node.kind is NodeKind.CASE for h in hits)


def test_resolve_takes_an_id_or_an_exact_name_or_alias_after_folding(index: SearchIndex) -> None:
    for ref in ("marat-zhylanbayev", "marat zhylanbayev", "MARAT ZHYLANBAYEV",
                "Marat Zhylanbaev", "Марат Жыланбаев"):
        assert index.resolve(ref).id == "marat-zhylanbayev", ref


@pytest.mark.parametrize("ref", ["Marta", "Bota Jardemali", "Jardemalie", "Nazarbayeva"])
def test_resolve_never_takes_a_near_name(index: SearchIndex, ref: str) -> None:
    with pytest.raises(Unresolved) as raised:
        index.resolve(ref)
    assert not isinstance(raised.value, Ambiguous)
    assert raised.value.ref == ref and raised.value.candidates


def test_an_unresolved_name_carries_the_closest_candidates(index: SearchIndex) -> None:
    with pytest.raises(Unresolved) as raised:
        index.resolve("Bota Jardemali")
    assert raised.value.candidates[0].node.id == "bota-jardemalie"
    assert len(raised.value.candidates) <= CANDIDATES
    with pytest.raises(Unresolved) as raised:
        index.resolve("qqqqqqqq")
    assert raised.value.candidates == []


def _person(node_id: str, name: str, aliases: tuple[str, ...] = ()) -> Node:
    return Node(id=node_id, kind=NodeKind.PERSON, name=name, aliases=list(aliases))


def test_a_name_two_entities_share_resolves_to_neither() -> None:
    twins = SearchIndex([_person("ali-1", "Ali Sadykov"), _person("ali-2", "ALI SADYKOV"),
                         _person("ali-3", "Alisher Sadykov", aliases=("Али Садыков",))])
    for ref in ("ali sadykov", "Али Садыков"):
        with pytest.raises(Ambiguous) as raised:
            twins.resolve(ref)
        assert {h.node.id for h in raised.value.candidates} == {"ali-1", "ali-2", "ali-3"}
    assert twins.resolve("ali-2").id == "ali-2"
    assert twins.resolve("alisher sadykov").id == "ali-3"


def test_each_hit_says_how_it_matched(index: SearchIndex) -> None:
    def first(query: str) -> tuple[str, Match]:
        hit = index.search(query)[0]
        return hit.node.id, hit.match
    assert first("marat-zhylanbayev") == ("marat-zhylanbayev", Match.ID)
    assert first("Marat Zhylanbayev") == ("marat-zhylanbayev", Match.NAME)
    assert first("Жыланбаев Марат") == ("marat-zhylanbayev", Match.SIMILAR)
    assert first("Art. 405") == ("kz-cc-405", Match.ALIAS)
    assert first("Ablyaz") == ("mukhtar-ablyazov", Match.PREFIX)
    assert first("Bota Jardemali") == ("bota-jardemalie", Match.PREFIX)
    assert first("Koshe Partiyasi") == ("koshe-partiyasy", Match.SIMILAR)
    assert index.search("marat-zhylanbayev")[0].score == 100.0


def test_weak_similarities_are_marked_and_strong_ones_are_not(index: SearchIndex) -> None:
    marta = index.search("Marta")
    assert marta and all(h.weak for h in marta)
    # two public Marats are as near as each other: Zhylanbayev and Temirbekov
    assert "marat-zhylanbayev" in [h.node.id for h in marta[:2]]
    assert marta[0].score < WEAK_BELOW
    assert not index.search("Koshe Partiyasi")[0].weak
    assert all(h.weak for h in index.search("Masimov"))


def test_an_exact_name_is_found_on_a_large_graph_too() -> None:
    """The word index answers large graphs; an exact name must never fall off its shortlist."""
    crowd = [_person(f"p-{i}", f"Serik Serikov {i}") for i in range(300)]
    index = SearchIndex([*crowd, _person("p-serik", "Serik")], scan_below=0)
    assert index.uses_word_index
    hit = index.search("serik", limit=1)[0]
    assert (hit.node.id, hit.match) == ("p-serik", Match.NAME)
    assert index.resolve("SERIK").id == "p-serik"
