"""The relatives view as a table: its rows, their words and citations, and who is named.

The table is read from the served HTML as a reader's browser gets it, and checked
against the analysts' query and the API over the same store (the public view for the
public, the whole store for an editor).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import public_views
from api.views.network import fanned_out
from api.views.relatives import when
from config import Settings
from graph import queries
from graph.memory import MemoryStore
from graph.names import PLACEHOLDER
from graph.store import GraphStore
from loaders import native
from schema.vocabulary import MEASURE_TYPES, RELATIONS
from tests.conftest import DATASET

LABELS = ["Who was targeted", "Through whom", "What was done", "When", "Certainty", "Sources"]


@dataclass
class Cell:
    text: str = ""
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (class, href, text)
    datetime: str | None = None


@dataclass
class Table:
    caption: str = ""
    header_scopes: list[str] = field(default_factory=list)
    rows: list[dict[str, Cell]] = field(default_factory=list)


class _TableReader(HTMLParser):
    """The first `table.targetings` of a page: caption, the scope of every `th`, and each
    body row's cells by their column's `data-label`."""

    def __init__(self) -> None:
        super().__init__()
        self.table: Table | None = None
        self.reading = False
        self.in_caption = False
        self.row: dict[str, Cell] = {}
        self.cell: Cell | None = None
        self.link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and self.table is None and "targetings" in (found.get("class") or ""):
            self.table, self.reading = Table(), True
        if not self.reading or self.table is None:
            return
        self.in_caption = self.in_caption or tag == "caption"
        if tag == "th":
            self.table.header_scopes.append(found.get("scope") or "")
        if tag in ("td", "th") and found.get("data-label"):
            self.cell = self.row.setdefault(str(found["data-label"]), Cell())
        elif tag == "a" and self.cell is not None:
            self.link = [found.get("class") or "", found.get("href") or "", ""]
        elif tag == "time" and self.cell is not None:
            self.cell.datetime = found.get("datetime")

    def handle_endtag(self, tag: str) -> None:
        if not self.reading or self.table is None:
            return
        if tag == "caption":
            self.in_caption = False
        elif tag == "a" and self.link is not None and self.cell is not None:
            self.cell.links.append((self.link[0], self.link[1], " ".join(self.link[2].split())))
            self.link = None
        elif tag in ("td", "th") and self.cell is not None:
            self.cell.text = " ".join(self.cell.text.split())
            self.cell = None
        elif tag == "tr" and self.row:
            self.table.rows.append(self.row)
            self.row = {}
        elif tag == "table":
            self.reading = False

    def handle_data(self, data: str) -> None:
        if not self.reading or self.table is None:
            return
        if self.in_caption:
            self.table.caption += data
        if self.cell is not None:
            self.cell.text += data
        if self.link is not None:
            self.link[2] += data


def table_of(html: str) -> Table:
    reader = _TableReader()
    reader.feed(html)
    assert reader.table is not None, "the page has the table"
    return reader.table


def _view_data(html: str) -> dict[str, list[dict[str, object]]]:
    found = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', html, re.S)
    assert found, "the page carries its data"
    data: dict[str, list[dict[str, object]]] = json.loads(found.group(1))
    return data


def _name_of(cell: Cell) -> str:
    """The person a cell names: its first link."""
    return cell.links[0][2]


@pytest.fixture(scope="module")
def client(kz_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(rate_limit_burst=100_000), kz_store)) as found:
        yield found


@pytest.fixture(scope="module")
def public(client: TestClient) -> GraphStore:
    """The store the public's pages read."""
    return public_views(client.app.state).get()  # type: ignore[attr-defined]


def test_the_table_has_a_row_per_targeting_in_the_querys_order(client: TestClient,
                                                               public: GraphStore) -> None:
    found = queries.targeted_through_relatives(public)
    for url in ("/viz/relatives", "/embed/relatives"):
        table = table_of(client.get(url).text)
        assert [(_name_of(r["Who was targeted"]), _name_of(r["Through whom"]),
                 r["When"].datetime) for r in table.rows] == [
            (i.target.name, i.relative.name, i.date) for i in found], url
        assert [r["Who was targeted"].links[0][1] for r in table.rows] == [
            f"/entities/{i.target.id}" for i in found]
        assert f"{len(found)} cases" in table.caption
        assert table.header_scopes[:6] == ["col"] * 6 and set(table.header_scopes[6:]) == {"row"}
        assert all(list(r) == LABELS for r in table.rows)
    order = [(i.target.name, i.relative.name, i.date or "") for i in found]
    assert len(found) >= 3 and order == sorted(order)


def test_yerimbetovs_row_tells_what_was_done_to_him_to_reach_his_sister(
        client: TestClient) -> None:
    rows = table_of(client.get("/viz/relatives").text).rows
    (row,) = [r for r in rows if _name_of(r["Through whom"]) == "Iskander Yerimbetov"]
    assert _name_of(row["Who was targeted"]) == "Bota Jardemalie"
    assert row["Through whom"].text == "Iskander Yerimbetov, brother of Bota Jardemalie"
    assert row["What was done"].text.startswith("arrest and torture ")
    assert "detained (2017) by Kazakhstani authorities" in row["What was done"].text
    assert (row["When"].text, row["When"].datetime) == ("2017", "2017")
    assert row["Certainty"].text == "stated"


def test_the_table_speaks_in_words_never_in_codes(client: TestClient) -> None:
    codes = re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b|\b[a-z]+_[a-z_]+\b|\bP\d+[YMD]\b")
    rows = table_of(client.get("/viz/relatives").text).rows
    texts = [c.text for r in rows for label, c in r.items() if label != "Sources"]
    assert not [t for t in texts if codes.search(t)]
    assert not [t for t in texts for code in (*RELATIONS, *MEASURE_TYPES) if code in t]
    assert any("hostage taking" in t for t in texts), "a measure coded hostage_taking"


def test_every_citation_links_the_reader_and_the_sources_own_address(
        client: TestClient, public: GraphStore) -> None:
    rows = table_of(client.get("/viz/relatives").text).rows
    for row, item in zip(rows, queries.targeted_through_relatives(public), strict=True):
        cited = list({c.href: c for c in [*item.citations, *(
            c for m in item.related_measures for c in m.citations)]}.values())
        links = row["Sources"].links
        assert [href for kind, href, _ in links if kind == "cite-link"] == [c.href for c in cited]
        sources = public.find_nodes({c.source for c in cited})
        addresses = [c.url or sources[c.source].properties.get("url") for c in cited]
        assert [href for kind, href, _ in links if kind == "source-link"] == [
            a for a in addresses if a]
        for kind, href, _ in links:
            if kind == "cite-link":
                assert client.get(href).status_code == 200, href


def test_dates_read_to_the_precision_the_source_gives() -> None:
    assert [when(d) for d in ("2017", "2023-04", "2017-10-05", None)] == [
        "2017", "April 2023", "5 October 2017", ""]


ALLEGED = """
source: kz-upr48-2024
nodes:
  - {id: exile, kind: person, name: Nurlan Exile, cite: ["3.7"]}
  - {id: cousin, kind: person, name: Dana Cousin, sensitivity: restricted, cite: ["3.7"]}
  - {id: nsc, kind: agency, name: the National Security Committee, cite: ["3.7"]}
edges:
  - {type: TARGETED_THROUGH_RELATIVE, from: cousin, to: exile, measures: [questioning, threats],
     date: 2019-03-02, certainty: alleged, claimed_by: the exile's lawyer, cite: ["3.7"]}
  - {type: DETAINED, from: nsc, to: cousin, date: 2017-10-05, cite: ["3.7"]}
"""


@pytest.fixture(scope="module")
def alleged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A graph of one alleged targeting, through a relative whose relation is not given."""
    folder = tmp_path_factory.mktemp("alleged")
    (folder / "source.yaml").write_text(
        (DATASET / "kz-upr48-2024" / "source.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "alleged.yaml").write_text(ALLEGED, encoding="utf-8")
    store = MemoryStore(Path(tmp_path_factory.mktemp("alleged-store")))
    native.load([folder], store)
    settings = Settings(rate_limit_burst=100_000, dataset_dir=folder)
    with TestClient(create_app(settings, store)) as found:
        yield found
    store.close()


def test_an_allegation_says_who_makes_it_and_a_relation_not_given_reads_relative(
        alleged: TestClient) -> None:
    (row,) = table_of(alleged.get("/viz/relatives").text).rows
    assert row["Certainty"].text == "alleged, according to the exile's lawyer"
    (item,) = alleged.get("/api/relatives").json()["items"]
    assert (item["certainty"], item["claimed_by"]) == ("alleged", "the exile's lawyer")
    assert row["Through whom"].text == f"{PLACEHOLDER}, a relative of Nurlan Exile"
    assert (row["When"].text, row["When"].datetime) == ("2 March 2019", "2019-03-02")
    assert row["What was done"].text.startswith("questioning and threats ")
    assert ("detained (5 October 2017) by the National Security Committee"
            in row["What was done"].text)


def test_the_public_table_never_names_a_restricted_relative(
        client: TestClient, kz_store: GraphStore, without_her: TestClient) -> None:
    restricted = [n for n in kz_store.iter_nodes() if n.restricted and not n.group]
    secrets = {s.lower() for n in restricted for s in (n.name, *n.aliases, n.id)} | {
        "tasbolatov", "тасболатов", "nurtazin", "case-tasbolatova"}
    assert "aigerim-tasbolatova" in secrets
    for url in ("/viz/relatives", "/embed/relatives"):
        page = client.get(url)
        assert page.status_code == 200
        assert not [s for s in secrets if s in page.text.lower()], url
        table = table_of(page.text)
        (hers,) = [r for r in table.rows if _name_of(r["Who was targeted"]) == "Daulet Sarsenbayev"]
        assert hers["Through whom"].text == f"{PLACEHOLDER}, sister of Daulet Sarsenbayev"
        pseudonym = hers["Through whom"].links[0][1]
        record = client.get(pseudonym)
        assert record.status_code == 200 and not [s for s in secrets if s in record.text.lower()]
        # the graph without her has the same table but for her row
        never = table_of(without_her.get(url).text)
        assert [r for r in table.rows if r is not hers] == never.rows, url


def test_an_editor_sees_the_relatives_name_in_the_table(kz_client: TestClient) -> None:
    rows = table_of(kz_client.get("/viz/relatives").text).rows
    (hers,) = [r for r in rows if _name_of(r["Who was targeted"]) == "Daulet Sarsenbayev"]
    assert hers["Through whom"].links[0][1:] == ("/entities/aigerim-tasbolatova",
                                                 "Aigerim Tasbolatova")
    assert hers["Through whom"].text == "Aigerim Tasbolatova, sister of Daulet Sarsenbayev"
    assert (hers["When"].text, hers["When"].datetime) == ("April 2023", "2023-04")


@pytest.mark.parametrize("audience", ["public", "editor"])
def test_every_item_of_the_api_is_a_row_of_the_table(audience: str, client: TestClient,
                                                     kz_client: TestClient) -> None:
    asking = client if audience == "public" else kz_client
    items = asking.get("/api/relatives").json()["items"]
    rows = table_of(asking.get("/viz/relatives").text).rows
    assert [(i["target"]["name"], i["relative"]["name"], i["date"]) for i in items] == [
        (_name_of(r["Who was targeted"]), _name_of(r["Through whom"]), r["When"].datetime)
        for r in rows]
    assert [f"/entities/{i['relative']['id']}" for i in items] == [
        r["Through whom"].links[0][1] for r in rows]


def _side(edge: dict[str, object]) -> tuple[str, float] | None:
    """Which side of the line between its two ends an edge is drawn on, and how far out,
    as seen from the end whose id sorts first (None: straight)."""
    smooth = edge.get("smooth")
    if not isinstance(smooth, dict):
        return None
    reversed_ = str(edge["from"]) > str(edge["to"])
    clockwise = (smooth["type"] == "curvedCW") != reversed_
    return ("clockwise" if clockwise else "anticlockwise", float(smooth["roundness"]))


def _pairs(edges: list[dict[str, object]]) -> dict[frozenset[str], list[dict[str, object]]]:
    pairs: dict[frozenset[str], list[dict[str, object]]] = {}
    for edge in edges:
        pairs.setdefault(frozenset((str(edge["from"]), str(edge["to"]))), []).append(edge)
    return pairs


def test_edges_between_the_same_two_people_are_drawn_on_curves_of_their_own(
        client: TestClient) -> None:
    edges = _view_data(client.get("/viz/relatives").text)["edges"]
    pairs = _pairs(edges)
    shared = [group for group in pairs.values() if len(group) > 1]
    assert any({e["label"] for e in group} >= {"family of", "targeted through relative"}
               for group in shared)
    for group in shared:
        sides = [_side(e) for e in group]
        assert None not in sides and len(set(sides)) == len(sides), group
    assert all("smooth" not in group[0] for group in pairs.values() if len(group) == 1)


def test_edges_drawn_either_way_round_still_take_opposite_sides() -> None:
    ends = [("a", "b"), ("b", "a"), ("a", "b"), ("c", "a")]
    curves = fanned_out(ends)
    assert set(curves) == {0, 1, 2}, "the edge alone stays straight"
    sides = [_side({"from": a, "to": b, "smooth": curves[n]}) for n, (a, b) in enumerate(ends[:3])]
    assert len(set(sides)) == 3
