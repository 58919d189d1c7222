"""An editor signs in and out on the pages, in a real Chromium, at desktop and phone size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from graph.memory import MemoryStore
from loaders import native
from tests.browser import LiveServer, live_server, recorded_page
from tests.conftest import DATASET, EDITOR_KEY, PLANTED, app_settings

pytestmark = pytest.mark.browser

RESTRICTED_ID = "aigerim-tasbolatova"
RESTRICTED_NAME = "Aigerim Tasbolatova"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("editor-browser")
    store = MemoryStore(folder / "store")
    native.load([DATASET, PLANTED], store, replace=True)
    with live_server(store, app_settings(folder / "app")) as live:
        yield live
    store.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900},
                                      {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_an_editor_signs_in_reads_names_and_signs_out(
        browser: Browser, server: LiveServer, viewport: dict[str, int]) -> None:
    page, rec = recorded_page(browser)
    page.set_viewport_size(viewport)
    restricted = page.goto(f"{server.base}/entities/{RESTRICTED_ID}")
    assert restricted is not None and restricted.status == 404  # the public knows no such id
    rec.errors.clear()  # that 404 was the point
    page.goto(server.base + "/")
    page.get_by_role("link", name="Editor sign-in").click()
    page.get_by_label("Editor key").fill(EDITOR_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.base + "/")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "repgraph_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "repgraph_session" not in page.evaluate("document.cookie")  # scripts cannot read it
    page.goto(f"{server.base}/entities/{RESTRICTED_ID}")
    assert page.locator("h1").inner_text() == RESTRICTED_NAME
    assert page.get_by_role("note").is_visible()  # the editor-view warning
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(server.base + "/")
    assert page.get_by_role("link", name="Editor sign-in").is_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "repgraph_session"]
    gone = page.goto(f"{server.base}/entities/{RESTRICTED_ID}")
    assert gone is not None and gone.status == 404
    assert RESTRICTED_NAME not in page.content()
    assert [e for e in rec.errors if not e.endswith(f"/entities/{RESTRICTED_ID}")] == []
    assert rec.foreign(server.base) == []
    page.context.close()


def test_a_wrong_key_keeps_the_browser_public(browser: Browser, server: LiveServer,
                                              tmp_path: Path) -> None:
    page, _ = recorded_page(browser)
    page.goto(server.base + "/signin")
    page.get_by_label("Editor key").fill("not-a-key")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "That key is not an editor's key."
    assert not [c for c in page.context.cookies() if c["name"] == "repgraph_session"]
    page.context.close()
