"""Connections that mean something (`graph.connections`, `graph.explain`): generic actors
left out unless asked, distinct and ranked paths, and every path told in sentences that
its citations bear out. On the dataset, with its identity decisions (the service's view)."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path as FilePath

import pytest
from fastapi.testclient import TestClient

from config import Settings
from graph import queries, with_decisions
from graph.connections import CERTAINTY_COST, reading
from graph.explain import hop
from graph.generic import generic_ids
from graph.memory import MemoryStore
from graph.results import EdgeRef, NodeRef
from graph.store import GraphStore
from loaders import native
from schema.models import Citation, Edge, Node
from schema.vocabulary import RELATION_TYPES, WORDING, Certainty, NodeKind
from tests.sourcetext import paragraph


@pytest.fixture(scope="module")
def store(dataset_dir: FilePath) -> GraphStore:
    base = MemoryStore()
    native.load([dataset_dir], base)
    return with_decisions(base, Settings(dataset_dir=dataset_dir))


def test_the_authorities_are_generic_and_left_out_unless_asked(store: GraphStore) -> None:
    assert {"kz-authorities", "kz-police", "kz-special-services"} <= generic_ids(store)
    ends = ("bota-jardemalie", "case-zhylanbayev")
    around = queries.connection(store, *ends, mode="all")
    assert all(not {n.id for n in p.nodes[1:-1]} & generic_ids(store) for p in around.paths)
    assert [n.id for n in around.avoided] == ["kz-authorities"]
    assert "through_generic=true" in around.summary
    through = queries.connection(store, *ends, through_generic=True)
    assert [n.id for n in through.paths[0].nodes][1] == "kz-authorities"
    assert through.paths[0].length < around.paths[0].length and through.avoided == []


def test_when_the_only_connection_runs_through_the_authorities_the_answer_says_so(
        store: GraphStore) -> None:
    answer = queries.connection(store, "bota-jardemalie", "case-zhylanbayev", max_hops=5)
    assert answer.paths == []
    assert answer.summary.startswith(
        "Bota Jardemalie and Criminal case against Marat Zhylanbayev are connected only "
        "through acts of the Kazakhstani authorities")


def test_yerimbetov_reaches_ablyazov_first_through_his_sister(store: GraphStore) -> None:
    ranked = queries.connection(store, "iskander-yerimbetov", "mukhtar-ablyazov",
                                mode="ranked", through_generic=True)
    first = ranked.paths[0]
    assert [n.id for n in first.nodes] == ["iskander-yerimbetov", "bota-jardemalie",
                                           "mukhtar-ablyazov"]
    assert first.explanation[0].startswith("Iskander Yerimbetov is the brother of Bota "
                                           "Jardemalie") or "(brother)" in first.explanation[0]


def test_ranked_paths_are_ordered_by_their_documented_score(store: GraphStore) -> None:
    for ends in (("iskander-yerimbetov", "mukhtar-ablyazov"),
                 ("case-kaluova-405", "case-dzhumaniyazova-405"),
                 ("vladimir-kozlov", "mukhtar-ablyazov")):
        ranked = queries.connection(store, *ends, mode="ranked", through_generic=True).paths
        assert ranked, ends
        for path in ranked:  # the score is the sum its parts say, by the module's rule
            expected = path.length + sum(
                math.log2(1 + store.degree(n.id)) for n in path.nodes[1:-1]
            ) + sum(CERTAINTY_COST[e.certainty] for e in path.edges)
            assert path.score == pytest.approx(expected, abs=1e-3)
            assert len(path.score_parts) >= 1 + path.length - 1
        assert [p.score for p in ranked] == sorted(p.score or 0 for p in ranked)
        sequences = [tuple(n.id for n in p.nodes) for p in ranked]
        assert len(set(sequences)) == len(sequences), "one path per sequence of entities"


def test_no_two_paths_read_the_same(store: GraphStore) -> None:
    for ends in (("iskander-yerimbetov", "mukhtar-ablyazov"),
                 ("bota-jardemalie", "case-zhylanbayev")):
        for generic in (False, True):
            paths = queries.paths(store, *ends, mode="all", limit=50, through_generic=generic)
            readings = [reading(p) for p in paths]
            assert len(set(readings)) == len(readings)


def test_every_sentence_is_borne_out_by_its_citations(store: GraphStore) -> None:
    """Each sentence names both ends as the path has them and ends with the relationship's
    citations; for the founding source, both names' surnames are in the paragraph cited."""
    pairs = [("iskander-yerimbetov", "mukhtar-ablyazov"), ("vladimir-kozlov", "case-zhylanbayev"),
             ("bota-jardemalie", "case-zhylanbayev")]
    checked = 0
    for ends in pairs:
        for path in queries.paths(store, *ends, mode="all", limit=20, through_generic=True):
            assert len(path.explanation) == path.length
            for sentence, edge, a, b in zip(path.explanation, path.edges, path.nodes,
                                            path.nodes[1:], strict=False):
                assert a.name in sentence and b.name in sentence
                cited = "; ".join(f"{c.source} {c.locator}".strip() for c in edge.citations[:3])
                assert sentence.endswith(f"({cited}).") or "more)." in sentence
                for c in edge.citations:
                    if c.source == "kz-upr48-2024" and c.paragraph and a.kind is NodeKind.PERSON:
                        text = paragraph(c.paragraph)
                        assert a.name.split()[-1] in text, (sentence, c.paragraph)
                        checked += 1
    assert checked >= 5


def _edge(**fields: object) -> EdgeRef:
    edge = Edge(**{"citations": [Citation(source="src", paragraph="2")], **fields})
    return EdgeRef.of(edge)


def _node(node_id: str, name: str) -> NodeRef:
    return NodeRef.of(Node(id=node_id, kind=NodeKind.PERSON, name=name))


def test_a_sentence_is_built_from_the_relationships_own_values() -> None:
    ann, bob = _node("ann", "Ann Aliyeva"), _node("bob", "Bob Beketov")
    pressured = _edge(type="TARGETED_THROUGH_RELATIVE", source="bob", target="ann", date="2017",
                      properties={"relation": "brother", "measures": ["arrest", "torture"]})
    assert hop(pressured, bob, ann) == ("Bob Beketov (brother) was subjected to arrest and "
                                        "torture to pressure Ann Aliyeva, in 2017 (src para 2).")
    assert hop(pressured, ann, bob) == ("Ann Aliyeva was pressured through arrest and torture "
                                        "against a relative (brother), Bob Beketov, in 2017 "
                                        "(src para 2).")
    alleged = _edge(type="ASSOCIATE_OF", source="ann", target="bob", certainty="alleged",
                    claimed_by="the prosecution")
    assert hop(alleged, ann, bob) == ("According to the prosecution (an allegation), Ann "
                                      "Aliyeva is an associate of Bob Beketov (src para 2).")
    sentenced = _edge(type="SENTENCED_IN", source="ann", target="case", date="2023-11-30",
                      properties={"sentence": "imprisonment", "term": "P7Y6M"})
    case = NodeRef.of(Node(id="case", kind=NodeKind.CASE, name="the case against her"))
    assert hop(sentenced, ann, case) == (
        "Ann Aliyeva was sentenced to imprisonment in the case against her for a term of 7 "
        "years and 6 months, on 2023-11-30 (src para 2).")


def test_every_relationship_type_has_its_words_and_every_slot_is_a_property() -> None:
    for rel in RELATION_TYPES:
        wording = WORDING[rel.name]
        for form in (wording.active, wording.passive):
            assert set(re.findall(r"\{(\w+)\}", form)) <= set(rel.properties), rel.name


def test_the_api_and_the_page_tell_the_same_sentences(public_client: TestClient,
                                                     store: GraphStore) -> None:
    params = {"source": "iskander-yerimbetov", "target": "mukhtar-ablyazov", "mode": "ranked"}
    body = public_client.get("/api/paths", params=params).json()
    expected = queries.connection(store, "iskander-yerimbetov", "mukhtar-ablyazov",
                                  mode="ranked")
    assert [p["explanation"] for p in body["paths"]] == [p.explanation for p in expected.paths]
    assert body["summary"] == expected.summary and body["paths"][0]["score_parts"]
    page = public_client.get("/viz/path", params={**params, "avoid": "kz-police",
                                              "through_generic": "true"}).text
    assert html.escape(expected.paths[0].explanation[0], quote=False) in page
    snippet = re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', page, re.S)
    assert snippet and all(part in html.unescape(html.unescape(snippet.group(1))) for part in (
        "mode=ranked", "avoid=kz-police", "through_generic=true"))
    assert 'value="Iskander Yerimbetov"' in page and 'value="Kazakhstani police"' in page


def test_the_path_page_honours_avoid(kz_client: TestClient) -> None:
    params = {"source": "case-kaluova-405", "target": "case-dzhumaniyazova-405", "mode": "all"}
    both = kz_client.get("/viz/path", params=params).text
    around = kz_client.get("/viz/path", params={**params, "avoid": "kz-cc-405"}).text
    assert "Koshe Partiyasy" in around and "Koshe Partiyasy" in both
    assert both.count("Article 405") > around.count("Article 405")


def test_views_show_generic_actors_but_do_not_expand_them(store: GraphStore) -> None:
    closed = queries.neighbourhood(store, "bota-jardemalie", depth=2, limit=500)
    opened = queries.neighbourhood(store, "bota-jardemalie", depth=2, limit=500,
                                   expand_generic=True)
    assert "kz-authorities" in {n.id for n in closed.nodes}
    assert closed.total_nodes < opened.total_nodes


def test_certainty_costs_cover_every_certainty() -> None:
    assert set(CERTAINTY_COST) == set(Certainty)


def test_the_authorities_as_a_whole_link_no_cases_unless_asked(store: GraphStore) -> None:
    case = "hrw21-extremism-prosecutions"  # prosecuted by "the Kazakh authorities"
    assert queries.case_links(store, case) == []
    linked = queries.case_links(store, case, through_generic=True)
    assert linked and all(v.id in generic_ids(store) for link in linked
                          for vs in link.shared.values() for v in vs)
