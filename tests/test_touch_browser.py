"""An embed inside an article from another origin, read on a phone (390x844, touch), in a
real Chromium: one finger scrolls the article, a tap hands the graph the gestures, two
fingers pan and zoom it at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Frame, Page

from config import Settings
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from tests.browser import LiveServer, host_page, live_server
from tests.conftest import DATASET

pytestmark = pytest.mark.browser

PERSON = "bota-jardemalie"
PHONE = {"width": 390, "height": 844}
FILLER = "<p>" + "An article paragraph about the case. " * 40 + "</p>"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store: GraphStore = MemoryStore(tmp_path_factory.mktemp("touch") / "store")
    native.load([DATASET], store, replace=True)
    with live_server(store, Settings(rate_limit_burst=100_000)) as found:
        yield found
    store.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    yield context
    context.close()


def _article(server: LiveServer, context: BrowserContext) -> Iterator[tuple[Page, Frame, str]]:
    body = (f"<!doctype html><meta name='viewport' content='width=device-width'>"
            f"<h1>News</h1>{FILLER}<iframe id='e' src='{server.base}/embed/entity/{PERSON}' "
            f"title='network' style='width:100%;height:560px;border:0'></iframe>{FILLER * 3}")
    with host_page(body) as url:
        page = context.new_page()
        page.goto(url)
        # the embed in the middle of the screen, with article above and below it (a frame
        # out of sight is not drawn)
        page.evaluate("document.getElementById('e').scrollIntoView({block: 'center'})")
        frame = page.frame_locator("#e").owner.element_handle().content_frame()
        assert frame is not None
        frame.wait_for_selector("body[data-ready='true']", timeout=20_000)
        overflow = frame.evaluate("document.documentElement.scrollHeight - innerHeight")
        assert overflow <= 0, f"the embed fits its frame ({overflow} px over)"
        yield page, frame, url


def _centre(page: Page) -> tuple[float, float]:
    """The middle of the drawing, in the article's coordinates."""
    box = page.frame_locator("#e").locator("#network").bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _touch(cdp: CDPSession, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})


def _swipe(page: Page, cdp: CDPSession, fingers: list[tuple[float, float]],
           move: tuple[float, float], spread: float = 0.0) -> None:
    """Fingers down, moved by `move` in 10 steps (and apart by `spread`), lifted."""
    _touch(cdp, "touchStart", fingers)
    for step in range(1, 11):
        f = step / 10
        moved = [(x + move[0] * f + (spread * f if i else -spread * f), y + move[1] * f)
                 for i, (x, y) in enumerate(fingers)]
        _touch(cdp, "touchMove", moved)
        page.wait_for_timeout(16)
    _touch(cdp, "touchEnd", [])
    page.wait_for_timeout(300)  # scrolling settles


def _view_of(frame: Frame) -> dict[str, Any]:
    found: dict[str, Any] = frame.evaluate(
        "(() => { const n = window.repgraphView.network;"
        " return {position: n.getViewPosition(), scale: n.getScale()}; })()")
    return found


def test_a_one_finger_swipe_over_the_embed_scrolls_the_article(phone: BrowserContext,
                                                               server: LiveServer) -> None:
    for page, frame, _ in _article(server, phone):
        cdp = page.context.new_cdp_session(page)
        before, view = page.evaluate("window.scrollY"), _view_of(frame)
        x, y = _centre(page)
        _swipe(page, cdp, [(x, y + 60)], (0, -150))
        assert page.evaluate("window.scrollY") > before + 60, "the article scrolled"
        assert _view_of(frame) == view, "the graph did not move"
        assert frame.locator("#touch-guard").is_visible()


def test_a_tap_hands_the_graph_one_finger_gestures(phone: BrowserContext,
                                                   server: LiveServer) -> None:
    for page, frame, _ in _article(server, phone):
        cdp = page.context.new_cdp_session(page)
        x, y = _centre(page)
        page.touchscreen.tap(x, y + 40)
        assert frame.locator("#touch-guard").is_hidden()
        before, view = page.evaluate("window.scrollY"), _view_of(frame)
        _swipe(page, cdp, [(x, y + 60)], (0, -120))
        after = _view_of(frame)
        assert page.evaluate("window.scrollY") == before, "the article stayed"
        assert after["position"] != view["position"], "the graph panned"
        # touching the article gives it the gestures back
        page.touchscreen.tap(20, 30)
        frame.locator("#touch-guard").wait_for(state="visible", timeout=5000)


def test_two_fingers_zoom_the_graph_without_a_tap(phone: BrowserContext,
                                                  server: LiveServer) -> None:
    for page, frame, _ in _article(server, phone):
        cdp = page.context.new_cdp_session(page)
        x, y = _centre(page)
        before, view = page.evaluate("window.scrollY"), _view_of(frame)
        _swipe(page, cdp, [(x - 40, y), (x + 40, y)], (0, 0), spread=60)
        after = _view_of(frame)
        assert after["scale"] > view["scale"] * 1.5, (view, after)
        assert page.evaluate("window.scrollY") == before
        assert frame.locator("#touch-guard").is_visible(), "two fingers do not lift the guard"


def test_on_a_desktop_the_wheel_scrolls_the_article_until_the_embed_is_clicked(
        browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    for page, frame, _ in _article(server, context):
        x, y = _centre(page)
        page.mouse.move(x, y)
        before, view = page.evaluate("window.scrollY"), _view_of(frame)
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(400)
        assert page.evaluate("window.scrollY") > before
        assert _view_of(frame)["scale"] == view["scale"]
    context.close()
