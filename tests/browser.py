"""A live server (`tests.live`) and headless Chromium for page tests.

Chromium is Debian's (`/usr/bin/chromium`), never a downloaded one.
Every page a test opens records its requests, so a test can check that none
left the server's origin.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.live import LiveServer as LiveServer  # where the page tests have found them
from tests.live import free_port
from tests.live import live_server as live_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: axe-core from npm (tools/axe; `make unit` installs it)
AXE = Path(__file__).resolve().parent.parent / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@contextmanager
def chromium() -> Iterator[tuple[Playwright, Browser]]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield pw, browser
        finally:
            browser.close()


@dataclass
class Recorded:
    """What a page did that a test may want to forbid."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self, base: str) -> list[str]:
        own = (base, f"blob:{base}")  # blob: URLs of our own origin are not requests
        return [u for u in self.requests
                if not any(u == o or u.startswith(o + "/") for o in own)]


def recorded_page(browser: Browser) -> tuple[Page, Recorded]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    rec = Recorded()
    page.on("request", lambda r: rec.requests.append(r.url))
    page.on("pageerror", lambda e: rec.errors.append(str(e)))
    # a file the page asks for and does not get (a script, a style sheet, the icon)
    page.on("response", lambda r: rec.errors.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)

    def on_dialog(dialog: object) -> None:
        rec.dialogs.append(getattr(dialog, "message", "?"))
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    return page, rec


def wait_ready(page: Page, timeout_ms: float = 15000) -> None:
    page.wait_for_selector("body[data-ready='true']", timeout=timeout_ms)


def node_position(page: Page, node_id: str) -> tuple[float, float]:
    """Where a node is drawn on screen, from vis-network's own coordinates."""
    box = page.locator("#network canvas").bounding_box()
    assert box is not None
    xy = page.evaluate(
        """(id) => { const n = window.repgraphView.network;
                     return n.canvasToDOM(n.getPositions([id])[id]); }""", node_id)
    return box["x"] + xy["x"], box["y"] + xy["y"]


def click_node(page: Page, node_id: str) -> None:
    page.evaluate("(id) => window.repgraphView.network.focus(id, {scale: 1.5, animation: false})",
                  node_id)
    page.wait_for_timeout(50)
    x, y = node_position(page, node_id)
    page.mouse.click(x, y)


@contextmanager
def host_page(body: str) -> Iterator[str]:
    """Another origin (a different port) serving one HTML page: the "news site" that embeds us."""
    encoded = body.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def axe_page(browser: Browser, width: int, height: int) -> Page:
    """A page for accessibility scans. It bypasses the pages' Content-Security-Policy, which
    rightly refuses every script but our own: axe-core has to run inside the page it checks.
    Nothing else differs, and the page's own scripts run as they do for everyone."""
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    return context.new_page()


def axe_violations(page: Page, impacts: Sequence[str] = ("serious", "critical"),
                   exclude: Sequence[str] = ()) -> list[dict[str, Any]]:
    """axe-core's violations in the page as it is now, of the given impacts: each rule id, its
    help text and the elements it failed on. `exclude` lists selectors axe leaves out; each
    use must say why."""
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `npm ci --prefix tools/axe` (make unit does)")
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async (exclude) => {
            const context = exclude.length ? {include: [document], exclude: exclude.map(s => [s])}
                                           : document;
            const result = await axe.run(context, {resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
        }""", list(exclude))
    return [v for v in found if v["impact"] in impacts]
