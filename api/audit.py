"""The append-only audit log of every write and every attempt at one: who, when, what, and
the result.

One JSON object per line, appended with O_APPEND and fsync so that entries
from concurrent writers never interleave and a crash loses at most the entry
being written. The log never holds API keys, only a fingerprint of their digest.

Every attempt is recorded, whatever became of it. A route of `AuditedRoute`
records its own outcome around the whole handler, since FastAPI answers missing
keys, rate limits and bad parameters before the route's body runs; the body adds
what it learns (`request.state.audit`). A wrong key is refused by the trust
middleware before any routing, which calls `refused_key`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from api.editors import key_hash
from graph.errors import InvalidData, InvalidParameter, NodeNotFound, StoreUnavailable
from graph.privatefiles import private_dir

_lock = threading.Lock()
#: writes, by method and path, and what their entries call them
WRITES = {("POST", "/api/import"): "import"}
#: the result an entry gives a refusal, by status
REFUSALS = {401: "refused", 413: "too large", 429: "rate limited"}


def record(path: Path, **entry: Any) -> None:
    line = orjson.dumps({"time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                         **entry}) + b"\n"
    private_dir(path.parent)  # entries name the records a write changed
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def write_action(method: str, path: str) -> str | None:
    """What the audit log calls a write to this path, None for a read."""
    if method == "POST" and path.startswith("/api/review/"):
        return "review-decide"
    return WRITES.get((method, path))


def refused_key(path: Path, scope: Mapping[str, Any], key: str | None, status: int) -> None:
    """A request whose key matches no editor, refused before routing (401, or 429 past the
    wrong-key limit): recorded when it was a write, with a fingerprint of the key's digest
    (never the key)."""
    action = write_action(scope.get("method", ""), scope.get("path", ""))
    if action is not None:
        record(path, who="unknown key:" + key_hash(key or "")[:12], action=action,
               status=status, result=REFUSALS.get(status, "refused"), detail="invalid API key")


def _outcome(exc: Exception) -> dict[str, Any]:
    """How an attempt that raised ends, for its entry; nothing the client sent is copied."""
    if isinstance(exc, HTTPException):
        return {"status": exc.status_code, "result": REFUSALS.get(exc.status_code, "refused"),
                "detail": exc.detail}
    if isinstance(exc, RequestValidationError):
        return {"status": 422, "result": "bad request",
                "parameters": [".".join(map(str, e["loc"])) for e in exc.errors()]}
    if isinstance(exc, InvalidData):
        return {"status": 422, "result": "invalid", "problems": len(exc.problems)}
    if isinstance(exc, NodeNotFound):  # an unknown candidate (its id is not echoed)
        return {"status": 404, "result": "not found"}
    if isinstance(exc, InvalidParameter):
        return {"status": 422, "result": "bad request", "parameters": [exc.parameter]}
    return {"status": 503 if isinstance(exc, StoreUnavailable) else 500, "result": "error",
            "error": type(exc).__name__}


class AuditedRoute(APIRoute):
    """A route that appends one entry per attempt to the audit log, whatever its outcome."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def audited(request: Request) -> Response:
            details: dict[str, Any] = {}
            request.state.audit = details  # for the route's body to fill in
            audience = getattr(request.state, "audience", None)
            where = (request.method, request.scope["path"])
            entry = {"who": getattr(audience, "who", "public"),
                     "action": write_action(*where) or " ".join(where)}
            log = request.app.state.settings.audit_log_path
            try:
                response = await handler(request)
            except Exception as exc:
                record(log, **{**entry, **details, **_outcome(exc)})
                raise
            record(log, **{**entry, **details, "status": response.status_code, "result": "ok"})
            return response

        return audited
