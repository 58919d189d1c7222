"""The word index of large graphs against the whole-graph scan it stands in for.

The mid-size graph is the real dataset inside a synthetic graph of 8,000 made-up
entities: large enough for the word index, small enough to scan whole for
comparison. Queries are drawn at random (fixed seeds) from its names.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from bench.synthetic import generate
from config import Settings
from graph import with_decisions
from graph.search import SearchIndex, fold
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import NodeKind
from tests.conftest import DATASET
from tests.test_search import NAME_QUERIES

#: Latin to Cyrillic for the letters of synthetic names, longest first ('zh' before 'z').
_CYRILLIC = [("zh", "ж"), ("kh", "х"), ("sh", "ш"), ("ya", "я"), ("yu", "ю"), ("a", "а"),
             ("b", "б"), ("d", "д"), ("e", "е"), ("g", "г"), ("i", "и"), ("k", "к"), ("l", "л"),
             ("m", "м"), ("n", "н"), ("o", "о"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
             ("y", "ы"), ("z", "з")]


def in_cyrillic(name: str) -> str:
    text = name.lower()
    for latin, cyrillic in _CYRILLIC:
        text = text.replace(latin, cyrillic)
    return text


def misspell(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return rng.choice((word[:i] + word[i + 1] + word[i] + word[i + 2:], word[:i] + word[i + 1:],
                       word[:i] + rng.choice("aeiou") + word[i + 1:],
                       word[:i] + rng.choice("aeiou") + word[i:]))


@pytest.fixture(scope="module")
def mid_graph(kz_store: GraphStore) -> list[Node]:
    synthetic, _ = generate(8_000, seed=11)
    # the graph as the identity decisions make it, as the service indexes it
    return [*with_decisions(kz_store, Settings(dataset_dir=DATASET)).iter_nodes(), *synthetic]


@pytest.fixture(scope="module")
def scan(mid_graph: list[Node]) -> SearchIndex:
    return SearchIndex(mid_graph, scan_below=len(mid_graph) * 10)


@pytest.fixture(scope="module")
def indexed(mid_graph: list[Node]) -> SearchIndex:
    return SearchIndex(mid_graph)


def hits(index: SearchIndex, query: str, kind: NodeKind | None = None) -> list[tuple[str, float]]:
    return [(h.node.id, h.score) for h in index.search(query, kind=kind)]


def assert_same_leading_hits(scan: SearchIndex, indexed: SearchIndex, query: str,
                             kind: NodeKind | None = None) -> None:
    """The same first hit, and the same hits (same order, same score) as long as the
    scan's hits hold the query verbatim, as a word or inside one."""
    expected = scan.search(query, kind=kind)
    leading = 1
    while leading < len(expected) and fold(query) in expected[leading].matched:
        leading += 1
    assert hits(indexed, query, kind)[:leading] == hits(scan, query, kind)[:leading], query


def test_small_graphs_are_scanned_whole_and_large_ones_indexed(kz_store: GraphStore,
                                                             scan: SearchIndex,
                                                             indexed: SearchIndex) -> None:
    assert not SearchIndex.of(kz_store).uses_word_index
    assert indexed.uses_word_index and not scan.uses_word_index


QueryMaker = Callable[[random.Random, Node], str]
EXACT_TEXT: dict[str, QueryMaker] = {
    "whole name": lambda rng, node: node.name,
    "one word": lambda rng, node: rng.choice(node.name.split()),
    "beginning of a word": lambda rng, node: rng.choice(node.name.split())[:rng.randint(4, 9)],
    "name in Cyrillic": lambda rng, node: in_cyrillic(node.name),
}


@pytest.mark.parametrize("query_kind", EXACT_TEXT)
def test_word_index_lists_the_names_holding_the_query_as_the_scan_does(
        mid_graph: list[Node], scan: SearchIndex, indexed: SearchIndex, query_kind: str) -> None:
    """Every leading hit that holds the query verbatim comes back, in place, same score."""
    rng = random.Random(query_kind)
    synthetic = [n for n in mid_graph if n.id.startswith("syn-")]
    for _ in range(25):
        query = EXACT_TEXT[query_kind](rng, rng.choice(synthetic))
        assert fold(query) in scan.search(query)[0].matched, query
        assert_same_leading_hits(scan, indexed, query)


def test_word_index_puts_a_misspelt_name_first_where_the_scan_does(
        mid_graph: list[Node], scan: SearchIndex, indexed: SearchIndex) -> None:
    rng = random.Random(5)
    synthetic = [n for n in mid_graph if n.id.startswith("syn-")]
    agreed = 0
    for _ in range(60):
        node = rng.choice(synthetic)
        query = " ".join(misspell(rng, word) for word in node.name.split())
        expected = hits(scan, query)
        if expected and expected[0][0] == node.id:
            assert hits(indexed, query)[:1] == expected[:1], query
            agreed += 1
    assert agreed >= 40  # the sample really exercised misspellings the scan gets right


@pytest.mark.parametrize(("query", "expected"), NAME_QUERIES)
def test_real_names_are_found_among_thousands_through_the_word_index(
        scan: SearchIndex, indexed: SearchIndex, query: str, expected: str) -> None:
    assert hits(indexed, query)[0] == hits(scan, query)[0]
    assert hits(indexed, query)[0][0] == expected


def test_every_real_name_and_alias_comes_first_as_in_the_scan(
        kz_store: GraphStore, scan: SearchIndex, indexed: SearchIndex) -> None:
    for node in kz_store.iter_nodes():
        for label in [node.name, *node.aliases]:
            assert hits(indexed, label)[:1] == hits(scan, label)[:1], label


def test_word_index_filters_by_kind_as_the_scan_does(scan: SearchIndex,
                                                     indexed: SearchIndex) -> None:
    for query, kind in [("Zhylanbayev", NodeKind.CASE), ("case", NodeKind.CASE),
                        ("movement", NodeKind.ORGANISATION), ("Movemnt", NodeKind.ORGANISATION),
                        ("Koshe", NodeKind.ORGANISATION), ("office", NodeKind.AGENCY),
                        ("Artcle", NodeKind.LAW), ("Jardemalie", NodeKind.PERSON)]:
        assert hits(indexed, query, kind), (query, kind)
        assert all(h.node.kind is kind for h in indexed.search(query, kind=kind))
        assert_same_leading_hits(scan, indexed, query, kind)
