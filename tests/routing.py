"""Every GET route an app serves, listed from its router, so tests cover routes added later."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.routing import all_routes


def get_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """(full path, route) for every GET route, in the order the app matches them."""
    return [(path, route) for path, route in all_routes(app) if "GET" in route.methods]
