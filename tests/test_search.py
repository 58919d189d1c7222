from __future__ import annotations

import pytest

from graph.search import SearchIndex, fold
from graph.store import GraphStore
from schema.vocabulary import NodeKind


@pytest.fixture(scope="module")
def index(kz_store: GraphStore) -> SearchIndex:
    return SearchIndex.of(kz_store)


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


def test_resolve_reports_whether_the_match_was_exact(index: SearchIndex) -> None:
    assert index.resolve("bota-jardemalie")[1] is True
    node, exact = index.resolve("Bota Jardemali")
    assert node.id == "bota-jardemalie" and exact is False
