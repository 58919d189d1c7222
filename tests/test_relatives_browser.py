"""The relatives view in a real Chromium: the table is there to read on a desktop and on a
phone, the page never scrolls sideways, and edges between the same two people are drawn
apart."""

from __future__ import annotations

import math
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page

from config import Settings
from graph.store import GraphStore
from tests.browser import LiveServer, live_server, recorded_page, wait_ready

pytestmark = pytest.mark.browser

SIZES = [(1280, 900), (390, 844)]


@pytest.fixture(scope="module")
def kz_server(kz_store: GraphStore) -> Iterator[LiveServer]:
    with live_server(kz_store, Settings(rate_limit_burst=100_000)) as server:
        yield server


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    found, rec = recorded_page(browser)
    yield found
    assert rec.errors == [] and rec.dialogs == []
    found.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("path", ["/viz/relatives", "/embed/relatives"])
def test_the_table_can_be_read_and_the_page_never_scrolls_sideways(
        page: Page, kz_server: LiveServer, path: str, width: int, height: int) -> None:
    items = httpx.get(f"{kz_server.base}/api/relatives").json()["items"]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(kz_server.base + path)
    wait_ready(page)
    table = page.locator("table.targetings")
    table.scroll_into_view_if_needed()
    assert table.is_visible() and table.locator("caption").is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == len(items) >= 3
    assert rows.first.locator("th").inner_text() == items[0]["target"]["name"]
    for cell in rows.first.locator("th, td").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if path.startswith("/embed/"):
        assert page.locator(".embed-footer").is_visible()


def test_the_table_lies_under_the_graph(page: Page, kz_server: LiveServer) -> None:
    page.goto(f"{kz_server.base}/viz/relatives")
    wait_ready(page)
    graph = page.locator(".network-frame").bounding_box()
    table = page.locator("table.targetings").bounding_box()
    assert graph is not None and table is not None
    assert table["y"] >= graph["y"] + graph["height"]


def _midpoints(page: Page, a: str, b: str) -> dict[str, tuple[float, float]]:
    """Where vis-network draws the middle of each edge between `a` and `b`, on screen."""
    found: dict[str, dict[str, float]] = page.evaluate(
        """([a, b]) => {
             const n = window.repgraphView.network;
             const of_b = new Set(n.getConnectedEdges(b));
             const out = {};
             for (const id of n.getConnectedEdges(a).filter((e) => of_b.has(e))) {
               out[id] = n.canvasToDOM(n.body.edges[id].edgeType.getPoint(0.5));
             }
             return out; }""", [a, b])
    return {k: (v["x"], v["y"]) for k, v in found.items()}


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_edges_between_the_same_two_people_are_drawn_apart(
        page: Page, kz_server: LiveServer, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{kz_server.base}/viz/relatives")
    wait_ready(page)
    edges = page.evaluate("JSON.parse(document.getElementById('view-data').textContent).edges")
    pairs: dict[frozenset[str], int] = {}
    for edge in edges:
        key = frozenset((edge["from"], edge["to"]))
        pairs[key] = pairs.get(key, 0) + 1
    shared = [sorted(pair) for pair, count in pairs.items() if count > 1]
    assert shared, "the view has a family tie and the pressure through it"
    for a, b in shared:
        points = list(_midpoints(page, a, b).values())
        assert len(points) == pairs[frozenset((a, b))]
        gaps = [math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1:]]
        assert min(gaps) > 8, (a, b, points)
