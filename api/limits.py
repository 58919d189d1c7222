"""Time limits on every query the web service runs.

Every query has a deadline, `query_timeout_s` from its start (exports have their
own), and past it the request is answered with `QueryTimeout` (503).

How the deadline is kept depends on the store:
- The embedded store answers from memory and checks the deadline itself at every
  read and every traversal step (`graph.deadline`). Its queries run on the event
  loop, which costs nothing extra; one still running after `inline_query_s` stops
  at its next checkpoint and starts again in a worker thread, so that a long query
  does not hold up the others. (A worker thread for every query cost more CPU than
  most queries: the two threads take turns at the interpreter lock. Measured again
  for issue 15, with `bench.http_ab`: 25-35% more server CPU per request, 13-31%
  fewer requests per second; docs/benchmarks.md.)
- Other stores (Neo4j) wait on the network, so their queries run in a worker thread
  while the event loop waits at most until the deadline. Python cannot stop a
  thread: the abandoned worker finishes in the background and its result is
  dropped; the Neo4j server itself aborts reads past `neo4j_read_timeout_s`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from config import Settings
from graph.deadline import InlineBudgetSpent, budget
from graph.errors import QueryTimeout
from graph.store import GraphStore

T = TypeVar("T")


async def within_time_limit(store: GraphStore, settings: Settings, what: str,
                            query: Callable[[], T], *, limit_s: float | None = None,
                            inline: bool = True) -> T:
    """Run `query` (which reads `store`); raise `QueryTimeout` naming `what` if it runs
    longer than `limit_s` (by default the setting `query_timeout_s`).

    `inline=False` sends it to a worker thread at once: for work that is long by
    nature and spends most of its time between checkpoints (exports, view layouts).
    """
    limit = settings.query_timeout_s if limit_s is None else limit_s
    message = (f"the {what} query took longer than the {limit:g} s limit; narrow it "
               "(for paths and neighbourhoods: fewer hops, a smaller depth, a "
               "relationship-type filter) and retry")
    started = time.monotonic()
    deadline = started + limit
    if inline and store.checks_deadlines:
        try:
            with budget(deadline, message, inline_until=started + settings.inline_query_s):
                return query()
        except InlineBudgetSpent:
            pass  # a long one: start again where it does not hold up other requests

    def in_worker() -> T:
        with budget(deadline, message):  # an abandoned query stops at its next checkpoint
            return query()

    with anyio.move_on_after(deadline - time.monotonic()):
        return await anyio.to_thread.run_sync(in_worker, abandon_on_cancel=True)
    raise QueryTimeout(message)
