"""The one place where domain errors become HTTP responses.

A bad parameter answers 422 in the same shape FastAPI uses for its own
validation errors (`detail` is a list whose `loc` names the parameter), so a
client handles one format whether the type checker or a query refused the
value. Other errors answer `{"detail": message}` with what the client can act
on: which parameter named no entity, the cap that was exceeded.

Nothing a client sent is echoed back: "not found" has one shape whatever id was
asked for (it names the parameter, never the value), and validation errors leave
out the rejected input.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from api.routing import all_routes
from graph.errors import (
    DecisionsUnreadable,
    InvalidData,
    InvalidParameter,
    LimitExceeded,
    NodeNotFound,
    NoPath,
    QueryTimeout,
    RepgraphError,
    StoreUnavailable,
    UnknownCandidate,
    WrongKind,
)


class ErrorBody(BaseModel):
    """What went wrong, in words; `parameter` names the one that named no entity."""

    detail: str
    parameter: str | None = None


#: Documented error answers, for routes' `responses=`.
logger = logging.getLogger("repgraph")

Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {
    404: {"model": ErrorBody, "description": "No entity with this id (or, where the id must "
          "be a case, no case); `parameter` says which parameter named it. The answer is the "
          "same for every unknown id."}}
BAD_KEY: Responses = {
    401: {"model": ErrorBody, "description": "An API key was presented and matches no editor "
          "key (requests without a key are public)."}}
RATE_LIMITED: Responses = {
    429: {"model": ErrorBody, "description": "Too many requests from this client: expensive "
          "requests past the rate limit, or wrong API keys past the sign-in limit; retry after "
          "the number of seconds in `Retry-After`."}}
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


def not_found(request: Request, node_id: str) -> JSONResponse:
    """One shape for every unknown id: which parameter, never which value."""
    named = [k for k, v in (*request.path_params.items(), *request.query_params.multi_items())
             if node_id in (v, *str(v).split(","))]
    parameter = named[0] if named else None
    where = f" given as `{parameter}`" if parameter else ""
    return _body(404, f"no entity with the id{where}", parameter=parameter)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422, without the `input` and `ctx` it would echo back."""
    assert isinstance(exc, RequestValidationError)
    errors = [{k: v for k, v in error.items() if k in ("loc", "msg", "type")}
              for error in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": errors})


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    """A 405 whose `Allow` names every method the path answers: Starlette's names only
    those of the first route that matched the path (/signin has a GET and a POST route)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code != 405:
        return await http_exception_handler(request, exc)
    allowed = sorted({method for path, route in all_routes(request.app)
                      if compile_path(path)[0].match(request.url.path)
                      for method in route.methods or ()})
    return JSONResponse({"detail": "Method Not Allowed"}, status_code=405,
                        headers={"Allow": ", ".join(allowed)})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _method_not_allowed)

    @app.exception_handler(RepgraphError)
    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, UnknownCandidate):
            return _body(404, "no candidate with the id given as `candidate`",
                         parameter="candidate")
        if isinstance(exc, NodeNotFound):
            return not_found(request, exc.node_id)
        if isinstance(exc, WrongKind):  # a 404: there is no such case (nothing echoed)
            return _body(404, f"no {exc.expected} with the id given as `{exc.parameter}` "
                         f"(it names a {exc.kind})", parameter=exc.parameter)
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
        if isinstance(exc, DecisionsUnreadable):  # the lines, with paths, for operators only
            logger.error("%s", exc)
            return _body(503, "graph store unavailable: the identity decisions cannot be read "
                         "(the server log names the lines)")
        if isinstance(exc, StoreUnavailable):
            return _body(503, f"graph store unavailable: {exc}")
        return _body(500, "internal error")
