"""Time to interactive, click response and expanding a node in a 1,000-node network view.

Serves the synthetic graph from a live server and opens `/viz/graph` in Debian's
headless Chromium. "Interactive" is the first frame vis-network draws (the page
marks it with `data-ready`); the click figure is from a real mouse click on a
node to its details appearing in the side panel. The budget is 5 s for each. Expanding a
node in place (`explore.js`) is timed in the page, from the click on "Expand" to the first
frame drawn with the new entities, in a 1,000-node view cut from a larger graph so that the
step brings entities the view did not have; its budget is 200 ms.
Run: `.venv/bin/python -m bench.view_load` (or `make bench`).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.views.layout import layout
from bench.synthetic import synthetic_graph
from graph.memory import MemoryStore
from tests.browser import chromium, click_node, live_server, recorded_page, wait_ready

NODES, EDGES, RUNS, BUDGET_S = 1000, 3000, 3, 5.0
EXPAND_BUDGET_MS, EXPAND_RUNS = 200.0, 5
# The click on "Expand" and the first frame drawn once the step is in the view.
WATCH_EXPAND = """() => {
    delete window.__clicked; delete window.__drawn;
    const view = window.repgraphView;
    document.querySelector("#node-actions [data-action='expand']").addEventListener('click',
        () => { window.__clicked = performance.now(); }, {capture: true, once: true});
    new MutationObserver((_, observer) => {
        if (!document.body.hasAttribute('data-expanded')) { return; }
        observer.disconnect();
        view.network.once('afterDrawing', () => { window.__drawn = performance.now(); });
    }).observe(document.body, {attributes: true});
}"""
# Timestamps in the page: the pointer going down on the canvas, the panel changing, and
# the first frame painted after that change.
WATCH_CLICK = """() => {
    delete window.__down; delete window.__shown; delete window.__painted;
    document.querySelector('#network canvas').addEventListener('pointerdown',
        () => { window.__down = performance.now(); }, {capture: true, once: true});
    new MutationObserver((_, observer) => {
        observer.disconnect();
        window.__shown = performance.now();
        requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now(); }, 0));
    }).observe(document.getElementById('panel-body'), {childList: true});
}"""
FIND_FREE_NODE = """(ids) => { const n = window.repgraphView.network;
    return ids.find(id => n.getNodeAt(n.canvasToDOM(n.getPositions([id])[id])) === id); }"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(Path(tmp) / "store")
        nodes, edges = synthetic_graph(NODES, EDGES)
        store.write(nodes, edges)
        start = time.perf_counter()
        layout([n.id for n in nodes], [(e.source, e.target) for e in edges])
        print(f"server-side layout: {time.perf_counter() - start:.2f} s (cached afterwards)")
        with live_server(store) as server, chromium() as (_, browser):
            loads: list[float] = []
            clicks: list[float] = []
            in_page: list[float] = []
            for run in range(RUNS):
                # The first run includes the server-side layout; later ones hit its cache.
                page, _ = recorded_page(browser)
                start = time.perf_counter()
                page.goto(f"{server.base}/viz/graph")
                wait_ready(page, timeout_ms=60000)
                loads.append(time.perf_counter() - start)
                ids = page.evaluate("window.repgraphView.data.nodes.map(n => n.id)")
                target = page.evaluate(FIND_FREE_NODE, ids)
                page.evaluate(WATCH_CLICK)
                start = time.perf_counter()
                click_node(page, target)
                page.locator("#panel-body h3").wait_for(timeout=60000)
                page.wait_for_function("() => window.__painted !== undefined", timeout=60000)
                clicks.append(time.perf_counter() - start)
                shown, painted = page.evaluate(
                    "[window.__shown - window.__down, window.__painted - window.__down]")
                in_page.append(painted / 1000)
                print(f"run {run + 1}: interactive {loads[-1]:.2f} s; click -> details in the panel "
                      f"{shown:.0f} ms, painted {painted:.0f} ms (in page), {clicks[-1]:.2f} s (driver)")
                page.close()
    expand_times = expand_runs()
    for name, values in (("time to interactive", loads), ("click response, in page", in_page),
                         ("click response, driver round trip", clicks)):
        worst = max(values)
        print(f"{name} ({NODES} nodes, {EDGES} edges): first {values[0]:.2f} s, "
              f"median {statistics.median(values):.2f} s, worst {worst:.2f} s; "
              f"budget {BUDGET_S:.0f} s, worst/budget {worst / BUDGET_S:.2f}")


    median = statistics.median(expand_times)
    print(f"expand a node in place ({NODES}-node view): median {median:.0f} ms, worst "
          f"{max(expand_times):.0f} ms; budget {EXPAND_BUDGET_MS:.0f} ms, "
          f"worst/budget {max(expand_times) / EXPAND_BUDGET_MS:.2f}")


def expand_runs() -> list[float]:
    """Milliseconds from "Expand" to the first frame with the step, one node per run: the
    nodes of the view with the most neighbours outside it."""
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(Path(tmp) / "store")
        nodes, edges = synthetic_graph(3 * NODES, 3 * EDGES)
        store.write(nodes, edges)
        out: list[float] = []
        with live_server(store) as server, chromium() as (_, browser):
            page, _ = recorded_page(browser)
            page.goto(f"{server.base}/viz/graph")
            wait_ready(page, timeout_ms=120000)
            shown = set(page.evaluate("window.repgraphView.data.nodes.map(n => n.id)"))
            outside = {n: sum((e.target if e.source == n else e.source) not in shown
                              for e in store.incident_edges(n)) for n in shown}
            for node in sorted(shown, key=lambda n: (-outside[n], n))[:EXPAND_RUNS]:
                page.evaluate("(id) => { const v = window.repgraphView;"
                              " v.network.selectNodes([id]); v.show('n:' + id); }", node)
                page.evaluate("document.body.removeAttribute('data-expanded')")
                page.evaluate(WATCH_EXPAND)
                page.locator("#node-actions [data-action='expand']").click()
                page.wait_for_function("() => window.__drawn !== undefined", timeout=60000)
                out.append(page.evaluate("window.__drawn - window.__clicked"))
                added = page.locator("#tool-status").text_content()
                print(f"expand {node} ({outside[node]} neighbours outside the view): "
                      f"{out[-1]:.0f} ms; {added}")
            page.close()
        return out


if __name__ == "__main__":
    main()
