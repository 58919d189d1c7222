"""The embed snippet on another origin's page, in real Chromium: the iframe takes the height
its embed asks for (embed.js on the host page, frame.js inside the embed), keeps a fixed
ratio when the host page runs no scripts, ignores messages it should not believe, and the
embed's legend and credit stay inside the iframe at phone and desktop widths, short too."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Frame, Page

from config import Settings
from graph.store import GraphStore
from tests.browser import LiveServer, Recorded, host_page, live_server, recorded_page
from tests.live import free_port

pytestmark = pytest.mark.browser

VIEW = "/entity/bota-jardemalie?depth=2"
VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]
#: the host page records what reaches it, as a newsroom's page would see it
RECORDER = """<script>
window.received = [];
window.addEventListener("message", function (e) {
  window.received.push({origin: e.origin, at: performance.timeOrigin + e.timeStamp});
});
</script>"""
#: what the embed itself reports: its network area's wanted height (--embed-network), its
#: layout, and whether anything sticks out of the iframe's box
MEASURE = """() => {
  const box = (s) => { const r = document.querySelector(s).getBoundingClientRect();
                       return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const area = document.querySelector(".view-layout");
  return {wanted: parseFloat(getComputedStyle(area).getPropertyValue("--embed-network")),
          area: area.getBoundingClientRect().height,
          width: innerWidth, height: innerHeight,
          scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight,
          header: box(".embed-header"), legend: box(".embed-footer .legend"),
          credit: box(".embed-footer p"), network: box("#network")};
}"""


@pytest.fixture(scope="module")
def server(kz_store: GraphStore) -> Iterator[LiveServer]:
    """The service at the address its snippets name (its public address is its own)."""
    port = free_port()
    settings = Settings(public_url=f"http://127.0.0.1:{port}", rate_limit_burst=100_000)
    with live_server(kz_store, settings, port) as found:
        yield found


@pytest.fixture(scope="module")
def snippet(server: LiveServer, browser: Browser) -> str:
    """The snippet as the view page offers it, read from its text box as a reader copies it."""
    tab = browser.new_page()
    tab.goto(f"{server.base}/viz{VIEW}")
    text = tab.locator("#embed-snippet").input_value()
    tab.close()
    assert text.startswith(f'<iframe src="{server.base}/embed{VIEW.replace("&", "&amp;")}"')
    return text


def _host(snippet: str, extra: str = "") -> str:
    return f"<!doctype html><title>news</title>{RECORDER}<h1>Story</h1>{snippet}{extra}"


def _embed_frame(tab: Page, base: str) -> Frame:
    frame = next((f for f in tab.frames if f.url.startswith(f"{base}/embed/")), None)
    assert frame is not None, "the embed loaded"
    frame.wait_for_selector("body[data-ready='true']", timeout=15000)
    return frame


def _frame_height(tab: Page) -> float:
    box = tab.locator("iframe[data-repgraph-embed]").first.bounding_box()
    assert box is not None
    return box["height"]


def _fallback_height(tab: Page) -> float:
    """What the snippet's inline style gives without scripts: 4:3, never under 480 px."""
    box = tab.locator("iframe[data-repgraph-embed]").first.bounding_box()
    assert box is not None
    return max(480.0, box["width"] * 3 / 4)


def _sized(browser: Browser, host: str, base: str, viewport: dict[str, int] | None = None,
           ) -> tuple[Page, Recorded, Frame, dict[str, Any]]:
    """Open the host page at `viewport` and wait for the embed to have said its height: the
    tab, what it recorded, the embed's frame and its measures (`MEASURE`)."""
    tab, rec = recorded_page(browser)
    tab.set_viewport_size(viewport or {"width": 1280, "height": 900})
    tab.goto(host)
    frame = _embed_frame(tab, base)
    tab.wait_for_function(f"window.received.some(m => m.origin === {base!r})", timeout=15000)
    tab.wait_for_timeout(100)  # the message is handled where it arrived
    return tab, rec, frame, frame.evaluate(MEASURE)


def _inside(box: dict[str, float], m: dict[str, Any]) -> bool:
    return box["top"] >= 0 and box["left"] >= 0 and box["bottom"] <= m["height"] + 0.5 \
        and box["right"] <= m["width"] + 0.5


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_the_iframe_takes_the_height_its_embed_asks_for(
        browser: Browser, server: LiveServer, snippet: str, viewport: dict[str, int]) -> None:
    with host_page(_host(snippet)) as host:
        tab, rec, _, m = _sized(browser, host, server.base, viewport)
        height = _frame_height(tab)
        # the area got exactly the height it wants, and the whole embed fits without scrolling
        assert m["wanted"] == min(560, max(320, 0.8 * m["width"]))
        assert abs(m["area"] - m["wanted"]) <= 1.5, m
        assert m["scrollHeight"] <= m["height"] and abs(m["height"] - height) <= 1
        assert abs(height - _fallback_height(tab)) > 40  # the script changed it
        assert m["scrollWidth"] <= m["width"], "nothing sticks out sideways"
        for part in ("header", "legend", "credit", "network"):
            assert _inside(m[part], m), (part, m)
        assert rec.errors == []
        tab.close()


def test_without_scripts_the_iframe_keeps_its_fixed_ratio(browser: Browser, server: LiveServer,
                                                         snippet: str) -> None:
    with host_page(_host(snippet)) as host:
        scripted, _, _, _ = _sized(browser, host, server.base)
        asked = _frame_height(scripted)
        scripted.close()
        context = browser.new_context(java_script_enabled=False,
                                      viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.goto(host)
        tab.wait_for_load_state("load")
        frame = next(f for f in tab.frames if f.url.startswith(f"{server.base}/embed/"))
        frame.wait_for_selector(".embed-footer")
        tab.wait_for_timeout(500)
        height = _frame_height(tab)
        assert abs(height - _fallback_height(tab)) <= 1 and abs(height - asked) > 40
        context.close()


def test_messages_from_elsewhere_or_out_of_shape_change_nothing(
        browser: Browser, server: LiveServer, snippet: str) -> None:
    # a marked iframe of the host's own origin (it may post, it is not one of ours), and an
    # embed of ours the snippet did not mark
    others = ('<iframe data-repgraph-embed id="impostor" srcdoc="<p>ad</p>" width="300" '
              f'height="100"></iframe><iframe id="unmarked" src="{server.base}/embed/relatives" '
              'width="300" height="300"></iframe>')
    with host_page(_host(snippet, others)) as host:
        tab, _, frame, _ = _sized(browser, host, server.base)

        def posted_by_the_embed(payload: str) -> float:
            frame.evaluate(f"parent.postMessage({payload}, '*')")
            tab.wait_for_timeout(150)
            return _frame_height(tab)

        # the channel works: a well-formed message from the embed moves the iframe (clamped)
        assert posted_by_the_embed("{type: 'repgraph:height', height: 777}") == 777
        assert posted_by_the_embed("{type: 'repgraph:height', height: 99999}") == 2400
        assert posted_by_the_embed("{type: 'repgraph:height', height: 3}") == 240
        posted_by_the_embed("{type: 'repgraph:height', height: 777}")
        for bogus in ("{type: 'repgraph:height', height: '900'}",
                      "{type: 'repgraph:height', height: Infinity}",
                      "{type: 'repgraph:height', height: NaN}",
                      "{type: 'repgraph:height'}", "{type: 'other', height: 900}",
                      "'repgraph:height'", "null", "[900]"):
            assert posted_by_the_embed(bogus) == 777, bogus
        tab.evaluate("""() => {
            const impostor = document.getElementById("impostor").contentWindow;
            impostor.eval('parent.postMessage({type: "repgraph:height", height: 900}, "*")');
            window.postMessage({type: "repgraph:height", height: 900}, "*");
        }""")
        unmarked = next(f for f in tab.frames if f.url == f"{server.base}/embed/relatives")
        unmarked.evaluate("parent.postMessage({type: 'repgraph:height', height: 900}, '*')")
        tab.wait_for_timeout(200)
        sizes = tab.evaluate("""() => ["impostor", "unmarked"].map(
            id => document.getElementById(id).clientHeight)""")
        assert (_frame_height(tab), sizes) == (777, [100, 300])
        tab.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_a_short_iframe_shrinks_the_network_not_the_legend_or_credit(
        browser: Browser, server: LiveServer, snippet: str, viewport: dict[str, int]) -> None:
    with host_page(_host(snippet)) as host:
        tab, _, frame, _ = _sized(browser, host, server.base, viewport)
        tab.evaluate("document.querySelector('iframe[data-repgraph-embed]').style.height = '420px'")
        tab.wait_for_timeout(200)
        m = frame.evaluate(MEASURE)
        assert m["height"] == 420 and m["scrollWidth"] <= m["width"]
        for part in ("header", "legend", "credit", "network"):
            assert _inside(m[part], m), (part, m)
        assert m["area"] < m["wanted"] and m["area"] >= 180
        tab.close()


def test_the_snippet_names_the_view_and_links_its_text(server: LiveServer, snippet: str) -> None:
    link = re.search(r'<a href="([^"]+)">([^<]+)</a>', snippet)
    assert link and html.unescape(link.group(1)) == f"{server.base}/viz{VIEW}#as-text"
    assert html.unescape(link.group(2)) == \
        "Network around Bota Jardemalie: the entities and relationships as text"
    assert 'title="Network around Bota Jardemalie"' in snippet
    assert f'<script async src="{server.base}/static/embed.js"></script>' in snippet
