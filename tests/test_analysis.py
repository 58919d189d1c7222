"""Brokers and communities: known answers on small graphs, generic actors, the type filter,
one answer per store version, the routes, the page and the command, on every backend."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from cli.main import main
from config import get_settings
from graph import analysis, centrality
from graph.memory import MemoryStore
from graph.store import GraphStore
from schema.models import Citation, Edge, Node
from tests.test_store_contract import CITE, family, person

LEFT = [f"left-{i}" for i in range(4)]
RIGHT = [f"right-{i}" for i in range(4)]


def associate(a: str, b: str) -> Edge:
    return Edge(type="ASSOCIATE_OF", source=a, target=b, citations=CITE)


def clique(ids: list[str]) -> list[Edge]:
    return [associate(a, b) for k, a in enumerate(ids) for b in ids[k + 1:]]


def two_cliques_and_a_bridge() -> tuple[list[Node], list[Edge]]:
    """Two groups of four who all know each other, joined only through Bridget Bridge."""
    nodes = [person(i, i.replace("-", " ").title()) for i in [*LEFT, *RIGHT]]
    nodes.append(person("bridge", "Bridget Bridge"))
    return nodes, [*clique(LEFT), *clique(RIGHT), associate("bridge", LEFT[0]),
                   associate("bridge", RIGHT[0])]


def authorities() -> Node:
    return Node(id="authorities", kind="agency", name="Authorities", citations=CITE,
                properties={"generic": "stands for the whole state"})


def acted_against(target: str) -> Edge:
    return Edge(type="ACTED_AGAINST", source="authorities", target=target,
                properties={"measures": ["arrest"]}, citations=CITE)


@pytest.fixture
def bridged(blank_store: GraphStore) -> GraphStore:
    blank_store.write(*two_cliques_and_a_bridge())
    return blank_store


def test_the_only_bridge_between_two_groups_is_the_top_broker(bridged: GraphStore) -> None:
    found = analysis.brokers(bridged)
    top = found.brokers[0]
    assert top.entity.id == "bridge" and top.degree == 2
    assert found.method == "exact" and found.pivots == found.entities == 9
    # every one of the 16 pairs across, of the 28 pairs of other entities: 57%
    assert top.score == pytest.approx(16 / 28, abs=1e-6)
    assert top.explanation.startswith("Bridget Bridge lies on 57% of the shortest connections")
    assert "removing it would cut 4 entities off from the rest; it links 2 communities" in \
        top.explanation
    assert {b.entity.id for b in found.brokers} == {"bridge", LEFT[0], RIGHT[0]}  # the rest: 0


def test_louvain_finds_the_two_groups(bridged: GraphStore) -> None:
    found = analysis.communities(bridged)
    assert found.total == 2 and found.entities == 9 and found.modularity > 0.3
    groups = [{m.id for m in c.members} for c in found.communities]
    assert any(set(LEFT) <= g for g in groups) and any(set(RIGHT) <= g for g in groups)
    assert found.communities[0].size == 5  # the bridge joins one of them: largest first
    first = found.communities[0]
    assert first.relationship_types == {"ASSOCIATE_OF": 7}
    assert first.explanation.startswith("5 entities, most linked through ")
    assert "associate of (7)" in first.explanation


def test_generic_actors_are_left_out_unless_asked_for(bridged: GraphStore) -> None:
    everyone = [*LEFT, *RIGHT, "bridge"]
    bridged.write([authorities()], [acted_against(i) for i in everyone])
    without = analysis.brokers(bridged)
    assert without.brokers[0].entity.id == "bridge" and without.entities == 9
    with_them = analysis.brokers(bridged, through_generic=True)
    assert with_them.brokers[0].entity.id == "authorities" and with_them.entities == 10
    assert not any(m.id == "authorities" for c in analysis.communities(bridged).communities
                   for m in c.members)


def test_the_type_filter_reads_only_those_relationships(bridged: GraphStore) -> None:
    bridged.write([], [family(LEFT[1], RIGHT[1]), family(RIGHT[1], RIGHT[2], "sister")])
    found = analysis.brokers(bridged, types=["FAMILY_OF"])
    assert found.entities == 3 and [b.entity.id for b in found.brokers] == [RIGHT[1]]
    assert analysis.communities(bridged, types=["FAMILY_OF"]).entities == 3
    assert analysis.brokers(bridged).entities == 9  # all types again
    assert analysis.brokers(bridged, types=["MENTIONS"]).entities == 0  # about documents only


def test_documents_and_relationships_about_them_are_left_out(bridged: GraphStore) -> None:
    source = Node(id="doc", kind="source", name="A report", citations=[Citation(source="doc")])
    bridged.write([source], [Edge(type="MENTIONS", source="doc", target=i, citations=CITE)
                             for i in [*LEFT, *RIGHT]])
    found = analysis.brokers(bridged)
    assert found.entities == 9 and found.brokers[0].entity.id == "bridge"


def test_the_kinds_filter_limits_the_list_not_the_network(bridged: GraphStore) -> None:
    bridged.write([authorities()], [acted_against("bridge")])
    found = analysis.brokers(bridged, through_generic=True, kinds=["agency"])
    assert found.entities == 10 and found.brokers == []  # the agency bridges nothing


def test_an_answer_is_kept_until_a_write_changes_the_store(empty_store: MemoryStore) -> None:
    empty_store.write(*two_cliques_and_a_bridge())
    first = analysis.brokers(empty_store)
    assert analysis.betweenness(empty_store) is analysis.betweenness(empty_store)
    assert analysis.brokers(empty_store) == first
    # a second bridge between the groups halves the first one's share
    empty_store.write([person("other-bridge", "Otto Bridge")],
                      [associate("other-bridge", LEFT[1]), associate("other-bridge", RIGHT[1])])
    after = analysis.brokers(empty_store)
    assert after != first and after.entities == 10
    assert analysis.brokers(empty_store, limit=1).brokers[0].score < first.brokers[0].score


def test_large_graphs_are_sampled_with_a_fixed_seed(empty_store: MemoryStore) -> None:
    assert analysis.pivots_for(analysis.EXACT_UP_TO, 10_000) == analysis.EXACT_UP_TO
    assert analysis.pivots_for(5_001, 9_000) == analysis.DEFAULT_SAMPLE
    assert analysis.pivots_for(100_000, 200_000) == analysis.VISIT_BUDGET // 300_000
    assert analysis.pivots_for(10**7, 10**7) == analysis.MIN_PIVOTS
    empty_store.write(*two_cliques_and_a_bridge())
    found = analysis.brokers(empty_store, sample=5)
    assert found.method == "sampled" and found.pivots == 5
    assert analysis.brokers(empty_store, sample=5) == found
    assert "an estimated" in found.brokers[0].explanation


@pytest.mark.parametrize("graph", [
    nx.karate_club_graph(), nx.gnm_random_graph(300, 500, seed=3),  # the latter in pieces
    nx.barabasi_albert_graph(400, 2, seed=1)], ids=["karate", "pieces", "hubs"])
def test_betweenness_gives_networkx_numbers_exact_and_sampled(graph: nx.Graph) -> None:
    graph = nx.relabel_nodes(graph, {i: f"n{i}" for i in graph})
    for k in (None, 17):
        theirs = nx.betweenness_centrality(graph, k=k, normalized=True, seed=analysis.SEED)
        ours = centrality.betweenness(graph, k=k, seed=analysis.SEED)
        assert ours == pytest.approx(theirs, abs=1e-12)


def test_what_removing_an_entity_cuts_off(bridged: GraphStore) -> None:
    order, matrix = centrality.adjacency(analysis.network(bridged).graph)
    assert centrality.cut_off(order, matrix, "bridge") == [4]  # one side; the other stays
    assert centrality.cut_off(order, matrix, LEFT[0]) == [3]  # its group, from the bridge side
    assert centrality.cut_off(order, matrix, LEFT[1]) == []


# -- on the real dataset, through the routes, the page and the command -----------


def _restricted_names(store: GraphStore) -> list[str]:
    return sorted({name for n in store.iter_nodes() if n.restricted
                   for name in (n.name, *n.aliases) if len(name) > 3})


ANSWERS = ["/api/analysis/brokers?limit=200", "/api/analysis/brokers?limit=200&through_generic=true",
           "/api/analysis/communities?limit=500",
           "/api/analysis/communities?limit=500&through_generic=true",
           "/analysis", "/analysis?through_generic=true"]


def test_the_public_answers_never_name_a_restricted_person(
        kz_store: GraphStore, public_client: TestClient, kz_client: TestClient) -> None:
    names = _restricted_names(kz_store)
    assert names  # the planted records
    for url in ANSWERS:
        public = public_client.get(url)
        assert public.status_code == 200, (url, public.text[:300])
        leaked = [n for n in names if n in public.text]
        assert not leaked, (url, leaked)
    # and the editors' answer does name them: the check above looks where they would be
    editor = kz_client.get("/api/analysis/communities?limit=500&through_generic=true").text
    assert any(n in editor for n in names)


def test_the_routes_answer_with_explanations(public_client: TestClient) -> None:
    body = public_client.get("/api/analysis/brokers", params={"limit": 5}).json()
    assert len(body["brokers"]) == 5 and body["method"] == "exact"
    assert all(b["explanation"].startswith(b["entity"]["name"] + " lies on ")
               for b in body["brokers"])
    assert "kazakhstani-authorities" not in {b["entity"]["id"] for b in body["brokers"]}
    groups = public_client.get("/api/analysis/communities", params={
        "limit": 3, "types": ["FAMILY_OF", "TARGETED_THROUGH_RELATIVE"]}).json()
    assert groups["total"] >= 3 and len(groups["communities"]) == 3
    assert set(groups["communities"][0]["relationship_types"]) <= {
        "FAMILY_OF", "TARGETED_THROUGH_RELATIVE"}
    assert public_client.get("/api/analysis/brokers?types=NOT_A_TYPE").status_code == 422


def test_the_page_lists_both_and_links_entity_pages(public_client: TestClient) -> None:
    page = public_client.get("/analysis")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    html = page.text
    assert "<h2 id=\"brokers\">Brokers</h2>" in html and "Communities</h2>" in html
    assert 'href="/entities/' in html and "lies on" in html
    assert 'name="through_generic" value="true">' in html  # the toggle, off
    assert 'value="true" checked>' in public_client.get("/analysis?through_generic=true").text


def test_the_command_prints_brokers_and_communities(
        dataset_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(tmp_path / "store"))
    get_settings.cache_clear()
    try:
        assert main(["load", str(dataset_dir)]) == 0
        capsys.readouterr()
        assert main(["analyse", "brokers", "--limit", "3"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("brokers over ") and "exact; generic actors left out" in out
        assert out.count(" lies on ") == 3
        assert main(["analyse", "communities", "--through-generic", "--limit", "2"]) == 0
        out = capsys.readouterr().out
        assert "generic actors included" in out and out.count("most connected:") == 2
        assert main(["--json", "analyse", "brokers", "--kind", "person", "--limit", "2"]) == 0
        body = json.loads(capsys.readouterr().out)
        assert [b["entity"]["kind"] for b in body["brokers"]] == ["person", "person"]
    finally:
        get_settings.cache_clear()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_page_reads_at_phone_width_and_its_toggle_adds_generic_actors(
        kz_store: GraphStore, width: int) -> None:
    from tests.browser import chromium, recorded_page
    from tests.live import live_server

    with live_server(kz_store) as server, chromium() as (_, browser):
        page, rec = recorded_page(browser)
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{server.base}/analysis")
        assert page.locator("h1").inner_text() == "Brokers and communities"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.get_by_label("Include generic actors", exact=False).check()
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(f"{server.base}/analysis?through_generic=true")
        assert "Generic actors are included" in page.locator("main").inner_text()
        assert rec.errors == [] and rec.dialogs == [] and rec.foreign(server.base) == []
