"""Takedown over HTTP: a person who was public is restricted, or removed, by another process
(`repgraph load` sharing the data directory), and from the next request every public answer
knows them no more: their old URLs answer exactly like an id that never existed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from followthemoney.util import make_entity_id

from api.app import create_app
from api.deps import public_views
from graph.memory import MemoryStore
from loaders import native
from schema.vocabulary import Sensitivity
from tests.conftest import DATASET, PLANTED, answer, app_settings

NAME, PERSON, CASE, EVENT = ("Gulnara Takedownova", "gulnara-takedownova", "case-takedownova",
                             "takedown-rally")
#: a fictional journalist, public, with a case named after her and a record mentioning her
RECORDS = f"""\
source: planted-test-records
nodes:
  - {{id: {PERSON}, kind: person, name: {NAME}, roles: [journalist], cite: ["1"]}}
  - {{id: {CASE}, kind: case, name: Criminal case against {NAME}, cite: ["1"]}}
  - {{id: {EVENT}, kind: event, name: A rally (fictional), cite: ["1"],
     description: "{NAME} spoke at the rally."}}
edges:
  - {{type: DETAINED, from: kz-authorities, to: {PERSON}, date: 2023, cite: ["1"]}}
  - {{type: DEFENDANT_IN, from: {PERSON}, to: {CASE}, cite: ["1"]}}
  - {{type: CHARGED_UNDER, from: {CASE}, to: kz-cc-405, cite: ["1"]}}
  - {{type: PARTICIPATED_IN, from: {PERSON}, to: {EVENT}, cite: ["1"]}}
"""
BY_ID = ["/api/entities/{}", "/api/entities/{}/timeline", "/api/entities/{}/neighbourhood",
         "/entities/{}", "/viz/entity/{}", "/embed/entity/{}", "/api/relatives?target={}",
         "/api/paths?source={}&target=bota-jardemalie", "/embed/path?source=bota-jardemalie&target={}",
         "/api/cases/{}/links", "/embed/case/{}", "/viz/case/{}"]
EXPORTS = ["ftm", "graphml", "gexf"]  # the text formats (csv is a zip)


def echo_blind(response: httpx.Response, typed: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """`answer`, but with what was typed made a placeholder: the path pages' choice page
    shows the name it was given, so two refs can only be compared where they are not."""
    status, headers, body = answer(response)
    return (status, [(k, v) for k, v in headers if k != "content-length"],
            body.replace(typed.encode(), b"REF"))


@dataclass
class Served:
    client: TestClient
    writer: MemoryStore  # another process's store on the same data directory
    old_edges: list[str]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    data_dir = tmp_path / "store"
    records = tmp_path / "takedown.yaml"
    records.write_text(RECORDS)
    writer = MemoryStore(data_dir)
    native.load([DATASET, PLANTED, records], writer)
    old_edges = sorted({e.id for i in (PERSON, CASE) for e in writer.incident_edges(i)})
    store = MemoryStore(data_dir)
    app = create_app(app_settings(data_dir, rate_limit_burst=1_000_000), store=store)
    with TestClient(app) as client:
        yield Served(client, writer, old_edges)
    store.close()
    writer.close()


def _restrict(writer: MemoryStore) -> None:
    person = writer.get_node(PERSON)
    writer.write([person.model_copy(update={"sensitivity": Sensitivity.RESTRICTED})], [])


def _remove(writer: MemoryStore) -> None:
    """A correction: her record goes, and so do the case named after her and the text that
    mentioned her (the view no longer knows her name, so it cannot withhold it)."""
    gone = {PERSON, CASE}
    nodes = [n.model_copy(update={"description": None}) if n.id == EVENT else n
             for n in writer.iter_nodes() if n.id not in gone]
    edges = [e for e in writer.iter_edges() if not gone & {e.source, e.target}]
    writer.write(nodes, edges, replace=True)


@pytest.fixture
def never_served(tmp_path: Path) -> Iterator[TestClient]:
    """The same graph without her ever having been in it: what every answer about her must
    equal once she is taken down (names like hers may resemble others' either way)."""
    data_dir = tmp_path / "never"
    store = MemoryStore(data_dir)
    native.load([DATASET, PLANTED], store)
    with TestClient(create_app(app_settings(data_dir, rate_limit_burst=1_000_000),
                               store=store)) as client:
        yield client
    store.close()


@pytest.mark.parametrize("takedown", [_restrict, _remove], ids=["restricted", "removed"])
def test_a_person_taken_down_is_unknown_to_every_publicanswer(
        served: Served, never_served: TestClient, takedown: Callable[[MemoryStore], None]) -> None:
    client = served.client
    for ref in (PERSON, CASE):
        assert client.get(f"/api/entities/{ref}").status_code == 200, "public before"
    exported = {fmt: client.get("/api/export", params={"format": fmt}).text for fmt in EXPORTS}
    assert all(NAME in text and PERSON in text for text in exported.values())

    takedown(served.writer)

    for template in BY_ID:
        for ref in (PERSON, CASE):
            asked = client.get(template.format(ref), follow_redirects=False)
            never = never_served.get(template.format(ref), follow_redirects=False)
            assert echo_blind(asked, ref) == echo_blind(never, ref), template.format(ref)
    searched = client.get("/api/search", params={"q": NAME})
    never = never_served.get("/api/search", params={"q": NAME})
    assert answer(searched) == answer(never)
    answers = [searched, client.get(f"/api/search?q={quote(PERSON)}"),
               *(client.get("/api/export", params={"format": f}) for f in EXPORTS),
               client.get(f"/entities/{EVENT}"),
               client.get("/api/entities/kz-authorities", params={"limit": 500}),
               client.get("/api/entities/kz-cc-405/neighbourhood", params={"depth": 2})]
    assert [r.status_code for r in answers] == [200] * len(answers)
    for text in (r.text for r in answers):
        assert NAME not in text and "Takedownova" not in text and PERSON not in text
        assert CASE not in text
        for edge_id in served.old_edges:
            assert edge_id not in text and make_entity_id("repgraph", edge_id) not in text
    view = public_views(client.app.state).get()  # type: ignore[attr-defined]
    assert view.find_edges(served.old_edges) == {}
