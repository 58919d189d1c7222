"""Every network view and embed carries its entities and relationships as text (`#as-text`),
rendered on the server from the same records the diagram draws."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from bench.synthetic import synthetic_graph
from config import Settings
from graph.memory import MemoryStore
from graph.store import GraphStore
from schema.vocabulary import PSEUDONYM, RELATIONS, NodeKind


@dataclass
class Cell:
    text: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class AsText:
    """What `#as-text` holds: its summary, its tables' rows, and every tag's attributes."""

    summary: str = ""
    tables: list[list[list[Cell]]] = field(default_factory=list)
    attributes: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)


class _AsTextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found = AsText()
        self.depth = 0  # of elements inside #as-text; 0 outside it
        self.seen = 0
        self._in_summary = False
        self._cell: Cell | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if not self.depth:
            if found.get("id") == "as-text":
                self.depth, self.seen = 1, self.seen + 1
            return
        self.depth += 1
        self.found.attributes.append((tag, found))
        if tag == "summary":
            self._in_summary = True
        elif tag == "table":
            self.found.tables.append([])
        elif tag == "tr":
            self.found.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = Cell()
            self.found.tables[-1][-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell.links.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        self.depth -= 1
        if tag == "summary":
            self._in_summary = False
        elif tag in ("td", "th") and self._cell is not None:
            self._cell.text = " ".join(self._cell.text.split())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_summary:
            self.found.summary += data
        elif self._cell is not None:
            self._cell.text += data


def as_text(html: str) -> AsText:
    parser = _AsTextParser()
    parser.feed(html)
    assert parser.seen == 1, "one #as-text section"
    parser.found.summary = " ".join(parser.found.summary.split())
    return parser.found


def _view_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', html, re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture(scope="module")
def client(kz_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(rate_limit_burst=100_000), kz_store)) as found:
        yield found


VIEWS = ["/relatives", "/graph?kinds=person,case", "/entity/bota-jardemalie?depth=2",
         "/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=all",
         "/entity/bota-jardemalie?types=FAMILY_OF,TARGETED_THROUGH_RELATIVE"]


def _count(items: list[Any], one: str, many: str) -> str:
    return f"{len(items)} {one if len(items) == 1 else many}"


def _case(client: TestClient) -> str:
    found = re.search(r'href="/viz/case/([^"]+)"', client.get("/").text)
    assert found
    return f"/case/{found.group(1)}"


@pytest.mark.parametrize("prefix", ["/viz", "/embed"])
def test_each_view_lists_what_it_draws_as_text(client: TestClient, prefix: str) -> None:
    for view in [*VIEWS, _case(client)]:
        html = client.get(prefix + view).text
        data, text = _view_data(html), as_text(html)
        nodes, edges = data["nodes"], data["edges"]
        assert text.summary == (f"The {_count(nodes, 'entity', 'entities')} and "
                                f"{_count(edges, 'relationship', 'relationships')} as text")
        entities, *rest = text.tables
        header, *rows = entities
        assert [c.text for c in header] == ["Name", "Kind"]
        assert sorted(r[0].links[0] for r in rows) == sorted(f"/entities/{n['id']}" for n in nodes)
        assert {r[0].text for r in rows} == {n["title"].split("\n")[0] for n in nodes}
        assert not any(r[1].text in {k.value for k in NodeKind} for r in rows), "kinds in words"
        if not edges:
            assert rest == [], view
            continue
        header, *rows = rest[0]
        assert [c.text for c in header] == ["From", "Relationship", "To", "Date", "Certainty",
                                            "Sources"]
        panel = [data["details"][f"e:{e['id']}"] for e in edges]
        # the relationship in the words the side panel uses, between the same two names
        assert Counter(f"{r[0].text} {r[1].text} {r[2].text}" for r in rows) == \
            Counter(" ".join(p["heading"].split()) for p in panel)
        assert Counter(link for r in rows for link in r[5].links) == \
            Counter(c["href"] for p in panel for c in p["citations"])
        assert all(r[4].text for r in rows) and not any(r[1].text in RELATIONS for r in rows)


def test_an_allegation_reads_as_one_with_who_makes_it(client: TestClient) -> None:
    rows = [r for table in as_text(client.get("/viz/graph").text).tables[1:] for r in table[1:]]
    certainties = Counter(r[4].text.split(",")[0] for r in rows)
    assert set(certainties) <= {"stated by the source", "alleged", "reported"}
    assert certainties["stated by the source"] and certainties["alleged"]
    assert all(", according to " in r[4].text for r in rows if r[4].text.startswith("alleged"))


def test_the_network_diagram_points_at_its_text(client: TestClient) -> None:
    html = client.get("/viz/relatives").text
    diagram = re.search(r'<div id="network"[^>]*>', html)
    assert diagram and 'aria-describedby="as-text-summary"' in diagram.group(0)
    assert 'id="as-text-summary"' in html


def test_a_large_view_as_text_stays_lean(tmp_path: Path) -> None:
    """A thousand entities and three thousand relationships: every one listed, and no row
    carries attributes of its own (no inline style, class or id), so the page grows by little
    more than the words."""
    store = MemoryStore(tmp_path / "big")
    store.write(*synthetic_graph(1000, 3000))
    # the first request lays out a thousand nodes: on a busy machine that is no answer
    # in the 5 s a query gets by default, and the time is not what this test is about
    with TestClient(create_app(Settings(query_timeout_s=120), store)) as big:
        answer = big.get("/embed/graph")
    assert answer.status_code == 200, re.findall(r"<h1>.*</h1>", answer.text)
    html = answer.text
    text = as_text(html)
    assert [len(t) - 1 for t in text.tables] == [1000, 3000]
    row_tags = {"tr", "td", "a"}
    assert [(t, a) for t, a in text.attributes if t in row_tags and set(a) - {"href"}] == []
    section = html[html.index('id="as-text"'):html.index("</details>")]
    assert len(section.encode()) < 200 * 4000, "under 200 bytes a row (about 165 now)"


def test_restricted_persons_are_listed_only_by_their_pseudonyms(client: TestClient,
                                                                 kz_store: GraphStore) -> None:
    """The public's tables name a restricted person as the public view does, linking to the
    pseudonymous record: never a name, alias or real id."""
    restricted = [n for n in kz_store.iter_nodes() if n.restricted and not n.group]
    secrets = {s for n in restricted for s in (n.name, *n.aliases, n.id)}
    for view in ("/viz/relatives", "/embed/relatives", "/viz/graph"):
        text = as_text(client.get(view).text)
        withheld = [r for r in text.tables[0][1:] if r[1].text.endswith("(identity withheld)")]
        assert withheld, view
        assert all(PSEUDONYM.fullmatch(r[0].links[0].removeprefix("/entities/")) for r in withheld)
        shown = {c.text for t in text.tables for r in t for c in r} | \
            {link for t in text.tables for r in t for c in r for link in c.links}
        assert not [s for s in secrets if any(s in piece for piece in shown)], view
