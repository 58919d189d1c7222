"""Exploring a view step by step in a real Chromium: expand, hide, pin, collapse, find, fit,
the downloads, and labels that wait until the reader zooms in."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from bench.synthetic import synthetic_graph
from config import Settings
from graph import queries
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from tests.browser import LiveServer, Recorded, live_server, recorded_page, wait_ready
from tests.conftest import DATASET, PLANTED

pytestmark = pytest.mark.browser

PERSON = "bota-jardemalie"
GENERIC = "kz-authorities"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    found = MemoryStore(tmp_path_factory.mktemp("explore") / "store")
    native.load([DATASET, PLANTED], found, replace=True)
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(store: GraphStore) -> Iterator[LiveServer]:
    with live_server(store, Settings(rate_limit_burst=100_000)) as found:
        yield found


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Recorded]]:
    found, rec = recorded_page(browser)
    yield found, rec
    assert rec.errors == [], rec.errors
    found.close()


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def _select(page: Page, node_id: str) -> None:
    """Select a node as a click on it does, and wait for its details."""
    page.evaluate("(id) => { const v = window.repgraphView; v.network.selectNodes([id]);"
                  " v.show('n:' + id); }", node_id)
    page.locator("#node-actions").wait_for(state="visible")


def _shown(page: Page) -> set[str]:
    ids: list[str] = page.evaluate(
        "window.repgraphView.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    return set(ids)


def _shown_edges(page: Page) -> set[str]:
    ids: list[str] = page.evaluate(
        "window.repgraphView.edges.get({filter: e => !e.hidden}).map(e => e.id)")
    return set(ids)


def _public(server: LiveServer, path: str) -> Any:
    import httpx
    return httpx.get(f"{server.base}{path}", timeout=30).json()


def test_expanding_a_node_adds_its_neighbourhood_in_place(page: tuple[Page, Recorded],
                                                          server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")
    before = _shown(tab) | set(tab.evaluate("window.repgraphView.nodes.getIds()"))
    # a neighbour with neighbours of its own beyond this view
    steps = {n: _public(server, f"/api/entities/{n}/neighbourhood?limit=500")
             for n in sorted(before - {PERSON})}
    neighbour, step = next((n, s) for n, s in steps.items()
                           if {m["id"] for m in s["nodes"]} - before)
    _select(tab, neighbour)
    tab.locator("#node-actions [data-action='expand']").click()
    tab.wait_for_selector(f"body[data-expanded='{neighbour}']")
    after = set(tab.evaluate("window.repgraphView.nodes.getIds()"))
    assert after == before | {n["id"] for n in step["nodes"]}
    drawn_edges = set(tab.evaluate("window.repgraphView.edges.getIds()"))
    assert {e["id"] for e in step["edges"]} <= drawn_edges
    assert "Added" in tab.locator("#tool-status").text_content()
    assert tab.locator("#node-actions [data-action='expand']").is_disabled()
    # the added entities have their details and sources, like the rest
    added = sorted(after - before)
    tab.evaluate("(id) => window.repgraphView.show('n:' + id)", added[0])
    assert tab.locator("#panel-body h3").text_content()


def test_hiding_a_node_and_showing_it_again(page: tuple[Page, Recorded],
                                            server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")
    shown = _shown(tab)
    victim = sorted(shown - {PERSON})[0]
    _select(tab, victim)
    tab.locator("#node-actions [data-action='hide']").click()
    assert _shown(tab) == shown - {victim}
    again = tab.locator("#show-hidden")
    assert again.is_visible() and again.text_content() == "Show hidden (1)"
    again.click()
    assert _shown(tab) == shown
    assert again.is_hidden()


def test_a_pinned_node_stays_where_it_is_when_dragged(page: tuple[Page, Recorded],
                                                      server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")

    def drag(node_id: str) -> tuple[float, float]:
        tab.evaluate("(id) => window.repgraphView.network.focus(id, {scale: 1.5, animation: false})",
                     node_id)
        box = tab.locator("#network canvas").bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        tab.mouse.move(x, y)
        tab.mouse.down()
        tab.mouse.move(x + 80, y + 60, steps=8)
        tab.mouse.up()
        at = tab.evaluate("(id) => window.repgraphView.network.getPositions([id])[id]", node_id)
        return at["x"], at["y"]

    start = tab.evaluate("(id) => window.repgraphView.network.getPositions([id])[id]", PERSON)
    _select(tab, PERSON)
    pin = tab.locator("#node-actions [data-action='pin']")
    pin.click()
    assert pin.get_attribute("aria-pressed") == "true"
    assert drag(PERSON) == (start["x"], start["y"])
    pin.click()  # unpinned, the same drag moves it
    assert drag(PERSON) != (start["x"], start["y"])


def test_a_generic_actor_starts_collapsed_into_a_badge_and_opens(
        page: tuple[Page, Recorded], server: LiveServer, store: GraphStore) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")
    to_centre = _shown_edges(tab)
    assert any(GENERIC in e for e in to_centre), "a generic actor keeps its link to the centre"
    # two steps, going on from generic actors: the authorities' links all come along
    _open(tab, f"{server.base}/viz/entity/{PERSON}?depth=2&expand_generic=true")
    data = tab.evaluate("window.repgraphView.data")
    assert GENERIC in data["generic"], "the authorities as a whole are a generic actor"
    hidden = {e["id"] for e in data["edges"] if GENERIC in (e["from"], e["to"])
              and PERSON not in (e["from"], e["to"])}
    assert len(hidden) >= 20
    assert not hidden & _shown_edges(tab), "its links start collapsed"
    links = hidden | {e["id"] for e in data["edges"] if {e["from"], e["to"]} == {GENERIC, PERSON}}
    badge = set(tab.evaluate("(id) => window.repgraphView.collapsed[id].edges", GENERIC))
    generic = set(data["generic"])
    between_generics = {e["id"] for e in data["edges"] if {e["from"], e["to"]} <= generic}
    assert badge <= hidden and hidden - badge <= between_generics, \
        "the badge holds its links, but those another generic actor's badge took first"
    _select(tab, GENERIC)
    opener = tab.locator("#node-actions [data-action='collapse']")
    assert opener.text_content() == f"Open {len(badge)} links"
    opener.click()
    assert links - between_generics <= _shown_edges(tab)
    opener.click()  # and collapses again
    assert not hidden & _shown_edges(tab)


def test_collapsing_a_hub_hides_the_entities_only_it_connects(
        page: tuple[Page, Recorded], server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")
    data = tab.evaluate("window.repgraphView.data")
    neighbours: dict[str, set[str]] = {}
    for e in data["edges"]:
        neighbours.setdefault(e["from"], set()).add(e["to"])
        neighbours.setdefault(e["to"], set()).add(e["from"])
    shown = _shown(tab)
    leaves = {n for n in neighbours[PERSON] if n in shown and neighbours[n] & shown == {PERSON}}
    assert leaves, "the centre has entities tied to it alone"
    _select(tab, PERSON)
    tab.locator("#node-actions [data-action='collapse']").click()
    assert _shown(tab) == shown - leaves
    tab.locator("#node-actions [data-action='collapse']").click()
    assert _shown(tab) == shown


def test_find_selects_each_match_in_turn_ignoring_case_and_accents(
        page: tuple[Page, Recorded], server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")
    heading = tab.evaluate(f"window.repgraphView.data.details['n:{PERSON}'].heading")
    query = heading.split()[-1].upper()
    tab.fill("#find", query)
    tab.press("#find", "Enter")
    status = tab.locator("#tool-status").text_content() or ""
    assert status.startswith("1 of ")
    first = tab.evaluate("window.repgraphView.network.getSelectedNodes()")
    total = int(status.split(" of ")[1].split(":")[0])
    if total > 1:
        tab.press("#find", "Enter")
        assert tab.evaluate("window.repgraphView.network.getSelectedNodes()") != first
    tab.fill("#find", "no such name anywhere")
    tab.press("#find", "Enter")
    assert tab.locator("#tool-status").text_content() == "Nothing in this view matches."


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)])
def test_fit_brings_back_a_network_dragged_out_of_sight(browser: Browser, server: LiveServer,
                                                        size: tuple[int, int]) -> None:
    tab = browser.new_page(viewport={"width": size[0], "height": size[1]})
    for path in (f"/viz/entity/{PERSON}", f"/embed/entity/{PERSON}"):
        _open(tab, f"{server.base}{path}")
        fit = tab.locator("#fit-view")
        assert fit.is_visible()
        tab.evaluate("window.repgraphView.network.moveTo({position: {x: 40000, y: -40000},"
                     " scale: 0.05, animation: false})")
        inside = "(id) => { const n = window.repgraphView.network; const p = n.canvasToDOM(" \
                 "n.getPositions([id])[id]); const c = n.canvas.frame.canvas;" \
                 " return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight; }"
        assert not tab.evaluate(inside, PERSON)
        fit.click()
        assert tab.evaluate(inside, PERSON)
        assert all(tab.evaluate(inside, n) for n in _shown(tab))
    tab.close()


def _svg(page: Page) -> ET.Element:
    with page.expect_download() as info:
        page.locator("#download-svg").click()
    path = info.value.path()
    assert info.value.suggested_filename.endswith(".svg")
    return ET.parse(path).getroot()


def test_the_svg_is_a_vector_drawing_of_what_is_shown_with_legend_and_credit(
        page: tuple[Page, Recorded], server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")
    shown = tab.evaluate("window.repgraphView.nodes.get({filter: n => !n.hidden}).map(n => n.label)")
    victim = sorted(_shown(tab) - {PERSON})[0]
    victim_label = tab.evaluate("(id) => window.repgraphView.nodes.get(id).label", victim)
    _select(tab, victim)
    tab.locator("#node-actions [data-action='hide']").click()
    root = _svg(tab)
    assert root.tag == f"{SVG_NS}svg"
    assert not list(root.iter(f"{SVG_NS}image")), "shapes, not a bitmap"
    texts = [t.text or "" for t in root.iter(f"{SVG_NS}text")]
    assert set(shown) - {victim_label} <= set(texts)
    assert victim_label not in texts, "a hidden entity is not drawn"
    legend = [li.strip() for li in tab.locator(".legend li").all_text_contents()]
    assert set(legend) <= set(texts)
    assert any(t.startswith("Source: repgraph") and f"/viz/entity/{PERSON}" in t for t in texts)
    assert (root.find(f"{SVG_NS}title") is not None
            and root.find(f"{SVG_NS}title").text == tab.locator("h1").text_content())  # type: ignore[union-attr]
    shapes = [el for el in root.iter() if el.tag in {f"{SVG_NS}circle", f"{SVG_NS}rect",
                                                     f"{SVG_NS}polygon"}]
    assert len(shapes) >= len(shown) - 1
    assert len(list(root.iter(f"{SVG_NS}path"))) >= len(_shown_edges(tab))


def test_the_png_is_the_same_picture_painted(page: tuple[Page, Recorded],
                                             server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/embed/entity/{PERSON}")
    root = _svg(tab)
    width, height = int(root.get("width") or 0), int(root.get("height") or 0)
    with tab.expect_download() as info:
        tab.locator("#download-png").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = struct.unpack(">II", raw[16:24])
    assert (png_width, png_height) == (2 * width, 2 * height)
    assert len(raw) > 5000, "not a blank picture"


def _fill_text_calls(page: Page) -> int:
    """How many strings the network draws in one frame (labels are drawn with fillText)."""
    return int(page.evaluate("""() => new Promise(done => {
        const ctx = window.repgraphView.network.canvas.frame.canvas.getContext('2d');
        const original = ctx.fillText; let calls = 0;
        ctx.fillText = function () { calls += 1; return original.apply(this, arguments); };
        window.repgraphView.network.once('afterDrawing', () => {
            ctx.fillText = original; done(calls); });
        window.repgraphView.network.redraw(); })"""))


def test_a_large_view_draws_labels_only_when_zoomed_in(browser: Browser, tmp_path: Path) -> None:
    big = MemoryStore(tmp_path / "big")
    big.write(*synthetic_graph(400, 800))
    with live_server(big) as found:
        tab, _ = recorded_page(browser)
        _open(tab, f"{found.base}/viz/graph")
        tab.evaluate("window.repgraphView.network.fit({animation: false})")
        assert tab.evaluate("window.repgraphView.network.getScale()") < 0.5
        far = _fill_text_calls(tab)
        centre = tab.evaluate("window.repgraphView.data.nodes[0].id")
        tab.evaluate("(id) => window.repgraphView.network.focus(id, {scale: 1.5, animation: false})",
                     centre)
        near = _fill_text_calls(tab)
        assert far == 0 and near > 0, (far, near)
        tab.close()


def test_a_small_view_always_draws_its_labels(page: tuple[Page, Recorded],
                                              server: LiveServer) -> None:
    tab, _ = page
    _open(tab, f"{server.base}/viz/entity/{PERSON}")
    tab.evaluate("window.repgraphView.network.fit({animation: false})")
    assert _fill_text_calls(tab) > 0


def test_the_step_a_view_adds_is_what_the_public_may_see(server: LiveServer,
                                                         store: GraphStore) -> None:
    """A restricted person's id gets what an id of nobody gets, and a step never names her."""
    import httpx
    restricted = "aigerim-tasbolatova"
    assert store.get_node(restricted).restricted
    hers = httpx.get(f"{server.base}/viz/expand/{restricted}", timeout=30)
    nobody = httpx.get(f"{server.base}/viz/expand/no-such-person-at-all", timeout=30)
    assert hers.status_code == nobody.status_code == 404
    assert hers.content == nobody.content
    drop = {"date", "content-length"}
    assert ({k: v for k, v in hers.headers.items() if k not in drop}
            == {k: v for k, v in nobody.headers.items() if k not in drop})
    relative_of = queries.targeted_through_relatives(store)[0].target.id
    step = httpx.get(f"{server.base}/viz/expand/{relative_of}", timeout=30)
    assert step.status_code == 200
    names = {n.name for n in store.iter_nodes() if n.restricted}
    assert not any(name in step.text for name in names)
