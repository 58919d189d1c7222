"""Every route an app serves with its full path, through FastAPI's included routers (which
nest the routes under their prefixes rather than copying them)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute


def _walk(routes: Iterable[Any], prefix: str) -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _walk(included.routes, prefix + route.include_context.prefix)


def all_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """(full path, route) for every route, in the order the app matches them."""
    return list(_walk(app.routes, ""))
