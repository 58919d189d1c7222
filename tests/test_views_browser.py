"""Network views, entity pages and search in a real headless Chromium against a live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from bench.synthetic import synthetic_graph
from config import Settings
from graph import queries, with_decisions
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from schema.models import Node
from schema.vocabulary import NodeKind
from tests.browser import (
    LiveServer,
    Recorded,
    click_node,
    host_page,
    live_server,
    node_position,
    recorded_page,
    wait_ready,
)
from tests.conftest import DATASET

pytestmark = pytest.mark.browser

XSS_NAMES = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>"]
XSS_YAML = """
source: kz-upr48-2024
nodes:
  - id: xss-img
    kind: person
    name: "<img src=x onerror=alert(1)>"
    aliases: ["\\"><svg onload=alert(2)>"]
    description: "<b onmouseover=alert(3)>bold</b> href"
    cite: ["3.7"]
  - id: xss-script
    kind: person
    name: "</script><script>alert(1)</script>"
    cite: [{para: "3.7", url: "javascript:alert(5)", note: "<img src=y onerror=alert(6)>"}]
  - id: xss-case
    kind: case
    name: "Case <svg onload=alert(4)> href"
    cite: ["3.7"]
edges:
  - {type: ASSOCIATE_OF, from: xss-img, to: xss-script, cite: ["2.7 fn14"]}
  - {type: DEFENDANT_IN, from: xss-img, to: xss-case, cite: ["3.7"]}
"""


HOSTILE_TEXT = """<script>alert(2)</script> "quoted' front matter

1.1. A [link](javascript:alert(3)) and <javascript:alert(4)> and "><img src=x onerror=alert(5)>
and **<b onmouseover=alert(6)>bold</b>** and [fine](https://ok.example/a"onmouseover="alert(7)).¹

1.2. Then https://ok.example/x'><svg/onload=alert(8)> ends here.

¹ https://ok.example/"onmouseover="alert(9)
"""


@pytest.fixture(scope="module")
def kz_server(kz_store: GraphStore) -> Iterator[LiveServer]:
    with live_server(kz_store, Settings(rate_limit_burst=100_000)) as server:
        yield server


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("xss-data")
    shutil.copy(DATASET / "kz-upr48-2024" / "source.yaml", folder / "source.yaml")
    (folder / "xss.yaml").write_text(XSS_YAML, encoding="utf-8")
    store = MemoryStore(tmp_path_factory.mktemp("xss-store"))
    native.load([folder], store)
    with live_server(store) as server:
        yield server
    store.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Recorded]]:
    found, rec = recorded_page(browser)
    yield found, rec
    found.close()


def _open_view(page: Page, url: str) -> dict[str, Any]:
    page.goto(url)
    wait_ready(page)
    data: dict[str, Any] = page.evaluate("JSON.parse(document.getElementById('view-data').textContent)")
    drawn = page.evaluate("[window.repgraphView.network.body.data.nodes.length,"
                          " window.repgraphView.network.body.data.edges.length]")
    assert drawn == [len(data["nodes"]), len(data["edges"])]
    assert page.locator("#network canvas").count() == 1
    return data


def _path_counts(store: GraphStore, source: str, target: str) -> tuple[int, int]:
    found = queries.paths(store, source, target, mode="all")
    return (len({n.id for p in found for n in p.nodes}), len({e.id for p in found for e in p.edges}))


def test_each_view_draws_what_its_query_returns(page: tuple[Page, Recorded], kz_server: LiveServer,
                                               kz_store: GraphStore) -> None:
    tab, rec = page
    base = kz_server.base
    # the server reads the graph as the dataset's identity decisions make it
    kz_store = with_decisions(kz_store, Settings(dataset_dir=DATASET))
    near = queries.neighbourhood(kz_store, "bota-jardemalie", depth=2, limit=500)
    for prefix in ("viz", "embed"):
        data = _open_view(tab, f"{base}/{prefix}/entity/bota-jardemalie?depth=2")
        assert (len(data["nodes"]), len(data["edges"])) == (len(near.nodes), len(near.edges))

    data = _open_view(tab, f"{base}/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=all")
    assert (len(data["nodes"]), len(data["edges"])) == _path_counts(
        kz_store, "bota-jardemalie", "mukhtar-ablyazov")

    targeted = queries.targeted_through_relatives(kz_store)
    data = _open_view(tab, f"{base}/viz/relatives")
    labels = [e["label"] for e in data["edges"]]
    assert labels.count("targeted through relative") == len(targeted)
    assert {r.target.id for r in targeted} <= {n["id"] for n in data["nodes"]}

    links = queries.case_links(kz_store, "case-kaluova-405")
    data = _open_view(tab, f"{base}/viz/case/case-kaluova-405")
    assert {"case-kaluova-405", *(link.case.id for link in links)} <= {n["id"] for n in data["nodes"]}
    touching = [e for e in data["edges"] if "case-kaluova-405" in (e["from"], e["to"])]
    assert len(touching) == len(kz_store.incident_edges("case-kaluova-405"))

    stats = kz_store.stats()
    data = _open_view(tab, f"{base}/viz/graph")
    assert (len(data["nodes"]), len(data["edges"])) == (stats.nodes, stats.edges)
    data = _open_view(tab, f"{base}/embed/graph?kinds=person,case")
    wanted = {n.id for n in kz_store.iter_nodes() if n.kind in (NodeKind.PERSON, NodeKind.CASE)}
    between = [e for e in kz_store.iter_edges() if e.source in wanted and e.target in wanted]
    assert (len(data["nodes"]), len(data["edges"])) == (len(wanted), len(between))
    assert rec.foreign(base) == [] and rec.errors == []


def test_clicking_a_node_shows_its_citations_with_source_links(
        page: tuple[Page, Recorded], kz_server: LiveServer, kz_store: GraphStore) -> None:
    tab, rec = page
    _open_view(tab, f"{kz_server.base}/viz/entity/marat-zhylanbayev")
    click_node(tab, "marat-zhylanbayev")
    panel = tab.locator("#panel-body")
    panel.locator("h3", has_text="Marat Zhylanbayev").wait_for(timeout=5000)
    # the record as the service shows it: every source's, joined by the identity decisions;
    # a citation without its own URL links its source's, where the source has one
    served = with_decisions(kz_store, Settings(dataset_dir=DATASET))
    citations = served.get_node("marat-zhylanbayev").citations
    sources = served.find_nodes({c.source for c in citations})
    hrefs = panel.locator("ol.citations a.source-link").evaluate_all(
        "links => links.map(a => a.href)")
    expected = [url for c in citations
                if (url := c.url or sources[c.source].properties.get("url"))]
    assert expected and hrefs == expected
    readers = panel.locator("ol.citations a.cite-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert readers == [c.href for c in citations]
    assert rec.foreign(kz_server.base) == []


def test_clicking_an_edge_shows_its_citations(page: tuple[Page, Recorded], kz_server: LiveServer) -> None:
    tab, _ = page
    data = _open_view(tab, f"{kz_server.base}/viz/entity/marat-zhylanbayev")
    edge = data["edges"][0]
    tab.evaluate("(id) => window.repgraphView.network.focus(id, {scale: 1.5, animation: false})",
                 edge["from"])
    middle = tab.evaluate(
        """(e) => { const n = window.repgraphView.network, p = n.getPositions([e.from, e.to]);
                    return n.canvasToDOM({x: (p[e.from].x * 3 + p[e.to].x) / 4,
                                          y: (p[e.from].y * 3 + p[e.to].y) / 4}); }""", edge)
    box = tab.locator("#network canvas").bounding_box()
    assert box is not None
    tab.mouse.click(box["x"] + middle["x"], box["y"] + middle["y"])
    panel = tab.locator("#panel-body")
    panel.locator(".panel-kind", has_text="Relationship").wait_for(timeout=5000)
    citations = data["details"][f"e:{edge['id']}"]["citations"]
    assert panel.locator("ol.citations li").count() == len(citations)
    # the opening words of each cited paragraph, and the way to read the rest
    first = citations[0]
    assert first["href"] in data["excerpts"]
    excerpt = panel.locator("ol.citations li").first.locator("blockquote.excerpt")
    assert excerpt.text_content() == data["excerpts"][first["href"]]
    panel.locator("ol.citations a.cite-link").first.click()
    tab.wait_for_url(f"{kz_server.base}{first['href']}")
    paragraph = tab.locator("section.paragraph:target")
    assert paragraph.get_attribute("id") == first["href"].split("#")[1]
    words = data["excerpts"][first["href"]].removesuffix(" …").split()
    assert " ".join((paragraph.text_content() or "").split()).find(" ".join(words[:5])) >= 0


def test_hostile_names_show_as_text_and_run_nothing(page: tuple[Page, Recorded],
                                                    xss_server: LiveServer) -> None:
    tab, rec = page
    base = xss_server.base
    tab.goto(f"{base}/")
    tab.fill("#search-input", "script")
    tab.locator("#search-results a").first.wait_for(timeout=5000)
    tab.fill("#search-input", "img")
    tab.locator("#search-results a", has_text=XSS_NAMES[0]).wait_for(timeout=5000)

    tab.goto(f"{base}/entities/xss-img")
    assert tab.locator("h1").text_content() == XSS_NAMES[0]
    assert XSS_NAMES[1] in (tab.locator("table.relations").text_content() or "")

    for url in (f"{base}/viz/entity/xss-img", f"{base}/embed/entity/xss-img", f"{base}/viz/graph",
                f"{base}/viz/case/xss-case"):
        _open_view(tab, url)
        for node_id in ("xss-img", "xss-script"):
            if url.endswith("xss-case") and node_id == "xss-script":
                continue
            click_node(tab, node_id)
            heading = tab.locator("#panel-body h3")
            heading.wait_for(timeout=5000)
            assert heading.text_content() in XSS_NAMES
            tab.mouse.move(*node_position(tab, node_id))  # hover: the plain-text tooltip
            tooltip = tab.locator("div.vis-tooltip")
            tooltip.wait_for(state="visible", timeout=5000)
            assert (tooltip.text_content() or "").startswith(heading.text_content() or "-")

    assert rec.dialogs == []
    assert tab.locator("img[src='x'], img[src='y'], svg[onload]").count() == 0
    assert not [u for u in rec.requests if u.endswith(("/x", "/y"))]
    assert tab.locator("#panel-body a[href^='javascript']").count() == 0
    assert rec.foreign(base) == [] and rec.errors == []


def test_a_hostile_source_text_shows_as_text_and_runs_nothing(
        browser: Browser, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    store = MemoryStore(tmp_path / "store")
    store.write([Node(id="hostile", kind=NodeKind.SOURCE, name="<img src=x onerror=alert(1)>",
                      properties={"path": "hostile.txt"})], [])
    with live_server(store, Settings(sources=folder)) as server:
        tab, rec = recorded_page(browser)
        tab.goto(f"{server.base}/sources/hostile#p-1.1")
        assert tab.locator("section.paragraph:target").get_attribute("id") == "p-1.1"
        assert "<script>alert(2)</script>" in (tab.locator("#p-front").text_content() or "")
        tab.wait_for_timeout(300)
        assert rec.dialogs == [] and rec.errors == []
        assert tab.locator("img, script, svg[onload], a[href^='javascript']").count() == 0
        assert rec.foreign(server.base) == []
        tab.close()


def _framed(browser: Browser, base: str) -> dict[str, bool]:
    """Which of our pages another origin managed to frame: path -> drawn inside the frame."""
    paths = ["/embed/relatives", "/viz/relatives", "/entities/bota-jardemalie", "/"]
    frames = "".join(f'<iframe src="{base}{p}" width="600" height="300"></iframe>' for p in paths)
    with host_page(f"<!doctype html><title>news</title>{frames}") as host:
        tab, rec = recorded_page(browser)
        tab.goto(host)
        tab.wait_for_load_state("load")
        tab.wait_for_timeout(300)
        shown = {}
        for path in paths:
            frame = next((f for f in tab.frames if f.url == base + path), None)
            shown[path] = frame is not None and frame.locator("main").count() == 1
        assert rec.requests[0] == host and all(u.startswith(host) for u in rec.foreign(base))
        tab.close()
    return shown


def test_embeds_may_be_framed_and_other_pages_may_not(browser: Browser, kz_server: LiveServer) -> None:
    shown = _framed(browser, kz_server.base)
    assert shown == {"/embed/relatives": True, "/viz/relatives": False,
                     "/entities/bota-jardemalie": False, "/": False}


def test_the_frame_ancestors_setting_decides_who_may_embed(browser: Browser,
                                                         kz_store: GraphStore) -> None:
    settings = Settings(embed_frame_ancestors="https://news.example.org")
    with live_server(kz_store, settings) as server:
        shown = _framed(browser, server.base)
    assert shown["/embed/relatives"] is False


def test_a_large_view_becomes_interactive(browser: Browser, tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "big")
    store.write(*synthetic_graph(1000, 3000))
    with live_server(store) as server:
        tab, rec = recorded_page(browser)
        data = _open_view(tab, f"{server.base}/viz/graph")
        assert (len(data["nodes"]), len(data["edges"])) == (1000, 3000)
        # The first well-connected node that no other node is drawn over.
        target = tab.evaluate("""(ids) => { const n = window.repgraphView.network;
            return ids.find(id => { const p = n.getPositions([id])[id];
                                    return n.getNodeAt(n.canvasToDOM(p)) === id; }); }""",
                              [n["id"] for n in data["nodes"]])
        click_node(tab, target)
        tab.locator("#panel-body h3").wait_for(timeout=5000)
        assert tab.locator("#panel-body h3").text_content() == data["details"][f"n:{target}"]["heading"]
        assert rec.foreign(server.base) == []
        tab.close()


def test_interactive_api_docs_work_offline(page: tuple[Page, Recorded],
                                           kz_server: LiveServer) -> None:
    tab, rec = page
    tab.goto(f"{kz_server.base}/docs")
    tab.get_by_text("/api/paths", exact=True).first.wait_for(timeout=15_000)
    assert rec.foreign(kz_server.base) == []
    assert tab.request.get(f"{kz_server.base}/redoc").status == 404
