"""Every GET route an app serves, listed from its router, so tests cover routes added later."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute


def _walk(routes: Iterable[Any], prefix: str) -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        included = getattr(route, "original_router", None)  # FastAPI's included routers
        if included is not None:
            yield from _walk(included.routes, prefix + route.include_context.prefix)


def get_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """(full path, route) for every GET route, in the order the app matches them."""
    return [(path, route) for path, route in _walk(app.routes, "") if "GET" in route.methods]
