"""Cooperative time limits: a query checks its own deadline at checkpoints.

The embedded store answers from memory, in pure Python. Handing such a query to a
worker thread so that the event loop can stop waiting for it cost more CPU than
most queries themselves (the two threads take turns at the interpreter lock), so
the web service runs them on its own thread under a `budget`, and the store and
the traversals call `checkpoint()` at every read and every step. Past the
deadline, the checkpoint raises `QueryTimeout`; past the shorter `inline_until`,
it raises `InlineBudgetSpent` so that the caller can move a long query to a
worker thread instead of holding up every other request. Work that is long by
nature (reloading a snapshot, building an index) or that may wait for another
thread calls `leave_inline()` first, which moves the query at once. Code that
never runs under a budget is not affected: both then do nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from graph.errors import QueryTimeout


class InlineBudgetSpent(Exception):
    """The query ran past the time it may take on the caller's thread (not an error:
    the caller runs it again in a worker). Deliberately not a `RepgraphError`, so that
    no handler of domain errors catches it."""


@dataclass(frozen=True)
class _Budget:
    deadline: float
    inline_until: float | None
    message: str


_current: ContextVar[_Budget | None] = ContextVar("repgraph_query_budget", default=None)


@contextmanager
def budget(deadline: float, message: str, inline_until: float | None = None) -> Iterator[None]:
    """Run the body under a deadline (`time.monotonic()` seconds): checkpoints raise
    `QueryTimeout(message)` past it, and `InlineBudgetSpent` past `inline_until`."""
    token = _current.set(_Budget(deadline, inline_until, message))
    try:
        yield
    finally:
        _current.reset(token)


def checkpoint() -> None:
    """Stop the current query if it has run out of time; otherwise do nothing."""
    current = _current.get()
    if current is None:
        return
    now = time.monotonic()
    if now > current.deadline:
        raise QueryTimeout(current.message)
    if current.inline_until is not None and now > current.inline_until:
        raise InlineBudgetSpent


def leave_inline() -> None:
    """Before long work without checkpoints, or a wait on a lock another thread may hold:
    a query running on the caller's thread moves to a worker (`InlineBudgetSpent`)."""
    current = _current.get()
    if current is not None and current.inline_until is not None:
        raise InlineBudgetSpent
