"""GraphML and GEXF exports read back by networkx's own readers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx

from exporters.gephi import gexf, graphml
from graph.public import PublicView
from graph.store import GraphStore


def _kinds(graph: nx.MultiDiGraph) -> Counter[str]:
    return Counter(data["kind"] for _, data in graph.nodes(data=True))


def _types(graph: nx.MultiDiGraph) -> Counter[str]:
    return Counter(data["relationship"] for _, _, data in graph.edges(data=True))


def test_graphml_reads_back_with_the_same_counts_kinds_and_types(
        kz_store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    path.write_bytes(graphml(kz_store))
    back = nx.read_graphml(path, force_multigraph=True)
    stats = kz_store.stats()
    assert (back.number_of_nodes(), back.number_of_edges()) == (stats.nodes, stats.edges)
    assert dict(_kinds(back)) == stats.nodes_by_kind
    assert dict(_types(back)) == stats.edges_by_type
    assert back.nodes["bota-jardemalie"]["roles"] == "lawyer; human_rights_defender"


def test_gexf_reads_back_with_the_same_counts_kinds_and_types(
        kz_store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    path.write_bytes(gexf(kz_store))
    back = nx.read_gexf(path)
    stats = kz_store.stats()
    assert (back.number_of_nodes(), back.number_of_edges()) == (stats.nodes, stats.edges)
    assert dict(_kinds(back)) == stats.nodes_by_kind
    assert dict(_types(back)) == stats.edges_by_type
    assert back.nodes["marat-zhylanbayev"]["label"] == "Marat Zhylanbayev"


def test_a_public_export_shows_restricted_persons_by_pseudonym_only(kz_store: GraphStore,
                                                                  tmp_path: Path) -> None:
    view = PublicView(kz_store, "secret", kz_store.version)
    path = tmp_path / "public.graphml"
    path.write_bytes(graphml(view))
    back = nx.read_graphml(path, force_multigraph=True)
    restricted = {n.id for n in kz_store.iter_nodes() if n.restricted}
    assert restricted and not restricted & set(back.nodes)
    assert {view.public_id(i) for i in restricted} <= set(back.nodes)
    assert back.number_of_nodes() == kz_store.stats().nodes
    assert "Tasbolatova" not in path.read_text()
