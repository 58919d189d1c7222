"""The one place where domain errors become HTTP responses.

A bad parameter answers 422 in the same shape FastAPI uses for its own
validation errors (`detail` is a list whose `loc` names the parameter), so a
client handles one format whether the type checker or a query refused the
value. Other errors answer `{"detail": message}` with what the client can act
on: the unknown id, the cap that was exceeded.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from graph.errors import (
    InvalidData,
    InvalidParameter,
    LimitExceeded,
    NodeNotFound,
    NoPath,
    QueryTimeout,
    RepgraphError,
    StoreUnavailable,
)


class ErrorBody(BaseModel):
    """What went wrong, in words; `id` names the entity when one was not found."""

    detail: str
    id: str | None = None


#: Documented error answers, for routes' `responses=`.
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {
    404: {"model": ErrorBody, "description": "No entity with this id; `id` names it."}}
TIMED_OUT: Responses = {
    503: {"model": ErrorBody, "description": "The query hit the time limit "
          "(`REPGRAPH_QUERY_TIMEOUT_S`) or the store is unavailable."}}


def _body(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": message, **extra})


def _bad_parameter(parameter: str, message: str, kind: str, **extra: object) -> JSONResponse:
    location = ["path", "id"] if parameter == "id" else ["query", parameter]
    item = {"loc": location, "msg": message, "type": kind}
    return JSONResponse(status_code=422,
                        content={"detail": [item], "parameter": parameter, **extra})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RepgraphError)
    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, NodeNotFound):
            return _body(404, str(exc), id=exc.node_id)
        if isinstance(exc, NoPath):
            return _body(404, str(exc))
        if isinstance(exc, LimitExceeded):
            return _bad_parameter(exc.parameter, str(exc), "limit_exceeded", cap=exc.cap)
        if isinstance(exc, InvalidParameter):
            return _bad_parameter(exc.parameter, str(exc), "invalid_parameter")
        if isinstance(exc, InvalidData):
            return _body(422, "invalid data", problems=[str(p) for p in exc.problems])
        if isinstance(exc, QueryTimeout):
            return _body(503, str(exc) or "the query took too long; narrow it and retry")
        if isinstance(exc, StoreUnavailable):
            return _body(503, f"graph store unavailable: {exc}")
        return _body(500, "internal error")
