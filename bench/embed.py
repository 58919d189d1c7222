"""How long an oEmbed answer takes, and how soon an embed tells its host page its height.

oEmbed: the median of 50 requests through the app (TestClient, in process, over the bundled
dataset and the planted records), each for a view URL seen for the first time (its title
cache emptied before each) and each for one answered before (from the cache). The rate
limit is lifted: it is not what is measured.
Embed: a host page on another origin with the snippet, in Debian's headless Chromium; from
the embed's navigation start (its `performance.timeOrigin`) to the host page receiving
its height message, the median of 5 loads.
Run: `.venv/bin/python -m bench.embed`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient

from api.app import create_app
from api.views.render import Recent
from config import Settings
from graph.memory import MemoryStore
from loaders import native
from tests.browser import chromium, host_page, live_server
from tests.conftest import DATASET, PLANTED
from tests.live import free_port

RUNS, LOADS = 50, 5
VIEWS = ["/viz/entity/bota-jardemalie?depth=2", "/viz/relatives",
         "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=ranked", "/viz/graph"]
RECORDER = """<script>window.received = [];
addEventListener("message", e => received.push({origin: e.origin,
                                                at: performance.timeOrigin + e.timeStamp}));
</script>"""


def _median_ms(run: Callable[[], object], before: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(RUNS):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def oembed_times(store: MemoryStore) -> dict[str, tuple[float, float]]:
    """view -> (median ms for a first answer, median ms for a cached one)."""
    app = create_app(Settings(rate_limit_burst=1_000_000), store)
    out = {}
    with TestClient(app) as client:
        base = Settings().public_base_url
        for view in VIEWS:
            def ask(view: str = view) -> None:
                assert client.get("/oembed", params={"url": base + view}).status_code == 200

            def forget() -> None:
                app.state.views.titles = Recent(1024)

            ask()  # the layout-free parts warm up (search index, public view)
            out[view] = (_median_ms(ask, forget), _median_ms(ask))
    return out


def embed_post_times(store: MemoryStore) -> list[float]:
    port = free_port()
    settings = Settings(public_url=f"http://127.0.0.1:{port}", rate_limit_burst=100_000)
    times = []
    with live_server(store, settings, port) as server, chromium() as (_, browser):
        page = browser.new_page()
        page.goto(f"{server.base}{VIEWS[0]}")
        snippet = page.locator("#embed-snippet").input_value()
        page.close()
        with host_page(f"<!doctype html><title>news</title>{RECORDER}{snippet}") as host:
            for _ in range(LOADS):
                tab = browser.new_page(viewport={"width": 1280, "height": 900})
                tab.goto(host)
                tab.wait_for_function(f"received.some(m => m.origin === {server.base!r})",
                                      timeout=15000)
                frame = next(f for f in tab.frames if f.url.startswith(f"{server.base}/embed/"))
                started = frame.evaluate("performance.timeOrigin")
                posted = tab.evaluate(f"received.find(m => m.origin === {server.base!r}).at")
                times.append(posted - started)
                tab.close()
    return times


def main() -> int:
    store = MemoryStore()
    native.load([DATASET, PLANTED], store, replace=True)
    for view, (first, cached) in oembed_times(store).items():
        print(f"oEmbed {view}: first {first:.1f} ms, cached {cached:.1f} ms (median of {RUNS})")
    times = embed_post_times(store)
    print(f"embed navigation start to height posted: median {statistics.median(times):.0f} ms "
          f"of {[round(t) for t in times]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
