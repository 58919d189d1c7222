"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from graph.errors import (
    InvalidData,
    LimitExceeded,
    NodeNotFound,
    NoPath,
    QueryTimeout,
    RepgraphError,
    StoreUnavailable,
)


def _body(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": message, **extra})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RepgraphError)
    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, NodeNotFound):
            return _body(404, str(exc), id=exc.node_id)
        if isinstance(exc, NoPath):
            return _body(404, str(exc))
        if isinstance(exc, LimitExceeded):
            return _body(422, str(exc), parameter=exc.parameter, cap=exc.cap)
        if isinstance(exc, InvalidData):
            return _body(422, "invalid data", problems=[str(p) for p in exc.problems])
        if isinstance(exc, QueryTimeout):
            return _body(503, str(exc) or "the query took too long; narrow it and retry")
        if isinstance(exc, StoreUnavailable):
            return _body(503, f"graph store unavailable: {exc}")
        return _body(500, "internal error")
