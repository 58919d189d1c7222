"""Time limits on every query the web service runs.

The query runs in a worker thread while the event loop waits at most
`query_timeout_s`. Python cannot stop a thread, so on timeout the request is
answered at once with `QueryTimeout` (503) and the abandoned worker finishes in
the background; its result is dropped. The limit protects response times and
the event loop, not CPU; caps on hops, depth and page size bound the CPU, and on
Neo4j the server itself aborts reads past `neo4j_read_timeout_s`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from graph.errors import QueryTimeout
from graph.settings import Settings

T = TypeVar("T")


async def within_time_limit(settings: Settings, what: str, query: Callable[[], T], *,
                            limit_s: float | None = None) -> T:
    """Run `query` in a worker thread; raise `QueryTimeout` naming `what` if it runs longer
    than `limit_s` (by default the setting `query_timeout_s`)."""
    limit = settings.query_timeout_s if limit_s is None else limit_s
    with anyio.move_on_after(limit):
        return await anyio.to_thread.run_sync(query, abandon_on_cancel=True)
    raise QueryTimeout(
        f"the {what} query took longer than the {limit:g} s limit; narrow it "
        "(for paths and neighbourhoods: fewer hops, a smaller depth, a relationship-type "
        "filter) and retry"
    )
