"""Near names are candidates, found through blocking; only folded equality is exact."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from graph.candidates import HOW, NearNames, propose
from graph.search import fold
from schema.models import Node
from schema.vocabulary import NodeKind

VARIANTS = Path(__file__).parent / "data" / "name_variants.csv"
RECALL = 0.95


def person(node_id: str, name: str, *aliases: str) -> Node:
    return Node(id=node_id, kind=NodeKind.PERSON, name=name, aliases=list(aliases))


def variant_pairs() -> list[dict[str, str]]:
    with VARIANTS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_variants_file_holds_real_pairs_with_where_they_were_seen() -> None:
    rows = variant_pairs()
    assert len(rows) >= 40
    for row in rows:
        assert row["a"] and row["b"] and row["a"] != row["b"], row
        assert "a:" in row["where"] and "b:" in row["where"], row


def test_every_known_variant_pair_is_proposed_and_exact_only_when_folded_equal() -> None:
    rows = variant_pairs()
    index = NearNames(person(f"p-{i}", row["a"]) for i, row in enumerate(rows))
    missed, wrongly_exact = [], []
    for i, row in enumerate(rows):
        found = [n for n in index.near(row["b"], NodeKind.PERSON, limit=10) if n.node_id == f"p-{i}"]
        if not found:
            missed.append((row["a"], row["b"]))
        elif (found[0].how == "exact") != (fold(row["a"]) == fold(row["b"])):
            wrongly_exact.append((row["a"], row["b"], found[0].how))
    assert not wrongly_exact
    assert 1 - len(missed) / len(rows) >= RECALL, missed


@pytest.mark.parametrize(("stored", "written", "how"), [
    ("Sadykova", "Sadykov", "ending"),  # a feminine form, or another person: an editor decides
    ("Marat Sadykov", "Marat Sadykova", "ending"),
    ("Talgat Ayan", "Talgat Ayanov", "extension"),  # a surname that extends a stored one
    ("Botagoz Jardemalie", "Bota Jardemalie", "shortened"),
    ("Iskander Yerimbetov", "Iskander Yerimbetova", "ending"),
    ("Aron Atabek", "Aron Arabek", "similar"),  # one letter changed
    ("Aron Atabek", "Aron Atabe", "shortened"),  # a shortened surname
    ("Mukhtar Ablyazov", "Muhtar Abliazov", "transliteration"),
    ("Marat Zhylanbayev", "Marat Jylanbaev", "transliteration"),
    ("Marat Zhylanbayev", "Zhylanbayev Marat", "reordered"),
    ("Marat Zhylanbayev", "Жыланбаеву Марату", "ending"),
    ("Tokayev", "Kassym-Jomart Tokayev", "given-name"),
])
def test_near_names_are_candidates_never_exact(stored: str, written: str, how: str) -> None:
    index = NearNames([person("stored", stored)])
    assert index.exact(written) == []
    found = index.near(written)
    assert [(n.node_id, n.how) for n in found] == [("stored", how)]
    assert 0 < found[0].score < 100


def test_the_same_given_name_with_another_surname_is_not_proposed() -> None:
    index = NearNames([person("marat-zhylanbayev", "Marat Zhylanbayev"),
                       person("aidos-sadykov", "Aidos Sadykov")])
    assert index.near("Marat Kozlov") == []
    assert index.near("Nataliya Sadykova") == []  # the same surname, another given name


@pytest.mark.parametrize("written", ["Marat Zhylanbaev", "MARAT ZHYLANBAEV", "Марат Жыланбаев",
                                     "Marat  Zhylanbáev", "marat-zhylanbaev"])
def test_folded_equal_names_and_aliases_are_exact(written: str) -> None:
    index = NearNames([person("marat-zhylanbayev", "Marat Zhylanbayev", "Marat Zhylanbaev")])
    assert index.exact(written) == ["marat-zhylanbayev"]
    assert [(n.how, n.score, n.label) for n in index.near(written)] == [
        ("exact", 100.0, "Marat Zhylanbaev")]


def test_a_kazakh_spelling_that_folds_differently_is_not_exact() -> None:
    index = NearNames([person("iskander-yerimbetov", "Iskander Yerimbetov")])
    assert index.exact("Искандер Ерімбетов") == []  # folds to "iskander erimbetov"
    assert index.near("Искандер Ерімбетов")[0].how == "transliteration"


def test_two_stored_entities_with_the_same_folded_name_are_both_exact() -> None:
    index = NearNames([person("a", "Askar Nurlanov"), person("b", "Аскар Нурланов")])
    assert sorted(index.exact("askar nurlanov")) == ["a", "b"]
    assert propose([person("new", "Askar Nurlanov")], index) == []  # ambiguous: not a candidate


def test_kind_is_respected() -> None:
    org = Node(id="alga", kind=NodeKind.ORGANISATION, name="Alga Kazakhstan")
    index = NearNames([person("alga-kazakhstanov", "Alga Kazakhstanov"), org])
    assert [n.node_id for n in index.near("Alga Kazakhstana", NodeKind.ORGANISATION)] == ["alga"]
    incoming = Node(id="alga-party", kind=NodeKind.ORGANISATION, name="Alga Kazakhstana")
    assert [(node.id, near.node_id) for node, near in propose([incoming], index)] == [
        ("alga-party", "alga")]


def test_sources_groups_and_restricted_kinds_are_left_out() -> None:
    source = Node(id="report", kind=NodeKind.SOURCE, name="Marat Zhylanbayev report")
    group = Node(id="crowd", kind=NodeKind.PERSON, name="Marat Zhylanbayev supporters", group=True)
    index = NearNames([source, group, person("p", "Marat Zhylanbayev")], kinds={NodeKind.PERSON})
    assert [n.node_id for n in index.near("Marat Zhylanbayev supporter")] == ["p"]


def test_propose_skips_linked_entities_and_keeps_the_best_name_of_each() -> None:
    index = NearNames([person("bota-jardemalie", "Bota Jardemalie"),
                       person("marat-zhylanbayev", "Marat Zhylanbayev")])
    incoming = [person("bota-jardemalie", "Bota Jardemalie"),  # the same id: a link
                person("marat", "Marat Zhylanbaev"),
                person("botagoz", "Botagoz Jardemalie", "Botagoz Dzhardemaly")]
    found = [(node.id, near.node_id, near.how) for node, near in propose(incoming, index)]
    assert found == [("marat", "marat-zhylanbayev", "transliteration"),
                     ("botagoz", "bota-jardemalie", "shortened")]


def test_every_how_is_documented() -> None:
    text = (Path(__file__).parents[1] / "docs" / "identity.md").read_text(encoding="utf-8")
    for how in HOW:
        assert f"`{how}`" in text


def test_blocking_compares_far_fewer_than_all_pairs() -> None:
    rng = random.Random(3)
    syllables = ("ai", "bek", "dar", "gul", "zhan", "nur", "mar", "ser", "ka", "li", "tor", "yer",
                 "bol", "san", "ras", "dy", "mu", "khan", "ta", "zi", "ol", "em", "ba", "sha")

    def name() -> str:
        given = "".join(rng.choice(syllables) for _ in range(2)).capitalize()
        surname = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
        return f"{given} {surname}{rng.choice(('ov', 'ova', 'uly', 'bayev'))}"

    stored = [person(f"s-{i}", name()) for i in range(5_000)]
    incoming = [person(f"i-{i}", name()) for i in range(500)]
    index = NearNames(stored)
    propose(incoming, index)
    assert index.comparisons < len(stored) * len(incoming) / 50
