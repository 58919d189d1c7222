"""The core queries on the real dataset, checked against what the source text says."""

from __future__ import annotations

import pytest

from graph import queries
from graph.errors import LimitExceeded, NodeNotFound, NoPath, WrongKind
from graph.store import GraphStore


def test_path_from_yerimbetov_to_ablyazov_passes_through_his_sister(kz_store: GraphStore) -> None:
    (path,) = queries.paths(kz_store, "iskander-yerimbetov", "mukhtar-ablyazov")
    assert [n.id for n in path.nodes] == ["iskander-yerimbetov", "bota-jardemalie",
                                          "mukhtar-ablyazov"]
    assert [e.type for e in path.edges] == ["FAMILY_OF", "REPRESENTED"]
    assert all(c.paragraph == "3.7" for e in path.edges for c in e.citations)


def test_all_shortest_paths_are_distinct_and_equally_short(kz_store: GraphStore) -> None:
    found = queries.paths(kz_store, "case-kaluova-405", "case-dzhumaniyazova-405", mode="all")
    assert len(found) >= 2
    assert {p.length for p in found} == {found[0].length}
    assert len({tuple(e.id for e in p.edges) for p in found}) == len(found)


def test_a_type_filter_and_an_avoid_list_change_the_route(kz_store: GraphStore) -> None:
    direct = queries.paths(kz_store, "case-kaluova-405", "case-dzhumaniyazova-405", mode="all")
    assert {p.nodes[1].id for p in direct} == {"kz-cc-405", "koshe-partiyasy"}
    around = queries.paths(kz_store, "case-kaluova-405", "case-dzhumaniyazova-405", mode="all",
                           avoid=["kz-cc-405"])
    assert [[n.id for n in p.nodes] for p in around] == [
        ["case-kaluova-405", "koshe-partiyasy", "case-dzhumaniyazova-405"]]
    laws_only = queries.paths(kz_store, "case-kaluova-405", "case-dzhumaniyazova-405",
                              types=["CHARGED_UNDER"])
    assert [n.id for n in laws_only[0].nodes][1] == "kz-cc-405"
    family_only = queries.paths(kz_store, "iskander-yerimbetov", "mukhtar-ablyazov",
                                types=["FAMILY_OF"])
    assert family_only == []


def test_no_path_and_unknown_entity_are_different_outcomes(kz_store: GraphStore) -> None:
    assert queries.paths(kz_store, "iskander-yerimbetov", "mukhtar-ablyazov", max_hops=1) == []
    with pytest.raises(NoPath):
        queries.shortest_path(kz_store, "iskander-yerimbetov", "mukhtar-ablyazov", max_hops=1)
    with pytest.raises(NodeNotFound, match="no-such-person"):
        queries.paths(kz_store, "iskander-yerimbetov", "no-such-person")


def test_hop_limit_above_the_cap_is_refused(kz_store: GraphStore) -> None:
    with pytest.raises(LimitExceeded, match="max_hops=50 is above the cap"):
        queries.paths(kz_store, "iskander-yerimbetov", "mukhtar-ablyazov", max_hops=50)


def test_unknown_relationship_type_in_a_filter_is_refused(kz_store: GraphStore) -> None:
    with pytest.raises(ValueError, match="unknown relationship types: KNOWS"):
        queries.paths(kz_store, "iskander-yerimbetov", "mukhtar-ablyazov", types=["KNOWS"])


def test_relatives_names_yerimbetov_for_jardemalie_with_citation(kz_store: GraphStore) -> None:
    (item,) = queries.targeted_through_relatives(kz_store, target="bota-jardemalie")
    assert item.relative.id == "iskander-yerimbetov" and item.relation == "brother"
    assert {"arrest", "torture"} <= set(item.measures) and item.date == "2017"
    assert [(c.source, c.paragraph) for c in item.citations] == [("kz-upr48-2024", "3.7")]
    assert {m.type for m in item.related_measures} >= {"DETAINED", "TORTURED"}


def test_relatives_lists_kalyk_mendygazyev_who_died(kz_store: GraphStore) -> None:
    items = queries.targeted_through_relatives(kz_store, relative="kalyk-mendygazyev")
    assert [(i.target.id, i.relation) for i in items] == [("barlyk-mendygazyev", "brother")]
    assert "death" in items[0].measures


def test_case_links_share_article_405_and_koshe_partiyasy(kz_store: GraphStore) -> None:
    links = {link.case.id: link for link in queries.case_links(kz_store, "case-kaluova-405")}
    dzhum = links["case-dzhumaniyazova-405"]
    assert [n.id for n in dzhum.shared["laws"]] == ["kz-cc-405"]
    assert [n.id for n in dzhum.shared["organisations"]] == ["koshe-partiyasy"]
    # Demeuova's Article 405 case concerns DCK, not Koshe Partiyasy: linked by the law alone.
    assert [n.id for n in links["case-demeuova-405"].shared["laws"]] == ["kz-cc-405"]
    assert "organisations" not in links["case-demeuova-405"].shared
    # The source names no article for Zhylanbayev's charges, so nothing links his case here.
    assert "case-zhylanbayev" not in links
    assert next(iter(links)) == "case-dzhumaniyazova-405", "strongest link first"


def test_case_links_refuse_a_non_case(kz_store: GraphStore) -> None:
    with pytest.raises(WrongKind, match="is a person, not a case"):
        queries.case_links(kz_store, "nurgul-kaluova")


def test_timeline_is_in_date_order_with_precision(kz_store: GraphStore) -> None:
    entries = queries.timeline(kz_store, "daniyar-khasenov")
    assert [(e.date, e.type, e.precision) for e in entries] == [
        ("2019-06-13", "BLOCKED_ACCOUNTS", "day"), ("2023-07", "ASYLUM_DECISION", "month"),
        ("2023-12-28", "SUPPORTED", "day")]
    assert entries[0].citations[0].url and entries[0].citations[0].footnote == 16


def test_neighbourhood_pages_and_says_when_truncated(kz_store: GraphStore) -> None:
    whole = queries.neighbourhood(kz_store, "bota-jardemalie", depth=2, limit=500)
    assert not whole.truncated and whole.total_nodes == len(whole.nodes)
    first = queries.neighbourhood(kz_store, "bota-jardemalie", depth=2, limit=5)
    assert first.truncated and len(first.nodes) == 5 and first.nodes[0].id == "bota-jardemalie"
    node_ids = {n.id for n in first.nodes}
    assert all(e.source in node_ids and e.target in node_ids for e in first.edges)
    with pytest.raises(LimitExceeded):
        queries.neighbourhood(kz_store, "bota-jardemalie", depth=9)
