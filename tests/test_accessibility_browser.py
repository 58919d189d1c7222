"""Accessibility in a real Chromium: axe-core's rules on every kind of page, at a desktop and a
phone size, for the public and for an editor; and a view's text alternative with scripts off.

axe-core comes from npm (tools/axe) and runs inside each page (`tests.browser.axe_violations`).
No serious or critical violation is allowed. Views are scanned once drawn, with their
`#as-text` tables open and a record shown in the side panel, so that what a reader reaches
after a click is checked too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from graph.store import GraphStore
from schema.vocabulary import NodeKind
from tests.browser import (
    LiveServer,
    axe_page,
    axe_violations,
    click_node,
    live_server,
    wait_ready,
)
from tests.conftest import EDITOR_KEY, app_settings

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = ["/", "/entities/bota-jardemalie", "/sources/kz-upr48-2024", "/sources",
         "/viz/entity/bota-jardemalie?depth=2",
         "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=all",
         "/viz/relatives", "/viz/graph", "/embed/relatives",
         "/embed/path?source=bota-jardemalie&target=mukhtar-ablyazov"]


@pytest.fixture(scope="module")
def server(kz_store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = app_settings(tmp_path_factory.mktemp("a11y"), rate_limit_burst=100_000)
    with live_server(kz_store, settings) as found:
        yield found
FIND_FREE_NODE = """() => { const n = window.repgraphView.network;
    return window.repgraphView.data.nodes.map(d => d.id)
        .find(id => n.getNodeAt(n.canvasToDOM(n.getPositions([id])[id])) === id) ?? null; }"""


def _case(store: GraphStore) -> str:
    return next(f"/viz/case/{n.id}" for n in store.iter_nodes() if n.kind is NodeKind.CASE)


def _as_a_reader_leaves_it(page: Page) -> None:
    """A view drawn, its text open and one of its entities' records in the side panel."""
    if not page.locator("#view-data").count():
        return
    wait_ready(page, timeout_ms=30_000)
    page.locator("#network").scroll_into_view_if_needed()
    free = page.evaluate(FIND_FREE_NODE)  # one no other node is drawn over, to be clicked
    if free is not None:
        click_node(page, free)
        page.locator("#panel-body h3").wait_for(timeout=10_000)
    page.evaluate("document.getElementById('as-text').open = true")


def _scan(browser: Browser, base: str, url: str, size: tuple[int, int],
          editor: bool = False) -> list[str]:
    page = axe_page(browser, *size)
    try:
        if editor:
            page.context.set_extra_http_headers({"X-API-Key": EDITOR_KEY})
        answer = page.goto(base + url)
        assert answer is not None and answer.status == 200, url
        _as_a_reader_leaves_it(page)
        return [f"{url} {v['impact']} {v['id']}: {v['help']} at "
                f"{', '.join(n['target'] for n in v['nodes'][:3])}"
                for v in axe_violations(page)]
    finally:
        page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_public_pages_have_no_serious_accessibility_violations(
        browser: Browser, server: LiveServer, kz_store: GraphStore, size: str) -> None:
    found = [v for url in [*PAGES, _case(kz_store)]
             for v in _scan(browser, server.base, url, SIZES[size])]
    assert found == []


@pytest.mark.parametrize("size", SIZES)
def test_editor_pages_have_no_serious_accessibility_violations(
        browser: Browser, server: LiveServer, size: str) -> None:
    """An editor's pages carry a warning banner and a sign-out form of their own."""
    found = [v for url in ["/", "/review", "/entities/aigerim-tasbolatova", "/viz/relatives"]
             for v in _scan(browser, server.base, url, SIZES[size], editor=True)]
    assert found == []


def test_the_scan_finds_a_violation_where_there_is_one(browser: Browser, server: LiveServer) -> None:
    """The helper reports what axe finds: a page stripped of its language and a button's
    name fails, so an empty list above means a clean page, not a scan that did not run."""
    page = axe_page(browser, *SIZES["desktop"])
    try:
        page.goto(f"{server.base}/")
        page.evaluate("""() => { document.documentElement.removeAttribute('lang');
                                 document.querySelector('.search button').textContent = ''; }""")
        assert {v["id"] for v in axe_violations(page)} >= {"html-has-lang", "button-name"}
    finally:
        page.context.close()


def test_an_embed_reads_as_text_with_scripts_off(browser: Browser, server: LiveServer) -> None:
    """Without JavaScript there is no diagram; the embed's tables still say everything, and
    their links leave the frame rather than replace the embed inside an article."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server.base}/embed/relatives")
        page.locator("#as-text summary").click()
        tables = page.locator("#as-text table")
        assert tables.count() == 2
        entity_rows = tables.nth(0).locator("tbody tr")
        relation_rows = tables.nth(1).locator("tbody tr")
        summary = page.locator("#as-text summary").inner_text()
        assert re.fullmatch(rf"The {entity_rows.count()} entities and {relation_rows.count()} "
                            r"relationships as text", " ".join(summary.split()))
        assert entity_rows.count() > 2 and relation_rows.count() > 1
        assert relation_rows.first.locator("td").nth(5).locator("a").count() >= 1
        link = entity_rows.first.locator("a")
        with context.expect_page() as opened:
            link.click()
        assert opened.value.url == server.base + link.get_attribute("href")
    finally:
        context.close()
