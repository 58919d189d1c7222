"""Hostile strings as ids, names and parameters, on every backend and over HTTP.

Quotes, backticks, SQL and Cypher fragments, `$parameters`, 100,000-character
strings, control characters, NUL, right-to-left marks and path traversal are
handed to the store's primitives, to the queries, to the loaders and to every
route. They must find nothing (a clean `NodeNotFound`, 404 or 422), be stored and
read back exactly when they are legitimate text, and change nothing else: no
query is ever built from them, so there is nothing for them to break out of.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import ValidationError

from api import audit
from api.app import create_app
from graph import queries
from graph.errors import InvalidData, InvalidParameter, NodeNotFound
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from schema.models import Citation, Edge, Node
from schema.text import refused_character
from schema.vocabulary import NodeKind
from tests.conftest import DATASET, EDITOR_KEY, app_settings

HOSTILE = {
    "quote": "'",
    "double-quote": '"',
    "backtick": "`",
    "sql": "' OR 1=1 --",
    "sql-double": '" OR ""="',
    "cypher-close": "}) DETACH DELETE n //",
    "cypher-match": "x'}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "cypher-label": "x` DETACH DELETE n //",
    "cypher-call": "' CALL db.labels() YIELD label RETURN label //",
    "parameter": "$id",
    "parameter-braces": "${id}",
    "backslash": "\\'; --",
    "traversal": "../../etc/passwd",
    "encoded-traversal": "..%2F..%2Fetc%2Fpasswd",
    "nul": "a\x00b",
    "control": "\x1b[2J\x07\x7f",
    "crlf": "x\r\nX-Injected: 1",
    "rtl": "\u202etxt.exe\u200f",
    "script": "<script>alert(1)</script>",
    "regex": ".*(?i)",
    "wildcards": "%_*",
    "pseudonym-shape": "restricted-0000000000000000",
    "long": "x" * 100_000,
    "long-cypher": "}) DETACH DELETE n //" * 5_000,
}
IDS = list(HOSTILE)
#: those a record may hold as text: NUL and other control characters are refused
#: (`schema.text`; tests/test_refused_characters.py)
TEXT = {name: value for name, value in HOSTILE.items() if refused_character(value) is None}
#: all but the one shaped like a pseudonym, which is a well-formed id
BAD_IDS = [name for name in IDS if name != "pseudonym-shape"]
#: URLs are limited in length by clients and servers; 20,000 characters still pass
URL_SAFE = 20_000
KNOWN = ("bota-jardemalie", "mukhtar-ablyazov")


# -- the store and the queries, on every backend ------------------------------------------------

def _unknown_everywhere(store: GraphStore, value: str) -> list[Callable[[], object]]:
    return [
        lambda: store.get_node(value),
        lambda: queries.relations(store, value),
        lambda: queries.neighbourhood(store, value, depth=2),
        lambda: queries.timeline(store, value),
        lambda: queries.case_links(store, value),
        lambda: queries.paths(store, value, KNOWN[0]),
        lambda: queries.paths(store, KNOWN[0], value, mode="all"),
        lambda: queries.targeted_through_relatives(store, target=value),
        lambda: queries.targeted_through_relatives(store, relative=value),
    ]


@pytest.mark.parametrize("name", IDS)
def test_a_hostile_id_is_an_unknown_entity_to_every_query(kz_store: GraphStore,
                                                          name: str) -> None:
    value, before = HOSTILE[name], kz_store.stats()
    assert kz_store.find_nodes([value, KNOWN[0]]).keys() == {KNOWN[0]}
    assert kz_store.find_edges([value]) == {}
    assert kz_store.incident_edges(value) == [] and kz_store.degree(value) == 0
    for call in _unknown_everywhere(kz_store, value):
        with pytest.raises(NodeNotFound) as found:
            call()
        assert found.value.node_id == value
    assert queries.paths(kz_store, *KNOWN, avoid=[value])
    with pytest.raises(InvalidParameter):
        queries.neighbourhood(kz_store, KNOWN[0], types=[value])
    with pytest.raises(InvalidParameter):
        queries.paths(kz_store, *KNOWN, types=[value])
    assert kz_store.stats() == before


def _hostile_records() -> tuple[list[Node], list[Edge]]:
    source = Node(id="src", kind=NodeKind.SOURCE, name="Source")
    nodes = [source]
    for i, value in enumerate(TEXT.values()):
        nodes.append(Node(id=f"hostile-{i}", kind=NodeKind.PERSON, name=value[:300],
                          aliases=[value], description=value, properties={"place": value},
                          citations=[Citation(source="src", paragraph="1.1", note=value)]))
    edges = [Edge(type="DETAINED", source=a.id, target=b.id, properties={"note": b.description},
                  citations=[Citation(source="src", note=a.description)])
             for a, b in itertools.pairwise(nodes[1:])]
    return nodes, edges


def test_hostile_text_is_stored_and_read_back_exactly(blank_store: GraphStore) -> None:
    nodes, edges = _hostile_records()
    report = blank_store.write(nodes, edges)
    assert len(report.nodes_added) == len(nodes) and len(report.edges_added) == len(edges)
    stats = blank_store.stats()
    assert (stats.nodes, stats.edges) == (len(nodes), len(edges))
    assert blank_store.find_nodes([n.id for n in nodes]) == {n.id: n for n in nodes}
    assert blank_store.find_edges([e.id for e in edges]) == {e.id: e for e in edges}
    assert blank_store.write(nodes, edges).changed_anything is False, "a reload changes nothing"
    found = queries.paths(blank_store, nodes[1].id, nodes[5].id, max_hops=4)
    assert [n.id for n in found[0].nodes] == [n.id for n in nodes[1:6]]
    assert found[0].nodes[2].name == nodes[3].name


@pytest.mark.parametrize("name", sorted(HOSTILE.keys() - TEXT.keys()))
def test_control_characters_are_refused_as_text(name: str) -> None:
    with pytest.raises(ValidationError, match="U\\+00"):
        Node(id="x", kind=NodeKind.PERSON, name="X", description=HOSTILE[name])


@pytest.mark.parametrize("name", BAD_IDS)
def test_a_hostile_id_is_refused_by_validation(name: str) -> None:
    with pytest.raises(ValidationError, match="not a valid id"):
        Node(id=HOSTILE[name], kind=NodeKind.PERSON, name="X")


def test_a_file_of_hostile_ids_is_invalid_data_and_changes_nothing(
        blank_store: GraphStore, tmp_path: Path) -> None:
    nodes, edges = _hostile_records()
    blank_store.write(nodes, edges)
    before = blank_store.stats()
    bad = [HOSTILE[name] for name in BAD_IDS]
    doc = {"source": "src", "nodes": [{"id": value, "kind": "person", "name": f"Name {i}"}
                                      for i, value in enumerate(bad)],
           "edges": [{"type": "DETAINED", "from": "hostile-0", "to": value, "cite": ["1.1"]}
                     for value in bad]}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidData) as refused:
        native.load([path], blank_store)
    assert len(refused.value.problems) == 2 * len(bad)
    assert blank_store.stats() == before


# -- over HTTP ----------------------------------------------------------------------------------

PATHS = ("/api/entities/{}", "/api/entities/{}/neighbourhood", "/api/entities/{}/timeline",
         "/api/cases/{}/links", "/entities/{}", "/viz/entity/{}", "/embed/case/{}",
         "/vendor/{}", "/static/{}")
QUERIES: tuple[tuple[str, Callable[[str], dict[str, str]]], ...] = (
    ("/api/search", lambda v: {"q": v}),
    ("/api/search", lambda v: {"q": "Bota", "kind": v}),
    ("/api/paths", lambda v: {"source": v, "target": KNOWN[1]}),
    ("/api/paths", lambda v: {"source": KNOWN[0], "target": KNOWN[1], "types": v}),
    ("/api/paths", lambda v: {"source": KNOWN[0], "target": KNOWN[1], "avoid": v}),
    ("/api/paths", lambda v: {"source": KNOWN[0], "target": KNOWN[1], "max_hops": v}),
    ("/api/relatives", lambda v: {"target": v}),
    ("/api/entities/bota-jardemalie", lambda v: {"types": v, "offset": v}),
    ("/api/entities/bota-jardemalie/neighbourhood", lambda v: {"types": v, "depth": v}),
    ("/api/export", lambda v: {"format": v}),
    ("/viz/path", lambda v: {"source": v, "target": KNOWN[1]}),
    ("/viz/graph", lambda v: {"kinds": v}),
    ("/viz/entity/bota-jardemalie", lambda v: {"types": v}),
)
#: 307 is the framework's trailing-slash redirect (a value that ends in "/")
CLEAN = {200, 303, 307, 404, 422}


def _check_clean(response: Response, where: str) -> None:
    assert response.status_code in CLEAN, (where, response.status_code, response.text[:300])
    assert "x-injected" not in response.headers, where
    location = response.headers.get("location", "/")
    assert location.startswith(("/", "http://testserver/")) and not location.startswith("//")
    if response.headers.get("content-type", "").startswith("text/html"):
        assert "<script>alert(1)</script>" not in response.text, where
    if response.headers.get("content-type", "").startswith("application/json"):
        response.json()
    assert "root:x:0:0" not in response.text, where


@pytest.fixture(scope="module")
def clients(kz_store: GraphStore,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """A public and an editor client over `kz_store`, with a rate limit they cannot reach
    (they would only get the documented 429)."""
    settings = app_settings(tmp_path_factory.mktemp("injection"), rate_limit_burst=100_000)
    with TestClient(create_app(settings, store=kz_store)) as public, \
            TestClient(create_app(settings, store=kz_store),
                       headers={"X-API-Key": EDITOR_KEY}) as editor:
        yield {"public": public, "editor": editor}


@pytest.mark.parametrize("audience", ["public", "editor"])
@pytest.mark.parametrize("name", IDS)
def test_hostile_ids_and_parameters_get_clean_answers(
        clients: dict[str, TestClient], kz_store: GraphStore, audience: str, name: str) -> None:
    client = clients[audience]
    value, before = HOSTILE[name][:URL_SAFE], kz_store.stats()
    for template in PATHS:
        url = template.format(quote(value, safe=""))
        _check_clean(client.get(url, follow_redirects=False), url)
    for path, params in QUERIES:
        _check_clean(client.get(path, params=params(value), follow_redirects=False),
                     f"{path} {list(params(value))}")
    assert kz_store.stats() == before


def test_an_import_named_by_a_hostile_filename_stays_in_its_folder(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "store")
    native.load([DATASET], store)
    settings = app_settings(tmp_path)
    with TestClient(create_app(settings, store=store),
                    headers={"X-API-Key": EDITOR_KEY}) as client:
        for value in ("../../etc/passwd", "../../../tmp/evil.yaml", "/etc/passwd", "a\x00b",
                      "..", "x\r\ny.yaml", "`rm -rf /`.yaml"):
            answer = client.post("/api/import", params={"format": "native", "filename": value},
                                 content=b"nodes: [")
            assert answer.status_code == 422, answer.text
            assert all(p.split(":")[0].count("/") == 0 for p in answer.json()["problems"])
    logged = [entry["filename"] for entry in audit.read(settings.audit_log_path)]
    assert len(logged) == 7 and not any("/" in f or "\x00" in f or "\n" in f for f in logged)
    assert not (tmp_path / "evil.yaml").exists()
